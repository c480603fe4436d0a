#include "interop/xlsx_reader.hpp"

#include <zip.h>

#include <charconv>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <memory>
#include <optional>
#include <pugixml.hpp>
#include <set>
#include <unordered_map>

namespace needsmap::interop {

namespace {

struct ZipCloser {
  void operator()(zip_t* z) const { zip_discard(z); }
};
using ZipArchive = std::unique_ptr<zip_t, ZipCloser>;
struct ZipFileCloser {
  void operator()(zip_file_t* f) const { zip_fclose(f); }
};

// An element's name without its namespace prefix: writers differ in whether they use one.
std::string_view local_name(const pugi::xml_node& node) {
  std::string_view name = node.name();
  auto colon = name.find(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

pugi::xml_node child(const pugi::xml_node& node, std::string_view name) {
  for (auto c : node.children()) {
    if (c.type() == pugi::node_element && local_name(c) == name) return c;
  }
  return {};
}

template <typename F>
void each_child(const pugi::xml_node& node, std::string_view name, F&& f) {
  for (auto c : node.children()) {
    if (c.type() == pugi::node_element && local_name(c) == name) f(c);
  }
}

// An attribute by local name (r:id and id are the same to us).
pugi::xml_attribute attribute(const pugi::xml_node& node, std::string_view name) {
  for (auto a : node.attributes()) {
    std::string_view n = a.name();
    auto colon = n.find(':');
    if ((colon == std::string_view::npos ? n : n.substr(colon + 1)) == name) return a;
  }
  return {};
}

class Package {
 public:
  static Result<Package> open(std::string_view bytes, const ReadLimits& limits) {
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
    if (!source) {
      zip_error_fini(&error);
      return std::unexpected(Error::internal("cannot read the file"));
    }
    zip_t* archive = zip_open_from_source(source, ZIP_RDONLY, &error);
    zip_error_fini(&error);
    if (!archive) {
      zip_source_free(source);
      return std::unexpected(
          Error::invalid("not an .xlsx file: it is not a zip archive (save it as Excel .xlsx)"));
    }
    return Package(ZipArchive(archive), limits);
  }

  // The part's XML; none when the part does not exist.
  Result<std::optional<pugi::xml_document>> xml(const std::string& name) {
    zip_stat_t stat;
    zip_stat_init(&stat);
    if (zip_stat(m_archive.get(), name.c_str(), 0, &stat) != 0) return std::nullopt;
    if (!(stat.valid & ZIP_STAT_SIZE) || stat.size > m_limits.max_entry_bytes) {
      return std::unexpected(
          Error::invalid("the part " + name + " of the .xlsx file is too large"));
    }
    std::unique_ptr<zip_file_t, ZipFileCloser> file(zip_fopen(m_archive.get(), name.c_str(), 0));
    if (!file) return std::unexpected(Error::invalid("cannot read " + name + " in the .xlsx file"));
    std::string content(static_cast<std::size_t>(stat.size), '\0');
    zip_int64_t got = zip_fread(file.get(), content.data(), content.size());
    if (got < 0 || static_cast<std::size_t>(got) != content.size()) {
      return std::unexpected(Error::invalid("the part " + name + " of the .xlsx file is damaged"));
    }
    pugi::xml_document doc;
    auto parsed = doc.load_buffer(content.data(), content.size());
    if (!parsed) {
      return std::unexpected(Error::invalid(
          "the part " + name + " of the .xlsx file is not XML: " + parsed.description()));
    }
    return std::optional<pugi::xml_document>(std::move(doc));
  }

 private:
  Package(ZipArchive archive, const ReadLimits& limits)
      : m_archive(std::move(archive)), m_limits(limits) {}
  ZipArchive m_archive;
  ReadLimits m_limits;
};

// Excel writes characters XML cannot hold as _xHHHH_ (ECMA-376 Part 1 §22.4.2.4, ST_Xstring),
// and an underscore that would start such an escape as _x005F_: turns them back into text.
std::string decode_excel_escapes(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    unsigned code = 0;
    if (s[i] == '_' && i + 6 < s.size() && s[i + 1] == 'x' && s[i + 6] == '_' &&
        std::from_chars(s.data() + i + 2, s.data() + i + 6, code, 16).ptr == s.data() + i + 6 &&
        (code < 0xD800 || code > 0xDFFF)) {
      if (code < 0x80) {
        out += static_cast<char>(code);
      } else if (code < 0x800) {
        out += static_cast<char>(0xC0 | (code >> 6));
        out += static_cast<char>(0x80 | (code & 0x3F));
      } else {
        out += static_cast<char>(0xE0 | (code >> 12));
        out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (code & 0x3F));
      }
      i += 6;
    } else {
      out += s[i];
    }
  }
  return out;
}

// Text of a string item: plain <t>, or rich-text runs <r><t>; phonetic runs (<rPh>) are not text.
std::string string_item_text(const pugi::xml_node& item) {
  std::string out;
  for (auto c : item.children()) {
    if (c.type() != pugi::node_element) continue;
    if (local_name(c) == "t") {
      out += c.child_value();
    } else if (local_name(c) == "r") {
      if (auto t = child(c, "t")) out += t.child_value();
    }
  }
  return out.find("_x") == std::string::npos ? out : decode_excel_escapes(out);
}

// Built-in number formats that show dates (ECMA-376 Part 1 §18.8.30).
bool is_builtin_date_format(unsigned id) {
  return (id >= 14 && id <= 22) || (id >= 45 && id <= 47);
}

// A custom format code shows a date when it has d, m or y outside quotes and brackets.
bool is_date_format_code(std::string_view code) {
  bool quoted = false, bracket = false;
  for (std::size_t i = 0; i < code.size(); ++i) {
    char c = code[i];
    if (c == '"') quoted = !quoted;
    if (quoted) continue;
    if (c == '\\') {
      ++i;
      continue;
    }
    if (c == '[') bracket = true;
    if (c == ']') bracket = false;
    if (bracket) continue;
    if (c == 'd' || c == 'D' || c == 'y' || c == 'Y' || c == 'm' || c == 'M') return true;
  }
  return false;
}

// Days since 1970-01-01 → civil date (the proleptic Gregorian algorithm from H. Hinnant's
// "chrono-Compatible Low-Level Date Algorithms").
std::string civil_date(long long days) {
  days += 719468;
  long long era = (days >= 0 ? days : days - 146096) / 146097;
  long long doe = days - era * 146097;
  long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  long long y = yoe + era * 400;
  long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  long long mp = (5 * doy + 2) / 153;
  long long d = doy - (153 * mp + 2) / 5 + 1;
  long long m = mp < 10 ? mp + 3 : mp - 9;
  if (m <= 2) ++y;
  char buffer[80];
  std::snprintf(buffer, sizeof buffer, "%04lld-%02lld-%02lld", y, m, d);
  return buffer;
}

// An Excel serial date → "YYYY-MM-DD", with "THH:MM:SS" when it has a time of day.
std::string excel_date(double serial, bool date1904) {
  double whole = std::floor(serial);
  long long seconds = std::llround((serial - whole) * 86400.0);
  // Serial 25569 is 1970-01-01 in the 1900 system; the 1904 system counts 1462 days fewer.
  long long days = static_cast<long long>(whole) - 25569 + (date1904 ? 1462 : 0);
  if (seconds >= 86400) {
    ++days;
    seconds -= 86400;
  }
  std::string out = civil_date(days);
  if (seconds > 0) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "T%02lld:%02lld:%02lld", seconds / 3600, seconds / 60 % 60,
                  seconds % 60);
    out += buffer;
  }
  return out;
}

std::string number_text(std::string_view raw) {
  double value = 0;
  auto [end, ec] = std::from_chars(raw.data(), raw.data() + raw.size(), value);
  if (ec != std::errc() || end != raw.data() + raw.size() || !std::isfinite(value)) {
    return std::string(raw);
  }
  return format_number(value);
}

// "AB12" → 27 (0-based column); none when the reference has no letters.
std::optional<std::size_t> column_of(std::string_view ref) {
  std::size_t column = 0, letters = 0;
  for (char c : ref) {
    if (c >= 'A' && c <= 'Z') {
      column = column * 26 + static_cast<std::size_t>(c - 'A' + 1);
      if (++letters > 3) return std::nullopt;
    } else {
      break;
    }
  }
  if (letters == 0) return std::nullopt;
  return column - 1;
}

struct Styles {
  std::vector<bool> date_by_style;  // cellXfs index → shows a date
  bool is_date(std::size_t style) const {
    return style < date_by_style.size() && date_by_style[style];
  }
};

Styles read_styles(const pugi::xml_document& doc) {
  Styles styles;
  auto root = doc.document_element();
  std::set<unsigned> custom_dates;
  if (auto formats = child(root, "numFmts")) {
    each_child(formats, "numFmt", [&](const pugi::xml_node& f) {
      if (is_date_format_code(attribute(f, "formatCode").as_string())) {
        custom_dates.insert(attribute(f, "numFmtId").as_uint());
      }
    });
  }
  if (auto xfs = child(root, "cellXfs")) {
    each_child(xfs, "xf", [&](const pugi::xml_node& xf) {
      unsigned id = attribute(xf, "numFmtId").as_uint();
      styles.date_by_style.push_back(is_builtin_date_format(id) || custom_dates.contains(id));
    });
  }
  return styles;
}

// Resolves a relationship target against the folder of the workbook part (xl/).
std::string part_name(std::string_view target) {
  if (target.starts_with("/")) return std::string(target.substr(1));
  std::string out = "xl/";
  while (target.starts_with("../")) target.remove_prefix(3), out = "";
  return out + std::string(target);
}

}  // namespace

Result<Workbook> read_xlsx_bytes(std::string_view bytes, const ReadLimits& limits) {
  auto package = Package::open(bytes, limits);
  if (!package) return std::unexpected(package.error());

  auto workbook_xml = package->xml("xl/workbook.xml");
  if (!workbook_xml) return std::unexpected(workbook_xml.error());
  if (!*workbook_xml) {
    return std::unexpected(
        Error::invalid("not an .xlsx file: it has no workbook (xl/workbook.xml)"));
  }
  auto rels_xml = package->xml("xl/_rels/workbook.xml.rels");
  if (!rels_xml) return std::unexpected(rels_xml.error());
  std::unordered_map<std::string, std::string> targets;
  if (*rels_xml) {
    each_child((*rels_xml)->document_element(), "Relationship", [&](const pugi::xml_node& r) {
      targets[attribute(r, "Id").as_string()] = part_name(attribute(r, "Target").as_string());
    });
  }

  std::vector<std::string> shared;
  auto shared_xml = package->xml("xl/sharedStrings.xml");
  if (!shared_xml) return std::unexpected(shared_xml.error());
  if (*shared_xml) {
    each_child((*shared_xml)->document_element(), "si",
               [&](const pugi::xml_node& si) { shared.push_back(string_item_text(si)); });
  }

  Styles styles;
  auto styles_xml = package->xml("xl/styles.xml");
  if (!styles_xml) return std::unexpected(styles_xml.error());
  if (*styles_xml) styles = read_styles(**styles_xml);

  auto root = (*workbook_xml)->document_element();
  bool date1904 = false;
  if (auto pr = child(root, "workbookPr")) {
    std::string_view v = attribute(pr, "date1904").as_string();
    date1904 = v == "1" || v == "true";
  }

  Workbook workbook;
  auto sheets = child(root, "sheets");
  for (auto s : sheets.children()) {
    if (s.type() != pugi::node_element || local_name(s) != "sheet") continue;
    Sheet sheet;
    sheet.name = attribute(s, "name").as_string();
    auto target = targets.find(attribute(s, "id").as_string());
    if (target == targets.end()) continue;  // a chart sheet or a dangling entry: no cells
    auto sheet_xml = package->xml(target->second);
    if (!sheet_xml) return std::unexpected(sheet_xml.error());
    if (!*sheet_xml) continue;
    auto data = child((*sheet_xml)->document_element(), "sheetData");
    std::size_t next_row = 0;
    for (auto r : data.children()) {
      if (r.type() != pugi::node_element || local_name(r) != "row") continue;
      std::size_t row_index = next_row;
      if (auto a = attribute(r, "r")) {
        unsigned long long n = a.as_ullong();
        if (n == 0 || n > limits.max_rows) {
          return std::unexpected(Error::invalid("sheet \"" + sheet.name + "\" has more than " +
                                                std::to_string(limits.max_rows) + " rows"));
        }
        row_index = static_cast<std::size_t>(n - 1);
      }
      if (row_index >= limits.max_rows) {
        return std::unexpected(Error::invalid("sheet \"" + sheet.name + "\" has more than " +
                                              std::to_string(limits.max_rows) + " rows"));
      }
      next_row = row_index + 1;
      std::vector<std::string> cells;
      std::size_t next_column = 0;
      for (auto c : r.children()) {
        if (c.type() != pugi::node_element || local_name(c) != "c") continue;
        std::size_t column = next_column;
        if (auto ref = attribute(c, "r")) {
          if (auto parsed = column_of(ref.as_string())) column = *parsed;
        }
        if (column >= limits.max_columns) {
          return std::unexpected(Error::invalid("sheet \"" + sheet.name + "\" has more than " +
                                                std::to_string(limits.max_columns) + " columns"));
        }
        next_column = column + 1;
        std::string_view type = attribute(c, "t").as_string();
        std::string value;
        if (type == "inlineStr") {
          value = string_item_text(child(c, "is"));
        } else {
          std::string_view raw = child(c, "v").child_value();
          if (type == "s") {
            unsigned long long index = 0;
            auto [p, ec] = std::from_chars(raw.data(), raw.data() + raw.size(), index);
            if (ec != std::errc() || index >= shared.size()) {
              return std::unexpected(
                  Error::invalid("sheet \"" + sheet.name + "\" refers to a missing shared string"));
            }
            value = shared[index];
          } else if (type == "b") {
            value = raw == "1" ? "TRUE" : "FALSE";
          } else if (type == "str" || type == "e" || type == "d") {
            value = std::string(raw);
          } else if (!raw.empty()) {
            value = number_text(raw);
            double serial = 0;
            auto [p, ec] = std::from_chars(raw.data(), raw.data() + raw.size(), serial);
            if (ec == std::errc() && styles.is_date(attribute(c, "s").as_uint()) && serial >= 1 &&
                serial < 2958466) {
              value = excel_date(serial, date1904);
            }
          }
        }
        if (value.empty()) continue;
        if (cells.size() <= column) cells.resize(column + 1);
        cells[column] = std::move(value);
      }
      if (cells.empty()) continue;
      if (sheet.rows.size() <= row_index) sheet.rows.resize(row_index + 1);
      sheet.rows[row_index] = std::move(cells);
    }
    workbook.sheets.push_back(std::move(sheet));
  }
  if (workbook.sheets.empty()) {
    return std::unexpected(Error::invalid("the .xlsx file has no worksheets"));
  }
  return workbook;
}

Result<Workbook> read_xlsx(const std::filesystem::path& path, const ReadLimits& limits) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::unexpected(Error::io("cannot open " + path.string()));
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return read_xlsx_bytes(bytes, limits);
}

}  // namespace needsmap::interop
