// The columnar dataset the analysis engine computes on: one column per analysable question, one
// row per response. Choice codes are compact integers (one byte while a question has fewer than
// 255 choices), a multiple choice is one bit vector per choice, numbers are doubles, and every row
// has a weight (1 until weighting changes it).
#pragma once

#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "questionnaire/model.hpp"
#include "store/store.hpp"

namespace needsmap::analysis {

enum class ColumnKind { choice, multiple, number };

// What a column holds: its name (a question's, or "question/row" for a matrix row), its kind and,
// for choices, the choice names in questionnaire order (code i is categories[i]). `question` and
// `row` say where the answer is: answers[question], or answers[question][row] for a matrix row.
struct ColumnSpec {
  std::string name;
  ColumnKind kind{ColumnKind::choice};
  std::vector<std::string> categories;
  std::string question;  // empty: the same as name
  std::string row;
};

// Bits over rows, 64 to a word.
class BitVector {
 public:
  void push_back(bool bit);
  void reserve(std::size_t bits) { m_words.reserve((bits + 63) / 64); }
  bool operator[](std::size_t i) const { return (m_words[i / 64] >> (i % 64)) & 1u; }
  std::size_t size() const { return m_size; }
  std::size_t bytes() const { return m_words.capacity() * sizeof(std::uint64_t); }
  // Row i is bit i % 64 of word i / 64; the bits past size() are 0.
  std::span<const std::uint64_t> words() const { return m_words; }

 private:
  std::vector<std::uint64_t> m_words;
  std::size_t m_size{0};
};

// Single choice (and scale, and a matrix row): one code per row.
class ChoiceColumn {
 public:
  static constexpr std::uint16_t missing = std::numeric_limits<std::uint16_t>::max();
  // A missing answer among narrow codes.
  static constexpr std::uint8_t narrow_missing = std::numeric_limits<std::uint8_t>::max();

  explicit ChoiceColumn(std::size_t categories);
  std::uint16_t code(std::size_t row) const {
    if (m_wide) return m_codes16[row];
    std::uint8_t c = m_codes8[row];
    return c == narrow_missing ? missing : c;
  }
  void push_back(std::uint16_t code);
  void reserve(std::size_t rows);
  std::size_t size() const { return m_wide ? m_codes16.size() : m_codes8.size(); }
  std::size_t bytes() const;

  // The codes as stored, for loops without a branch per row: one byte each, narrow_missing for
  // no answer (empty when wide()), or two bytes each, `missing` for no answer (empty unless
  // wide()). Either way no answer is the largest value, above every code.
  bool wide() const { return m_wide; }
  std::span<const std::uint8_t> narrow_codes() const { return m_codes8; }
  std::span<const std::uint16_t> wide_codes() const { return m_codes16; }

 private:
  // One byte per row while every code and the missing marker fit in one.
  bool m_wide{false};
  std::vector<std::uint8_t> m_codes8;
  std::vector<std::uint16_t> m_codes16;
};

// Multiple choice: per choice, whether the row chose it; and whether the row answered at all.
struct MultipleColumn {
  std::vector<BitVector> chosen;
  BitVector answered;
};

struct Column {
  ColumnSpec spec;
  ChoiceColumn choice{0};
  MultipleColumn multiple;
  std::vector<double> numbers;  // NaN where not answered

  std::size_t bytes() const;
};

// One response given directly rather than as JSON, each span in column order of its kind: per
// choice column the code (ChoiceColumn::missing: no answer), per multiple-choice column the chosen
// choices as bits (bit i: choice i, so at most 64 choices; 0: no answer), per number column the
// value (NaN: no answer). For building large datasets fast (the benchmarks).
struct CodedRow {
  std::span<const std::uint16_t> codes;
  std::span<const std::uint64_t> chosen;
  std::span<const double> numbers;
  double weight{1};
};

class Dataset {
 public:
  explicit Dataset(std::vector<ColumnSpec> specs);

  // Appends one response: `answers` is its JSON object keyed by question name. Answers that are
  // not a known choice or not a number count as missing.
  void append(const nlohmann::json& answers);
  // Appends one response given as codes; throws std::invalid_argument when a span's length is not
  // the number of columns of its kind. Codes that are not a choice count as missing.
  void append(const CodedRow& row);
  // Makes room for this many rows in every column.
  void reserve(std::size_t rows);

  std::size_t rows() const { return m_weights.size(); }
  const std::vector<Column>& columns() const { return m_columns; }
  const Column* find(std::string_view name) const;
  // The column or an std::invalid_argument naming it and the kind expected.
  const Column& require(std::string_view name, ColumnKind kind) const;

  const std::vector<double>& weights() const { return m_weights; }
  std::vector<double>& weights() { return m_weights; }

  // A copy of the rows whose `keep` is non-zero (one entry per row), weights included.
  Dataset select_rows(const std::vector<char>& keep) const;

  // Memory held by the columns and weights.
  std::size_t bytes() const;

 private:
  void append_value(Column& column, const nlohmann::json* value);
  std::vector<Column> m_columns;
  std::size_t m_choice_columns{0}, m_multiple_columns{0}, m_number_columns{0};
  std::vector<double> m_weights;
};

inline bool is_missing(double number) {
  return std::isnan(number);
}

// The columns a questionnaire gives: single choice and scale as choices, a matrix as one choice
// column per row, multiple choice as bits, a ranking as the bits of the choices it ranks (their
// order is left out), integers, decimals and years as numbers. Text and dates are not analysed.
std::vector<ColumnSpec> columns_for(const questionnaire::Questionnaire& q);

// The dataset of one campaign's stored responses; `added` (if set) sees each response that
// became a row.
Dataset build_dataset(store::Store& store, std::int64_t campaign_id,
                      const questionnaire::Questionnaire& q,
                      const std::function<void(const store::ResponseRecord&)>& added = {});

}  // namespace needsmap::analysis
