// Responses as CSV: one row per response, a header of question names, a multiple choice as one
// 0/1 column per option named question/option. UTF-8 (with a BOM, so Excel reads Cyrillic).
#pragma once

#include <ostream>
#include <span>
#include <string>
#include <string_view>

#include "collect/export_columns.hpp"
#include "core/error.hpp"
#include "questionnaire/model.hpp"
#include "store/store.hpp"

namespace needsmap::collect {

struct CsvOptions {
  bool labels{false};               // choice labels instead of choice names
  std::string language{"sr-Cyrl"};  // for labels
  bool byte_order_mark{true};
};

// Writes every response of the campaign; returns how many.
Result<std::size_t> export_csv(store::Store& store, const store::Campaign& campaign,
                               const questionnaire::Questionnaire& q, const CsvOptions& options,
                               std::ostream& out);

// One CSV field (RFC 4180), quoted when it must be. Text a spreadsheet would run as a formula
// (starting with = + - @, a tab or CR, unless it is a plain number) gets a leading apostrophe.
void append_csv_field(std::string& out, std::string_view value);

// A row of fields and its CRLF.
void write_csv_row(std::ostream& out, std::span<const std::string_view> fields);

// A cell as CSV text: empty when missing, numbers as format_number spells them, a choice as its
// name (or its label with options.labels). `scratch` holds a formatted number.
std::string_view cell_text(const Cell& cell, const ExportOptions& options, std::string& scratch);

}  // namespace needsmap::collect
