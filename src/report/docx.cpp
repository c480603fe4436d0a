// The report as a Word document (WordprocessingML, ECMA-376 transitional), written part by part
// into ooxml::ZipWriter. Word is strict about the order of child elements in its property lists
// (pPr, rPr, tblPr, tcPr, style): the order below follows the schema, or Word calls the file
// corrupt even where LibreOffice opens it.
#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include "ooxml/zip_writer.hpp"
#include "report/render.hpp"

namespace needsmap::report {

namespace {

constexpr std::string_view xml_declaration =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";
constexpr std::string_view word_namespaces =
    " xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\""
    " xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"";
constexpr std::string_view relationship_types =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/";

// A4 in twentieths of a point, with 2 cm margins; the text is what lies between them.
constexpr int page_width_twips = 11906;
constexpr int page_height_twips = 16838;
constexpr int page_margin_twips = 1134;
constexpr int text_width_twips = page_width_twips - 2 * page_margin_twips;

// The length of a UTF-8 sequence from its first byte, 0 for a byte that cannot start one.
std::size_t sequence_length(unsigned char first) {
  if (first < 0x80) return 1;
  if (first >= 0xC2 && first <= 0xDF) return 2;
  if (first >= 0xE0 && first <= 0xEF) return 3;
  if (first >= 0xF0 && first <= 0xF4) return 4;
  return 0;
}

// The code point at `s[i]` with its length, or a length of 0 where the bytes are not UTF-8
// (overlong, a surrogate, past U+10FFFF, cut short).
std::pair<char32_t, std::size_t> decode(std::string_view s, std::size_t i) {
  const auto first = static_cast<unsigned char>(s[i]);
  const std::size_t length = sequence_length(first);
  if (length == 0 || i + length > s.size()) return {0, 0};
  if (length == 1) return {first, 1};
  char32_t code = first & (0x7F >> length);
  for (std::size_t k = 1; k < length; ++k) {
    const auto next = static_cast<unsigned char>(s[i + k]);
    if ((next & 0xC0) != 0x80) return {0, 0};
    code = (code << 6) | (next & 0x3F);
  }
  const bool overlong = (length == 3 && code < 0x800) || (length == 4 && code < 0x10000);
  const bool surrogate = code >= 0xD800 && code <= 0xDFFF;
  if (overlong || surrogate || code > 0x10FFFF) return {0, 0};
  return {code, length};
}

// Characters XML 1.0 allows (its production Char); the rest cannot be written even as
// references, so they are left out.
bool allowed_in_xml(char32_t code) {
  if (code < 0x20) return code == '\t' || code == '\n' || code == '\r';
  return code != 0xFFFE && code != 0xFFFF;
}

// Text for an element or an attribute: the markup characters as entities, whatever XML 1.0
// forbids and bytes that are not UTF-8 dropped, so that every part parses.
void append_xml_escaped(std::string& out, std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const auto [code, length] = decode(s, i);
    if (length == 0) {
      ++i;
      continue;
    }
    if (allowed_in_xml(code)) {
      switch (code) {
        case '&':
          out += "&amp;";
          break;
        case '<':
          out += "&lt;";
          break;
        case '>':
          out += "&gt;";
          break;
        case '"':
          out += "&quot;";
          break;
        default:
          out.append(s.substr(i, length));
      }
    }
    i += length;
  }
}

std::string xml_escaped(std::string_view s) {
  std::string out;
  append_xml_escaped(out, s);
  return out;
}

// Word's proofing tools know a language by its culture name (sr-Cyrl-RS), not by the bare
// script tag the document carries, so spell checking needs the country too.
std::string word_language(std::string_view language) {
  if (language == "sr-Cyrl") return "sr-Cyrl-RS";
  if (language == "sr-Latn") return "sr-Latn-RS";
  if (language == "mk") return "mk-MK";
  if (language == "en") return "en-GB";
  return std::string(language);
}

struct RunFormat {
  bool bold = false;
  bool italic = false;
};

// A run of text. A line break and a tab inside w:t would be read as a space, so they become
// Word's own <w:br/> and <w:tab/>; xml:space keeps leading and trailing spaces.
void append_run(std::string& out, std::string_view text, RunFormat format = {}) {
  out += "<w:r>";
  if (format.bold || format.italic) {
    out += "<w:rPr>";
    if (format.bold) out += "<w:b/><w:bCs/>";
    if (format.italic) out += "<w:i/><w:iCs/>";
    out += "</w:rPr>";
  }
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t end = std::min(text.find_first_of("\n\t", start), text.size());
    const std::string_view piece = text.substr(start, end - start);
    if (!piece.empty()) {
      out += "<w:t xml:space=\"preserve\">";
      append_xml_escaped(out, piece);
      out += "</w:t>";
    }
    if (end == text.size()) break;
    out += text[end] == '\n' ? "<w:br/>" : "<w:tab/>";
    start = end + 1;
  }
  out += "</w:r>";
}

struct ParagraphFormat {
  std::string_view style{};
  bool keep_with_next = false;
  bool bullet = false;
  bool right_aligned = false;
};

void append_paragraph(std::string& out, std::string_view text, ParagraphFormat paragraph = {},
                      RunFormat run = {}) {
  out += "<w:p>";
  std::string properties;
  if (!paragraph.style.empty()) {
    properties += "<w:pStyle w:val=\"" + std::string(paragraph.style) + "\"/>";
  }
  if (paragraph.keep_with_next) properties += "<w:keepNext/>";
  // Numbering on the paragraph itself as well as in the style: readers that ignore a style's
  // numbering still show the bullet.
  if (paragraph.bullet)
    properties += "<w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"1\"/></w:numPr>";
  if (paragraph.right_aligned) properties += "<w:jc w:val=\"right\"/>";
  if (!properties.empty()) out += "<w:pPr>" + properties + "</w:pPr>";
  if (!text.empty()) append_run(out, text, run);
  out += "</w:p>";
}

void append_cell(std::string& out, std::string_view text, int width, bool right_aligned,
                 bool bold) {
  out += "<w:tc><w:tcPr><w:tcW w:w=\"" + std::to_string(width) + "\" w:type=\"dxa\"/></w:tcPr>";
  append_paragraph(out, text, {.style = "TableText", .right_aligned = right_aligned},
                   {.bold = bold});
  out += "</w:tc>";
}

// Caption above (kept on the page with the table), the header row repeated on every page the
// table runs over, figures aligned right, and the note below. The note's paragraph is written
// even when empty: two tables with nothing between them would merge into one in Word.
void append_table(std::string& out, const Table& table) {
  if (!table.caption.empty()) {
    append_paragraph(out, table.caption, {.style = "Caption", .keep_with_next = true});
  }
  const std::size_t columns = std::max<std::size_t>(table.columns.size(), 1);
  const int width = text_width_twips / static_cast<int>(columns);
  out +=
      "<w:tbl><w:tblPr><w:tblStyle w:val=\"ReportTable\"/><w:tblW w:w=\"5000\" "
      "w:type=\"pct\"/><w:tblLook w:val=\"0420\" w:firstRow=\"1\" w:lastRow=\"0\" "
      "w:firstColumn=\"0\" w:lastColumn=\"0\" w:noHBand=\"1\" w:noVBand=\"1\"/></w:tblPr>"
      "<w:tblGrid>";
  for (std::size_t c = 0; c < columns; ++c) {
    out += "<w:gridCol w:w=\"" + std::to_string(width) + "\"/>";
  }
  out += "</w:tblGrid><w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>";
  for (std::size_t c = 0; c < columns; ++c) {
    const std::string_view heading =
        c < table.columns.size() ? std::string_view(table.columns[c]) : std::string_view();
    append_cell(out, heading, width, is_numeric(table, c), true);
  }
  out += "</w:tr>";
  for (const auto& row : table.rows) {
    out += "<w:tr><w:trPr><w:cantSplit/></w:trPr>";
    // Every row has as many cells as the grid: Word draws a short row as a ragged edge.
    for (std::size_t c = 0; c < columns; ++c) {
      const std::string_view text =
          c < row.size() ? std::string_view(row[c].text) : std::string_view();
      append_cell(out, text, width, is_numeric(table, c), false);
    }
    out += "</w:tr>";
  }
  out += "</w:tbl>";
  append_paragraph(out, table.note, {.style = "TableNote"});
}

// Whether every bar of the chart is a row of the table with the same figure, so the table
// already says all the chart does.
bool figures_in_table(const BarChart& chart, const Table& table) {
  return std::ranges::all_of(chart.bars, [&](const Bar& bar) {
    return std::ranges::any_of(table.rows, [&](const std::vector<Cell>& row) {
      return !row.empty() && row.front().text == bar.label &&
             std::ranges::any_of(row, [&](const Cell& cell) { return cell.text == bar.text; });
    });
  });
}

// A Word document has no use for a picture of figures that the table beside it already holds:
// such a chart is written as its one-sentence description, in italics. A chart with no such
// table (the document model does not make one, but nothing forbids it) keeps its figures, as its
// caption and a list of its bars, so that nothing it says is lost.
void append_chart(std::string& out, const BarChart& chart, const Block* previous) {
  const auto* table = previous ? std::get_if<Table>(previous) : nullptr;
  if (table == nullptr || !figures_in_table(chart, *table)) {
    if (!chart.caption.empty()) {
      append_paragraph(out, chart.caption, {.style = "Caption", .keep_with_next = true});
    }
    for (const auto& bar : chart.bars) {
      append_paragraph(out, bar.label + ": " + bar.text, {.style = "ListBullet", .bullet = true});
    }
  }
  if (!chart.description.empty()) append_paragraph(out, chart.description, {}, {.italic = true});
}

void append_section(std::string& out, const Section& section) {
  const std::string_view heading_style = section.level <= 1 ? "Heading1" : "Heading2";
  append_paragraph(out, section.heading, {.style = heading_style, .keep_with_next = true});
  const Block* previous = nullptr;
  for (const auto& block : section.blocks) {
    std::visit(Overloaded{[&](const Paragraph& p) { append_paragraph(out, p.text); },
                          [&](const BulletList& list) {
                            for (const auto& item : list.items) {
                              append_paragraph(out, item, {.style = "ListBullet", .bullet = true});
                            }
                          },
                          [&](const Table& table) { append_table(out, table); },
                          [&](const BarChart& chart) { append_chart(out, chart, previous); }},
               block);
    previous = &block;
  }
}

std::string document_xml(const Document& document) {
  std::string out(xml_declaration);
  out += "<w:document";
  out += word_namespaces;
  out += "><w:body>";
  append_paragraph(out, document.title, {.style = "Title"});
  if (!document.subtitle.empty()) append_paragraph(out, document.subtitle, {.style = "Subtitle"});
  if (!document.date.empty()) append_paragraph(out, document.date);
  for (const auto& section : document.sections) append_section(out, section);
  out += "<w:sectPr><w:footerReference w:type=\"default\" r:id=\"rIdFooter\"/><w:pgSz w:w=\"" +
         std::to_string(page_width_twips) + "\" w:h=\"" + std::to_string(page_height_twips) +
         "\"/><w:pgMar w:top=\"" + std::to_string(page_margin_twips) + "\" w:right=\"" +
         std::to_string(page_margin_twips) + "\" w:bottom=\"" + std::to_string(page_margin_twips) +
         "\" w:left=\"" + std::to_string(page_margin_twips) +
         "\" w:header=\"567\" w:footer=\"567\" w:gutter=\"0\"/></w:sectPr></w:body></w:document>";
  return out;
}

// The footer's text on the left and the page number on the right (a tab stop at the right
// margin, set in the Footer style).
std::string footer_xml(const Document& document) {
  std::string out(xml_declaration);
  out += "<w:ftr";
  out += word_namespaces;
  out += "><w:p><w:pPr><w:pStyle w:val=\"Footer\"/></w:pPr>";
  if (!document.footer.empty()) append_run(out, document.footer);
  out +=
      "<w:r><w:tab/></w:r><w:fldSimple w:instr=\" PAGE \"><w:r><w:t>1</w:t></w:r></w:fldSimple>"
      "</w:p></w:ftr>";
  return out;
}

std::string paragraph_style(std::string_view id, std::string_view name, std::string_view inner) {
  return "<w:style w:type=\"paragraph\" w:styleId=\"" + std::string(id) + "\"><w:name w:val=\"" +
         std::string(name) + "\"/>" + std::string(inner) + "</w:style>";
}

// Our own styles, under Word's built-in names ("heading 1", "caption") so that Word treats them
// as its own: the navigation pane and a table of contents find the headings by their outline
// level. The language is set on the defaults, so Word spell-checks the text in it.
std::string styles_xml(const Document& document) {
  const std::string language = xml_escaped(word_language(document.language));
  const std::string based_on_normal = "<w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/>";
  std::string out(xml_declaration);
  out += "<w:styles";
  out += word_namespaces;
  out +=
      "><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii=\"Arial\" w:eastAsia=\"Arial\" "
      "w:hAnsi=\"Arial\" w:cs=\"Arial\"/><w:sz w:val=\"22\"/><w:szCs w:val=\"22\"/><w:lang "
      "w:val=\"" +
      language + "\" w:eastAsia=\"" + language + "\" w:bidi=\"" + language +
      "\"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after=\"120\" "
      "w:line=\"264\" w:lineRule=\"auto\"/></w:pPr></w:pPrDefault></w:docDefaults>";
  out +=
      "<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name "
      "w:val=\"Normal\"/><w:qFormat/><w:rPr><w:lang w:val=\"" +
      language + "\"/></w:rPr></w:style>";
  out += paragraph_style(
      "Title", "Title",
      based_on_normal +
          "<w:qFormat/><w:pPr><w:spacing w:after=\"120\"/></w:pPr>"
          "<w:rPr><w:b/><w:bCs/><w:sz w:val=\"40\"/><w:szCs w:val=\"40\"/></w:rPr>");
  out += paragraph_style("Subtitle", "Subtitle",
                         based_on_normal +
                             "<w:qFormat/><w:rPr><w:color w:val=\"404040\"/><w:sz w:val=\"28\"/>"
                             "<w:szCs w:val=\"28\"/></w:rPr>");
  out += paragraph_style("Heading1", "heading 1",
                         based_on_normal +
                             "<w:qFormat/><w:pPr><w:keepNext/><w:spacing w:before=\"360\" "
                             "w:after=\"120\"/><w:outlineLvl w:val=\"0\"/></w:pPr><w:rPr><w:b/>"
                             "<w:bCs/><w:sz w:val=\"32\"/><w:szCs w:val=\"32\"/></w:rPr>");
  out += paragraph_style("Heading2", "heading 2",
                         based_on_normal +
                             "<w:qFormat/><w:pPr><w:keepNext/><w:spacing w:before=\"240\" "
                             "w:after=\"120\"/><w:outlineLvl w:val=\"1\"/></w:pPr><w:rPr><w:b/>"
                             "<w:bCs/><w:sz w:val=\"26\"/><w:szCs w:val=\"26\"/></w:rPr>");
  out += paragraph_style("Caption", "caption",
                         based_on_normal +
                             "<w:qFormat/><w:pPr><w:keepNext/><w:spacing w:before=\"240\" "
                             "w:after=\"60\"/></w:pPr><w:rPr><w:b/><w:bCs/><w:sz w:val=\"20\"/>"
                             "<w:szCs w:val=\"20\"/></w:rPr>");
  out += paragraph_style("ListBullet", "List Bullet",
                         "<w:basedOn w:val=\"Normal\"/><w:pPr><w:numPr><w:numId w:val=\"1\"/>"
                         "</w:numPr><w:spacing w:after=\"60\"/><w:ind w:left=\"360\" "
                         "w:hanging=\"360\"/></w:pPr>");
  out += paragraph_style("TableText", "Table Text",
                         "<w:basedOn w:val=\"Normal\"/><w:pPr><w:spacing w:after=\"0\"/></w:pPr>"
                         "<w:rPr><w:sz w:val=\"20\"/><w:szCs w:val=\"20\"/></w:rPr>");
  out += paragraph_style("TableNote", "Table Note",
                         based_on_normal +
                             "<w:pPr><w:spacing w:before=\"60\" w:after=\"240\"/></w:pPr><w:rPr>"
                             "<w:color w:val=\"404040\"/><w:sz w:val=\"18\"/><w:szCs "
                             "w:val=\"18\"/></w:rPr>");
  out += paragraph_style("Footer", "footer",
                         "<w:basedOn w:val=\"Normal\"/><w:pPr><w:tabs><w:tab w:val=\"right\" "
                         "w:pos=\"" +
                             std::to_string(text_width_twips) +
                             "\"/></w:tabs><w:spacing w:after=\"0\"/></w:pPr><w:rPr><w:sz "
                             "w:val=\"18\"/><w:szCs w:val=\"18\"/></w:rPr>");
  out +=
      "<w:style w:type=\"table\" w:styleId=\"ReportTable\"><w:name w:val=\"Report Table\"/>"
      "<w:basedOn w:val=\"TableNormal\"/><w:tblPr><w:tblBorders>"
      "<w:top w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"808080\"/>"
      "<w:left w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"808080\"/>"
      "<w:bottom w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"808080\"/>"
      "<w:right w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"808080\"/>"
      "<w:insideH w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"808080\"/>"
      "<w:insideV w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"808080\"/>"
      "</w:tblBorders><w:tblCellMar><w:top w:w=\"40\" w:type=\"dxa\"/><w:left w:w=\"80\" "
      "w:type=\"dxa\"/><w:bottom w:w=\"40\" w:type=\"dxa\"/><w:right w:w=\"80\" "
      "w:type=\"dxa\"/></w:tblCellMar></w:tblPr></w:style>"
      "<w:style w:type=\"table\" w:default=\"1\" w:styleId=\"TableNormal\"><w:name w:val=\"Normal "
      "Table\"/><w:uiPriority w:val=\"99\"/><w:semiHidden/><w:unhideWhenUsed/><w:tblPr><w:tblInd "
      "w:w=\"0\" w:type=\"dxa\"/><w:tblCellMar><w:top w:w=\"0\" w:type=\"dxa\"/><w:left "
      "w:w=\"108\" w:type=\"dxa\"/><w:bottom w:w=\"0\" w:type=\"dxa\"/><w:right w:w=\"108\" "
      "w:type=\"dxa\"/></w:tblCellMar></w:tblPr></w:style></w:styles>";
  return out;
}

// One bullet definition for every list (all lists in a report are one level deep).
std::string numbering_xml() {
  std::string out(xml_declaration);
  out += "<w:numbering";
  out += word_namespaces;
  out +=
      "><w:abstractNum w:abstractNumId=\"0\"><w:multiLevelType w:val=\"singleLevel\"/>"
      "<w:lvl w:ilvl=\"0\"><w:start w:val=\"1\"/><w:numFmt w:val=\"bullet\"/>"
      "<w:pStyle w:val=\"ListBullet\"/><w:lvlText w:val=\"\xE2\x80\xA2\"/><w:lvlJc "
      "w:val=\"left\"/><w:pPr><w:ind w:left=\"360\" w:hanging=\"360\"/></w:pPr><w:rPr><w:rFonts "
      "w:ascii=\"Arial\" w:hAnsi=\"Arial\"/></w:rPr></w:lvl></w:abstractNum>"
      "<w:num w:numId=\"1\"><w:abstractNumId w:val=\"0\"/></w:num></w:numbering>";
  return out;
}

// Word opens a document without a compatibility mode as if made by Word 2007 ("Compatibility
// Mode" in its title bar); 15 is the current one.
std::string settings_xml() {
  std::string out(xml_declaration);
  out += "<w:settings";
  out += word_namespaces;
  out +=
      "><w:defaultTabStop w:val=\"709\"/><w:characterSpacingControl w:val=\"doNotCompress\"/>"
      "<w:compat><w:compatSetting w:name=\"compatibilityMode\" "
      "w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat></w:settings>";
  return out;
}

std::string core_xml(const Document& document) {
  return std::string(xml_declaration) +
         "<cp:coreProperties "
         "xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" "
         "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "
         "xmlns:dcterms=\"http://purl.org/dc/terms/\"><dc:title>" +
         xml_escaped(document.title) + "</dc:title><dc:subject>" + xml_escaped(document.subtitle) +
         "</dc:subject><dc:creator>" + xml_escaped(document.municipality) +
         "</dc:creator><dc:language>" + xml_escaped(document.language) +
         "</dc:language></cp:coreProperties>";
}

std::string app_xml() {
  return std::string(xml_declaration) +
         "<Properties "
         "xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\">"
         "<Application>needsmap</Application></Properties>";
}

std::string relationship(std::string_view id, std::string_view type, std::string_view target) {
  return "<Relationship Id=\"" + std::string(id) + "\" Type=\"" + std::string(type) +
         "\" Target=\"" + std::string(target) + "\"/>";
}

std::string relationships(std::string_view inner) {
  return std::string(xml_declaration) +
         "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">" +
         std::string(inner) + "</Relationships>";
}

std::string package_relationships() {
  const std::string office(relationship_types);
  return relationships(
      relationship("rId1", office + "officeDocument", "word/document.xml") +
      relationship("rId2",
                   "http://schemas.openxmlformats.org/package/2006/relationships/metadata/"
                   "core-properties",
                   "docProps/core.xml") +
      relationship("rId3", office + "extended-properties", "docProps/app.xml"));
}

std::string document_relationships() {
  const std::string office(relationship_types);
  return relationships(relationship("rIdStyles", office + "styles", "styles.xml") +
                       relationship("rIdSettings", office + "settings", "settings.xml") +
                       relationship("rIdNumbering", office + "numbering", "numbering.xml") +
                       relationship("rIdFooter", office + "footer", "footer1.xml"));
}

std::string content_types() {
  auto override_part = [](std::string_view part, std::string_view type) {
    return "<Override PartName=\"" + std::string(part) + "\" ContentType=\"" + std::string(type) +
           "\"/>";
  };
  const std::string word = "application/vnd.openxmlformats-officedocument.wordprocessingml.";
  return std::string(xml_declaration) +
         "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
         "<Default Extension=\"rels\" "
         "ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
         "<Default Extension=\"xml\" ContentType=\"application/xml\"/>" +
         override_part("/word/document.xml", word + "document.main+xml") +
         override_part("/word/styles.xml", word + "styles+xml") +
         override_part("/word/settings.xml", word + "settings+xml") +
         override_part("/word/numbering.xml", word + "numbering+xml") +
         override_part("/word/footer1.xml", word + "footer+xml") +
         override_part("/docProps/core.xml",
                       "application/vnd.openxmlformats-package.core-properties+xml") +
         override_part("/docProps/app.xml",
                       "application/vnd.openxmlformats-officedocument.extended-properties+xml") +
         "</Types>";
}

}  // namespace

Result<void> write_docx(const Document& document, std::ostream& out) {
  ooxml::ZipWriter zip(out);
  auto part = [&](std::string_view name, const std::string& xml) {
    zip.begin(name);
    zip.write(xml);
  };
  part("[Content_Types].xml", content_types());
  part("_rels/.rels", package_relationships());
  part("word/document.xml", document_xml(document));
  part("word/_rels/document.xml.rels", document_relationships());
  part("word/styles.xml", styles_xml(document));
  part("word/settings.xml", settings_xml());
  part("word/numbering.xml", numbering_xml());
  part("word/footer1.xml", footer_xml(document));
  part("docProps/core.xml", core_xml(document));
  part("docProps/app.xml", app_xml());
  auto finished = zip.finish();
  if (!finished) {
    return std::unexpected(
        Error::internal("writing the Word document: " + finished.error().message));
  }
  return {};
}

}  // namespace needsmap::report
