#include "interop/xlsx_reader.hpp"

#include <gtest/gtest.h>
#include <xlsxwriter.h>

#include <zip.h>

#include <fstream>

#include "interop/csv_reader.hpp"
#include "test_support.hpp"

using namespace needsmap;
using namespace needsmap::interop;

namespace {

// Writes a small workbook with libxlsxwriter: every kind of cell the reader must understand.
// constant_memory mode writes inline strings instead of the shared string table.
std::filesystem::path write_typed_cells(const std::filesystem::path& dir, bool constant_memory) {
  auto path = dir / (constant_memory ? "inline.xlsx" : "shared.xlsx");
  lxw_workbook_options options{.constant_memory = constant_memory ? LXW_TRUE : LXW_FALSE,
                               .tmpdir = nullptr,
                               .use_zip64 = LXW_FALSE};
  lxw_workbook* wb = workbook_new_opt(path.c_str(), &options);
  lxw_worksheet* ws = workbook_add_worksheet(wb, "survey");
  lxw_format* date = workbook_add_format(wb);
  format_set_num_format(date, "dd.mm.yyyy");
  worksheet_write_string(ws, 0, 0, "type", nullptr);
  worksheet_write_string(ws, 0, 1, "ознака", nullptr);
  worksheet_write_number(ws, 1, 0, 42, nullptr);
  worksheet_write_number(ws, 1, 1, 2.5, nullptr);
  worksheet_write_boolean(ws, 2, 0, 1, nullptr);
  worksheet_write_boolean(ws, 2, 1, 0, nullptr);
  lxw_datetime when{.year = 2025, .month = 11, .day = 10, .hour = 0, .min = 0, .sec = 0};
  worksheet_write_datetime(ws, 3, 0, &when, date);
  worksheet_write_string(ws, 4, 2, "Ћирилица и latinica", nullptr);
  workbook_add_worksheet(wb, "choices");
  EXPECT_EQ(workbook_close(wb), LXW_NO_ERROR);
  return path;
}

}  // namespace

TEST(XlsxReader, reads_shared_strings_numbers_booleans_and_dates) {
  fixtures::TemporaryDirectory dir;
  for (bool constant_memory : {false, true}) {
    auto book = read_xlsx(write_typed_cells(dir.path(), constant_memory));
    ASSERT_TRUE(book.has_value()) << book.error().message;
    ASSERT_EQ(book->sheets.size(), 2u);
    const Sheet* survey = book->find("Survey");
    ASSERT_NE(survey, nullptr);
    EXPECT_EQ(survey->cell(0, 0), "type");
    EXPECT_EQ(survey->cell(0, 1), "ознака");
    EXPECT_EQ(survey->cell(1, 0), "42");
    EXPECT_EQ(survey->cell(1, 1), "2.5");
    EXPECT_EQ(survey->cell(2, 0), "TRUE");
    EXPECT_EQ(survey->cell(2, 1), "FALSE");
    EXPECT_EQ(survey->cell(3, 0), "2025-11-10");
    EXPECT_EQ(survey->cell(4, 0), "");
    EXPECT_EQ(survey->cell(4, 2), "Ћирилица и latinica");
    EXPECT_TRUE(book->find("choices")->rows.empty());
  }
}

TEST(XlsxReader, a_file_that_is_not_a_zip_is_refused_with_a_clear_message) {
  auto book = read_xlsx_bytes("type,name,label\ntext,q,Q\n");
  ASSERT_FALSE(book.has_value());
  EXPECT_NE(book.error().message.find("not a zip archive"), std::string::npos);
}

TEST(XlsxReader, a_zip_without_a_workbook_is_refused) {
  fixtures::TemporaryDirectory dir;
  auto path = dir.path() / "empty.zip";
  int error = 0;
  zip_t* z = zip_open(path.c_str(), ZIP_CREATE, &error);
  ASSERT_NE(z, nullptr);
  static const char text[] = "hello";
  zip_source_t* s = zip_source_buffer(z, text, sizeof text - 1, 0);
  zip_file_add(z, "readme.txt", s, 0);
  ASSERT_EQ(zip_close(z), 0);
  auto book = read_xlsx(path);
  ASSERT_FALSE(book.has_value());
  EXPECT_NE(book.error().message.find("no workbook"), std::string::npos);
}

TEST(XlsxReader, a_sheet_longer_than_the_limit_is_refused_without_reading_it_all) {
  fixtures::TemporaryDirectory dir;
  auto path = dir.path() / "long.xlsx";
  lxw_workbook_options options{
      .constant_memory = LXW_TRUE, .tmpdir = nullptr, .use_zip64 = LXW_FALSE};
  lxw_workbook* wb = workbook_new_opt(path.c_str(), &options);
  lxw_worksheet* ws = workbook_add_worksheet(wb, "survey");
  for (lxw_row_t r = 0; r < 100'000; ++r) worksheet_write_string(ws, r, 0, "text", nullptr);
  ASSERT_EQ(workbook_close(wb), LXW_NO_ERROR);
  auto book = read_xlsx(path);
  ASSERT_FALSE(book.has_value());
  EXPECT_NE(book.error().message.find("sheet \"survey\" has more than 20000 rows"),
            std::string::npos);
  auto raised = read_xlsx(
      path, ReadLimits{.max_rows = 200'000, .max_columns = 10, .max_entry_bytes = 64 << 20});
  ASSERT_TRUE(raised.has_value()) << raised.error().message;
  EXPECT_EQ(raised->sheets[0].rows.size(), 100'000u);
}

TEST(CsvReader, reads_quotes_semicolons_and_a_byte_order_mark) {
  auto rows = parse_csv(
      "\xEF\xBB\xBFtype;label\r\ntext;\"Име; \"\"надимак\"\"\"\r\n\r\nnote;\"два\nреда\"\n");
  ASSERT_TRUE(rows.has_value()) << rows.error().message;
  ASSERT_EQ(rows->size(), 4u);
  EXPECT_EQ((*rows)[0], (std::vector<std::string>{"type", "label"}));
  EXPECT_EQ((*rows)[1][1], "Име; \"надимак\"");
  EXPECT_TRUE((*rows)[2].empty());
  EXPECT_EQ((*rows)[3][1], "два\nреда");
}

TEST(CsvReader, refuses_text_that_is_not_utf8_and_an_unclosed_quote) {
  EXPECT_FALSE(parse_csv("a,b\n\xC8\xE8,x\n").has_value());
  auto open = parse_csv("a,\"b\n");
  ASSERT_FALSE(open.has_value());
  EXPECT_NE(open.error().message.find("quoted"), std::string::npos);
}

// Not a fuzzer, but the same idea at a fixed cost for every test run: damaged copies of a real
// file must come back as a workbook or an error, never a crash (the sanitizer build checks the
// memory accesses).
TEST(XlsxReader, damaged_copies_of_a_file_are_refused_or_read_never_crash) {
  fixtures::TemporaryDirectory dir;
  auto path = write_typed_cells(dir.path(), false);
  std::ifstream in(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_GT(bytes.size(), 1000u);
  std::uint32_t seed = 12345;
  auto next = [&] { return seed = seed * 1664525u + 1013904223u; };
  std::size_t refused = 0;
  for (int i = 0; i < 1500; ++i) {
    std::string copy = bytes;
    if (i % 3 == 0) {
      copy.resize(next() % copy.size());
    } else {
      for (int flips = 0; flips < 1 + i % 4; ++flips) {
        copy[next() % copy.size()] = static_cast<char>(next());
      }
    }
    auto book = read_xlsx_bytes(copy);
    if (!book) {
      ++refused;
      EXPECT_FALSE(book.error().message.empty());
    }
  }
  EXPECT_GT(refused, 100u);
}
