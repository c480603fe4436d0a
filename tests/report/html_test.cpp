#include <gtest/gtest.h>

#include "report/render.hpp"
#include "report/sample_document.hpp"

namespace needsmap::report {
namespace {

std::size_t count(const std::string& text, std::string_view part) {
  std::size_t n = 0;
  for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
  return n;
}

TEST(HtmlTest, ArticleHasHeadingsTablesAndChartsInOrder) {
  const std::string html = render_html_article(testing::sample_document());
  EXPECT_EQ(count(html, "<h1>"), 1u);
  EXPECT_EQ(count(html, "<h2 "), 2u);  // two level-1 sections
  EXPECT_EQ(count(html, "<h3 "), 1u);
  EXPECT_NE(html.find("<caption id=\"r-table-age_band\">Старост испитаника</caption>"),
            std::string::npos);
  EXPECT_NE(html.find("<th scope=\"row\">65 и више</th><td class=\"numeric\">41,9 %</td>"),
            std::string::npos);
  EXPECT_NE(html.find("aria-labelledby=\"r-table-age_band\" tabindex=\"0\""), std::string::npos);
  EXPECT_NE(html.find("<desc id=\"r-chart-desc\">Највише испитаника"), std::string::npos);
  EXPECT_NE(html.find("<li>Начини: веб, интервју</li>"), std::string::npos);
  EXPECT_LT(html.find("Метод"), html.find("Старост"));
}

TEST(HtmlTest, ChartBarsFollowTheScaleAndHiddenBarsHaveNone) {
  const std::string html = render_html_article(testing::sample_document());
  // 41.9 of 100 on a 420-unit bar area.
  EXPECT_NE(html.find("width=\"176.0\""), std::string::npos);
  // The interval 38.0–45.8: from 159.6 to 192.4.
  EXPECT_NE(html.find("M159.6 "), std::string::npos);
  EXPECT_NE(html.find("H192.4"), std::string::npos);
  // The hidden bar: no width, its text only.
  EXPECT_NE(html.find("width=\"0.0\""), std::string::npos);
  EXPECT_EQ(count(html, "class=\"chart-interval\""), 2u);
}

TEST(HtmlTest, EveryTextIsEscapedAndIdsAreUnique) {
  Document d = testing::sample_document();
  d.title = "<script>alert('x')</script> & co";
  d.sections.push_back(d.sections[2]);  // the same ids again
  const std::string html = render_html_page(d);
  EXPECT_EQ(html.find("<script>"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; co"),
            std::string::npos);
  EXPECT_EQ(count(html, "id=\"r-table-age_band\""), 1u);
  EXPECT_EQ(count(html, "id=\"r-table-age_band-2\""), 1u);
  EXPECT_NE(html.find("<html lang=\"sr-Cyrl\">"), std::string::npos);
  EXPECT_NE(html.find("@media print"), std::string::npos);
}

}  // namespace
}  // namespace needsmap::report
