// The report as PDF, read back by poppler's command-line tools (pdftotext, pdfinfo, pdffonts), by
// qpdf (the file's syntax and its catalog) and by parsing the outline's objects in the raw file.
#include <gtest/gtest.h>

#include <unistd.h>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <string>

#include "report/pdf_catalog.hpp"
#include "report/render.hpp"
#include "report/sample_document.hpp"

namespace needsmap::report {
namespace {

// The PDF in a file of its own for poppler's tools, removed afterwards.
class PdfFile {
 public:
  explicit PdfFile(const std::string& pdf) {
    static int counter = 0;
    m_path = std::filesystem::temp_directory_path() /
             ("needsmap-pdf-test-" + std::to_string(::getpid()) + "-" + std::to_string(++counter) +
              ".pdf");
    std::ofstream(m_path, std::ios::binary) << pdf;
  }
  ~PdfFile() { std::filesystem::remove(m_path); }
  PdfFile(const PdfFile&) = delete;
  PdfFile& operator=(const PdfFile&) = delete;

  // The standard output of `tool options file [-]`.
  std::string run(const std::string& tool, const std::string& options = "",
                  bool to_stdout = false) const {
    const std::string command = tool + " " + options + " '" + m_path.string() + "'" +
                                (to_stdout ? " -" : "") + " 2>/dev/null";
    std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
    std::string out;
    if (!pipe) return out;
    char buffer[4096];
    for (std::size_t n; (n = fread(buffer, 1, sizeof buffer, pipe.get())) > 0;)
      out.append(buffer, n);
    return out;
  }
  std::string text(const std::string& options = "") const {
    return run("pdftotext", "-layout " + options, true);
  }
  std::string page_text(int page) const {
    return text("-f " + std::to_string(page) + " -l " + std::to_string(page));
  }
  int pages() const {
    const std::string info = run("pdfinfo");
    const auto at = info.find("Pages:");
    return at == std::string::npos ? 0 : std::stoi(info.substr(at + 6));
  }

 private:
  std::filesystem::path m_path;
};

// Runs of white space as one space: a wrapped line reads as the text it was.
std::string collapsed(const std::string& text) {
  std::string out;
  for (char c : text) {
    const bool space = c == ' ' || c == '\n' || c == '\t' || c == '\f' || c == '\r';
    if (space) {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

struct SvgPath {
  std::string style;
  std::vector<double> coordinates;  // x and y in turn, as the path's d lists them
  double width() const { return extent(0); }
  double height() const { return extent(1); }
  double extent(std::size_t axis) const {
    double low = 1e9;
    double high = -1e9;
    for (std::size_t i = axis; i < coordinates.size(); i += 2) {
      low = std::min(low, coordinates[i]);
      high = std::max(high, coordinates[i]);
    }
    return high - low;
  }
};

// The <path> elements pdftocairo -svg writes: every fill and stroke, glyphs included.
std::vector<SvgPath> svg_paths(const std::string& svg) {
  std::vector<SvgPath> paths;
  const std::string open = "<path style=\"";
  for (auto at = svg.find(open); at != std::string::npos; at = svg.find(open, at + 1)) {
    const auto style_end = svg.find('"', at + open.size());
    const auto d = svg.find("d=\"", style_end);
    const auto d_end = svg.find('"', d + 3);
    SvgPath path{svg.substr(at + open.size(), style_end - at - open.size()), {}};
    const std::string data = svg.substr(d + 3, d_end - d - 3);
    for (const char* p = data.c_str(); *p != 0;) {
      char* next = nullptr;
      const double value = std::strtod(p, &next);
      if (next == p) {
        ++p;  // a command letter or a space
      } else {
        path.coordinates.push_back(value);
        p = next;
      }
    }
    paths.push_back(std::move(path));
  }
  return paths;
}

std::string without_spaces(std::string text) {
  std::erase(text, ' ');
  return text;
}

std::string render_or_fail(const Document& document) {
  auto pdf = render_pdf(document);
  EXPECT_TRUE(pdf.has_value()) << (pdf ? "" : pdf.error().message);
  return pdf.value_or("");
}

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xc0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xe0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else {
    out += static_cast<char>(0xf0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  }
}

// A PDF text string as UTF-8: <FEFF…> UTF-16BE hex or a (literal) with backslash escapes.
std::string decode_pdf_string(const std::string& pdf, std::size_t at) {
  std::string out;
  if (pdf[at] == '<') {
    const std::size_t end = pdf.find('>', at);
    std::string hex = pdf.substr(at + 1, end - at - 1);
    std::u16string units;
    for (std::size_t i = 0; i + 4 <= hex.size(); i += 4) {
      units += static_cast<char16_t>(std::stoi(hex.substr(i, 4), nullptr, 16));
    }
    std::size_t i = !units.empty() && units[0] == 0xfeff ? 1 : 0;
    for (; i < units.size(); ++i) {
      char32_t cp = units[i];
      if (cp >= 0xd800 && cp < 0xdc00 && i + 1 < units.size()) {
        cp = 0x10000 + ((cp - 0xd800) << 10) + (units[++i] - 0xdc00);
      }
      append_utf8(out, cp);
    }
    return out;
  }
  for (std::size_t i = at + 1; i < pdf.size() && pdf[i] != ')'; ++i) {
    if (pdf[i] == '\\' && i + 1 < pdf.size()) ++i;
    out += pdf[i];
  }
  return out;
}

struct OutlineItem {
  std::string title;
  int parent{0};  // the object number of the parent item or of the outline root
};

// The outline's items by object number, from objects that have both a /Title and a /Parent.
std::map<int, OutlineItem> outline_items(const std::string& pdf) {
  std::map<int, OutlineItem> items;
  for (std::size_t at = pdf.find(" 0 obj"); at != std::string::npos;
       at = pdf.find(" 0 obj", at + 1)) {
    std::size_t number_start = pdf.rfind('\n', at) + 1;
    const std::size_t end = pdf.find("endobj", at);
    const std::string object = pdf.substr(at, end - at);
    const auto title = object.find("/Title ");
    const auto parent = object.find("/Parent ");
    if (title == std::string::npos || parent == std::string::npos) continue;
    OutlineItem item{decode_pdf_string(object, title + 7), std::stoi(object.substr(parent + 8))};
    items[std::stoi(pdf.substr(number_start, at - number_start))] = item;
  }
  return items;
}

TEST(PdfTest, SampleDocumentReadsBackWithEveryBlock) {
  const std::string pdf = render_or_fail(testing::sample_document());
  ASSERT_TRUE(pdf.starts_with("%PDF-"));
  PdfFile file(pdf);
  const std::string text = collapsed(file.text());
  for (const char* expected :
       {"Резултати истраживања потреба за социјалном заштитом", "Општина Пример · Грађани 2026",
        "5. децембар 2026.", "Метод", "Ко је одговорио", "Старост",
        "Анкета је била анонимна; одговорило је 812 грађана.", "• Начини: веб, интервју",
        "Старост испитаника", "Одговор", "Удео", "95% интервал", "Број", "41,9 %", "38,0 – 45,8 %",
        "Не желим да кажем", "Скривено: мање од 5 испитаника.",
        "Највише испитаника има 65 и више година (41,9 %).", "needsmap · Општина Пример"}) {
    EXPECT_NE(text.find(expected), std::string::npos) << expected << "\nin:\n" << text;
  }
  // The table's header and its first row read in column order on one line.
  EXPECT_NE(text.find("18–29 23,4 % 20,1 – 26,7 % 190"), std::string::npos) << text;
  EXPECT_LT(text.find("Метод"), text.find("Ко је одговорио"));
  EXPECT_LT(text.find("Старост испитаника"), text.find("Највише испитаника"));
  EXPECT_NE(without_spaces(text).find("Пример1/1"), std::string::npos) << text;
}

TEST(PdfTest, InfoHasTitlePagesAndCreator) {
  const std::string pdf = render_or_fail(testing::sample_document());
  PdfFile file(pdf);
  const std::string info = collapsed(file.run("pdfinfo"));
  EXPECT_NE(info.find("Title: Резултати истраживања потреба за социјалном заштитом"),
            std::string::npos)
      << info;
  EXPECT_NE(info.find("Creator: needsmap"), std::string::npos) << info;
  EXPECT_NE(info.find("Page size: 595.28 x 841.89 pts (A4)"), std::string::npos) << info;
  EXPECT_GE(file.pages(), 1);
}

TEST(PdfTest, FontsAreDejaVuAndEmbedded) {
  PdfFile file(render_or_fail(testing::sample_document()));
  const std::string fonts = file.run("pdffonts");
  int dejavu = 0;
  std::size_t line_start = 0;
  for (std::size_t end; (end = fonts.find('\n', line_start)) != std::string::npos;
       line_start = end + 1) {
    const std::string line = fonts.substr(line_start, end - line_start);
    if (line.find("DejaVuSans") == std::string::npos) continue;
    ++dejavu;
    // Columns: name type encoding emb sub uni object ID; "yes" first is emb.
    EXPECT_NE(collapsed(line).find(" yes yes yes "), std::string::npos) << line;
  }
  EXPECT_GE(dejavu, 2) << fonts;  // regular and bold at least
  EXPECT_EQ(fonts.find("no  "), std::string::npos) << fonts;
}

TEST(PdfTest, HeadingsAreTheOutlineWithLevelTwoUnderLevelOne) {
  const std::string pdf = render_or_fail(testing::sample_document());
  EXPECT_NE(pdf.find("/Outlines"), std::string::npos);
  const auto items = outline_items(pdf);
  std::map<std::string, int> by_title;
  for (const auto& [number, item] : items) by_title[item.title] = number;
  ASSERT_TRUE(by_title.contains("Метод")) << items.size();
  ASSERT_TRUE(by_title.contains("Ко је одговорио"));
  ASSERT_TRUE(by_title.contains("Старост"));
  EXPECT_EQ(items.at(by_title["Старост"]).parent, by_title["Ко је одговорио"]);
  // Level 1 hangs from the root, which is no item.
  EXPECT_FALSE(items.contains(items.at(by_title["Метод"]).parent));
  // Each points at a destination the file defines.
  EXPECT_NE(pdf.find("/Dests"), std::string::npos);
}

TEST(PdfTest, BarsAreVectorsScaledWithWhiskersAndHiddenBarsHaveNone) {
  PdfFile file(render_or_fail(testing::sample_document()));
  const auto paths = svg_paths(file.run("pdftocairo", "-svg -f 1 -l 1", true));
  std::vector<SvgPath> bars;
  std::vector<double> whiskers;  // lengths of the thin horizontal strokes
  for (const SvgPath& path : paths) {
    if (path.style.find("fill:rgb(29.9") != std::string::npos) bars.push_back(path);
    if (path.style.find("stroke-width:0.8;") != std::string::npos && path.height() < 0.01)
      whiskers.push_back(path.width());
  }
  // Three bars, one of them hidden.
  ASSERT_EQ(bars.size(), 2u);
  const double full = bars[1].width() / 41.9;  // points per percent
  EXPECT_NEAR(bars[0].width() / full, 23.4, 0.1);
  // Each 95% interval as long as high - low.
  auto has_whisker = [&](double span) {
    return std::any_of(whiskers.begin(), whiskers.end(),
                       [&](double length) { return std::abs(length / full - span) < 0.1; });
  };
  EXPECT_TRUE(has_whisker(26.7 - 20.1));
  EXPECT_TRUE(has_whisker(45.8 - 38.0));
  // With scale_max 100 the bar area is a hundred percent wide: 41.9 % reaches well short of the
  // figures column.
  EXPECT_LT(bars[1].width(), 0.5 * (595.28 - 100));
}

TEST(PdfTest, LongParagraphSplitsBetweenPagesWithoutLosingALine) {
  Document d = testing::sample_document();
  std::string long_text;
  for (int i = 1; i <= 900; ++i) long_text += "реченица-" + std::to_string(i) + " ";
  auto& blocks = d.sections[0].blocks;
  blocks.insert(blocks.begin() + 1, Paragraph{long_text});  // between the paragraph and the list
  PdfFile file(render_or_fail(d));
  ASSERT_GE(file.pages(), 2);
  const std::string text = collapsed(file.text());
  std::size_t previous = 0;
  for (int i = 1; i <= 900; ++i) {
    const std::string word = "реченица-" + std::to_string(i) + " ";
    const auto at = text.find(word);
    ASSERT_NE(at, std::string::npos) << word;
    EXPECT_EQ(text.find(word, at + 1), std::string::npos) << word;
    EXPECT_GT(at, previous) << word;
    previous = at;
  }
  // The list after the paragraph follows it.
  EXPECT_GT(text.find("• Начини"), previous);
}

Table numbered_table(const std::string& id, int rows) {
  Table table{.id = id,
              .caption = "Табела " + id,
              .columns = {"Опис реда", "Удео", "Број"},
              .numeric = {false, true, true},
              .rows = {},
              .note = "Напомена " + id};
  for (int r = 1; r <= rows; ++r) {
    table.rows.push_back({{"ред-" + std::to_string(r) + " опис дужи од једне речи", std::nullopt},
                          {std::to_string(r % 100) + ",5 %", r % 100 + 0.5},
                          {std::to_string(r * 3), r * 3.0}});
  }
  return table;
}

// GCC 12 at -O2 takes the move of a list block, as the sections grow, for a read of
// uninitialised memory (a false positive of -Wmaybe-uninitialized) once this is a function.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
// The sample document and a section with a table of 200 rows: several pages.
Document with_long_table() {
  Document d = testing::sample_document();
  d.sections.push_back(Section{.level = 1, .id = "long", .heading = "Дуга табела", .blocks = {}});
  d.sections.back().blocks.push_back(numbered_table("long", 200));
  return d;
}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

TEST(PdfTest, LongTableContinuesWithItsHeaderOnEveryPage) {
  PdfFile file(render_or_fail(with_long_table()));
  const int pages = file.pages();
  ASSERT_GE(pages, 3);
  for (int page = 2; page <= pages; ++page) {
    const std::string text = collapsed(file.page_text(page));
    EXPECT_NE(text.find("Опис реда Удео Број"), std::string::npos) << "page " << page << text;
    // pdftotext may drop the space before the slash.
    EXPECT_NE(without_spaces(text).find(std::to_string(page) + "/" + std::to_string(pages)),
              std::string::npos)
        << text;
  }
  // Every row once, in order.
  const std::string text = collapsed(file.text());
  std::size_t previous = 0;
  for (int r = 1; r <= 200; ++r) {
    const std::string label = "ред-" + std::to_string(r) + " ";
    const auto at = text.find(label);
    ASSERT_NE(at, std::string::npos) << label;
    EXPECT_EQ(text.find(label, at + 1), std::string::npos) << label;
    EXPECT_GT(at, previous) << label;
    previous = at;
  }
  EXPECT_NE(text.find("Напомена long"), std::string::npos);
}

// Forty sections of a twenty-row table each: headings land all over the pages.
Document many_tables() {
  Document d = testing::sample_document();
  for (int i = 10; i < 50; ++i) {
    const std::string number = std::to_string(i);
    Section section{.level = 2, .id = "s" + number, .heading = "Одељак " + number, .blocks = {}};
    section.blocks.push_back(numbered_table(number, 20));
    d.sections.push_back(section);
  }
  return d;
}

TEST(PdfTest, HeadingsStayWithTheirTables) {
  PdfFile file(render_or_fail(many_tables()));
  const int pages = file.pages();
  ASSERT_GT(pages, 5);
  int found = 0;
  for (int page = 1; page <= pages; ++page) {
    const std::string text = collapsed(file.page_text(page));
    for (int i = 10; i < 50; ++i) {
      if (text.find("Одељак " + std::to_string(i)) == std::string::npos) continue;
      ++found;
      EXPECT_NE(text.find("Табела " + std::to_string(i)), std::string::npos)
          << "heading " << i << " alone on page " << page;
    }
  }
  EXPECT_EQ(found, 40);
}

TEST(PdfTest, FortyTablesRenderQuickly) {
  const Document d = many_tables();
  const auto start = std::chrono::steady_clock::now();
  auto pdf = render_pdf(d);
  const auto elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start);
  ASSERT_TRUE(pdf) << pdf.error().message;
#if defined(__SANITIZE_ADDRESS__) || !defined(NDEBUG)
  constexpr double limit = 10;  // sanitized or unoptimized builds are many times slower
#else
  constexpr double limit = 1;
#endif
  EXPECT_LT(elapsed.count(), limit);
  std::cout << "40 tables of 20 rows: " << elapsed.count() << " s, " << pdf->size() << " bytes\n";
}

TEST(PdfTest, RefusesLettersDejaVuLacks) {
  Document d = testing::sample_document();
  std::get<Paragraph>(d.sections[0].blocks[0]).text = "漢字";
  auto pdf = render_pdf(d);
  ASSERT_FALSE(pdf);
  EXPECT_NE(pdf.error().message.find("DejaVu Sans has no letter"), std::string::npos)
      << pdf.error().message;
}

TEST(PdfTest, RefusesInvalidUtf8) {
  Document d = testing::sample_document();
  d.title = "\xff\xfe";
  auto pdf = render_pdf(d);
  ASSERT_FALSE(pdf);
  EXPECT_EQ(pdf.error().kind, Error::Kind::invalid_input);
}

// The structure tree as poppler reads it (`pdfinfo -struct-text`): one element per line, indented
// two spaces a level, each text in quotes under its element.
std::string structure(const PdfFile& file) {
  return file.run("pdfinfo", "-struct-text");
}

TEST(PdfTest, TaggedSoScreenReadersReadTheDocumentInOrder) {
  PdfFile file(render_or_fail(testing::sample_document()));
  const std::string info = collapsed(file.run("pdfinfo"));
  EXPECT_NE(info.find("Tagged: yes"), std::string::npos) << info;
  const std::string tree = structure(file);
  std::size_t previous = 0;
  for (const char* expected :
       {"H1 (block)\n  \"Резултати истраживања потреба за",  // the title wraps
        "P (block)\n  \"Општина Пример · Грађани 2026\"", "H2 (block)\n  \"Метод\"",
        "P (block)\n  \"Анкета је била анонимна; одговорило је 812 грађана.\"",
        "L (block)\n  LI (block)\n    Lbl (block)\n      \"•\"\n    LBody (block)\n"
        "      \"Период: 1–30. новембар 2026.\"",
        "H3 (block)\n  \"Старост\"",
        "Table (block)\n  Caption\n    \"Старост испитаника\"\n  TR\n    TH\n      \"Одговор\"",
        "  TR\n    TD\n      \"18–29\"\n    TD\n      \"23,4 %\"",
        "P (block)\n  \"Скривено: мање од 5 испитаника.\"",
        "P (block)\n  \"Највише испитаника има 65 и више година (41,9 %).\""}) {
    const auto at = tree.find(expected);
    ASSERT_NE(at, std::string::npos) << expected << "\nin:\n" << tree;
    EXPECT_GE(at, previous) << expected;
    previous = at + 1;
  }
  // The footer and page numbers are no part of the text read.
  EXPECT_EQ(tree.find("needsmap"), std::string::npos) << tree;
  EXPECT_EQ(tree.find("1 / 1"), std::string::npos) << tree;
}

TEST(PdfTest, TableSplitBetweenPagesIsATableOnEachWithItsHeaderAndNoFooterInside) {
  PdfFile file(render_or_fail(with_long_table()));
  const int pages = file.pages();
  ASSERT_GE(pages, 3);
  const std::string tree = structure(file);
  int tables = 0;
  int headers = 0;
  for (std::size_t at = 0; (at = tree.find("Table (block)\n", at)) != std::string::npos; ++at) {
    ++tables;
  }
  for (std::size_t at = 0; (at = tree.find("\"Опис реда\"", at)) != std::string::npos; ++at) {
    ++headers;
  }
  // The sample's table, and the long one once on each page it reaches, as pdftotext sees them.
  int pages_with_long_table = 0;
  for (int page = 1; page <= pages; ++page) {
    if (collapsed(file.page_text(page)).find("Опис реда") != std::string::npos) {
      ++pages_with_long_table;
    }
  }
  EXPECT_GE(pages_with_long_table, 3);
  EXPECT_EQ(tables, 1 + pages_with_long_table) << tree;
  EXPECT_EQ(headers, pages_with_long_table) << tree;
  EXPECT_EQ(tree.find("needsmap"), std::string::npos) << tree;
  // Every row once, in order, each cell its own.
  std::size_t previous = 0;
  for (int r = 1; r <= 200; ++r) {
    const std::string cell = "TD\n      \"ред-" + std::to_string(r) + " опис дужи од једне речи\"";
    const auto at = tree.find(cell);
    ASSERT_NE(at, std::string::npos) << cell << "\nin:\n" << tree;
    EXPECT_GT(at, previous) << r;
    previous = at;
  }
}

// The catalog as qpdf shows it: the trailer names it, with the update appended last.
std::string catalog(const PdfFile& file) {
  const std::string trailer = file.run("qpdf", "--show-object=trailer");
  const auto root = trailer.find("/Root ");
  if (root == std::string::npos) return "no /Root in: " + trailer;
  const int number = std::stoi(trailer.substr(root + 6));
  return file.run("qpdf", "--show-object=" + std::to_string(number));
}

TEST(PdfTest, CatalogNamesTheLanguageAndAsksViewersToShowTheTitle) {
  for (const char* language : {"sr-Cyrl", "sr-Latn", "en", "mk"}) {
    Document d = testing::sample_document();
    d.language = language;
    PdfFile file(render_or_fail(d));
    const std::string check = file.run("qpdf", "--check");
    EXPECT_NE(check.find("No syntax or stream encoding errors found"), std::string::npos) << check;
    const std::string root = catalog(file);
    EXPECT_NE(root.find("/Lang (" + std::string(language) + ")"), std::string::npos) << root;
    EXPECT_NE(root.find("/DisplayDocTitle true"), std::string::npos) << root;
    // What cairo wrote is all still there: the outline, the structure, the pages.
    for (const char* key : {"/Outlines", "/StructTreeRoot", "/Pages", "/MarkInfo"}) {
      EXPECT_NE(root.find(key), std::string::npos) << key << " in " << root;
    }
    EXPECT_NE(collapsed(file.text()).find("Метод"), std::string::npos);
  }
}

TEST(PdfCatalog, RefusesWhatIsNotALanguageTagOrNotAPdfCairoWrote) {
  const std::string pdf = render_or_fail(testing::sample_document());
  for (const char* tag : {"", "sr Cyrl", "sr-Cyrl) /OpenAction", "-en", "ср"}) {
    auto updated = completed_catalog(pdf, tag);
    ASSERT_FALSE(updated) << tag;
    EXPECT_EQ(updated.error().kind, Error::Kind::invalid_input) << tag;
  }
  auto not_pdf = completed_catalog("not a pdf", "en");
  ASSERT_FALSE(not_pdf);
  EXPECT_EQ(not_pdf.error().kind, Error::Kind::internal);
}

TEST(PdfCatalog, ALanguageAlreadyThereIsKept) {
  const std::string pdf = render_or_fail(testing::sample_document());  // says sr-Cyrl
  auto again = completed_catalog(pdf, "en");
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, pdf);
}

// Eleven columns, as the gaps by service: too wide for the page in the regular type. Figures are
// written with a no-break space before the % sign, as the report writes them.
const std::string wide_label = "Лични пратилац детета са инвалидитетом или сметњама у развоју";
const std::vector<std::string> wide_figures = {"12,5\u00a0%", "скривено", "1250",
                                               "412",         "11",       "60,9\u00a0%",
                                               "27,9\u00a0%", "—",        "26,7\u00a0%"};

Table wide_table() {
  Table table{.id = "wide",
              .caption = "Широка табела",
              .columns = {"Услуга", "Удео", "95% интервал", "Домаћинства", "Места", "Корисници",
                          "На листи чекања", "Покривеност", "Приоритет грађана",
                          "Приоритет стручњака", "Корисницима недостаје"},
              .numeric = {false, true, true, true, true, true, true, true, true, true, true},
              .rows = {},
              .note = {}};
  for (int r = 0; r < 12; ++r) {
    std::vector<Cell> row = {{wide_label}, {wide_figures[0]}, {"10,1\u00a0% – 15,3\u00a0%"}};
    for (std::size_t f = 1; f < wide_figures.size(); ++f) row.push_back({wide_figures[f]});
    table.rows.push_back(std::move(row));
  }
  return table;
}

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"  // as with_long_table
#endif
Document with_wide_table() {
  Document d = testing::sample_document();
  d.sections.push_back(Section{.level = 1, .id = "wide", .heading = "Широка", .blocks = {}});
  d.sections.back().blocks.push_back(wide_table());
  return d;
}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

// The first line of each TD's text, as pdfinfo -struct-text prints it (no-break spaces as
// spaces), in order.
std::vector<std::string> first_lines_of_cells(const std::string& tree) {
  std::vector<std::string> cells;
  for (std::size_t at = 0; (at = tree.find("TD\n", at)) != std::string::npos; ++at) {
    const std::size_t open = tree.find('"', at);
    std::string cell = tree.substr(open + 1, tree.find('"', open + 1) - open - 1);
    for (std::size_t nbsp; (nbsp = cell.find("\u00a0")) != std::string::npos;) {
      cell.replace(nbsp, 2, " ");
    }
    cells.push_back(cell);
  }
  return cells;
}

TEST(PdfTest, WideTableKeepsEveryWordAndFigureWhole) {
  PdfFile file(render_or_fail(with_wide_table()));
  const std::vector<std::string> cells = first_lines_of_cells(structure(file));
  // The sample's table has 3 rows of 4 cells; then the wide one.
  ASSERT_EQ(cells.size(), 3 * 4 + 12 * 11u);
  for (std::size_t r = 0; r < 12; ++r) {
    const std::string* row = &cells[3 * 4 + r * 11];
    // The label and the interval wrap between words only.
    EXPECT_TRUE((wide_label + " ").starts_with(row[0] + " ")) << row[0];
    EXPECT_TRUE(std::string("10,1 % – 15,3 % ").starts_with(row[2] + " ")) << row[2];
    for (std::size_t f = 0; f < wide_figures.size(); ++f) {
      std::string expected = wide_figures[f];
      if (auto nbsp = expected.find("\u00a0"); nbsp != std::string::npos) {
        expected.replace(nbsp, 2, " ");
      }
      EXPECT_EQ(row[f == 0 ? 1 : f + 2], expected) << "row " << r;
    }
  }
}

TEST(PdfTest, LatinDocumentAndEmptyBlocksRender) {
  Document d = testing::sample_document();
  d.language = "sr-Latn";
  d.sections.push_back(Section{.level = 2, .id = "orphan", .heading = "Bez odeljka", .blocks = {}});
  d.sections.back().blocks.push_back(BulletList{});
  d.sections.back().blocks.push_back(BarChart{});
  d.sections.back().blocks.push_back(Table{});
  PdfFile file(render_or_fail(d));
  EXPECT_NE(collapsed(file.text()).find("Bez odeljka"), std::string::npos);
}

}  // namespace
}  // namespace needsmap::report
