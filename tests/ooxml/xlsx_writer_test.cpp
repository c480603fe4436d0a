// The streamed workbook writer, read back by needsmap's own .xlsx reader (libzip + pugixml) and by
// unzip, the way a spreadsheet program would meet it.
#include "ooxml/xlsx_writer.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "interop/xlsx_reader.hpp"
#include "ooxml/zip_writer.hpp"

namespace needsmap::ooxml {
namespace {

using namespace std::chrono;

interop::Workbook read_back(const std::string& bytes) {
  auto book = interop::read_xlsx_bytes(bytes);
  EXPECT_TRUE(book) << (book ? "" : book.error().message);
  return book ? *book : interop::Workbook{};
}

// unzip's own check of every entry's CRC and sizes: what a strict ZIP reader makes of the bytes.
std::string unzip_test(const std::string& bytes) {
  const std::string path = testing::TempDir() + "needsmap-ooxml-test.zip";
  std::ofstream(path, std::ios::binary) << bytes;
  std::string output;
  if (FILE* p = popen(("unzip -t '" + path + "' 2>&1").c_str(), "r")) {
    char buffer[512];
    while (auto n = fread(buffer, 1, sizeof buffer, p)) output.append(buffer, n);
    output += "exit " + std::to_string(pclose(p));
  }
  std::remove(path.c_str());
  return output;
}

TEST(XlsxWriter, WritesSheetsInOrderWithTextNumbersAndDates) {
  std::ostringstream out;
  XlsxWriter book(out);
  book.begin_sheet({.name = "responses", .widths = {12, 0, 30}, .freeze_first_row = true});
  book.begin_row();
  book.text(0, "id", XlsxWriter::Style::bold);
  book.text(1, "age", XlsxWriter::Style::bold);
  book.text(2, "visited", XlsxWriter::Style::bold);
  book.begin_row();
  book.text(0, "Ниш — Šabac");
  book.number(1, 70);
  book.date(2, year(2025) / January / 2);
  book.begin_row();
  book.text(0, "b");
  book.number(1, 2.5);  // column 2 left empty
  book.begin_sheet({.name = "codebook"});
  book.begin_row();
  book.text(3, "far right");
  ASSERT_TRUE(book.finish());

  const auto read = read_back(out.str());
  ASSERT_EQ(read.sheets.size(), 2u);
  const auto& responses = read.sheets[0];
  EXPECT_EQ(responses.name, "responses");
  ASSERT_EQ(responses.rows.size(), 3u);
  EXPECT_EQ(responses.cell(0, 2), "visited");
  EXPECT_EQ(responses.cell(1, 0), "Ниш — Šabac");
  EXPECT_EQ(responses.cell(1, 1), "70");
  EXPECT_EQ(responses.cell(1, 2), "2025-01-02");
  EXPECT_EQ(responses.cell(2, 1), "2.5");
  EXPECT_EQ(responses.cell(2, 2), "");
  EXPECT_EQ(read.sheets[1].name, "codebook");
  EXPECT_EQ(read.sheets[1].cell(0, 3), "far right");
  EXPECT_EQ(read.sheets[1].cell(0, 0), "");

  const auto checked = unzip_test(out.str());
  EXPECT_NE(checked.find("No errors detected"), std::string::npos) << checked;
  EXPECT_NE(checked.find("xl/worksheets/sheet1.xml"), std::string::npos) << checked;
}

TEST(XlsxWriter, KeepsEveryTextAsItWasEvenWhatXmlCannotHold) {
  const std::vector<std::string> texts = {
      "<script>alert('x')</script> & \"quotes\"",
      "'; DROP TABLE responses; --",
      "  leading and trailing  ",
      "two\nlines\tand a tab",
      "carriage\r\nreturn",
      std::string("bell\x07, escape\x1b and nul-free controls\x01"),
      "a literal _x0041_ stays as typed",
      "\u200Fright-to-left mark",
      "=1+1",  // a formula as text stays text
  };
  std::ostringstream out;
  XlsxWriter book(out);
  book.begin_sheet({.name = "texts"});
  for (const auto& t : texts) {
    book.begin_row();
    book.text(0, t);
  }
  ASSERT_TRUE(book.finish());
  const auto read = read_back(out.str());
  ASSERT_EQ(read.sheets.size(), 1u);
  for (std::size_t i = 0; i < texts.size(); ++i) {
    EXPECT_EQ(read.sheets[0].cell(i, 0), texts[i]) << "row " << i + 1;
  }
  EXPECT_EQ(out.str().find("<f>"), std::string::npos);
}

TEST(XlsxWriter, ExcelSerialDaysCountTheLeapDayOf1900) {
  EXPECT_EQ(excel_serial(year(1900) / January / 1), 1);
  EXPECT_EQ(excel_serial(year(1900) / February / 28), 59);
  EXPECT_EQ(excel_serial(year(1900) / March / 1), 61);  // 60 is Excel's 29 February 1900
  EXPECT_EQ(excel_serial(year(2025) / January / 2), 45659);
}

TEST(XlsxWriter, RefusesWhatExcelCannotHold) {
  std::ostringstream out;
  XlsxWriter book(out);
  book.begin_sheet({.name = "s"});
  book.begin_row();
  book.text(0, std::string(xlsx_max_text, 'a'));
  EXPECT_FALSE(book.error());
  book.text(1, std::string(xlsx_max_text + 1, 'a'));
  ASSERT_TRUE(book.error());
  EXPECT_NE(book.error()->message.find("32,767"), std::string::npos);
  EXPECT_FALSE(book.finish());

  std::ostringstream wide;
  XlsxWriter wide_book(wide);
  wide_book.begin_sheet({.name = "s"});
  wide_book.begin_row();
  wide_book.number(xlsx_max_columns, 1);
  EXPECT_FALSE(wide_book.finish());
}

TEST(XlsxWriter, CyrillicTextsOfEveryLengthCountCharactersNotBytes) {
  // 20,000 Cyrillic letters take 40,000 bytes but are well within a cell.
  std::string cyrillic;
  for (int i = 0; i < 20'000; ++i) cyrillic += "ж";
  std::ostringstream out;
  XlsxWriter book(out);
  book.begin_sheet({.name = "s"});
  book.begin_row();
  book.text(0, cyrillic);
  ASSERT_TRUE(book.finish());
  EXPECT_EQ(read_back(out.str()).sheets[0].cell(0, 0), cyrillic);
}

TEST(XlsxWriter, Zip64WorkbooksReadBackToo) {
  std::ostringstream out;
  XlsxWriter book(out, true);
  book.begin_sheet({.name = "big"});
  for (int r = 0; r < 3000; ++r) {  // several deflate pieces
    book.begin_row();
    for (int c = 0; c < 30; ++c) book.number(static_cast<std::size_t>(c), r * 100 + c);
  }
  ASSERT_TRUE(book.finish());
  const auto read = read_back(out.str());
  ASSERT_EQ(read.sheets[0].rows.size(), 3000u);
  EXPECT_EQ(read.sheets[0].cell(2999, 29), "299929");
  EXPECT_EQ(read.sheets[0].cell(1234, 0), "123400");
  const auto checked = unzip_test(out.str());
  EXPECT_NE(checked.find("No errors detected"), std::string::npos) << checked;
}

TEST(ZipWriter, EntriesReadBackByteForByte) {
  std::ostringstream out;
  ZipWriter zip(out, {.level = 9});
  std::string large;
  for (int i = 0; i < 200'000; ++i) large += std::to_string(i * 7919 % 1000) + ",";
  zip.begin("a.txt");
  zip.write("hello");
  zip.begin("dir/large.csv");
  zip.write(large);
  zip.begin("empty");
  ASSERT_TRUE(zip.finish());
  const auto checked = unzip_test(out.str());
  EXPECT_NE(checked.find("No errors detected"), std::string::npos) << checked;
  EXPECT_NE(checked.find("dir/large.csv"), std::string::npos) << checked;
  EXPECT_LT(out.str().size(), large.size() / 2) << "deflated";
}

}  // namespace
}  // namespace needsmap::ooxml
