#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "report/read_back.hpp"
#include "report/render.hpp"
#include "report/sample_document.hpp"

namespace needsmap::report {
namespace {

using testing::python;
using testing::run_command;
using testing::shell_quoted;
using testing::TempFile;

void write_file(const Document& document, const TempFile& file) {
  std::ofstream out(file.path(), std::ios::binary);
  auto written = write_docx(document, out);
  ASSERT_TRUE(written) << written.error().message;
  out.close();
  ASSERT_TRUE(out) << "could not write " << file.path();
}

// unzip reads a name as a pattern: its wildcard characters ("[Content_Types].xml") are escaped.
std::string unzip_name(const std::string& name) {
  std::string pattern;
  for (char c : name) {
    if (c == '[' || c == ']' || c == '*' || c == '?') pattern += '\\';
    pattern += c;
  }
  return shell_quoted(pattern);
}

std::string part(const TempFile& file, const std::string& name) {
  auto result = run_command("unzip -p " + file.quoted() + " " + unzip_name(name));
  EXPECT_EQ(result.status, 0) << "unzip could not read " << name;
  return result.output;
}

std::size_t occurrences(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

Document one_section_document(std::vector<Block> blocks) {
  Document d = testing::sample_document();
  d.sections = {Section{.level = 1, .id = "s", .heading = "Heading", .blocks = std::move(blocks)}};
  return d;
}

TEST(DocxTest, SampleDocumentHasItsTextStylesAndTable) {
  TempFile file(".docx");
  write_file(testing::sample_document(), file);
  const std::string body = part(file, "word/document.xml");
  EXPECT_NE(body.find("Резултати истраживања потреба за социјалном заштитом"), std::string::npos);
  EXPECT_NE(body.find("41,9 %"), std::string::npos);
  EXPECT_NE(body.find(">95% интервал<"), std::string::npos);
  EXPECT_NE(body.find("<w:pStyle w:val=\"Title\"/>"), std::string::npos);
  EXPECT_EQ(occurrences(body, "<w:pStyle w:val=\"Heading1\"/>"), 2u);  // Метод, Ко је одговорио
  EXPECT_EQ(occurrences(body, "<w:pStyle w:val=\"Heading2\"/>"), 1u);  // Старост
  EXPECT_EQ(occurrences(body, "<w:tblHeader/>"), 1u);
  EXPECT_EQ(occurrences(body, "<w:pStyle w:val=\"ListBullet\"/>"), 2u);
  EXPECT_NE(body.find("<w:jc w:val=\"right\"/>"), std::string::npos);
  EXPECT_NE(body.find("<w:pgSz w:w=\"11906\" w:h=\"16838\"/>"), std::string::npos);
  // The chart repeats the table's figures, so only its description is written, in italics.
  EXPECT_EQ(occurrences(body, "23,4 %"), 1u);
  const auto description = body.find("Највише испитаника има 65 и више година");
  ASSERT_NE(description, std::string::npos);
  EXPECT_NE(body.rfind("<w:i/>", description), std::string::npos);
  EXPECT_LT(body.find("Метод"), body.find("41,9 %"));

  const std::string styles = part(file, "word/styles.xml");
  EXPECT_NE(styles.find("<w:outlineLvl w:val=\"0\"/>"), std::string::npos);
  EXPECT_NE(styles.find("<w:outlineLvl w:val=\"1\"/>"), std::string::npos);
  EXPECT_NE(styles.find("w:styleId=\"ReportTable\""), std::string::npos);
  EXPECT_NE(styles.find("<w:lang w:val=\"sr-Cyrl-RS\""), std::string::npos);
  const std::string footer = part(file, "word/footer1.xml");
  EXPECT_NE(footer.find("needsmap · Општина Пример"), std::string::npos);
  EXPECT_NE(footer.find("w:instr=\" PAGE \""), std::string::npos);
  const std::string core = part(file, "docProps/core.xml");
  EXPECT_NE(core.find("<dc:title>Резултати истраживања"), std::string::npos);
  EXPECT_NE(core.find("<dc:language>sr-Cyrl</dc:language>"), std::string::npos);
}

TEST(DocxTest, EveryPartIsWellFormedXml) {
  TempFile file(".docx");
  write_file(testing::sample_document(), file);
  const auto listing = run_command("unzip -Z1 " + file.quoted());
  ASSERT_EQ(listing.status, 0);
  std::istringstream names(listing.output);
  std::vector<std::string> parts;
  for (std::string name; std::getline(names, name);) parts.push_back(name);
  EXPECT_EQ(parts,
            (std::vector<std::string>{"[Content_Types].xml", "_rels/.rels", "word/document.xml",
                                      "word/_rels/document.xml.rels", "word/styles.xml",
                                      "word/settings.xml", "word/numbering.xml", "word/footer1.xml",
                                      "docProps/core.xml", "docProps/app.xml"}));
  for (const auto& name : parts) {
    const auto parsed =
        run_command("unzip -p " + file.quoted() + " " + unzip_name(name) + " | " + python +
                    " -c 'import xml.dom.minidom,sys; xml.dom.minidom.parse(sys.stdin)'");
    EXPECT_EQ(parsed.status, 0) << name << " is not well-formed XML";
  }
}

TEST(DocxTest, EscapesMarkupAndDropsWhatXmlCannotHold) {
  Document d = one_section_document(
      {Paragraph{"a <&> \"b\"\x01 c\xFF d"}, Table{.id = "t",
                                                   .caption = "<caption>",
                                                   .columns = {"&"},
                                                   .numeric = {false},
                                                   .rows = {{{"x<y", std::nullopt}}},
                                                   .note = ""}});
  d.title = "Title & <more>";
  TempFile file(".docx");
  write_file(d, file);
  const std::string body = part(file, "word/document.xml");
  EXPECT_NE(body.find("a &lt;&amp;&gt; &quot;b&quot; c d"), std::string::npos);
  EXPECT_NE(body.find("x&lt;y"), std::string::npos);
  // The paragraphs' texts as an XML reader gets them back.
  const auto texts = run_command("unzip -p " + file.quoted() + " word/document.xml | " + python +
                                 " -c 'import xml.dom.minidom,sys\n"
                                 "d = xml.dom.minidom.parse(sys.stdin)\n"
                                 "for p in d.getElementsByTagName(\"w:p\"):\n"
                                 "  print(\"\".join(t.firstChild.data for t in "
                                 "p.getElementsByTagName(\"w:t\") if t.firstChild))'");
  ASSERT_EQ(texts.status, 0);
  EXPECT_NE(texts.output.find("Title & <more>\n"), std::string::npos);
  EXPECT_NE(texts.output.find("a <&> \"b\" c d\n"), std::string::npos);
  EXPECT_NE(texts.output.find("<caption>\n"), std::string::npos);
  EXPECT_NE(part(file, "docProps/core.xml").find("<dc:title>Title &amp; &lt;more&gt;"),
            std::string::npos);
}

TEST(DocxTest, ChartWithoutItsTableKeepsItsFigures) {
  const BarChart chart{.caption = "Shares",
                       .description = "Most are old.",
                       .scale_max = 100,
                       .bars = {{.label = "young", .value = 12, .text = "12 %"},
                                {.label = "old", .value = 88, .text = "88 %"}}};
  TempFile file(".docx");
  write_file(one_section_document({Paragraph{"Before."}, chart}), file);
  const std::string body = part(file, "word/document.xml");
  EXPECT_NE(body.find("young: 12 %"), std::string::npos);
  EXPECT_NE(body.find("old: 88 %"), std::string::npos);
  EXPECT_NE(body.find("Most are old."), std::string::npos);
}

TEST(DocxTest, PythonDocxReadsStylesTableAndProperties) {
  if (!testing::python_has("docx")) GTEST_SKIP() << "python-docx (python3-docx) is not installed";
  TempFile file(".docx");
  write_file(testing::sample_document(), file);
  const auto read = run_command(std::string(python) + " -c '" + R"(
import docx, json, sys
d = docx.Document(sys.argv[1])
t = d.tables[0]
print(json.dumps({
  "paragraphs": [[p.style.name, p.text] for p in d.paragraphs],
  "header": [c.text for c in t.rows[0].cells],
  "cell": t.cell(2, 1).text,
  "alignment": str(t.cell(2, 1).paragraphs[0].alignment),
  "title": d.core_properties.title,
  "language": d.core_properties.language,
  "footer": d.sections[0].footer.paragraphs[0].text,
  "width": d.sections[0].page_width,
}))
)" + "' " + file.quoted());
  ASSERT_EQ(read.status, 0);
  const auto got = nlohmann::json::parse(read.output);
  const auto& paragraphs = got["paragraphs"];
  ASSERT_GE(paragraphs.size(), 6u);
  EXPECT_EQ(paragraphs[0], nlohmann::json::array({"Title", testing::sample_document().title}));
  EXPECT_EQ(paragraphs[1][0], "Subtitle");
  auto has = [&](const std::string& style, const std::string& text) {
    return std::ranges::find(paragraphs, nlohmann::json::array({style, text})) != paragraphs.end();
  };
  EXPECT_TRUE(has("Heading 1", "Метод"));
  EXPECT_TRUE(has("Heading 2", "Старост"));
  EXPECT_TRUE(has("List Bullet", "Начини: веб, интервју"));
  EXPECT_TRUE(has("Caption", "Старост испитаника"));
  EXPECT_EQ(got["header"], nlohmann::json::array({"Одговор", "Удео", "95% интервал", "Број"}));
  EXPECT_EQ(got["cell"], "41,9 %");
  EXPECT_EQ(got["alignment"], "RIGHT (2)");
  EXPECT_EQ(got["title"], testing::sample_document().title);
  EXPECT_EQ(got["language"], "sr-Cyrl");
  // python-docx leaves out the page number: a field, not a run of the paragraph.
  EXPECT_EQ(got["footer"], "needsmap · Општина Пример\t");
  EXPECT_EQ(got["width"], 11906 * 635);  // EMU per twentieth of a point
}

}  // namespace
}  // namespace needsmap::report
