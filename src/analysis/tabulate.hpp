// Weighted tabulation at memory speed: one-way frequencies of a choice or a multiple-choice
// column, two-way tables of two choice columns, and the frequencies of every column at once.
// Counts and weighted sums only; shares, standard errors and withholding are estimates.hpp's.
#pragma once

#include <cstdint>
#include <vector>

#include "analysis/dataset.hpp"

namespace needsmap::analysis {

// A choice column's rows and weights per code (in the column's category order), and apart those
// without an answer.
struct Frequencies {
  std::vector<std::int64_t> counts;
  std::vector<double> weighted;
  std::int64_t missing{0};
  double missing_weighted{0};
};

// A multiple-choice column's respondents choosing each choice, and those who answered at all.
struct MultipleFrequencies {
  std::vector<std::int64_t> counts;
  std::vector<double> weighted;
  std::int64_t answered{0};
  double answered_weighted{0};
};

// A number column's answered rows, their weight and their weighted sum (for the mean).
struct NumberTotals {
  std::int64_t answered{0};
  double weight{0};
  double weighted_sum{0};
};

// A two-way table of two choice columns. Cells are row-major over (row codes, then no answer) ×
// (column codes, then no answer), so the last row and the last column are the missing answers.
struct WeightedTable {
  std::size_t row_categories{0};
  std::size_t column_categories{0};
  std::vector<std::int64_t> counts;
  std::vector<double> weighted;

  // Pass row_categories or column_categories for no answer.
  std::size_t cell(std::size_t row_code, std::size_t column_code) const {
    return row_code * (column_categories + 1) + column_code;
  }
};

// One column's frequencies, of the kind of the column.
struct ColumnFrequencies {
  const Column* column{nullptr};
  Frequencies choice;
  MultipleFrequencies multiple;
  NumberTotals number;
};

// All weighted by data.weights(). The columns must belong to `data`; the wrong kind of column is
// an std::invalid_argument.
Frequencies frequencies(const Dataset& data, const Column& choice);
MultipleFrequencies multiple_frequencies(const Dataset& data, const Column& multiple);
NumberTotals number_totals(const Dataset& data, const Column& number);
WeightedTable weighted_table(const Dataset& data, const Column& rows, const Column& columns);
// Every column in one pass over the rows, block by block so that the weights stay in cache.
std::vector<ColumnFrequencies> frequencies_of_all(const Dataset& data);

}  // namespace needsmap::analysis
