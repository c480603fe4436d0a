// Reproduces the figures R's survey package gives on tests/data/r-survey (raking with rake(),
// svymean, svyciprop(method = "logit"), svytotal, svyby): weights and estimates to 1e-6
// relative, standard errors to 1e-4 relative.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

#include "analysis/estimates.hpp"
#include "analysis/weighting.hpp"
#include "r_reference.hpp"

namespace needsmap::analysis {
namespace {

using reference::expect_relative;
using reference::read_csv;
using reference::read_text;
using reference::reference_dir;

using reference::se_tolerance;
using reference::value_tolerance;

// estimates.txt: "<label> <value> se <se>" and "logit 95% ci <low> <high>".
std::map<std::string, std::pair<double, double>> read_estimates() {
  std::map<std::string, std::pair<double, double>> figures;
  std::istringstream in(read_text(reference_dir() / "estimates.txt"));
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream words(line);
    std::vector<std::string> w;
    std::string word;
    while (words >> word) w.push_back(word);
    if (w.size() >= 4 && w[w.size() - 2] == "se") {
      std::string label;
      for (std::size_t i = 0; i + 3 < w.size(); ++i) label += (i ? " " : "") + w[i];
      figures[label] = {std::stod(w[w.size() - 3]), std::stod(w.back())};
    } else if (line.starts_with("logit 95% ci")) {
      figures["logit 95% ci"] = {std::stod(w[3]), std::stod(w[4])};
    }
  }
  return figures;
}

using reference::Raked;

Raked raked_sample() {
  return Raked(reference::home_care_sample(), reference_dir() / "margins.csv");
}

TEST(ReferenceTest, raked_weights_match_r) {
  Raked r = raked_sample();
  ASSERT_EQ(r.data.rows(), 400u);
  EXPECT_TRUE(r.result.report.converged);
  EXPECT_LT(r.result.report.max_margin_error, 1e-10);
  auto expected = read_csv(reference_dir() / "raked_weights.csv");
  ASSERT_EQ(expected.size(), 401u);
  double sum = 0;
  for (std::size_t i = 1; i < expected.size(); ++i) {
    expect_relative(r.data.weights()[i - 1], std::stod(expected[i][1]), value_tolerance,
                    "weight of respondent " + expected[i][0]);
    sum += r.data.weights()[i - 1];
  }
  expect_relative(sum, 9700.0, value_tolerance, "sum of weights");
  EXPECT_NEAR(r.result.report.effective_n, kish_effective_n(r.data.weights()), 1e-9);
  EXPECT_LT(r.result.report.effective_n, 400.0);
}

TEST(ReferenceTest, mean_matches_svymean) {
  Raked r = raked_sample();
  auto figures = read_estimates();
  Estimate mean = estimate_mean(r.data, r.design(), "income_adequacy");
  auto [value, se] = figures.at("mean income_adequacy");
  expect_relative(mean.estimate, value, value_tolerance, "mean");
  expect_relative(mean.se, se, se_tolerance, "se of the mean");
}

TEST(ReferenceTest, share_and_logit_interval_match_svymean_and_svyciprop) {
  Raked r = raked_sample();
  auto figures = read_estimates();
  auto shares = estimate_shares(r.data, r.design(), "needs_home_care");
  ASSERT_EQ(shares.size(), 2u);
  const Estimate& yes = shares[1];
  EXPECT_EQ(yes.category, "yes");
  auto [value, se] = figures.at("share needs_home_care=yes");
  expect_relative(yes.estimate, value, value_tolerance, "share");
  expect_relative(yes.se, se, se_tolerance, "se of the share");
  auto [low, high] = figures.at("logit 95% ci");
  expect_relative(yes.ci_low, low, se_tolerance, "lower limit");
  expect_relative(yes.ci_high, high, se_tolerance, "upper limit");
  // Shares of one question add up to 1 with the same standard error.
  EXPECT_NEAR(shares[0].estimate + yes.estimate, 1.0, 1e-12);
  EXPECT_NEAR(shares[0].se, yes.se, 1e-12);
  EXPECT_EQ(yes.n, 400);
  EXPECT_GT(yes.deff, 1.0);  // raking an unbalanced sample costs precision
  EXPECT_FALSE(yes.low_n_eff);
  EXPECT_FALSE(yes.high_rse);
}

TEST(ReferenceTest, total_matches_svytotal) {
  Raked r = raked_sample();
  auto figures = read_estimates();
  Estimate total = estimate_total(r.data, r.design(), "needs_home_care", "yes");
  auto [value, se] = figures.at("total needs_home_care=yes");
  expect_relative(total.estimate, value, value_tolerance, "total");
  expect_relative(total.se, se, se_tolerance, "se of the total");
}

TEST(ReferenceTest, shares_by_group_match_svyby) {
  Raked r = raked_sample();
  auto figures = read_estimates();
  auto shares = estimate_shares(r.data, r.design(), "needs_home_care", "age");
  ASSERT_EQ(shares.size(), 8u);
  int compared = 0;
  for (const auto& e : shares) {
    if (e.category != "yes") continue;
    auto [value, se] = figures.at("share needs_home_care=yes | age=" + e.group);
    expect_relative(e.estimate, value, value_tolerance, "share in " + e.group);
    expect_relative(e.se, se, se_tolerance, "se in " + e.group);
    ++compared;
  }
  EXPECT_EQ(compared, 4);
}

}  // namespace
}  // namespace needsmap::analysis
