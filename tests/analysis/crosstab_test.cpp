// Crosstabs, tests of independence, top-two-box shares and medians: small tables worked out by
// hand, then the figures R's survey package gives (tests/data/r-survey/
// make_crosstab_reference.R): estimates to 1e-6 relative, standard errors, interval limits and
// test statistics and p-values to 1e-4 relative.
#include "analysis/crosstab.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "analysis/population.hpp"
#include "analysis_support.hpp"
#include "r_reference.hpp"

namespace needsmap::analysis {
namespace {

using fixtures::choice;
using fixtures::unweighted;
using reference::se_tolerance;
using reference::value_tolerance;

using reference::reference_dir;

// Respondents with these answers to `a` and `b`, `count` times each.
struct Answers {
  std::string a;
  std::string b;
  int count{0};
};

Dataset table_of(const std::vector<Answers>& answers) {
  Dataset data({choice("a", {"a1", "a2"}), choice("b", {"b1", "b2"})});
  for (const auto& group : answers) {
    for (int i = 0; i < group.count; ++i) data.append({{"a", group.a}, {"b", group.b}});
  }
  return data;
}

// 100 respondents: 10 (a1, b1), 20 (a1, b2), 30 (a2, b1), 40 (a2, b2).
Dataset two_by_two() {
  return table_of({{"a1", "b1", 10}, {"a1", "b2", 20}, {"a2", "b1", 30}, {"a2", "b2", 40}});
}

// The upper tail of chi-square with one degree of freedom.
double chi_square_1_p(double x) {
  return std::erfc(std::sqrt(x / 2));
}

TEST(Crosstab, counts_shares_and_totals_of_an_unweighted_table) {
  Dataset data = two_by_two();
  Crosstab table = crosstab(data, unweighted(data), "a", "b");
  ASSERT_EQ(table.tables.size(), 1u);
  const CrosstabTable& t = table.tables[0];
  EXPECT_EQ(t.layer, "");
  EXPECT_EQ(t.n, 100);
  EXPECT_DOUBLE_EQ(t.weighted, 100);
  const CrosstabCell& c = t.cell(0, 0);
  EXPECT_EQ(c.n, 10);
  EXPECT_DOUBLE_EQ(c.weighted, 10);
  EXPECT_DOUBLE_EQ(c.of_table.estimate, 0.1);
  EXPECT_DOUBLE_EQ(c.of_row.estimate, 10.0 / 30);
  EXPECT_DOUBLE_EQ(c.of_column.estimate, 10.0 / 40);
  EXPECT_EQ(c.of_table.group, "a1");
  EXPECT_EQ(c.of_table.category, "b1");
  // With replacement over the whole sample: p (1 - p) / (n - 1).
  EXPECT_NEAR(c.of_table.se, std::sqrt(0.1 * 0.9 / 99), 1e-12);
  EXPECT_LT(c.of_table.ci_low, 0.1);
  EXPECT_GT(c.of_table.ci_high, 0.1);
  EXPECT_EQ(t.rows[1].category, "a2");
  EXPECT_EQ(t.rows[1].n, 70);
  EXPECT_DOUBLE_EQ(t.rows[1].of_table.estimate, 0.7);
  EXPECT_EQ(t.columns[1].n, 60);
  EXPECT_DOUBLE_EQ(t.columns[1].weighted, 60);
}

TEST(Crosstab, unweighted_test_is_pearsons_chi_square) {
  Dataset data = two_by_two();
  auto tests = test_independence(data, unweighted(data), "a", "b");
  ASSERT_EQ(tests.size(), 1u);
  const IndependenceTest& t = tests[0];
  // Expected counts 12, 18, 28, 42.
  const double x2 = 4.0 / 12 + 4.0 / 18 + 4.0 / 28 + 4.0 / 42;
  EXPECT_TRUE(t.tested);
  EXPECT_FALSE(t.rao_scott);
  EXPECT_EQ(t.n, 100);
  EXPECT_DOUBLE_EQ(t.df, 1);
  EXPECT_NEAR(t.pearson, x2, 1e-12);
  EXPECT_NEAR(t.chisq, x2, 1e-12);
  EXPECT_NEAR(t.p, chi_square_1_p(x2), 1e-12);
  EXPECT_NEAR(t.chisq_p, t.p, 1e-15);
}

TEST(Crosstab, equal_weights_other_than_one_give_design_effects_of_n_over_n_minus_1) {
  // With every weight 2 and no raking, the with-replacement variance is (D − p p') / (n − 1)
  // against (D − p p') / n for Pearson, so Δ = n/(n − 1) I: F = X² (n − 1) / n on (1, n − 1).
  Dataset data = two_by_two();
  std::fill(data.weights().begin(), data.weights().end(), 2.0);
  const IndependenceTest t = test_independence(data, unweighted(data), "a", "b").front();
  const double x2 = 4.0 / 12 + 4.0 / 18 + 4.0 / 28 + 4.0 / 42;
  EXPECT_TRUE(t.rao_scott);
  EXPECT_NEAR(t.pearson, x2, 1e-12);
  EXPECT_NEAR(t.f, x2 * 99 / 100, 1e-12);
  EXPECT_NEAR(t.chisq, x2 * 99 / 100, 1e-12);
  EXPECT_NEAR(t.ndf, 1, 1e-12);
  EXPECT_NEAR(t.ddf, 99, 1e-9);
  EXPECT_GT(t.p, t.chisq_p);  // F's denominator degrees of freedom widen the tail a little
}

TEST(Crosstab, an_empty_cell_has_nothing_and_the_test_still_runs) {
  // Rows 5 and 15, columns 10 and 10: expected 2.5, 2.5, 7.5, 7.5 against 5, 0, 5, 10.
  Dataset data = table_of({{"a1", "b1", 5}, {"a2", "b1", 5}, {"a2", "b2", 10}});
  const CrosstabTable t = crosstab(data, unweighted(data), "a", "b").tables.front();
  const CrosstabCell& empty = t.cell(0, 1);
  EXPECT_EQ(empty.n, 0);
  EXPECT_EQ(empty.weighted, 0);
  EXPECT_EQ(empty.of_table.estimate, 0);
  EXPECT_EQ(empty.of_table.se, 0);
  EXPECT_EQ(empty.of_table.ci_low, 0);
  EXPECT_EQ(empty.of_table.ci_high, 0);
  EXPECT_DOUBLE_EQ(t.cell(0, 0).of_row.estimate, 1);
  const IndependenceTest plain = test_independence(data, unweighted(data), "a", "b").front();
  const double x2 = 2 * 6.25 / 2.5 + 2 * 6.25 / 7.5;
  EXPECT_NEAR(plain.pearson, x2, 1e-12);
  EXPECT_NEAR(plain.p, chi_square_1_p(x2), 1e-12);
  // Weighted, the empty cell's 1/p counts as 0 (as in R) and the test stays finite.
  for (std::size_t r = 0; r < data.rows(); ++r)
    data.weights()[r] = 1.0 + static_cast<double>(r % 3);
  const IndependenceTest weighted = test_independence(data, unweighted(data), "a", "b").front();
  EXPECT_TRUE(weighted.rao_scott);
  EXPECT_TRUE(std::isfinite(weighted.f));
  EXPECT_GT(weighted.p, 0);
  EXPECT_LT(weighted.p, 1);
}

TEST(Crosstab, rows_nobody_chose_and_missing_answers_are_left_out_of_the_test) {
  Dataset data({choice("a", {"a1", "a2", "a3"}), choice("b", {"b1", "b2"})});
  auto add = [&](const char* a, const char* b, int count) {
    for (int i = 0; i < count; ++i) data.append({{"a", a}, {"b", b}});
  };
  add("a1", "b1", 10);
  add("a1", "b2", 20);
  add("a3", "b1", 30);
  add("a3", "b2", 40);
  for (int i = 0; i < 7; ++i) data.append({{"a", "a1"}});  // no answer to b
  const CrosstabTable t = crosstab(data, unweighted(data), "a", "b").tables.front();
  EXPECT_EQ(t.n, 100);
  ASSERT_EQ(t.rows.size(), 3u);
  EXPECT_EQ(t.rows[1].n, 0);
  EXPECT_EQ(t.rows[0].n, 30);
  const IndependenceTest test = test_independence(data, unweighted(data), "a", "b").front();
  EXPECT_DOUBLE_EQ(test.df, 1);
  EXPECT_NEAR(test.pearson, 4.0 / 12 + 4.0 / 18 + 4.0 / 28 + 4.0 / 42, 1e-12);
}

TEST(Crosstab, a_three_way_table_is_a_two_way_table_per_layer) {
  Dataset data({choice("a", {"a1", "a2"}), choice("b", {"b1", "b2"}),
                choice("place", {"town", "village", "hamlet"})});
  auto add = [&](const char* a, const char* b, const char* place, int count) {
    for (int i = 0; i < count; ++i) data.append({{"a", a}, {"b", b}, {"place", place}});
  };
  add("a1", "b1", "town", 10);
  add("a1", "b2", "town", 20);
  add("a2", "b1", "town", 30);
  add("a2", "b2", "town", 40);
  add("a1", "b1", "village", 6);
  add("a2", "b2", "village", 4);
  Crosstab table = crosstab(data, unweighted(data), "a", "b", "place");
  EXPECT_EQ(table.layer_question, "place");
  ASSERT_EQ(table.tables.size(), 3u);
  EXPECT_EQ(table.tables[0].layer, "town");
  EXPECT_EQ(table.tables[0].n, 100);
  EXPECT_DOUBLE_EQ(table.tables[0].cell(0, 0).of_table.estimate, 0.1);
  EXPECT_EQ(table.tables[1].n, 10);
  EXPECT_DOUBLE_EQ(table.tables[1].cell(0, 0).of_table.estimate, 0.6);
  EXPECT_DOUBLE_EQ(table.tables[1].cell(0, 0).of_row.estimate, 1.0);
  EXPECT_EQ(table.tables[2].n, 0);
  // In the town the same as the two-way table's; elsewhere its own, or none.
  auto tests = test_independence(data, unweighted(data), "a", "b", "place");
  ASSERT_EQ(tests.size(), 3u);
  EXPECT_NEAR(tests[0].pearson, 4.0 / 12 + 4.0 / 18 + 4.0 / 28 + 4.0 / 42, 1e-12);
  EXPECT_TRUE(tests[1].tested);
  EXPECT_NEAR(tests[1].pearson, 10.0, 1e-12);  // perfect association: X² = n
  EXPECT_FALSE(tests[2].tested);
  EXPECT_EQ(tests[2].layer, "hamlet");
}

TEST(Crosstab, a_table_the_weights_were_post_stratified_to_is_not_tested) {
  Dataset data = two_by_two();
  std::vector<MarginRow> joint = {
      {"a*b", "a1*b1", 25}, {"a*b", "a1*b2", 25}, {"a*b", "a2*b1", 25}, {"a*b", "a2*b2", 25}};
  PopulationWeighting w = weight_to_population(data, joint);
  Design design{.weights = w.data.weights(), .raking = w.rake.factors};
  auto tests = test_independence(w.data, design, "a", "b");
  ASSERT_EQ(tests.size(), 1u);
  EXPECT_FALSE(tests[0].tested);
  EXPECT_TRUE(tests[0].fixed_by_weights);
  // Its shares are the population's, known exactly.
  Crosstab table = crosstab(w.data, design, "a", "b");
  EXPECT_NEAR(table.tables[0].cell(0, 0).of_table.estimate, 0.25, 1e-12);
  EXPECT_NEAR(table.tables[0].cell(0, 0).of_table.se, 0.0, 1e-12);
}

TEST(Crosstab, questions_must_be_single_choices) {
  Dataset data({choice("a", {"x"}), fixtures::number_column("age")});
  EXPECT_THROW(crosstab(data, unweighted(data), "a", "age"), std::invalid_argument);
  EXPECT_THROW(test_independence(data, unweighted(data), "a", "nope"), std::invalid_argument);
}

TEST(Crosstab, disclosure_relates_every_row_and_column_to_its_total) {
  // a1: 2 and 20; a2: 30 and 40. The 2 is hidden; its row and its column each need a second
  // hidden cell, and those then need theirs.
  Dataset data = table_of({{"a1", "b1", 2}, {"a1", "b2", 20}, {"a2", "b1", 30}, {"a2", "b2", 40}});
  const CrosstabTable t = crosstab(data, unweighted(data), "a", "b").tables.front();
  CrosstabDisclosure cells(t);
  EXPECT_EQ(cells.relations().size(), 2u + 2u + 2u);
  EXPECT_EQ(cells.cells().size(), 4u + 2u + 2u + 1u);
  EXPECT_EQ(cells.row_total(0).count, 22);
  EXPECT_EQ(cells.column_total(1).count, 60);
  EXPECT_EQ(cells.total().count, 92);
  cells.suppress(5);
  EXPECT_TRUE(cells.cell(0, 0).hidden);
  EXPECT_TRUE(cells.cell(0, 1).hidden);
  EXPECT_TRUE(cells.cell(1, 0).hidden);
  EXPECT_TRUE(cells.cell(1, 1).hidden);
  EXPECT_FALSE(cells.row_total(0).hidden);
  EXPECT_FALSE(cells.total().hidden);
  // No relation is left with a single hidden cell.
  for (const Relation& relation : cells.relations()) {
    auto hidden =
        std::count_if(relation.begin(), relation.end(), [](Cell* c) { return c->hidden; });
    EXPECT_NE(hidden, 1);
  }
}

// --- Top-two-box and medians -----------------------------------------------------------------

Dataset scale_answers(const std::vector<int>& positions) {
  Dataset data({choice("satisfied", {"1", "2", "3", "4", "5"}), fixtures::number_column("size")});
  for (int p : positions) data.append({{"satisfied", std::to_string(p)}, {"size", p}});
  return data;
}

TEST(TopTwoBox, is_the_share_in_the_two_highest_positions) {
  Dataset data = scale_answers({1, 2, 3, 4, 5, 5, 4, 3, 2, 1});
  data.append({{"size", 3}});  // did not answer the scale
  auto boxes = estimate_top_two_box(data, unweighted(data), "satisfied");
  ASSERT_EQ(boxes.size(), 1u);
  EXPECT_EQ(boxes[0].category, "4 + 5");
  EXPECT_EQ(boxes[0].n, 10);
  EXPECT_EQ(boxes[0].count, 4);
  EXPECT_DOUBLE_EQ(boxes[0].estimate, 0.4);
  EXPECT_GT(boxes[0].se, 0);
  EXPECT_LT(boxes[0].ci_low, 0.4);
  Dataset yes_no({choice("ok", {"no", "yes"})});
  EXPECT_THROW(estimate_top_two_box(yes_no, unweighted(yes_no), "ok"), std::invalid_argument);
}

TEST(Median, is_the_smallest_value_reaching_half_the_weight) {
  Dataset odd = scale_answers({9, 1, 8, 2, 7, 3, 6, 4, 5});
  EXPECT_DOUBLE_EQ(estimate_medians(odd, unweighted(odd), "size")[0].estimate, 5);
  // An even count: exactly half at 5, so 5 (R's qrule "math"), not 5.5.
  Dataset even = scale_answers({1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
  EXPECT_DOUBLE_EQ(estimate_medians(even, unweighted(even), "size")[0].estimate, 5);
  Dataset weighted = scale_answers({1, 2, 3});
  weighted.weights()[2] = 3;
  EXPECT_DOUBLE_EQ(estimate_medians(weighted, unweighted(weighted), "size")[0].estimate, 3);
}

TEST(Median, has_woodruffs_interval) {
  // 1…10: half are at or below 5, with standard error sqrt(1/4 / 9) = 1/6; the share's interval
  // 0.5 ± t 1/6 with t of 9 degrees of freedom is (0.123, 0.877), whose quantiles are 2 and 9.
  Dataset data = scale_answers({1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
  Estimate median = estimate_medians(data, unweighted(data), "size")[0];
  EXPECT_EQ(median.n, 10);
  EXPECT_DOUBLE_EQ(median.ci_low, 2);
  EXPECT_DOUBLE_EQ(median.ci_high, 9);
  EXPECT_NEAR(median.se, 7 / (2 * t_quantile_95(10)), 1e-12);
  // A scale's median is of its positions.
  EXPECT_DOUBLE_EQ(estimate_medians(data, unweighted(data), "satisfied")[0].estimate, 3);
}

// --- Against R -------------------------------------------------------------------------------

// As reference::expect_relative, and absolute where R's figure is 0 to rounding: an empty cell,
// or the standard error of a share the weights were raked to (known exactly once raked).
void expect_figure(double actual, double expected, double tolerance, const std::string& what) {
  if (std::abs(expected) < 1e-12) {
    EXPECT_NEAR(actual, 0, 1e-12) << what;
  } else {
    reference::expect_relative(actual, expected, tolerance, what);
  }
}

void expect_share(const Estimate& e, const std::map<std::string, std::string>& figure,
                  const std::string& what) {
  expect_figure(e.estimate, std::stod(figure.at("estimate")), value_tolerance, what);
  expect_figure(e.se, std::stod(figure.at("se")), se_tolerance, what + " se");
}

// R's logit interval, where it gave one. Layers and groups are domains whose interval R takes
// with the domain's degrees of freedom; ours keeps the whole sample's (estimates.hpp), so those
// are compared by estimate and standard error only.
void expect_interval(const Estimate& e, const std::map<std::string, std::string>& figure,
                     const std::string& what) {
  if (figure.at("low") == "NA") return;
  expect_figure(e.ci_low, std::stod(figure.at("low")), se_tolerance, what + " low");
  expect_figure(e.ci_high, std::stod(figure.at("high")), se_tolerance, what + " high");
}

std::size_t index_of(const std::vector<CrosstabMargin>& margins, const std::string& category) {
  for (std::size_t i = 0; i < margins.size(); ++i) {
    if (margins[i].category == category) return i;
  }
  ADD_FAILURE() << "no category " << category;
  return 0;
}

const CrosstabTable& table_for(const Crosstab& crosstab, const std::string& layer) {
  for (const auto& t : crosstab.tables) {
    if (t.layer == layer) return t;
  }
  throw std::out_of_range("no layer " + layer);
}

// Compares every figure crosstab_shares.csv has for one dataset and layer; returns how many.
int compare_shares(const Crosstab& crosstab, const std::string& dataset, const std::string& layer) {
  const CrosstabTable& t = table_for(crosstab, layer);
  int compared = 0;
  for (const auto& f : reference::read_records(reference_dir() / "crosstab_shares.csv")) {
    if (f.at("dataset") != dataset || f.at("layer") != layer) continue;
    const std::string what =
        dataset + " " + layer + " " + f.at("kind") + " " + f.at("row") + "|" + f.at("column");
    const std::string& kind = f.at("kind");
    if (kind == "row_total") {
      expect_share(t.rows[index_of(t.rows, f.at("row"))].of_table, f, what);
    } else if (kind == "column_total") {
      expect_share(t.columns[index_of(t.columns, f.at("column"))].of_table, f, what);
    } else {
      const CrosstabCell& c =
          t.cell(index_of(t.rows, f.at("row")), index_of(t.columns, f.at("column")));
      if (kind == "weighted") {
        expect_figure(c.weighted, std::stod(f.at("estimate")), value_tolerance, what);
      } else if (kind == "cell") {
        expect_share(c.of_table, f, what);
        if (layer.empty()) expect_interval(c.of_table, f, what);
      } else {
        expect_share(kind == "row" ? c.of_row : c.of_column, f, what);
      }
    }
    ++compared;
  }
  return compared;
}

std::vector<ColumnSpec> services_columns() {
  return {choice("region", {"north", "centre", "south"}),
          choice("sex", {"m", "f"}),
          choice("service_use", {"none", "occasional", "regular", "daily"}),
          choice("satisfaction", {"1", "2", "3", "4", "5"}),
          fixtures::number_column("household_size"),
          fixtures::number_column("monthly_costs")};
}

Dataset services_sample() {
  return reference::load_sample(reference_dir() / "services.csv", services_columns());
}

reference::Raked raked_services() {
  return reference::Raked(services_sample(), reference_dir() / "services_margins.csv");
}

// The home-care sample with income adequacy also read as a five-point scale.
reference::Raked raked_home_care() {
  ColumnSpec scale = choice("income_scale", {"1", "2", "3", "4", "5"});
  scale.question = "income_adequacy";
  return reference::Raked(reference::home_care_sample({scale}), reference_dir() / "margins.csv");
}

TEST(CrosstabReference, shares_match_svymean_svyby_and_svytable) {
  auto home = raked_home_care();
  EXPECT_EQ(
      compare_shares(crosstab(home.data, home.design(), "age", "needs_home_care"), "sample", ""),
      4 * 2 * 4 + 4 + 2);
  auto services = raked_services();
  ASSERT_TRUE(services.result.report.converged);
  EXPECT_EQ(compare_shares(crosstab(services.data, services.design(), "region", "service_use"),
                           "services", ""),
            3 * 4 * 4 + 3 + 4);
  const Crosstab layered =
      crosstab(services.data, services.design(), "service_use", "sex", "region");
  for (const char* region : {"north", "centre", "south"}) {
    EXPECT_EQ(compare_shares(layered, "services", region), 4 * 2 * 4 + 4 + 2) << region;
  }
  // The sparse cell: two women in the north use the service daily, no man does.
  EXPECT_EQ(table_for(layered, "north").cell(3, 0).n, 0);
  EXPECT_EQ(table_for(layered, "north").cell(3, 1).n, 2);
}

const IndependenceTest& test_for(const std::vector<IndependenceTest>& tests,
                                 const std::string& layer) {
  for (const auto& t : tests) {
    if (t.layer == layer) return t;
  }
  throw std::out_of_range("no test for " + layer);
}

void expect_test(const IndependenceTest& t, const std::map<std::string, std::string>& f,
                 double pearson_scale) {
  const std::string what = f.at("dataset") + " " + f.at("layer") + " ";
  ASSERT_TRUE(t.tested) << what;
  EXPECT_DOUBLE_EQ(t.df, std::stod(f.at("df"))) << what;
  reference::expect_relative(t.pearson * pearson_scale, std::stod(f.at("pearson")), se_tolerance,
                             what + "X²");
  reference::expect_relative(t.chisq_p, std::stod(f.at("chisq_p")), se_tolerance, what + "Chisq p");
  reference::expect_relative(t.p, std::stod(f.at("p")), se_tolerance, what + "p");
  if (!t.rao_scott) return;
  reference::expect_relative(t.f, std::stod(f.at("f")), se_tolerance, what + "F");
  reference::expect_relative(t.ndf, std::stod(f.at("ndf")), se_tolerance, what + "ndf");
  reference::expect_relative(t.ddf, std::stod(f.at("ddf")), se_tolerance, what + "ddf");
}

TEST(CrosstabReference, tests_match_svychisq_and_chisq_test) {
  auto home = raked_home_care();
  auto services = raked_services();
  const Dataset plain = services_sample();
  const auto layered =
      test_independence(services.data, services.design(), "service_use", "sex", "region");
  int compared = 0;
  for (const auto& f : reference::read_records(reference_dir() / "crosstab_tests.csv")) {
    const std::string& dataset = f.at("dataset");
    if (dataset == "sample") {
      expect_test(test_independence(home.data, home.design(), "age", "needs_home_care").front(), f,
                  1);
    } else if (dataset == "services unweighted") {
      const auto t = test_independence(plain, unweighted(plain), "region", "service_use").front();
      EXPECT_FALSE(t.rao_scott);
      expect_test(t, f, 1);
    } else if (f.at("layer").empty()) {
      expect_test(
          test_independence(services.data, services.design(), "region", "service_use").front(), f,
          1);
    } else {
      // R scales a domain's table to the whole sample's size (svychisq's N is every row of the
      // design); F, the p-values and the degrees of freedom do not depend on it.
      const IndependenceTest& t = test_for(layered, f.at("layer"));
      expect_test(t, f, static_cast<double>(services.data.rows()) / static_cast<double>(t.n));
    }
    ++compared;
  }
  EXPECT_EQ(compared, 6);
}

const Estimate& estimate_for(const std::vector<Estimate>& estimates, const std::string& group) {
  for (const auto& e : estimates) {
    if (e.group == group) return e;
  }
  throw std::out_of_range("no estimate for " + group);
}

TEST(CrosstabReference, top_two_box_and_median_match_svyciprop_and_svyquantile) {
  auto home = raked_home_care();
  auto services = raked_services();
  int compared = 0;
  for (const auto& f : reference::read_records(reference_dir() / "scale_figures.csv")) {
    const bool sample = f.at("dataset") == "sample";
    const auto& r = sample ? home : services;
    std::string question = f.at("question");
    if (question == "income_adequacy" && f.at("kind") == "top_two_box") question = "income_scale";
    const std::string by = f.at("group").empty() ? "" : "region";
    const auto estimates = f.at("kind") == "median"
                               ? estimate_medians(r.data, r.design(), question, by)
                               : estimate_top_two_box(r.data, r.design(), question, by);
    const Estimate& e = estimate_for(estimates, f.at("group"));
    const std::string what = f.at("kind") + " " + question + " " + f.at("group");
    expect_share(e, f, what);
    // Medians take the domain's degrees of freedom as R does; shares the whole sample's.
    if (f.at("kind") == "median" || by.empty()) expect_interval(e, f, what);
    ++compared;
  }
  EXPECT_EQ(compared, 11);
}

}  // namespace
}  // namespace needsmap::analysis
