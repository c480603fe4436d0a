#include "collect/export_xlsx.hpp"

#include <algorithm>

#include "collect/export_codebook.hpp"
#include "collect/export_snapshot.hpp"
#include "ooxml/xlsx_writer.hpp"

namespace needsmap::collect {

namespace {

using ooxml::XlsxWriter;

Error xlsx_error(const Error& e, std::string_view sheet) {
  return Error::invalid("cannot write the XLSX sheet " + std::string(sheet) + ": " + e.message);
}

bool is_date_column(ColumnKind kind) {
  return kind == ColumnKind::date || kind == ColumnKind::submitted_on;
}

void write_response_cells(XlsxWriter& book, const std::vector<ExportColumn>& cols,
                          const std::vector<Cell>& cells, const ExportOptions& options) {
  for (std::size_t i = 0; i < cells.size(); ++i) {
    const Cell& cell = cells[i];
    switch (cell.type) {
      case Cell::Type::missing:
        break;
      case Cell::Type::number:
        book.number(i, cell.number);
        break;
      case Cell::Type::choice:
        book.text(i, options.labels ? cell.choice->label.get(options.language) : cell.choice->name);
        break;
      case Cell::Type::text:
        if (is_date_column(cols[i].kind)) {
          if (auto d = parse_date(cell.text); d && d->year() >= std::chrono::year(1900)) {
            book.date(i, *d);
            break;
          }
        } else if (cols[i].kind == ColumnKind::calculated) {
          if (auto n = plain_number(cell.text)) {
            book.number(i, *n);
            break;
          }
        }
        // Text is always text: an inline string is never read as a formula.
        book.text(i, cell.text);
        break;
    }
  }
}

void write_codebook_sheet(XlsxWriter& book, const std::vector<CodebookEntry>& entries) {
  book.begin_sheet(
      {.name = "codebook", .widths = {24, 24, 0, 0, 0, 60, 0, 0, 40}, .freeze_first_row = true});
  bool header = true;
  auto write_row = [&](std::span<const std::string_view> fields) {
    book.begin_row();
    for (std::size_t i = 0; i < fields.size(); ++i) {
      book.text(i, fields[i], header ? XlsxWriter::Style::bold : XlsxWriter::Style::plain);
    }
    header = false;
  };
  write_row(codebook_header);
  for_each_codebook_row(entries, write_row);
}

}  // namespace

Result<std::size_t> export_xlsx(store::Store& store, const store::Campaign& campaign,
                                const questionnaire::Questionnaire& q, const ExportOptions& options,
                                std::ostream& out) {
  ExportColumns columns(q);
  const auto& cols = columns.columns();
  if (cols.size() > ooxml::xlsx_max_columns) {
    return std::unexpected(
        Error::invalid("an XLSX sheet holds at most 16,384 columns; this export has " +
                       std::to_string(cols.size())));
  }
  ExportSnapshot snapshot(store.connection());
  const auto expected = static_cast<std::size_t>(store.count_responses(campaign.id));
  if (expected > xlsx_max_responses) {
    return std::unexpected(
        Error::invalid("an XLSX sheet holds at most 1,048,575 responses; this campaign has " +
                       std::to_string(expected) + ": export CSV or SPSS instead"));
  }

  // ZIP64 for a sheet whose XML may pass 4 GiB (about 60 bytes a cell at most).
  XlsxWriter book(out, expected * cols.size() * 60 > 0xF000'0000ULL);
  std::vector<double> widths;
  for (const auto& col : cols) {
    widths.push_back(is_date_column(col.kind) ? 11
                                              : std::clamp<double>(col.name.size() + 2, 8, 30));
  }
  book.begin_sheet({.name = "responses", .widths = std::move(widths), .freeze_first_row = true});
  book.begin_row();
  for (std::size_t i = 0; i < cols.size(); ++i) book.text(i, cols[i].name, XlsxWriter::Style::bold);

  auto count = for_each_row(store, campaign, columns, [&](const std::vector<Cell>& cells) {
    book.begin_row();
    write_response_cells(book, cols, cells, options);
    if (book.error()) return Result<void>(std::unexpected(xlsx_error(*book.error(), "responses")));
    return Result<void>{};
  });
  if (!count) return count;
  write_codebook_sheet(book, codebook_entries(columns, options.language));
  if (auto finished = book.finish(); !finished) return std::unexpected(finished.error());
  return count;
}

}  // namespace needsmap::collect
