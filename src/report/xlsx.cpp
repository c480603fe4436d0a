// The report's tables as an Excel workbook: a contents sheet, then one sheet per table with its
// figures as numbers, so that the municipality can compute with them.
#include <algorithm>
#include <set>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "ooxml/xlsx_writer.hpp"
#include "report/render.hpp"

namespace needsmap::report {

namespace {

using ooxml::XlsxWriter;

constexpr std::size_t max_sheet_name = 31;  // Excel's limit, in UTF-16 units
constexpr double max_column_width = 60;     // characters; longer texts wrap onto the next cell
constexpr double min_column_width = 8;

// The words of the contents sheet in the document's language.
struct ContentsWords {
  std::string_view sheet_name;
  std::string_view sheet;
  std::string_view caption;
  std::string_view note;
};

ContentsWords contents_words(std::string_view language) {
  if (language == "sr-Cyrl") return {"Садржај", "Лист", "Табела", "Напомена"};
  if (language == "sr-Latn") return {"Sadržaj", "List", "Tabela", "Napomena"};
  if (language == "mk") return {"Содржина", "Лист", "Табела", "Забелешка"};
  return {"Contents", "Sheet", "Table", "Note"};
}

bool is_continuation(char c) {
  return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

// UTF-16 units of the code point starting with `first`: characters past U+FFFF take two.
std::size_t utf16_units(char first) {
  return static_cast<unsigned char>(first) >= 0xF0 ? 2 : 1;
}

std::size_t characters(std::string_view utf8) {
  return static_cast<std::size_t>(
      std::ranges::count_if(utf8, [](char c) { return !is_continuation(c); }));
}

// The longest start of `name` within `units` UTF-16 units, cut between characters.
std::string truncated(std::string_view name, std::size_t units) {
  std::size_t used = 0;
  std::size_t end = 0;
  while (end < name.size()) {
    const std::size_t cost = utf16_units(name[end]);
    if (used + cost > units) break;
    used += cost;
    ++end;
    while (end < name.size() && is_continuation(name[end])) ++end;
  }
  return std::string(name.substr(0, end));
}

// Excel refuses a sheet name with []:*?/\ or a control character, or one that starts or ends
// with an apostrophe (formulas quote sheet names with it).
std::string cleaned_sheet_name(std::string_view id) {
  std::string name;
  for (char c : id) {
    if (std::string_view("[]:*?/\\").find(c) != std::string_view::npos) {
      name += '_';
    } else if (static_cast<unsigned char>(c) >= 0x20 && c != 0x7F) {
      name += c;
    }
  }
  const auto first = name.find_first_not_of('\'');
  if (first == std::string::npos) return "table";
  name = name.substr(first, name.find_last_not_of('\'') - first + 1);
  return name;
}

// Excel compares sheet names without case; ASCII folding covers the tables' ids, which are
// ASCII (a Cyrillic id differing from another only in case would still clash).
std::string comparison_key(std::string_view name) {
  std::string key(name);
  std::ranges::transform(key, key.begin(), [](char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  });
  return key;
}

// Unique sheet names within Excel's rules: a name already taken gets "_2", "_3", … with the
// id cut short enough to hold the suffix.
class SheetNames {
 public:
  explicit SheetNames(std::string_view contents) {
    m_taken.insert(comparison_key(contents));
    m_taken.insert("history");  // Excel keeps this name for its change tracking
  }

  std::string name_for(std::string_view id) {
    const std::string base = cleaned_sheet_name(id);
    std::string name = truncated(base, max_sheet_name);
    for (int n = 2; m_taken.contains(comparison_key(name)); ++n) {
      const std::string suffix = "_" + std::to_string(n);
      name = truncated(base, max_sheet_name - suffix.size()) + suffix;
    }
    m_taken.insert(comparison_key(name));
    return name;
  }

 private:
  std::set<std::string> m_taken;
};

std::vector<const Table*> tables_of(const Document& document) {
  std::vector<const Table*> tables;
  for (const auto& section : document.sections) {
    for (const auto& block : section.blocks) {
      if (const auto* table = std::get_if<Table>(&block)) tables.push_back(table);
    }
  }
  return tables;
}

// Widths from the longest text of each column (the caption and the note are left out: they run
// over the empty cells beside them), between Excel's default and 60 characters.
std::vector<double> column_widths(const std::vector<std::vector<std::string_view>>& rows) {
  std::vector<double> widths;
  for (const auto& row : rows) {
    if (widths.size() < row.size()) widths.resize(row.size(), min_column_width);
    for (std::size_t c = 0; c < row.size(); ++c) {
      const double wanted = static_cast<double>(characters(row[c])) + 2;
      widths[c] = std::clamp(wanted, widths[c], max_column_width);
    }
  }
  return widths;
}

// Row 1 the caption, row 3 the header, then the rows (figures as numbers, suppressed and other
// cells as their text), and the note after an empty row.
void write_table_sheet(XlsxWriter& xlsx, const Table& table, std::string name) {
  std::vector<std::vector<std::string_view>> texts;
  texts.emplace_back(table.columns.begin(), table.columns.end());
  for (const auto& row : table.rows) {
    auto& line = texts.emplace_back();
    for (const auto& cell : row) line.push_back(cell.text);
  }
  xlsx.begin_sheet({.name = std::move(name), .widths = column_widths(texts)});
  xlsx.begin_row();
  xlsx.text(0, table.caption, XlsxWriter::Style::bold);
  xlsx.begin_row();
  xlsx.begin_row();
  for (std::size_t c = 0; c < table.columns.size(); ++c) {
    xlsx.text(c, table.columns[c], XlsxWriter::Style::bold);
  }
  for (const auto& row : table.rows) {
    xlsx.begin_row();
    for (std::size_t c = 0; c < row.size(); ++c) {
      if (row[c].value) {
        xlsx.number(c, *row[c].value);
      } else {
        xlsx.text(c, row[c].text);
      }
    }
  }
  if (table.note.empty()) return;
  xlsx.begin_row();
  xlsx.begin_row();
  xlsx.text(0, table.note);
}

// Row 1 the document's title, row 2 its subtitle, row 3 the header, then a row per table.
void write_contents_sheet(XlsxWriter& xlsx, const Document& document, const ContentsWords& words,
                          const std::vector<const Table*>& tables,
                          const std::vector<std::string>& sheet_names) {
  std::vector<std::vector<std::string_view>> texts{{words.sheet, words.caption, words.note}};
  for (std::size_t i = 0; i < tables.size(); ++i) {
    texts.push_back({sheet_names[i], tables[i]->caption, tables[i]->note});
  }
  xlsx.begin_sheet({.name = std::string(words.sheet_name), .widths = column_widths(texts)});
  xlsx.begin_row();
  xlsx.text(0, document.title, XlsxWriter::Style::bold);
  xlsx.begin_row();
  xlsx.text(0, document.subtitle);
  xlsx.begin_row();
  xlsx.text(0, words.sheet, XlsxWriter::Style::bold);
  xlsx.text(1, words.caption, XlsxWriter::Style::bold);
  xlsx.text(2, words.note, XlsxWriter::Style::bold);
  for (std::size_t i = 0; i < tables.size(); ++i) {
    xlsx.begin_row();
    xlsx.text(0, sheet_names[i]);
    xlsx.text(1, tables[i]->caption);
    xlsx.text(2, tables[i]->note);
  }
}

}  // namespace

Result<void> write_xlsx(const Document& document, std::ostream& out) {
  const ContentsWords words = contents_words(document.language);
  const std::vector<const Table*> tables = tables_of(document);
  SheetNames names(words.sheet_name);
  std::vector<std::string> sheet_names;
  for (const auto* table : tables) sheet_names.push_back(names.name_for(table->id));

  XlsxWriter xlsx(out);
  write_contents_sheet(xlsx, document, words, tables, sheet_names);
  for (std::size_t i = 0; i < tables.size(); ++i) {
    write_table_sheet(xlsx, *tables[i], sheet_names[i]);
  }
  auto finished = xlsx.finish();
  if (!finished) {
    return std::unexpected(Error::internal("writing the workbook: " + finished.error().message));
  }
  return {};
}

}  // namespace needsmap::report
