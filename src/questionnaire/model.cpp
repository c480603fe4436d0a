#include "questionnaire/model.hpp"

#include <array>
#include <utility>

namespace needsmap::questionnaire {

namespace {
constexpr std::array<std::pair<QuestionType, std::string_view>, 13> type_names{{
    {QuestionType::single, "single"},
    {QuestionType::multiple, "multiple"},
    {QuestionType::scale, "scale"},
    {QuestionType::matrix, "matrix"},
    {QuestionType::ranking, "ranking"},
    {QuestionType::integer, "integer"},
    {QuestionType::decimal, "decimal"},
    {QuestionType::text, "text"},
    {QuestionType::long_text, "long_text"},
    {QuestionType::date, "date"},
    {QuestionType::year, "year"},
    {QuestionType::note, "note"},
    {QuestionType::calculate, "calculate"},
}};
}  // namespace

std::optional<QuestionType> question_type_from_string(std::string_view s) {
  for (const auto& [type, name] : type_names) {
    if (name == s) return type;
  }
  return std::nullopt;
}

std::string_view to_string(QuestionType type) {
  for (const auto& [t, name] : type_names) {
    if (t == type) return name;
  }
  return "?";
}

bool has_choices(QuestionType type) {
  return type == QuestionType::single || type == QuestionType::multiple ||
         type == QuestionType::scale || type == QuestionType::matrix ||
         type == QuestionType::ranking;
}

bool is_numeric(QuestionType type) {
  return type == QuestionType::integer || type == QuestionType::decimal ||
         type == QuestionType::year;
}

bool takes_answer(QuestionType type) {
  return type != QuestionType::note && type != QuestionType::calculate;
}

bool is_multi_valued(QuestionType type) {
  return type == QuestionType::multiple || type == QuestionType::ranking;
}

namespace {
const Choice* find_in(const std::vector<Choice>& list, std::string_view name) {
  for (const auto& c : list) {
    if (c.name == name) return &c;
  }
  return nullptr;
}
}  // namespace

const Choice* Question::find_choice(std::string_view n) const {
  return find_in(choices, n);
}
const Choice* Question::find_row(std::string_view n) const {
  return find_in(rows, n);
}

const Question* Questionnaire::find(std::string_view n) const {
  auto it = m_index.find(n);
  return it == m_index.end() ? nullptr : &m_questions[it->second];
}

}  // namespace needsmap::questionnaire
