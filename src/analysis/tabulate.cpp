#include "analysis/tabulate.hpp"

#include <algorithm>
#include <bit>
#include <cstring>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>

namespace needsmap::analysis {

namespace {

// Partial tables kept apart and added up at the end: consecutive rows of one cell go to different
// lanes, so that each add need not wait for the one before it to be stored.
constexpr std::size_t lanes = 4;

// Rows per block in frequencies_of_all: 16,384 weights are 128 KB, which stay in the L2 cache
// while every column's codes of the block are read. A multiple of 64, the rows of one bit word.
constexpr std::size_t block_rows = 16384;

void check_column(const Dataset& data, const Column& column, ColumnKind kind) {
  if (column.spec.kind != kind) {
    throw std::invalid_argument("column " + column.spec.name + " is not of the kind tabulated");
  }
  auto is_this = [&](const Column& c) { return &c == &column; };
  if (std::none_of(data.columns().begin(), data.columns().end(), is_this)) {
    throw std::invalid_argument("column " + column.spec.name + " is not the dataset's");
  }
}

// Calls f with the column's codes as stored, one or two bytes each.
template <class F>
void with_codes(const ChoiceColumn& column, F&& f) {
  if (column.wide()) {
    f(column.wide_codes());
  } else {
    f(column.narrow_codes());
  }
}

// A code's place in a table: the code itself, or `categories` for no answer (whose marker is the
// largest value of the code's type, above every code).
template <class Code>
std::size_t slot(Code code, std::size_t categories) {
  return std::min<std::size_t>(code, categories);
}

// Counts and weighted sums per cell.
class CellTally {
 public:
  explicit CellTally(std::size_t cells)
      : m_cells(cells), m_counts(lanes * cells, 0), m_weighted(lanes * cells, 0.0) {}

  // Adds rows [begin, end) to their cells (cell_of(row)), each with its weight w[row]. Everything
  // the loop reads is a local, so that the compiler need not reload it after every store.
  template <class CellOf>
  void add(std::size_t begin, std::size_t end, const double* w, CellOf cell_of) {
    const std::size_t cells = m_cells;
    std::int64_t* counts = m_counts.data();
    double* weighted = m_weighted.data();
    auto tally = [&](std::size_t lane, std::size_t r) {
      std::size_t c = lane * cells + cell_of(r);
      ++counts[c];
      weighted[c] += w[r];
    };
    static_assert(lanes == 4);
    std::size_t r = begin;
    for (; r + lanes <= end; r += lanes) {
      tally(0, r);
      tally(1, r + 1);
      tally(2, r + 2);
      tally(3, r + 3);
    }
    for (; r < end; ++r) tally(0, r);
  }

  // The lanes added up, per cell.
  std::pair<std::vector<std::int64_t>, std::vector<double>> totals() const {
    std::vector<std::int64_t> counts(m_counts.begin(), m_counts.begin() + m_cells);
    std::vector<double> weighted(m_weighted.begin(), m_weighted.begin() + m_cells);
    for (std::size_t lane = 1; lane < lanes; ++lane) {
      for (std::size_t c = 0; c < m_cells; ++c) {
        counts[c] += m_counts[lane * m_cells + c];
        weighted[c] += m_weighted[lane * m_cells + c];
      }
    }
    return {std::move(counts), std::move(weighted)};
  }

 private:
  std::size_t m_cells;
  std::vector<std::int64_t> m_counts;
  std::vector<double> m_weighted;
};

class ChoiceAccumulator {
 public:
  explicit ChoiceAccumulator(const Column& column)
      : m_codes(column.choice),
        m_categories(column.spec.categories.size()),
        m_tally(m_categories + 1) {}

  void add(std::size_t begin, std::size_t end, const double* w) {
    with_codes(m_codes, [&](auto codes) {
      m_tally.add(begin, end, w,
                  [codes, n = m_categories](std::size_t r) { return slot(codes[r], n); });
    });
  }

  Frequencies result() const {
    auto [counts, weighted] = m_tally.totals();
    Frequencies f{.counts = {},
                  .weighted = {},
                  .missing = counts.back(),
                  .missing_weighted = weighted.back()};
    counts.pop_back();
    weighted.pop_back();
    f.counts = std::move(counts);
    f.weighted = std::move(weighted);
    return f;
  }

 private:
  const ChoiceColumn& m_codes;
  std::size_t m_categories;
  CellTally m_tally;
};

// Adds the rows whose bits are set, and their weights in row order; w is the weight of the
// word's row 0. (Counting in this loop costs nothing; std::popcount is a library call unless the
// compiler may assume the POPCNT instruction.)
void add_bits(std::uint64_t bits, const double* w, std::int64_t& count, double& weighted) {
  double sum = 0;
  std::int64_t n = 0;
  for (; bits != 0; bits &= bits - 1, ++n) sum += w[std::countr_zero(bits)];
  count += n;
  weighted += sum;
}

class MultipleAccumulator {
 public:
  explicit MultipleAccumulator(const Column& column)
      : m_column(column.multiple),
        m_counts(column.multiple.chosen.size(), 0),
        m_weighted(column.multiple.chosen.size(), 0.0) {}

  // Rows [begin, end); begin is a multiple of 64, and so is end unless it is the last row.
  void add(std::size_t begin, std::size_t end, const double* w) {
    auto answered = m_column.answered.words();
    for (std::size_t word = begin / 64; word < (end + 63) / 64; ++word) {
      const double* word_weights = w + word * 64;
      add_bits(answered[word], word_weights, m_answered, m_answered_weighted);
      for (std::size_t c = 0; c < m_counts.size(); ++c) {
        add_bits(m_column.chosen[c].words()[word], word_weights, m_counts[c], m_weighted[c]);
      }
    }
  }

  MultipleFrequencies result() const {
    return {.counts = m_counts,
            .weighted = m_weighted,
            .answered = m_answered,
            .answered_weighted = m_answered_weighted};
  }

 private:
  const MultipleColumn& m_column;
  std::vector<std::int64_t> m_counts;
  std::vector<double> m_weighted;
  std::int64_t m_answered{0};
  double m_answered_weighted{0};
};

using Doubles = double __attribute__((vector_size(16)));
using Pair = std::int64_t __attribute__((vector_size(16)));  // also a mask of two lanes

Doubles load(const double* at) {
  Doubles v;
  std::memcpy(&v, at, sizeof v);
  return v;
}

// v in the lanes whose mask is all ones, zero in the others.
Doubles masked(Doubles v, Pair mask) {
  return std::bit_cast<Doubles>(std::bit_cast<Pair>(v) & mask);
}

class NumberAccumulator {
 public:
  explicit NumberAccumulator(const Column& column) : m_numbers(column.numbers) {}

  // Two rows at a time in vector registers (GCC's generic vectors: SSE2 on x86-64), without a
  // branch per row (missing answers come at random): a row's terms are masked off when its number
  // is NaN, the only value not equal to itself.
  void add(std::size_t begin, std::size_t end, const double* w) {
    const double* numbers = m_numbers.data();
    Pair answered{};
    Doubles weight{}, weighted_sum{};
    std::size_t r = begin;
    for (; r + 2 <= end; r += 2) {
      Doubles x = load(numbers + r), weights = load(w + r);
      Pair present = x == x;
      answered -= present;  // true is all ones, -1
      weight += masked(weights, present);
      weighted_sum += masked(weights * x, present);
    }
    m_totals.answered += answered[0] + answered[1];
    m_totals.weight += weight[0] + weight[1];
    m_totals.weighted_sum += weighted_sum[0] + weighted_sum[1];
    for (; r < end; ++r) {
      if (is_missing(numbers[r])) continue;
      ++m_totals.answered;
      m_totals.weight += w[r];
      m_totals.weighted_sum += w[r] * numbers[r];
    }
  }

  NumberTotals result() const { return m_totals; }

 private:
  const std::vector<double>& m_numbers;
  NumberTotals m_totals;
};

using Accumulator = std::variant<ChoiceAccumulator, MultipleAccumulator, NumberAccumulator>;

Accumulator accumulator_for(const Column& column) {
  switch (column.spec.kind) {
    case ColumnKind::choice:
      return ChoiceAccumulator(column);
    case ColumnKind::multiple:
      return MultipleAccumulator(column);
    case ColumnKind::number:
      break;
  }
  return NumberAccumulator(column);
}

// Runs one column's accumulator over every row.
template <class Result, class Accumulator>
Result tabulate_one(const Dataset& data, const Column& column, ColumnKind kind) {
  check_column(data, column, kind);
  Accumulator accumulator(column);
  accumulator.add(0, data.rows(), data.weights().data());
  return accumulator.result();
}

}  // namespace

Frequencies frequencies(const Dataset& data, const Column& choice) {
  return tabulate_one<Frequencies, ChoiceAccumulator>(data, choice, ColumnKind::choice);
}

MultipleFrequencies multiple_frequencies(const Dataset& data, const Column& multiple) {
  return tabulate_one<MultipleFrequencies, MultipleAccumulator>(data, multiple,
                                                                ColumnKind::multiple);
}

NumberTotals number_totals(const Dataset& data, const Column& number) {
  return tabulate_one<NumberTotals, NumberAccumulator>(data, number, ColumnKind::number);
}

WeightedTable weighted_table(const Dataset& data, const Column& rows, const Column& columns) {
  check_column(data, rows, ColumnKind::choice);
  check_column(data, columns, ColumnKind::choice);
  const std::size_t row_categories = rows.spec.categories.size();
  const std::size_t column_categories = columns.spec.categories.size();
  const std::size_t stride = column_categories + 1;
  CellTally tally((row_categories + 1) * stride);
  with_codes(rows.choice, [&](auto row_codes) {
    with_codes(columns.choice, [&](auto column_codes) {
      tally.add(0, data.rows(), data.weights().data(), [=](std::size_t r) {
        return slot(row_codes[r], row_categories) * stride +
               slot(column_codes[r], column_categories);
      });
    });
  });
  auto [counts, weighted] = tally.totals();
  return {.row_categories = row_categories,
          .column_categories = column_categories,
          .counts = std::move(counts),
          .weighted = std::move(weighted)};
}

std::vector<ColumnFrequencies> frequencies_of_all(const Dataset& data) {
  std::vector<Accumulator> accumulators;
  accumulators.reserve(data.columns().size());
  for (const auto& column : data.columns()) accumulators.push_back(accumulator_for(column));
  const double* w = data.weights().data();
  for (std::size_t begin = 0; begin < data.rows(); begin += block_rows) {
    std::size_t end = std::min(begin + block_rows, data.rows());
    for (auto& a : accumulators) std::visit([&](auto& kind) { kind.add(begin, end, w); }, a);
  }
  std::vector<ColumnFrequencies> all(data.columns().size());
  for (std::size_t i = 0; i < all.size(); ++i) {
    all[i].column = &data.columns()[i];
    std::visit(
        [&](const auto& kind) {
          auto result = kind.result();
          if constexpr (std::is_same_v<decltype(result), Frequencies>) all[i].choice = result;
          if constexpr (std::is_same_v<decltype(result), MultipleFrequencies>) {
            all[i].multiple = result;
          }
          if constexpr (std::is_same_v<decltype(result), NumberTotals>) all[i].number = result;
        },
        accumulators[i]);
  }
  return all;
}

}  // namespace needsmap::analysis
