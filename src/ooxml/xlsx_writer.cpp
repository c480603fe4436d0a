#include "ooxml/xlsx_writer.hpp"

#include <charconv>
#include <cmath>

namespace needsmap::ooxml {

namespace {

constexpr std::size_t flush_bytes = 256 * 1024;
constexpr std::string_view xml_declaration =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";
constexpr std::string_view main_namespace =
    "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
constexpr std::string_view relationships =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

// The styles the cells name by index (s="1"): 0 plain, 1 bold (headers), 2 dates as YYYY-MM-DD.
constexpr std::string_view styles_xml =
    "<numFmts count=\"1\"><numFmt numFmtId=\"164\" formatCode=\"yyyy-mm-dd\"/></numFmts>"
    "<fonts count=\"2\"><font><sz val=\"11\"/><name val=\"Calibri\"/><family val=\"2\"/></font>"
    "<font><b/><sz val=\"11\"/><name val=\"Calibri\"/><family val=\"2\"/></font></fonts>"
    "<fills count=\"2\"><fill><patternFill patternType=\"none\"/></fill>"
    "<fill><patternFill patternType=\"gray125\"/></fill></fills>"
    "<borders count=\"1\"><border><left/><right/><top/><bottom/><diagonal/></border></borders>"
    "<cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/>"
    "</cellStyleXfs><cellXfs count=\"3\">"
    "<xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/>"
    "<xf numFmtId=\"0\" fontId=\"1\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyFont=\"1\"/>"
    "<xf numFmtId=\"164\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" "
    "applyNumberFormat=\"1\"/></cellXfs>"
    "<cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/></cellStyles>";

std::string_view style_attribute(XlsxWriter::Style style) {
  switch (style) {
    case XlsxWriter::Style::bold:
      return " s=\"1\"";
    case XlsxWriter::Style::date:
      return " s=\"2\"";
    case XlsxWriter::Style::plain:
      break;
  }
  return "";
}

void append_number(std::string& out, double value) {
  char buffer[32];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  out.append(buffer, ec == std::errc{} ? end : buffer);
}

void append_hex_escape(std::string& out, unsigned code) {
  static constexpr char digits[] = "0123456789ABCDEF";
  out += "_x";
  for (int shift = 12; shift >= 0; shift -= 4) out += digits[(code >> shift) & 0xF];
  out += '_';
}

bool is_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f');
}

// Text for an XML element, as Excel reads it back: markup characters as entities; the control
// characters XML 1.0 cannot hold, and a carriage return (which XML readers turn into a line
// feed), as Excel's own _xHHHH_ escapes; a literal "_xHHHH_" has its underscore escaped so that
// it reads back as itself; the non-characters U+FFFE and U+FFFF as U+FFFD.
void append_escaped(std::string& out, std::string_view s) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    const auto u = static_cast<unsigned char>(c);
    switch (c) {
      case '&':
        out += "&amp;";
        continue;
      case '<':
        out += "&lt;";
        continue;
      case '>':
        out += "&gt;";
        continue;
      case '"':
        out += "&quot;";
        continue;
      case '_':
        if (i + 6 < s.size() && s[i + 1] == 'x' && is_hex(s[i + 2]) && is_hex(s[i + 3]) &&
            is_hex(s[i + 4]) && is_hex(s[i + 5]) && s[i + 6] == '_') {
          append_hex_escape(out, '_');
          continue;
        }
        break;
      default:
        break;
    }
    if ((u < 0x20 && c != '\t' && c != '\n') || u == 0x7F) {
      append_hex_escape(out, u);
    } else if (u == 0xEF && i + 2 < s.size() && s[i + 1] == '\xBF' &&
               (s[i + 2] == '\xBE' || s[i + 2] == '\xBF')) {
      out += "\xEF\xBF\xBD";
      i += 2;
    } else {
      out += c;
    }
  }
}

std::string escaped(std::string_view s) {
  std::string out;
  append_escaped(out, s);
  return out;
}

std::size_t characters(std::string_view utf8) {
  std::size_t n = 0;
  for (char c : utf8) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

std::string sheet_part(std::size_t index) {
  return "sheet" + std::to_string(index + 1) + ".xml";
}

}  // namespace

double excel_serial(std::chrono::year_month_day date) {
  using namespace std::chrono;
  const auto days = sys_days(date);
  // Excel counts 29 February 1900 (Lotus 1-2-3's mistake, kept for compatibility): from
  // 1 March 1900 on, serial 1 is 31 December 1899 minus one day.
  const auto epoch = date < year(1900) / March / 1 ? sys_days(year(1899) / December / 31)
                                                   : sys_days(year(1899) / December / 30);
  return static_cast<double>((days - epoch).count());
}

XlsxWriter::XlsxWriter(std::ostream& out, bool zip64)
    : m_zip(out, ZipWriter::Options{.level = 1, .zip64 = zip64}) {
  m_xml.reserve(flush_bytes + 4096);
}

XlsxWriter::~XlsxWriter() = default;

void XlsxWriter::fail(std::string message) {
  if (!m_error) m_error = Error::invalid(std::move(message));
}

void XlsxWriter::flush_if_large() {
  if (m_xml.size() < flush_bytes) return;
  m_zip.write(m_xml);
  m_xml.clear();
}

const std::string& XlsxWriter::column_name(std::size_t column) {
  while (m_column_names.size() <= column) {
    std::size_t n = m_column_names.size() + 1;  // A is 1, Z 26, AA 27
    std::string name;
    while (n > 0) {
      name.insert(name.begin(), static_cast<char>('A' + (n - 1) % 26));
      n = (n - 1) / 26;
    }
    m_column_names.push_back(std::move(name));
  }
  return m_column_names[column];
}

void XlsxWriter::begin_sheet(Sheet sheet) {
  end_sheet();
  m_zip.begin("xl/worksheets/" + sheet_part(m_sheet_names.size()));
  m_xml += xml_declaration;
  m_xml += "<worksheet xmlns=\"";
  m_xml += main_namespace;
  m_xml += "\"><sheetViews><sheetView workbookViewId=\"0\"";
  if (m_sheet_names.empty()) m_xml += " tabSelected=\"1\"";
  m_xml += '>';
  if (sheet.freeze_first_row) {
    m_xml +=
        "<pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/>"
        "<selection pane=\"bottomLeft\"/>";
  }
  m_xml += "</sheetView></sheetViews><sheetFormatPr defaultRowHeight=\"15\"/>";
  std::string cols;
  for (std::size_t i = 0; i < sheet.widths.size(); ++i) {
    if (sheet.widths[i] <= 0) continue;
    const std::string n = std::to_string(i + 1);
    cols += "<col min=\"" + n + "\" max=\"" + n + "\" width=\"";
    append_number(cols, sheet.widths[i]);
    cols += "\" customWidth=\"1\"/>";
  }
  if (!cols.empty()) m_xml += "<cols>" + cols + "</cols>";
  m_xml += "<sheetData>";
  m_sheet_names.push_back(std::move(sheet.name));
  m_row = 0;
  m_in_sheet = true;
}

void XlsxWriter::end_row() {
  if (!m_in_row) return;
  m_xml += "</row>";
  m_in_row = false;
  flush_if_large();
}

void XlsxWriter::end_sheet() {
  if (!m_in_sheet) return;
  end_row();
  m_xml += "</sheetData></worksheet>";
  m_zip.write(m_xml);
  m_xml.clear();
  m_in_sheet = false;
}

void XlsxWriter::begin_row() {
  end_row();
  if (++m_row > xlsx_max_rows) {
    fail("an Excel sheet holds at most 1,048,576 rows");
    return;
  }
  m_row_number = std::to_string(m_row);
  m_xml += "<row r=\"";
  m_xml += m_row_number;
  m_xml += "\">";
  m_in_row = true;
}

void XlsxWriter::cell_start(std::size_t column, std::string_view type, Style style) {
  m_xml += "<c r=\"";
  m_xml += column_name(column);
  m_xml += m_row_number;
  m_xml += '"';
  m_xml += type;
  m_xml += style_attribute(style);
  m_xml += '>';
}

void XlsxWriter::text(std::size_t column, std::string_view value, Style style) {
  if (!m_in_row) return;
  if (column >= xlsx_max_columns) return fail("an Excel sheet holds at most 16,384 columns");
  if (value.size() > xlsx_max_text && characters(value) > xlsx_max_text) {
    return fail("a text of " + std::to_string(characters(value)) +
                " characters is longer than the 32,767 an Excel cell holds");
  }
  cell_start(column, " t=\"inlineStr\"", style);
  const bool keep_spaces = !value.empty() && (value.front() == ' ' || value.back() == ' ' ||
                                              value.find_first_of("\t\n\r") != value.npos);
  m_xml += keep_spaces ? "<is><t xml:space=\"preserve\">" : "<is><t>";
  append_escaped(m_xml, value);
  m_xml += "</t></is></c>";
}

void XlsxWriter::number(std::size_t column, double value) {
  if (!m_in_row || !std::isfinite(value)) return;
  if (column >= xlsx_max_columns) return fail("an Excel sheet holds at most 16,384 columns");
  cell_start(column, "", Style::plain);
  m_xml += "<v>";
  append_number(m_xml, value);
  m_xml += "</v></c>";
}

void XlsxWriter::date(std::size_t column, std::chrono::year_month_day value) {
  if (!m_in_row || !value.ok() || value.year() < std::chrono::year(1900)) return;
  if (column >= xlsx_max_columns) return fail("an Excel sheet holds at most 16,384 columns");
  cell_start(column, "", Style::date);
  m_xml += "<v>";
  append_number(m_xml, excel_serial(value));
  m_xml += "</v></c>";
}

Result<void> XlsxWriter::finish() {
  end_sheet();
  if (m_error) return std::unexpected(*m_error);
  const std::string header(xml_declaration);

  std::string sheets, sheet_relations, sheet_types;
  for (std::size_t i = 0; i < m_sheet_names.size(); ++i) {
    const std::string id = std::to_string(i + 1);
    sheets += "<sheet name=\"" + escaped(m_sheet_names[i]) + "\" sheetId=\"" + id +
              "\" r:id=\"rId" + id + "\"/>";
    sheet_relations += "<Relationship Id=\"rId" + id + "\" Type=\"" + std::string(relationships) +
                       "/worksheet\" Target=\"worksheets/" + sheet_part(i) + "\"/>";
    sheet_types += "<Override PartName=\"/xl/worksheets/" + sheet_part(i) +
                   "\" ContentType=\"application/"
                   "vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>";
  }
  const std::string styles_id = "rId" + std::to_string(m_sheet_names.size() + 1);

  m_zip.begin("xl/workbook.xml");
  m_zip.write(header + "<workbook xmlns=\"" + std::string(main_namespace) + "\" xmlns:r=\"" +
              std::string(relationships) + "\"><sheets>" + sheets + "</sheets></workbook>");
  m_zip.begin("xl/styles.xml");
  m_zip.write(header + "<styleSheet xmlns=\"" + std::string(main_namespace) + "\">" +
              std::string(styles_xml) + "</styleSheet>");
  m_zip.begin("xl/_rels/workbook.xml.rels");
  m_zip.write(header +
              "<Relationships "
              "xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">" +
              sheet_relations + "<Relationship Id=\"" + styles_id + "\" Type=\"" +
              std::string(relationships) + "/styles\" Target=\"styles.xml\"/></Relationships>");
  m_zip.begin("_rels/.rels");
  m_zip.write(header +
              "<Relationships "
              "xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
              "<Relationship Id=\"rId1\" Type=\"" +
              std::string(relationships) +
              "/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>");
  m_zip.begin("[Content_Types].xml");
  m_zip.write(header +
              "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
              "<Default Extension=\"rels\" "
              "ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
              "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
              "<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/"
              "vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
              "<Override PartName=\"/xl/styles.xml\" ContentType=\"application/"
              "vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>" +
              sheet_types + "</Types>");
  return m_zip.finish();
}

}  // namespace needsmap::ooxml
