#include "analysis/tabulate.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "analysis_support.hpp"

namespace needsmap::analysis {
namespace {

using json = nlohmann::json;

ColumnSpec multiple_column(std::string name, std::vector<std::string> categories) {
  return {.name = std::move(name),
          .kind = ColumnKind::multiple,
          .categories = std::move(categories),
          .question = "",
          .row = ""};
}

ColumnSpec number_column(std::string name) {
  return {.name = std::move(name),
          .kind = ColumnKind::number,
          .categories = {},
          .question = "",
          .row = ""};
}

// Choice names c0, c1, … (300 of them make a column of two-byte codes).
std::vector<std::string> numbered_choices(int n) {
  std::vector<std::string> names;
  for (int i = 0; i < n; ++i) names.push_back("c" + std::to_string(i));
  return names;
}

// 203 rows (not a multiple of the four lanes or of 64 rows of a bit word) with missing answers
// in every column and uneven weights.
Dataset sample() {
  Dataset data({fixtures::choice_column("sex", {"m", "f"}),
                fixtures::choice_column("age", {"young", "middle", "old"}),
                multiple_column("risks", {"poverty", "illness", "none"}),
                fixtures::choice_column("town", numbered_choices(300)), number_column("income")});
  const char* ages[] = {"young", "middle", "old", "unknown", "young"};
  for (int i = 0; i < 203; ++i) {
    json answers = {{"sex", i % 3 ? "m" : "f"}, {"age", ages[i % 5]}};
    if (i % 7 == 0) answers.erase("sex");
    if (i % 4 != 3) {
      json risks = json::array();
      if (i % 2) risks.push_back("poverty");
      if (i % 3 == 0) risks.push_back("illness");
      if (i % 11 == 0) risks.push_back("none");
      answers["risks"] = risks;  // sometimes empty: no answer
    }
    if (i % 9) answers["town"] = "c" + std::to_string(i * 7 % 300);
    if (i % 6) answers["income"] = 100 + i;
    data.append(answers);
    data.weights().back() = 0.5 + (i % 13) * 0.25;
  }
  return data;
}

double weight(const Dataset& data, std::size_t r) {
  return data.weights()[r];
}

TEST(Tabulate, frequencies_of_a_choice_match_a_row_by_row_count) {
  Dataset data = sample();
  for (const char* name : {"sex", "age", "town"}) {
    const Column& column = data.require(name, ColumnKind::choice);
    Frequencies f = frequencies(data, column);
    Frequencies naive{.counts = std::vector<std::int64_t>(column.spec.categories.size()),
                      .weighted = std::vector<double>(column.spec.categories.size()),
                      .missing = 0,
                      .missing_weighted = 0};
    for (std::size_t r = 0; r < data.rows(); ++r) {
      std::uint16_t code = column.choice.code(r);
      (code == ChoiceColumn::missing ? naive.missing : naive.counts[code]) += 1;
      (code == ChoiceColumn::missing ? naive.missing_weighted : naive.weighted[code]) +=
          weight(data, r);
    }
    EXPECT_EQ(f.counts, naive.counts) << name;
    EXPECT_EQ(f.missing, naive.missing) << name;
    EXPECT_GT(f.missing, 0) << name;
    EXPECT_NEAR(f.missing_weighted, naive.missing_weighted, 1e-9) << name;
    for (std::size_t c = 0; c < f.weighted.size(); ++c) {
      EXPECT_NEAR(f.weighted[c], naive.weighted[c], 1e-9) << name << " " << c;
    }
  }
}

TEST(Tabulate, multiple_choice_counts_respondents_choosing_each) {
  Dataset data = sample();
  const Column& risks = data.require("risks", ColumnKind::multiple);
  MultipleFrequencies f = multiple_frequencies(data, risks);
  ASSERT_EQ(f.counts.size(), 3u);
  std::int64_t answered = 0;
  double answered_weighted = 0;
  for (std::size_t r = 0; r < data.rows(); ++r) {
    answered += risks.multiple.answered[r];
    answered_weighted += risks.multiple.answered[r] ? weight(data, r) : 0;
  }
  EXPECT_EQ(f.answered, answered);
  EXPECT_LT(f.answered, static_cast<std::int64_t>(data.rows()));
  EXPECT_NEAR(f.answered_weighted, answered_weighted, 1e-9);
  for (std::size_t c = 0; c < 3; ++c) {
    std::int64_t count = 0;
    double weighted = 0;
    for (std::size_t r = 0; r < data.rows(); ++r) {
      count += risks.multiple.chosen[c][r];
      weighted += risks.multiple.chosen[c][r] ? weight(data, r) : 0;
    }
    EXPECT_EQ(f.counts[c], count) << c;
    EXPECT_NEAR(f.weighted[c], weighted, 1e-9) << c;
  }
}

TEST(Tabulate, crosstab_cells_hold_every_row_missing_ones_last) {
  Dataset data = sample();
  const Column& sex = data.require("sex", ColumnKind::choice);
  for (const char* name : {"age", "town"}) {
    const Column& other = data.require(name, ColumnKind::choice);
    WeightedTable t = weighted_table(data, sex, other);
    const std::size_t categories = other.spec.categories.size();
    ASSERT_EQ(t.counts.size(), 3 * (categories + 1));
    std::vector<std::int64_t> counts(t.counts.size());
    std::vector<double> weighted(t.counts.size());
    for (std::size_t r = 0; r < data.rows(); ++r) {
      std::uint16_t a = sex.choice.code(r), b = other.choice.code(r);
      std::size_t cell =
          t.cell(a == ChoiceColumn::missing ? 2 : a, b == ChoiceColumn::missing ? categories : b);
      ++counts[cell];
      weighted[cell] += weight(data, r);
    }
    EXPECT_EQ(t.counts, counts) << name;
    for (std::size_t c = 0; c < counts.size(); ++c) {
      EXPECT_NEAR(t.weighted[c], weighted[c], 1e-9) << name << " cell " << c;
    }
    EXPECT_GT(t.counts[t.cell(2, categories)], 0) << name;  // missing in both
  }
}

TEST(Tabulate, frequencies_of_all_agree_with_the_single_column_ones) {
  Dataset data = sample();
  auto all = frequencies_of_all(data);
  ASSERT_EQ(all.size(), data.columns().size());
  EXPECT_EQ(all[1].column, &data.require("age", ColumnKind::choice));
  EXPECT_EQ(all[1].choice.counts, frequencies(data, *all[1].column).counts);
  EXPECT_EQ(all[2].multiple.counts, multiple_frequencies(data, *all[2].column).counts);
  EXPECT_EQ(all[3].choice.missing, frequencies(data, *all[3].column).missing);

  const Column& income = data.require("income", ColumnKind::number);
  std::int64_t answered = 0;
  double sum = 0;
  for (std::size_t r = 0; r < data.rows(); ++r) {
    if (is_missing(income.numbers[r])) continue;
    ++answered;
    sum += weight(data, r) * income.numbers[r];
  }
  EXPECT_EQ(all[4].number.answered, answered);
  EXPECT_NEAR(all[4].number.weighted_sum, sum, 1e-6);
  EXPECT_NEAR(number_totals(data, income).weighted_sum, sum, 1e-6);
}

TEST(Tabulate, refuses_a_column_of_another_kind_or_dataset) {
  Dataset data = sample();
  Dataset other = sample();
  EXPECT_THROW(frequencies(data, data.require("risks", ColumnKind::multiple)),
               std::invalid_argument);
  EXPECT_THROW(frequencies(data, other.require("sex", ColumnKind::choice)), std::invalid_argument);
}

TEST(Dataset, appends_coded_rows_like_answers) {
  Dataset from_json = sample();
  Dataset coded({fixtures::choice_column("sex", {"m", "f"}),
                 fixtures::choice_column("age", {"young", "middle", "old"}),
                 multiple_column("risks", {"poverty", "illness", "none"}),
                 fixtures::choice_column("town", numbered_choices(300)), number_column("income")});
  coded.reserve(from_json.rows());
  const auto& columns = from_json.columns();
  for (std::size_t r = 0; r < from_json.rows(); ++r) {
    std::uint16_t codes[] = {columns[0].choice.code(r), columns[1].choice.code(r),
                             columns[3].choice.code(r)};
    std::uint64_t chosen[] = {0};
    for (std::size_t c = 0; c < 3; ++c)
      chosen[0] |= std::uint64_t{columns[2].multiple.chosen[c][r]} << c;
    double numbers[] = {columns[4].numbers[r]};
    coded.append(
        {.codes = codes, .chosen = chosen, .numbers = numbers, .weight = from_json.weights()[r]});
  }
  EXPECT_EQ(frequencies(coded, coded.columns()[3]).counts,
            frequencies(from_json, columns[3]).counts);
  EXPECT_EQ(weighted_table(coded, coded.columns()[0], coded.columns()[1]).counts,
            weighted_table(from_json, columns[0], columns[1]).counts);
  EXPECT_EQ(multiple_frequencies(coded, coded.columns()[2]).counts,
            multiple_frequencies(from_json, columns[2]).counts);
  std::uint16_t too_few[] = {0};
  EXPECT_THROW(coded.append({.codes = too_few, .chosen = {}, .numbers = {}, .weight = 1}),
               std::invalid_argument);
}

}  // namespace
}  // namespace needsmap::analysis
