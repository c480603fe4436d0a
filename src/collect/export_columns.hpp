// The columns of a campaign's export, shared by every format (CSV, XLSX, SPSS, the codebook): which
// columns there are, in which order, what they are called, and each response's value in each.
// This is the one place that decides them; the writers only decide how a value is spelled.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/error.hpp"
#include "questionnaire/model.hpp"
#include "store/store.hpp"

namespace needsmap::collect {

// The value labels of a multiple choice's 0/1 indicator columns (SPSS value labels, codebook).
inline constexpr std::string_view not_selected_label = "not selected";
inline constexpr std::string_view selected_label = "selected";

// What every export is asked for.
struct ExportOptions {
  bool labels{false};               // CSV and XLSX: choice labels instead of choice names
  std::string language{"sr-Cyrl"};  // of the labels, the codebook and SPSS's labels
};

// What a column holds; each format writes each kind in its own way.
enum class ColumnKind {
  response_id,   // text: the response's random id
  submitted_on,  // date: the day it was sent
  mode,          // text: web, api, interview, paper
  language,      // text: the language it was answered in
  choice,        // one of choices(): a single choice, a scale, a matrix row, a ranking place
  selected,      // 0 or 1: whether a multiple choice's option was chosen
  number,        // integer, decimal, year
  date,          // YYYY-MM-DD
  text,          // text, long text, "other, please specify"
  calculated,    // a calculate question's value: text, often a number
};

struct ExportColumn {
  // The CSV and XLSX header: question, question/option, question/row or question/place.
  std::string name;
  // A valid SPSS variable name derived from `name` (see spss_variable_names).
  std::string spss_name;
  ColumnKind kind{ColumnKind::text};
  const questionnaire::Question* question{nullptr};  // none for the response's own fields
  const questionnaire::Choice* part{nullptr};        // the option (selected) or the matrix row
  int place{0};                                      // a ranking column's place, from 1
  const questionnaire::Question* other_of{nullptr};  // "other, please specify": the question

  // The question's label; for an option, a row or a place, followed by " — " and its label or
  // number; for "other, please specify", the question's label and the choice's; for a
  // calculation without a label, "Calculated: " and its expression.
  std::string label(std::string_view language) const;
  // The language label() is really in: `language` when the texts have it, else sr-Cyrl.
  std::string_view label_language(std::string_view language) const;
  // The choices a choice column holds one of, in order: the code of a choice is its position
  // from 1. Empty for other kinds.
  std::span<const questionnaire::Choice> choices() const;
  // The most bytes a text value can take (max_length characters of up to 4 bytes); 0 when the
  // question sets no limit or the column is not text.
  std::size_t max_bytes() const;
};

// One response's value in one column.
struct Cell {
  enum class Type {
    missing,  // unanswered, or the question did not apply
    number,   // `number`: a number answer, or 0/1 for a selected column
    choice,   // `choice` and its code in `number` (1..n)
    text,     // `text`: text, a date, a calculated value, a field of the response; also a value
              // that is not what the column expects (a choice name that is not in the list)
  };
  Type type{Type::missing};
  double number{0};
  const questionnaire::Choice* choice{nullptr};
  std::string text;
};

class ExportColumns {
 public:
  explicit ExportColumns(const questionnaire::Questionnaire& q);
  ~ExportColumns();
  // Columns refer to the questionnaire, which must outlive them; they cannot be moved from it.
  ExportColumns(const ExportColumns&) = delete;
  ExportColumns& operator=(const ExportColumns&) = delete;

  const questionnaire::Questionnaire& questionnaire() const { return m_questionnaire; }
  const std::vector<ExportColumn>& columns() const { return m_columns; }

  // Reads a stored response into `row`, one cell per column, reusing the row's storage (and the
  // JSON parser's) so that a stream of responses allocates little. Fails when the answers are not
  // a JSON object. Not for two threads at once.
  Result<void> read(const store::ResponseRecord& response, std::vector<Cell>& row) const;

 private:
  // The columns one answer fills: a question's first column and how many follow.
  struct Group {
    const questionnaire::Question* question{nullptr};
    std::size_t first{0};
    std::size_t count{0};
  };
  struct NameHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  using Index = std::unordered_map<std::string, std::size_t, NameHash, std::equal_to<>>;

  void add(std::string name, ColumnKind kind, const questionnaire::Question* question = nullptr,
           const questionnaire::Choice* part = nullptr, int place = 0,
           const questionnaire::Question* other_of = nullptr);
  void fill_choice(const Group& g, const Index& codes, std::size_t column, std::string_view name,
                   std::vector<Cell>& row) const;
  struct Parser;

  const questionnaire::Questionnaire& m_questionnaire;
  std::vector<ExportColumn> m_columns;
  std::vector<Group> m_groups;
  Index m_group_of;                   // question name → group
  std::vector<Index> m_choice_codes;  // per group: choice name → position
  std::vector<Index> m_part_offsets;  // per group: option or row name → column offset
  mutable std::unique_ptr<Parser> m_parser;
};

// Visits the campaign's responses, each read into a row of cells, in the order of the export
// (date sent, then id), streaming from the database. Stops visiting at the first failure (its own
// or `visit`'s) and returns it; otherwise returns how many rows were visited.
Result<std::size_t> for_each_row(
    store::Store& store, const store::Campaign& campaign, const ExportColumns& columns,
    const std::function<Result<void>(const std::vector<Cell>&)>& visit);

// Valid, distinct SPSS variable names for column names, in the same order, the same for the same
// names every time: `/` and every other character SPSS does not take become `_`; a name that does
// not start with a letter gets a `v` in front; SPSS's reserved words (ALL, AND, BY, EQ, GE, GT, LE,
// LT, NE, NOT, OR, TO, WITH) get a `_` after them; names are cut to 64 bytes. Names that needed no
// change are claimed first, so a question keeps its own name; a derived name that is already taken
// (SPSS ignores case) gets `_2`, `_3`, … (`risks/other` becomes `risks_other_2` beside the text
// question `risks_other`).
std::vector<std::string> spss_variable_names(std::span<const std::string> names);

// `text` cut to at most `max_bytes` bytes without splitting a UTF-8 character.
std::string_view utf8_prefix(std::string_view text, std::size_t max_bytes);

// How a number is spelled in the CSV and in expressions: integers without ".0".
std::string format_number(double value);

// A plain decimal number ("1", "-2.5", no exponent, no "+"), as calculations give them; none for
// anything else.
std::optional<double> plain_number(std::string_view text);

// A date as answers and the date sent are stored (YYYY-MM-DD); none for anything else.
std::optional<std::chrono::year_month_day> parse_date(std::string_view text);

}  // namespace needsmap::collect
