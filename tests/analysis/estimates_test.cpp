#include "analysis/estimates.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "analysis/weighting.hpp"

#include "analysis_support.hpp"

namespace needsmap::analysis {
namespace {

using fixtures::choice;
using fixtures::unweighted;

// 100 respondents: 40 need help, 60 do not; the first 20 are old; 10 did not answer `need`.
Dataset sample() {
  Dataset data({choice("need", {"yes", "no"}), choice("age", {"young", "old"})});
  for (int i = 0; i < 110; ++i) {
    nlohmann::json answers = {{"age", i < 20 ? "old" : "young"}};
    if (i < 100) answers["need"] = i % 5 < 2 ? "yes" : "no";
    data.append(answers);
  }
  return data;
}

Estimate counted(std::string group, std::string category, std::int64_t count, std::int64_t n) {
  Estimate e;
  e.group = std::move(group);
  e.category = std::move(category);
  e.count = count;
  e.n = n;
  return e;
}

TEST(Estimates, small_counts_and_their_complements_are_withheld_below_analyst) {
  // One small count: hidden with the smallest other of its total, so neither can be worked out.
  std::vector<Estimate> overall = {counted("", "female", 25, 40), counted("", "male", 13, 40),
                                   counted("", "other", 2, 40)};
  EXPECT_EQ(withheld_estimates(overall, true, 5), (std::vector<bool>{false, true, true}));
  // Two small counts of one group hide each other; a zero is no one and stays; the other group
  // is untouched.
  std::vector<Estimate> grouped = {
      counted("urban", "female", 15, 25), counted("urban", "male", 10, 25),
      counted("urban", "other", 0, 25),   counted("rural", "female", 10, 15),
      counted("rural", "male", 3, 15),    counted("rural", "other", 2, 15)};
  EXPECT_EQ(withheld_estimates(grouped, true, 5),
            (std::vector<bool>{false, false, false, false, true, true}));
  // A group smaller than k hides all its shares: they would give its size away.
  std::vector<Estimate> tiny = {counted("village", "yes", 3, 4), counted("village", "no", 1, 4)};
  EXPECT_EQ(withheld_estimates(tiny, true, 5), (std::vector<bool>{true, true}));
  // Means: by the number of answers they rest on.
  std::vector<Estimate> means = {counted("a", "", 0, 4), counted("b", "", 0, 5)};
  EXPECT_EQ(withheld_estimates(means, false, 5), (std::vector<bool>{true, false}));
}

TEST(Estimates, unweighted_share_has_the_simple_random_sample_error) {
  Dataset data = sample();
  auto shares = estimate_shares(data, unweighted(data), "need");
  ASSERT_EQ(shares.size(), 2u);
  const Estimate& yes = shares[0];
  EXPECT_EQ(yes.category, "yes");
  EXPECT_EQ(yes.group, "");
  EXPECT_EQ(yes.n, 100);  // those who answered
  EXPECT_EQ(yes.count, 40);
  EXPECT_DOUBLE_EQ(yes.estimate, 0.4);
  // With replacement, equal weights, a domain of 100 among 110 rows:
  // 110/109 p (1 - p) / 100; against 100/99 p (1 - p) / 100 from a simple random sample of 100.
  EXPECT_NEAR(yes.se, std::sqrt(110.0 / 109 * 0.4 * 0.6 / 100), 1e-12);
  EXPECT_NEAR(yes.deff, (110.0 / 109) / (100.0 / 99), 1e-12);
  EXPECT_NEAR(yes.n_eff, 100.0, 1e-9);
  EXPECT_LT(yes.ci_low, 0.4);
  EXPECT_GT(yes.ci_high, 0.4);
  // The logit interval leans towards 1/2.
  EXPECT_GT(yes.ci_high - 0.4, 0.4 - yes.ci_low);
  EXPECT_FALSE(yes.low_n_eff);
  EXPECT_FALSE(yes.high_rse);
}

TEST(Estimates, shares_by_group_flag_small_groups) {
  Dataset data = sample();
  auto shares = estimate_shares(data, unweighted(data), "need", "age");
  ASSERT_EQ(shares.size(), 4u);
  EXPECT_EQ(shares[2].group, "old");
  EXPECT_EQ(shares[2].category, "yes");
  EXPECT_EQ(shares[2].n, 20);
  EXPECT_EQ(shares[2].count, 8);
  EXPECT_DOUBLE_EQ(shares[2].estimate, 0.4);
  EXPECT_TRUE(shares[2].low_n_eff);  // 20 < 30
  EXPECT_FALSE(shares[0].low_n_eff);
  EXPECT_EQ(shares[0].n, 80);
}

TEST(Estimates, a_share_nobody_chose_is_zero_and_flagged) {
  Dataset data({choice("need", {"yes", "no"})});
  for (int i = 0; i < 50; ++i) data.append({{"need", "no"}});
  auto shares = estimate_shares(data, unweighted(data), "need");
  EXPECT_EQ(shares[0].estimate, 0.0);
  EXPECT_EQ(shares[0].se, 0.0);
  EXPECT_EQ(shares[0].ci_low, 0.0);
  EXPECT_EQ(shares[0].ci_high, 0.0);
  EXPECT_TRUE(shares[0].high_rse);
}

TEST(Estimates, a_raked_variable_has_its_population_share_without_error) {
  Dataset data = sample();
  RakeResult r = rake(data, parse_margins_csv("variable,category,population\n"
                                              "age,young,700\nage,old,300\n"));
  ASSERT_TRUE(r.report.converged);
  Design design{.weights = data.weights(), .raking = r.factors};
  auto shares = estimate_shares(data, design, "age");
  EXPECT_NEAR(shares[1].estimate, 0.3, 1e-12);
  // Calibration fixes this share: no sample could give another.
  EXPECT_LT(shares[1].se, 1e-12);
  // Need differs little between the groups, so raking changes its error little.
  auto need = estimate_shares(data, design, "need");
  auto plain = estimate_shares(data, unweighted(data), "need");
  EXPECT_NEAR(need[0].estimate, 0.4, 1e-9);
  EXPECT_GT(need[0].se, 0.5 * plain[0].se);
}

TEST(Estimates, a_multiple_choice_gives_shares_of_respondents) {
  Dataset data({{.name = "risks",
                 .kind = ColumnKind::multiple,
                 .categories = {"poverty", "illness"},
                 .question = "",
                 .row = ""}});
  data.append({{"risks", nlohmann::json::array({"poverty", "illness"})}});
  data.append({{"risks", nlohmann::json::array({"poverty"})}});
  data.append({{"risks", nlohmann::json::array({"illness"})}});
  data.append({{"risks", nlohmann::json::array({"poverty"})}});
  data.append(nlohmann::json::object());  // did not answer: not in the base
  auto shares = estimate_shares(data, unweighted(data), "risks");
  ASSERT_EQ(shares.size(), 2u);
  EXPECT_EQ(shares[0].n, 4);
  EXPECT_EQ(shares[0].count, 3);
  EXPECT_DOUBLE_EQ(shares[0].estimate, 0.75);
  EXPECT_DOUBLE_EQ(shares[1].estimate, 0.5);  // 0.75 + 0.5: more than one choice each
  EXPECT_GT(shares[0].se, 0.0);
}

TEST(Estimates, means_of_numbers_and_scale_positions_by_group) {
  Dataset data(
      {{.name = "size", .kind = ColumnKind::number, .categories = {}, .question = "", .row = ""},
       choice("scale", {"bad", "fair", "good"}),
       choice("age", {"young", "old"})});
  data.append({{"size", 1}, {"scale", "bad"}, {"age", "young"}});
  data.append({{"size", 3}, {"scale", "good"}, {"age", "young"}});
  data.append({{"size", 5}, {"scale", "good"}, {"age", "old"}});
  data.append({{"size", 7}, {"age", "old"}});
  data.append({{"age", "old"}});  // no size: not in the base
  auto sizes = estimate_means(data, unweighted(data), "size", "age");
  ASSERT_EQ(sizes.size(), 2u);
  EXPECT_EQ(sizes[0].group, "young");
  EXPECT_DOUBLE_EQ(sizes[0].estimate, 2.0);
  EXPECT_DOUBLE_EQ(sizes[1].estimate, 6.0);
  EXPECT_EQ(sizes[1].n, 2);
  EXPECT_LT(sizes[1].ci_low, 6.0);
  EXPECT_NEAR(sizes[1].ci_high - 6.0, 6.0 - sizes[1].ci_low, 1e-12);
  // Overall: (1 + 3 + 5 + 7) / 4; with replacement over the 5 rows, 5/4 sum((y - 4)/4)^2.
  Estimate all = estimate_mean(data, unweighted(data), "size");
  EXPECT_DOUBLE_EQ(all.estimate, 4.0);
  EXPECT_NEAR(all.se, std::sqrt(5.0 / 4 * (9 + 1 + 1 + 9) / 16), 1e-12);
  auto scale = estimate_means(data, unweighted(data), "scale");
  EXPECT_NEAR(scale[0].estimate, (1 + 3 + 3) / 3.0, 1e-12);
  EXPECT_EQ(scale[0].n, 3);
}

TEST(Estimates, refuses_questions_of_the_wrong_kind) {
  Dataset data = sample();
  EXPECT_THROW(estimate_shares(data, unweighted(data), "height"), std::invalid_argument);
  EXPECT_THROW(estimate_mean(data, unweighted(data), "height"), std::invalid_argument);
  EXPECT_THROW(estimate_shares(data, unweighted(data), "need", "height"), std::invalid_argument);
  EXPECT_THROW(estimate_total(data, unweighted(data), "need", "maybe"), std::invalid_argument);
}

TEST(Estimates, t_quantile_is_students) {
  EXPECT_NEAR(t_quantile_95(400), 1.965927, 1e-6);  // qt(0.975, 399)
  EXPECT_NEAR(t_quantile_95(11), 2.228139, 1e-6);   // qt(0.975, 10)
}

}  // namespace
}  // namespace needsmap::analysis
