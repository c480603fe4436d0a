#include "analysis/disclosure.hpp"

#include <gtest/gtest.h>

namespace needsmap::analysis {
namespace {

std::vector<Cell*> pointers(std::vector<Cell>& cells) {
  std::vector<Cell*> out;
  for (auto& c : cells) out.push_back(&c);
  return out;
}

std::vector<bool> hidden(const std::vector<Cell>& cells) {
  std::vector<bool> out;
  for (const auto& c : cells) out.push_back(c.hidden);
  return out;
}

TEST(Disclosure, counts_below_k_are_hidden_and_zero_and_k_are_not) {
  std::vector<Cell> cells{{0}, {1}, {4}, {5}, {40}};
  suppress(pointers(cells), {}, 5);
  EXPECT_EQ(hidden(cells), (std::vector<bool>{false, true, true, false, false}));
}

TEST(Disclosure, a_lone_hidden_cell_of_a_total_takes_the_smallest_other_with_it) {
  // 30 + 12 + 3 = 45: with 45 shown, hiding 3 alone would leave 45 − 30 − 12.
  std::vector<Cell> cells{{30}, {12}, {3}, {45}};
  auto p = pointers(cells);
  suppress(p, {p}, 5);
  EXPECT_EQ(hidden(cells), (std::vector<bool>{false, true, true, false}));
}

TEST(Disclosure, two_hidden_cells_of_a_total_need_nothing_more) {
  std::vector<Cell> cells{{30}, {2}, {3}, {35}};
  auto p = pointers(cells);
  suppress(p, {p}, 5);
  EXPECT_EQ(hidden(cells), (std::vector<bool>{false, true, true, false}));
}

TEST(Disclosure, a_non_zero_cell_is_hidden_before_a_zero) {
  std::vector<Cell> cells{{0}, {20}, {2}, {22}};
  auto p = pointers(cells);
  suppress(p, {p}, 5);
  EXPECT_EQ(hidden(cells), (std::vector<bool>{false, true, true, false}));
}

TEST(Disclosure, hiding_spreads_across_rows_and_columns_until_no_line_has_one_hidden_cell) {
  // A 2 × 2 table with margins:
  //        web  api | total
  //  day1   6    2  |   8
  //  day2  10    9  |  19
  //  total 16   11  |  27
  std::vector<Cell> t{{6}, {2}, {8}, {10}, {9}, {19}, {16}, {11}, {27}};
  auto c = [&](int i) { return &t[static_cast<std::size_t>(i)]; };
  std::vector<Relation> lines{{c(0), c(1), c(2)}, {c(3), c(4), c(5)}, {c(6), c(7), c(8)},
                              {c(0), c(3), c(6)}, {c(1), c(4), c(7)}, {c(2), c(5), c(8)}};
  suppress(pointers(t), lines, 5);
  for (const auto& line : lines) {
    int n = 0;
    for (const Cell* cell : line) n += cell->hidden;
    EXPECT_NE(n, 1) << "a line with exactly one hidden cell gives it away";
  }
  EXPECT_TRUE(t[1].hidden);
  EXPECT_TRUE(t[0].hidden) << "day 1's web count would give the API count back";
}

}  // namespace
}  // namespace needsmap::analysis
