#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "report/read_back.hpp"
#include "report/render.hpp"
#include "report/sample_document.hpp"

namespace needsmap::report {
namespace {

using nlohmann::json;
using testing::python;
using testing::run_command;
using testing::TempFile;

// Every sheet as openpyxl reads it: its name, its cells by reference with their value (a number
// stays a number), the bold cells and the column widths.
json read_workbook(const Document& document) {
  TempFile file(".xlsx");
  {
    std::ofstream out(file.path(), std::ios::binary);
    auto written = write_xlsx(document, out);
    EXPECT_TRUE(written) << written.error().message;
  }
  const auto read = run_command(std::string(python) + " -c '" + R"(
import json, openpyxl, sys
book = openpyxl.load_workbook(sys.argv[1])
sheets = []
for sheet in book.worksheets:
  cells, bold = {}, []
  for row in sheet.iter_rows():
    for cell in row:
      if cell.value is None: continue
      cells[cell.coordinate] = cell.value
      if cell.font.b: bold.append(cell.coordinate)
  widths = {k: v.width for k, v in sheet.column_dimensions.items() if v.customWidth}
  sheets.append({"name": sheet.title, "cells": cells, "bold": bold, "widths": widths})
print(json.dumps(sheets))
)" + "' " + file.quoted());
  EXPECT_EQ(read.status, 0) << "openpyxl could not read the workbook";
  return read.status == 0 ? json::parse(read.output) : json::array();
}

Table table_with_id(std::string id) {
  return Table{.id = std::move(id),
               .caption = "Caption",
               .columns = {"Answer", "Share"},
               .numeric = {false, true},
               .rows = {{{"yes", std::nullopt}, {"50 %", 50}}},
               .note = ""};
}

std::vector<std::string> sheet_names(const json& sheets) {
  std::vector<std::string> names;
  for (const auto& sheet : sheets) names.push_back(sheet["name"]);
  return names;
}

TEST(XlsxTest, SampleDocumentHasContentsAndATableSheetWithNumbers) {
  const json sheets = read_workbook(testing::sample_document());
  ASSERT_EQ(sheet_names(sheets), (std::vector<std::string>{"Садржај", "age_band"}));

  const json& contents = sheets[0]["cells"];
  EXPECT_EQ(contents["A1"], testing::sample_document().title);
  EXPECT_EQ(contents["A3"], "Лист");
  EXPECT_EQ(contents["A4"], "age_band");
  EXPECT_EQ(contents["B4"], "Старост испитаника");
  EXPECT_EQ(contents["C4"], "Скривено: мање од 5 испитаника.");

  const json& table = sheets[1]["cells"];
  EXPECT_EQ(table["A1"], "Старост испитаника");
  EXPECT_EQ(table["A3"], "Одговор");
  EXPECT_EQ(table["D3"], "Број");
  EXPECT_EQ(table["A5"], "65 и више");
  ASSERT_TRUE(table["B5"].is_number()) << table["B5"];
  EXPECT_DOUBLE_EQ(table["B5"].get<double>(), 41.9);
  EXPECT_EQ(table["D4"], 190);
  EXPECT_EQ(table["C5"], "38,0 – 45,8 %");  // no number behind it: its text
  EXPECT_EQ(table["B6"], "скривено");
  EXPECT_EQ(table["A8"], "Скривено: мање од 5 испитаника.");
  EXPECT_FALSE(table.contains("A2"));
  EXPECT_EQ(sheets[1]["bold"], json::array({"A1", "A3", "B3", "C3", "D3"}));
  // "Не желим да кажем" is the longest text of column A: 17 characters and a margin.
  EXPECT_EQ(sheets[1]["widths"]["A"], 19);
}

TEST(XlsxTest, SheetNamesAreUniqueShortAndWithoutForbiddenCharacters) {
  Document d = testing::sample_document();
  d.language = "en";
  d.sections = {
      Section{.level = 1,
              .id = "s",
              .heading = "Tables",
              .blocks = {table_with_id("a/b:c[d]*?\\"), table_with_id("age"), table_with_id("AGE"),
                         table_with_id("a_very_long_table_identifier_of_forty_chars"),
                         table_with_id("a_very_long_table_identifier_of_forty_chars"),
                         table_with_id("contents"), table_with_id("'quoted'")}}};
  const json sheets = read_workbook(d);
  EXPECT_EQ(sheet_names(sheets),
            (std::vector<std::string>{"Contents", "a_b_c_d____", "age", "AGE_2",
                                      "a_very_long_table_identifier_of",
                                      "a_very_long_table_identifier__2", "contents_2", "quoted"}));
  // The contents sheet names the sheets as they are.
  EXPECT_EQ(sheets[0]["cells"]["A5"], "age");
  EXPECT_EQ(sheets[0]["cells"]["A6"], "AGE_2");
}

TEST(XlsxTest, ContentsSheetIsNamedInTheDocumentsLanguage) {
  Document d = testing::sample_document();
  d.language = "sr-Latn";
  EXPECT_EQ(read_workbook(d)[0]["name"], "Sadržaj");
  d.language = "mk";
  EXPECT_EQ(read_workbook(d)[0]["name"], "Содржина");
  d.language = "en";
  const json sheets = read_workbook(d);
  EXPECT_EQ(sheets[0]["name"], "Contents");
  EXPECT_EQ(sheets[0]["cells"]["C3"], "Note");
}

TEST(XlsxTest, ADocumentWithoutTablesHasOnlyItsContentsSheet) {
  Document d = testing::sample_document();
  d.sections.resize(1);
  EXPECT_EQ(sheet_names(read_workbook(d)), (std::vector<std::string>{"Садржај"}));
}

}  // namespace
}  // namespace needsmap::report
