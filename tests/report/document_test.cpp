#include <gtest/gtest.h>

#include "report/document.hpp"
#include "report/sample_document.hpp"

namespace needsmap::report {
namespace {

TEST(DocumentTest, JsonRoundTripKeepsEveryBlock) {
  const Document d = testing::sample_document();
  auto back = document_from_json(to_json(d));
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(to_json(*back), to_json(d));
  ASSERT_EQ(back->sections.size(), 3u);
  const auto& table = std::get<Table>(back->sections[2].blocks[0]);
  EXPECT_EQ(table.rows[1][1].text, "41,9 %");
  EXPECT_EQ(table.rows[1][1].value, 41.9);
  EXPECT_FALSE(table.rows[2][1].value);
  const auto& chart = std::get<BarChart>(back->sections[2].blocks[1]);
  EXPECT_TRUE(chart.bars[2].hidden);
  EXPECT_EQ(chart.bars[0].high, 26.7);
}

TEST(DocumentTest, RejectsWhatIsNotADocument) {
  EXPECT_FALSE(document_from_json(nlohmann::json::object()));
  nlohmann::json broken = to_json(testing::sample_document());
  broken["sections"][2]["blocks"][0]["rows"][0].erase(0);  // a row one cell short
  EXPECT_FALSE(document_from_json(broken));
  broken = to_json(testing::sample_document());
  broken["sections"][0]["blocks"][0]["type"] = "video";
  EXPECT_FALSE(document_from_json(broken));
}

TEST(DocumentTest, ConvertedChangesEveryText) {
  const Document d = converted(testing::sample_document(),
                               [](std::string_view s) { return "<" + std::string(s) + ">"; });
  EXPECT_EQ(d.title.front(), '<');
  const auto& table = std::get<Table>(d.sections[2].blocks[0]);
  EXPECT_EQ(table.columns[0], "<Одговор>");
  EXPECT_EQ(table.rows[0][0].text, "<18–29>");
  EXPECT_EQ(table.rows[0][1].value, 23.4);  // numbers stay
  EXPECT_EQ(std::get<BarChart>(d.sections[2].blocks[1]).bars[1].label, "<65 и више>");
}

TEST(DocumentTest, PlainTextHasEveryFigureInOrder) {
  const std::string text = plain_text(testing::sample_document());
  const auto method = text.find("Метод");
  const auto share = text.find("41,9 %");
  ASSERT_NE(method, std::string::npos);
  ASSERT_NE(share, std::string::npos);
  EXPECT_LT(method, share);
  EXPECT_NE(text.find("Највише испитаника"), std::string::npos);
}

}  // namespace
}  // namespace needsmap::report
