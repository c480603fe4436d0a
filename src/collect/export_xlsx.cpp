#include "collect/export_xlsx.hpp"

#include <xlsxwriter.h>

#include <algorithm>
#include <memory>

#include "collect/export_codebook.hpp"
#include "collect/export_snapshot.hpp"

namespace needsmap::collect {

namespace {

// Closes (and so writes) the workbook however the export ends.
struct WorkbookCloser {
  void operator()(lxw_workbook* w) const { workbook_close(w); }
};
using Workbook = std::unique_ptr<lxw_workbook, WorkbookCloser>;

Error xlsx_error(lxw_error e, std::string_view what) {
  return Error::io("cannot write the XLSX file (" + std::string(what) + "): " + lxw_strerror(e));
}

std::optional<lxw_datetime> excel_date(std::string_view text) {
  auto date = parse_date(text);
  // Excel's dates start in 1900.
  if (!date || date->year() < std::chrono::year(1900)) return std::nullopt;
  return lxw_datetime{static_cast<int>(date->year()),
                      static_cast<int>(unsigned(date->month())),
                      static_cast<int>(unsigned(date->day())),
                      0,
                      0,
                      0};
}

class SheetWriter {
 public:
  SheetWriter(lxw_worksheet* sheet) : m_sheet(sheet) {}
  // Strings are always written as strings: worksheet_write_string never makes a formula.
  void string(lxw_row_t row, lxw_col_t col, const std::string& s, lxw_format* format = nullptr) {
    check(worksheet_write_string(m_sheet, row, col, s.c_str(), format));
  }
  void string(lxw_row_t row, lxw_col_t col, std::string_view s, lxw_format* format = nullptr) {
    m_buffer.assign(s);
    string(row, col, m_buffer, format);
  }
  void number(lxw_row_t row, lxw_col_t col, double value) {
    check(worksheet_write_number(m_sheet, row, col, value, nullptr));
  }
  void date(lxw_row_t row, lxw_col_t col, lxw_datetime value, lxw_format* format) {
    check(worksheet_write_datetime(m_sheet, row, col, &value, format));
  }
  lxw_error error() const { return m_error; }

 private:
  void check(lxw_error e) {
    if (e != LXW_NO_ERROR && m_error == LXW_NO_ERROR) m_error = e;
  }
  lxw_worksheet* m_sheet;
  lxw_error m_error{LXW_NO_ERROR};
  std::string m_buffer;
};

void write_codebook_sheet(lxw_worksheet* sheet, lxw_format* bold,
                          const std::vector<CodebookEntry>& entries, SheetWriter& w) {
  lxw_row_t row = 0;
  auto write_row = [&](std::span<const std::string_view> fields) {
    for (std::size_t i = 0; i < fields.size(); ++i) {
      w.string(row, static_cast<lxw_col_t>(i), fields[i], row == 0 ? bold : nullptr);
    }
    ++row;
  };
  write_row(codebook_header);
  for_each_codebook_row(entries, write_row);
  worksheet_freeze_panes(sheet, 1, 0);
  worksheet_set_column(sheet, 0, 1, 24, nullptr);
  worksheet_set_column(sheet, 5, 5, 60, nullptr);
  worksheet_set_column(sheet, 8, 8, 40, nullptr);
}

}  // namespace

Result<std::size_t> export_xlsx(store::Store& store, const store::Campaign& campaign,
                                const questionnaire::Questionnaire& q, const ExportOptions& options,
                                const std::filesystem::path& out) {
  ExportColumns columns(q);
  const auto& cols = columns.columns();
  if (cols.size() > 16'384) {
    return std::unexpected(
        Error::invalid("an XLSX sheet holds at most 16,384 columns; this "
                       "export has " +
                       std::to_string(cols.size())));
  }
  ExportSnapshot snapshot(store.connection());
  const auto expected = static_cast<std::size_t>(store.count_responses(campaign.id));
  if (expected > xlsx_max_responses) {
    return std::unexpected(
        Error::invalid("an XLSX sheet holds at most 1,048,575 responses; this campaign has " +
                       std::to_string(expected) + ": export CSV or SPSS instead"));
  }

  lxw_workbook_options workbook_options{};
  workbook_options.constant_memory = LXW_TRUE;
  // ZIP64 for a sheet whose XML may pass 4 GB (about 60 bytes a cell at most).
  workbook_options.use_zip64 = expected * cols.size() * 60 > 0xF000'0000ULL ? LXW_TRUE : LXW_FALSE;
  const std::string path = out.string();
  Workbook workbook(workbook_new_opt(path.c_str(), &workbook_options));
  if (!workbook) return std::unexpected(Error::io("cannot create " + path));
  lxw_worksheet* responses = workbook_add_worksheet(workbook.get(), "responses");
  lxw_worksheet* codebook = workbook_add_worksheet(workbook.get(), "codebook");
  lxw_format* bold = workbook_add_format(workbook.get());
  format_set_bold(bold);
  lxw_format* date = workbook_add_format(workbook.get());
  format_set_num_format(date, "yyyy-mm-dd");

  SheetWriter codebook_writer(codebook);
  write_codebook_sheet(codebook, bold, codebook_entries(columns, options.language),
                       codebook_writer);
  if (codebook_writer.error())
    return std::unexpected(xlsx_error(codebook_writer.error(), "codebook"));

  SheetWriter w(responses);
  for (std::size_t i = 0; i < cols.size(); ++i) {
    const auto col = static_cast<lxw_col_t>(i);
    w.string(0, col, cols[i].name, bold);
    const bool is_date =
        cols[i].kind == ColumnKind::date || cols[i].kind == ColumnKind::submitted_on;
    const double width = is_date ? 11 : std::clamp<double>(cols[i].name.size() + 2, 8, 30);
    worksheet_set_column(responses, col, col, width, nullptr);
  }
  worksheet_freeze_panes(responses, 1, 0);

  lxw_row_t row = 0;
  auto count = for_each_row(store, campaign, columns, [&](const std::vector<Cell>& cells) {
    ++row;
    if (row > xlsx_max_responses) {
      return Result<void>(std::unexpected(Error::invalid("too many responses for an XLSX sheet")));
    }
    for (std::size_t i = 0; i < cells.size(); ++i) {
      const Cell& cell = cells[i];
      const auto col = static_cast<lxw_col_t>(i);
      switch (cell.type) {
        case Cell::Type::missing:
          break;
        case Cell::Type::number:
          w.number(row, col, cell.number);
          break;
        case Cell::Type::choice:
          w.string(row, col,
                   options.labels ? cell.choice->label.get(options.language) : cell.choice->name);
          break;
        case Cell::Type::text: {
          const ColumnKind kind = cols[i].kind;
          if (kind == ColumnKind::date || kind == ColumnKind::submitted_on) {
            if (auto d = excel_date(cell.text)) {
              w.date(row, col, *d, date);
              break;
            }
          } else if (kind == ColumnKind::calculated) {
            if (auto n = plain_number(cell.text)) {
              w.number(row, col, *n);
              break;
            }
          }
          w.string(row, col, cell.text);
          break;
        }
      }
    }
    if (w.error()) return Result<void>(std::unexpected(xlsx_error(w.error(), "responses")));
    return Result<void>{};
  });
  if (!count) return count;
  lxw_error closed = workbook_close(workbook.release());
  if (closed != LXW_NO_ERROR) return std::unexpected(xlsx_error(closed, "closing"));
  return count;
}

}  // namespace needsmap::collect
