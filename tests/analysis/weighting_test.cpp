#include "analysis/weighting.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>

#include "analysis_support.hpp"

namespace needsmap::analysis {
namespace {

using fixtures::choice;

// 200 respondents, too young and too urban: 3 in 4 young, 4 in 5 urban.
Dataset skewed_sample() {
  Dataset data({choice("age", {"young", "old"}), choice("place", {"urban", "rural"})});
  for (int i = 0; i < 200; ++i) {
    data.append({{"age", i % 4 ? "young" : "old"}, {"place", i % 5 ? "urban" : "rural"}});
  }
  return data;
}

std::vector<MarginRow> margins() {
  return parse_margins_csv(
      "variable,category,population\n"
      "age,young,400\nage,old,600\n"
      "place,urban,500\nplace,rural,500\n");
}

double weighted(const Dataset& data, const std::string& variable, std::uint16_t code) {
  const Column& c = *data.find(variable);
  double sum = 0;
  for (std::size_t r = 0; r < data.rows(); ++r) {
    if (c.choice.code(r) == code) sum += data.weights()[r];
  }
  return sum;
}

TEST(MarginsCsv, reads_quoted_fields_in_any_column_order) {
  auto rows = parse_margins_csv(
      "\"population\",\"variable\",\"category\"\r\n"
      "1500,\"age\",\"18-29\"\r\n"
      "\n"
      " 2.5e3 ,sex,\"a \"\"quoted\"\" name\"\n");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].variable, "age");
  EXPECT_EQ(rows[0].category, "18-29");
  EXPECT_EQ(rows[0].population, 1500);
  EXPECT_EQ(rows[1].category, "a \"quoted\" name");
  EXPECT_EQ(rows[1].population, 2500);
}

TEST(MarginsCsv, reads_a_spreadsheet_s_byte_order_mark) {
  auto rows = parse_margins_csv("\xEF\xBB\xBFvariable,category,population\nsex,m,4800\n");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].variable, "sex");
}

TEST(MarginsCsv, says_what_is_wrong_and_where) {
  try {
    parse_margins_csv("variable,category,population\nage,young,many\n");
    FAIL() << "expected an error";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "margins, line 2: population many is not a number");
  }
  EXPECT_THROW(parse_margins_csv("variable,category\nage,young\n"), std::invalid_argument);
  EXPECT_THROW(parse_margins_csv(""), std::invalid_argument);
}

TEST(Rake, reproduces_every_margin_and_reports_convergence) {
  Dataset data = skewed_sample();
  RakeResult r = rake(data, margins());
  EXPECT_TRUE(r.report.converged);
  EXPECT_GT(r.report.iterations, 1);
  EXPECT_LT(r.report.max_relative_change, 1e-10);
  EXPECT_LT(r.report.max_margin_error, 1e-9);
  EXPECT_NEAR(weighted(data, "age", 0), 400, 1e-6);
  EXPECT_NEAR(weighted(data, "age", 1), 600, 1e-6);
  EXPECT_NEAR(weighted(data, "place", 1), 500, 1e-6);
  EXPECT_LT(r.report.effective_n, 200.0);
  EXPECT_DOUBLE_EQ(r.report.effective_n, kish_effective_n(data.weights()));
  EXPECT_LE(r.report.min_weight, r.report.max_weight);
  ASSERT_EQ(r.factors.size(), 2u);
  EXPECT_EQ(r.factors[0].variable, "age");
  EXPECT_EQ(r.factors[1].levels, 2u);
}

TEST(Rake, reports_when_it_runs_out_of_iterations) {
  Dataset data = skewed_sample();
  RakeOptions options;
  options.max_iterations = 1;
  RakeResult r = rake(data, margins(), options);
  EXPECT_FALSE(r.report.converged);
  EXPECT_EQ(r.report.iterations, 1);
  EXPECT_GT(r.report.max_relative_change, options.tolerance);
}

TEST(Rake, keeps_weights_within_bounds) {
  Dataset data = skewed_sample();
  RakeOptions options;
  // Unbounded, the ten old rural respondents weigh 6 times the mean; at most 4 times, the others
  // make up for them and the margins still hold.
  options.lower = 0.1;
  options.upper = 4;
  RakeResult r = rake(data, margins(), options);
  const double mean = 1000.0 / 200.0;
  EXPECT_GE(r.report.min_weight, 0.1 * mean - 1e-9);
  EXPECT_LE(r.report.max_weight, 4 * mean + 1e-9);
  EXPECT_GT(r.report.bounded, 0u);
  EXPECT_TRUE(r.report.converged);
  EXPECT_LT(r.report.max_margin_error, 1e-6);
}

TEST(Rake, reports_bounds_that_cannot_hold_as_not_converged) {
  Dataset data = skewed_sample();
  RakeOptions options;
  options.upper = 1.0;  // every weight at most the mean: only equal weights, which miss the margins
  RakeResult r = rake(data, margins(), options);
  EXPECT_FALSE(r.report.converged);
  EXPECT_GT(r.report.max_margin_error, 0.01);
}

void expect_error(Dataset data, const std::string& csv, const std::string& message) {
  try {
    rake(data, parse_margins_csv(csv));
    FAIL() << "expected: " << message;
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(e.what(), message);
  }
}

TEST(Rake, refuses_a_margin_category_nobody_in_the_sample_has) {
  Dataset data({choice("age", {"young", "middle", "old"})});
  for (int i = 0; i < 10; ++i) data.append({{"age", i % 2 ? "young" : "old"}});
  expect_error(data, "variable,category,population\nage,young,1\nage,middle,1\nage,old,1\n",
               "margin age: nobody in the sample has middle");
}

TEST(Rake, refuses_margins_that_do_not_fit_the_sample) {
  const std::string header = "variable,category,population\n";
  expect_error(skewed_sample(), header + "age,young,400\n",
               "margin age has no population for old, which the sample has");
  expect_error(skewed_sample(), header + "age,young,400\nage,old,600\nage,ancient,1\n",
               "margin age: ancient is not one of the question's choices");
  expect_error(skewed_sample(), header + "height,tall,1\n",
               "margin height is not a single-choice question");
  expect_error(skewed_sample(),
               header + "age,young,400\nage,old,600\nplace,urban,1\nplace,rural,1\n",
               "margins disagree on the population: age adds up to 1000.000000, place to 2.000000");
  Dataset gaps = skewed_sample();
  gaps.append({{"place", "urban"}});
  expect_error(gaps, header + "age,young,400\nage,old,600\n",
               "1 respondent(s) did not answer age, a margin variable");
}

}  // namespace
}  // namespace needsmap::analysis
