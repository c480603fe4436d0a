// The codebook of an export: every column (variable) with its name in the CSV and XLSX files and
// in the SPSS file, its label, its type, its section and the values a choice takes, as a
// standalone HTML page and as CSV. The XLSX export carries the same entries in its codebook sheet.
#pragma once

#include <functional>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "collect/export_columns.hpp"
#include "core/error.hpp"
#include "store/store.hpp"

namespace needsmap::collect {

struct CodebookValue {
  std::string value;  // as CSV and XLSX hold it: a choice's name, or 0 and 1
  std::string code;   // as SPSS holds it: the choice's position from 1, or 0 and 1
  std::string label;
  std::string label_language;
};

struct CodebookEntry {
  std::string variable;       // the CSV and XLSX column
  std::string spss_variable;  // the SPSS variable
  std::string section;        // the section's name; empty for the response's own fields
  std::string section_title;
  std::string section_title_language;
  std::string type;  // the question's type (docs/questionnaire-format.md), or id, date, text
  std::string label;
  std::string label_language;  // the language `label` is really in (see ExportColumn)
  std::vector<CodebookValue> values;
};

// The entries in column order, with the texts in `language`.
std::vector<CodebookEntry> codebook_entries(const ExportColumns& columns,
                                            std::string_view language);

// The header of the codebook as CSV and as the XLSX codebook sheet: one row per value, and one
// row for a variable that takes no listed values.
inline constexpr std::string_view codebook_header[] = {
    "variable", "spss_variable", "section",    "section_title", "type",
    "label",    "value",         "spss_value", "value_label"};

// Calls `row` with the fields of each codebook row, in codebook_header's order.
void for_each_codebook_row(const std::vector<CodebookEntry>& entries,
                           const std::function<void(std::span<const std::string_view>)>& row);

// UTF-8 CSV with a byte-order mark.
Result<void> write_codebook_csv(const ExportColumns& columns, std::string_view language,
                                std::ostream& out);

// A standalone, accessible HTML page: one table with a caption, column and row headers, every
// text escaped.
Result<void> write_codebook_html(const ExportColumns& columns, const store::Campaign& campaign,
                                 std::string_view language, std::ostream& out);

}  // namespace needsmap::collect
