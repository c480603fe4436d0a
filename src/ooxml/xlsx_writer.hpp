// An Excel workbook (SpreadsheetML, ECMA-376) written as a stream into a std::ostream: each row
// goes into the deflated sheet as it is written, so memory stays flat however many rows there are,
// and nothing passes through a temporary file. Texts are inline strings (no shared-string table to
// hold), which Excel, LibreOffice and openpyxl all read. Sheets are written one after another and
// appear in the workbook in that order.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "ooxml/zip_writer.hpp"

namespace needsmap::ooxml {

// Excel's limits (Excel specifications and limits).
inline constexpr std::size_t xlsx_max_rows = 1'048'576;
inline constexpr std::size_t xlsx_max_columns = 16'384;
inline constexpr std::size_t xlsx_max_text = 32'767;  // characters in a cell

class XlsxWriter {
 public:
  enum class Style { plain, bold, date };
  struct Sheet {
    std::string name;
    std::vector<double> widths{};  // per column, in characters; 0 keeps Excel's default
    bool freeze_first_row = false;
  };

  // zip64: for a workbook whose sheets may pass 4 GiB.
  XlsxWriter(std::ostream& out, bool zip64 = false);
  ~XlsxWriter();
  XlsxWriter(const XlsxWriter&) = delete;
  XlsxWriter& operator=(const XlsxWriter&) = delete;

  // Starts a sheet (finishing the one before).
  void begin_sheet(Sheet sheet);
  // Starts the next row (the first is row 1); cells follow, left to right, gaps left empty.
  void begin_row();
  void text(std::size_t column, std::string_view value, Style style = Style::plain);
  void number(std::size_t column, double value);  // not finite: the cell stays empty
  void date(std::size_t column, std::chrono::year_month_day value);  // from 1900 on
  // The first thing that went wrong (a text too long, too many rows or columns), if anything.
  const std::optional<Error>& error() const { return m_error; }
  // Writes the workbook's parts and the archive's directory.
  Result<void> finish();

 private:
  void end_row();
  void end_sheet();
  void cell_start(std::size_t column, std::string_view type, Style style);
  void fail(std::string message);
  void flush_if_large();
  const std::string& column_name(std::size_t column);

  ZipWriter m_zip;
  std::vector<std::string> m_sheet_names;
  std::vector<std::string> m_column_names;
  std::string m_xml;  // the sheet's XML not yet handed to the archive
  std::string m_row_number;
  std::size_t m_row = 0;
  bool m_in_sheet = false;
  bool m_in_row = false;
  std::optional<Error> m_error;
};

// Excel's serial day number of a date from 1900 on (with its 29 February 1900, which was not).
double excel_serial(std::chrono::year_month_day date);

}  // namespace needsmap::ooxml
