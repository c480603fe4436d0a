#include "interop/csv_reader.hpp"

#include <fstream>

#include "core/text.hpp"

namespace needsmap::interop {

namespace {

// The separator of the first line: ';' when it has more semicolons than commas outside quotes.
char detect_separator(std::string_view text) {
  std::size_t commas = 0, semicolons = 0;
  bool quoted = false;
  for (char c : text) {
    if (c == '"') quoted = !quoted;
    if (quoted) continue;
    if (c == '\n') break;
    commas += c == ',';
    semicolons += c == ';';
  }
  return semicolons > commas ? ';' : ',';
}

Result<std::string> read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::unexpected(Error::io("cannot open " + path.string()));
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

}  // namespace

Result<std::vector<std::vector<std::string>>> parse_csv(std::string_view text,
                                                        const ReadLimits& limits) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  if (!text::is_valid_utf8(text)) {
    return std::unexpected(Error::invalid("the CSV file is not UTF-8 (save it as \"CSV UTF-8\")"));
  }
  const char separator = detect_separator(text);
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false, field_started = false;
  std::size_t line = 1;
  auto end_field = [&]() -> bool {
    row.push_back(std::move(field));
    field.clear();
    field_started = false;
    return row.size() <= limits.max_columns;
  };
  auto end_row = [&]() -> bool {
    bool all_empty = true;
    for (const auto& f : row) all_empty = all_empty && f.empty();
    if (!all_empty) {
      while (!row.empty() && row.back().empty()) row.pop_back();
    } else {
      row.clear();
    }
    rows.push_back(std::move(row));
    row.clear();
    return rows.size() <= limits.max_rows;
  };
  auto too_large = [&]() {
    return std::unexpected(Error::invalid("the CSV file has more than " +
                                          std::to_string(limits.max_rows) + " rows or " +
                                          std::to_string(limits.max_columns) + " columns"));
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field += '"';
          ++i;
        } else {
          quoted = false;
        }
      } else {
        if (c == '\n') ++line;
        field += c;
      }
    } else if (c == '"' && !field_started) {
      quoted = field_started = true;
    } else if (c == separator) {
      if (!end_field()) return too_large();
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      continue;
    } else if (c == '\n') {
      ++line;
      if (!end_field() || !end_row()) return too_large();
    } else {
      field += c;
      field_started = true;
    }
  }
  if (quoted) {
    return std::unexpected(
        Error::invalid("the CSV file ends inside a quoted field (started before line " +
                       std::to_string(line) + ")"));
  }
  if (field_started || !field.empty() || !row.empty()) {
    if (!end_field() || !end_row()) return too_large();
  }
  return rows;
}

Result<Workbook> read_csv(const std::filesystem::path& path, const std::string& sheet_name,
                          const ReadLimits& limits) {
  auto text = read_file(path);
  if (!text) return std::unexpected(text.error());
  auto rows = parse_csv(*text, limits);
  if (!rows) return std::unexpected(rows.error());
  return Workbook{.sheets = {Sheet{.name = sheet_name, .rows = std::move(*rows)}}};
}

Result<Workbook> read_xlsform_csv(const std::filesystem::path& path, const ReadLimits& limits) {
  auto text = read_file(path);
  if (!text) return std::unexpected(text.error());
  auto rows = parse_csv(*text, limits);
  if (!rows) return std::unexpected(rows.error());
  Workbook workbook;
  for (auto& row : *rows) {
    if (!row.empty() && !row[0].empty()) {
      workbook.sheets.push_back(Sheet{.name = row[0], .rows = {}});
      continue;
    }
    if (workbook.sheets.empty()) {
      if (row.empty()) continue;
      return std::unexpected(Error::invalid(
          "an XLSForm CSV starts with a sheet name (survey, choices, settings) in the first "
          "column"));
    }
    // Rows keep their numbering inside the sheet, as in the spreadsheet it came from.
    if (!row.empty()) row.erase(row.begin());
    workbook.sheets.back().rows.push_back(std::move(row));
  }
  return workbook;
}

}  // namespace needsmap::interop
