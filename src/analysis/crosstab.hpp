// Crosstabs of single-choice questions: weighted counts and shares per cell with linearised
// standard errors that account for raking, logit intervals, respondents per cell, and row and
// column totals; a three-way table is a two-way table within each category of a layer question.
// With them, the test of independence: Pearson's X² when the sample is unweighted, and Rao &
// Scott's design-based corrections when it is weighted (Rao & Scott 1981, 1984; Lumley,
// "Complex Surveys", 2010, §6.2), as R's svychisq() gives them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/dataset.hpp"
#include "analysis/disclosure.hpp"
#include "analysis/estimates.hpp"
#include "analysis/variance.hpp"

namespace needsmap::analysis {

// One cell of a table. Its shares carry the row's choice as `group` and the column's as
// `category`.
struct CrosstabCell {
  std::int64_t n{0};     // respondents in the cell
  double weighted{0};    // their weights' sum: the estimated number of people
  Estimate of_table{};   // share of everyone in the table (the layer)
  Estimate of_row{};     // share of the row: the row's distribution over the columns
  Estimate of_column{};  // share of the column
};

// A row's or a column's total.
struct CrosstabMargin {
  std::string category{};
  std::int64_t n{0};
  double weighted{0};
  Estimate of_table{};  // the row's (column's) share of everyone in the table
};

// A two-way table of the respondents who answered both questions (and, in a layer, who gave
// the layer's choice). Rows and columns in choice order, empty ones included.
struct CrosstabTable {
  std::string layer{};  // the layer question's choice; empty in a two-way crosstab
  std::vector<CrosstabMargin> rows{};
  std::vector<CrosstabMargin> columns{};
  std::vector<CrosstabCell> cells{};  // row by row
  std::int64_t n{0};
  double weighted{0};

  const CrosstabCell& cell(std::size_t row, std::size_t column) const {
    return cells[row * columns.size() + column];
  }
};

struct Crosstab {
  std::string row_question{};
  std::string column_question{};
  std::string layer_question{};         // empty: a two-way crosstab
  std::vector<CrosstabTable> tables{};  // one per layer choice, or the one table
};

// The crosstab of two single-choice questions, within each choice of `layer` when one is
// named. Throws std::invalid_argument when a question is missing or not a single choice.
Crosstab crosstab(const Dataset& data, const Design& design, std::string_view rows,
                  std::string_view columns, std::string_view layer = "");

// A table's counts for suppress(): every cell, each row's and column's total and the grand
// total, with the relations a reader could add up — each row with its total, each column with
// its total, and the row totals and the column totals each with the grand total. The cells
// live in the object, so it can be neither copied nor moved.
class CrosstabDisclosure {
 public:
  explicit CrosstabDisclosure(const CrosstabTable& table);
  CrosstabDisclosure(const CrosstabDisclosure&) = delete;
  CrosstabDisclosure& operator=(const CrosstabDisclosure&) = delete;

  Cell& cell(std::size_t row, std::size_t column) { return m_cells[row * m_columns + column]; }
  Cell& row_total(std::size_t row) { return m_cells[m_rows * m_columns + row]; }
  Cell& column_total(std::size_t column) { return m_cells[m_rows * m_columns + m_rows + column]; }
  Cell& total() { return m_cells.back(); }

  std::vector<Cell*> cells();
  const std::vector<Relation>& relations() const { return m_relations; }
  // suppress() over all of them: counts of 1…k−1 and enough complements to protect them.
  void suppress(std::int64_t k);

 private:
  std::size_t m_rows;
  std::size_t m_columns;
  std::vector<Cell> m_cells;
  std::vector<Relation> m_relations;
};

// The test of independence of a table's rows and columns. Rows and columns nobody in the table
// chose are left out, as R leaves out levels that do not occur.
struct IndependenceTest {
  std::string layer{};
  bool tested{false};  // false: fewer than two rows or columns with anyone in them, or ...
  bool fixed_by_weights{false};  // ... the weights were raked to this table: nothing to test
  std::int64_t n{0};             // respondents in the table
  double df{0};                  // (rows − 1)(columns − 1)
  double pearson{0};             // Pearson's X² of the weighted table scaled to n respondents
  bool rao_scott{false};         // weighted or raked: the design-based statistics below are set
  // First-order correction (Rao & Scott 1981): X² over the mean generalised design effect,
  // against chi-square with df; R's svychisq(statistic = "Chisq") p-value.
  double chisq{0};
  double chisq_p{0};
  // Second-order correction (Rao & Scott 1984): X² over the sum of the design effects, against F
  // with ndf = (sum δ)² / sum δ² and ddf = ndf (respondents − 1); R's default, statistic = "F".
  double f{0};
  double ndf{0};
  double ddf{0};
  // The test's p-value: the F test's when rao_scott, Pearson's chi-square test's otherwise.
  double p{0};
};

// The test for each table of crosstab(data, design, rows, columns, layer).
std::vector<IndependenceTest> test_independence(const Dataset& data, const Design& design,
                                                std::string_view rows, std::string_view columns,
                                                std::string_view layer = "");

}  // namespace needsmap::analysis
