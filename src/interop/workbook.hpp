// A spreadsheet as plain text cells: what the XLSForm and response importers read, whatever the
// file format (.xlsx or CSV) was.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace needsmap::interop {

struct Sheet {
  std::string name;
  // rows[i] is spreadsheet row i + 1; a short row means empty cells to its right.
  std::vector<std::vector<std::string>> rows;

  const std::string& cell(std::size_t row, std::size_t column) const;
};

struct Workbook {
  std::vector<Sheet> sheets;

  // The sheet named `name`, compared case-insensitively (XLSForm sheet names are lowercase by
  // convention, but spreadsheets are edited by hand); null when there is none.
  const Sheet* find(std::string_view name) const;
};

// A number as a person would type it: whole numbers without a decimal point, others in the
// shortest form that reads back as the same double. Readers and writers agree on it.
std::string format_number(double value);

// Limits that keep a hostile or mistaken file from exhausting memory.
struct ReadLimits {
  std::size_t max_rows{20'000};           // per sheet
  std::size_t max_columns{512};           // per row
  std::size_t max_entry_bytes{64 << 20};  // one uncompressed part of an .xlsx
};

}  // namespace needsmap::interop
