#include "interop/xlsx_writer.hpp"

#include <xlsxwriter.h>

#include <charconv>
#include <cmath>
#include <memory>
#include <optional>

namespace needsmap::interop {

namespace {

struct WorkbookCloser {
  void operator()(lxw_workbook* w) const { workbook_close(w); }
};

std::optional<double> as_number(const std::string& s) {
  if (s.empty() || s.size() > 20) return std::nullopt;
  double value = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || end != s.data() + s.size() || !std::isfinite(value)) return std::nullopt;
  if (format_number(value) != s) return std::nullopt;
  return value;
}

}  // namespace

Result<void> write_xlsx(const Workbook& workbook, const std::filesystem::path& path,
                        const NumericColumn& numeric) {
  std::string file = path.string();
  lxw_workbook* raw = workbook_new(file.c_str());
  if (!raw) return std::unexpected(Error::io("cannot create " + file));
  std::unique_ptr<lxw_workbook, WorkbookCloser> book(raw);
  lxw_format* header = workbook_add_format(raw);
  format_set_bold(header);
  lxw_error failed = LXW_NO_ERROR;
  auto check = [&](lxw_error e) {
    if (e != LXW_NO_ERROR && failed == LXW_NO_ERROR) failed = e;
  };
  for (const auto& sheet : workbook.sheets) {
    lxw_worksheet* ws = workbook_add_worksheet(raw, sheet.name.c_str());
    if (!ws) return std::unexpected(Error::internal("cannot add the sheet " + sheet.name));
    for (std::size_t r = 0; r < sheet.rows.size(); ++r) {
      const auto& row = sheet.rows[r];
      for (std::size_t c = 0; c < row.size(); ++c) {
        if (row[c].empty()) continue;
        auto rr = static_cast<lxw_row_t>(r);
        auto cc = static_cast<lxw_col_t>(c);
        if (r > 0 && numeric && numeric(sheet, c)) {
          if (auto n = as_number(row[c])) {
            check(worksheet_write_number(ws, rr, cc, *n, nullptr));
            continue;
          }
        }
        check(worksheet_write_string(ws, rr, cc, row[c].c_str(), r == 0 ? header : nullptr));
      }
    }
    if (!sheet.rows.empty()) worksheet_freeze_panes(ws, 1, 0);
  }
  if (failed != LXW_NO_ERROR) {
    return std::unexpected(Error::io("cannot write " + file + ": " + lxw_strerror(failed)));
  }
  lxw_error closed = workbook_close(book.release());
  if (closed != LXW_NO_ERROR) {
    return std::unexpected(Error::io("cannot write " + file + ": " + lxw_strerror(closed)));
  }
  return {};
}

}  // namespace needsmap::interop
