#include "collect/export_csv.hpp"

#include "collect/export_columns.hpp"
#include "collect/export_snapshot.hpp"

namespace needsmap::collect {

namespace {

bool is_plain_number(std::string_view value) {
  std::size_t i = value[0] == '-' ? 1 : 0;
  bool digits = false, dot = false;
  for (; i < value.size(); ++i) {
    if (std::isdigit(static_cast<unsigned char>(value[i]))) {
      digits = true;
    } else if (value[i] == '.' && !dot) {
      dot = true;
    } else {
      return false;
    }
  }
  return digits;
}

}  // namespace

void append_csv_field(std::string& out, std::string_view value) {
  bool quote = value.find_first_of(",\"\n\r") != std::string_view::npos;
  // Text starting with = + - @ (or a tab or CR) is run as a formula by spreadsheets: keep such
  // text as text with a leading apostrophe. Negative numbers stay numbers.
  bool formula = !value.empty() &&
                 std::string_view("=+-@\t\r").find(value[0]) != std::string_view::npos &&
                 !is_plain_number(value);
  if (!quote && !formula) {
    out.append(value);
    return;
  }
  out.push_back('"');
  if (formula) out.push_back('\'');
  for (char c : value) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

void write_csv_row(std::ostream& out, std::span<const std::string_view> fields) {
  std::string line;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i) line.push_back(',');
    append_csv_field(line, fields[i]);
  }
  line.append("\r\n");
  out << line;
}

std::string_view cell_text(const Cell& cell, const ExportOptions& options, std::string& scratch) {
  switch (cell.type) {
    case Cell::Type::missing:
      return {};
    case Cell::Type::number:
      scratch = format_number(cell.number);
      return scratch;
    case Cell::Type::choice:
      return options.labels ? cell.choice->label.get(options.language) : cell.choice->name;
    case Cell::Type::text:
      return cell.text;
  }
  return {};
}

Result<std::size_t> export_csv(store::Store& store, const store::Campaign& campaign,
                               const questionnaire::Questionnaire& q, const CsvOptions& options,
                               std::ostream& out) {
  ExportColumns columns(q);
  ExportOptions cells{options.labels, options.language};
  if (options.byte_order_mark) out << "\xEF\xBB\xBF";
  std::vector<std::string_view> header;
  for (const auto& c : columns.columns()) header.push_back(c.name);
  write_csv_row(out, header);
  ExportSnapshot snapshot(store.connection());
  std::string line, scratch;
  auto count = for_each_row(store, campaign, columns, [&](const std::vector<Cell>& row) {
    line.clear();
    for (std::size_t i = 0; i < row.size(); ++i) {
      if (i) line.push_back(',');
      append_csv_field(line, cell_text(row[i], cells, scratch));
    }
    line.append("\r\n");
    out << line;
    // A download the client has left: stop reading responses no one will get.
    if (!out) return Result<void>(std::unexpected(Error::io("cannot write the export")));
    return Result<void>{};
  });
  if (!count) return count;
  if (!out) return std::unexpected(Error::io("cannot write the export"));
  return count;
}

}  // namespace needsmap::collect
