// Answers to a questionnaire: which questions apply, and whether the answers given are acceptable.
//
// Answers are a JSON object, question name → value, exactly as the API carries them (see
// docs/questionnaire-format.md): a choice name, an array of names, an object of row → choice, a
// number or a string. An unanswered question is absent.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "questionnaire/model.hpp"

namespace needsmap::questionnaire {

enum class IssueCode {
  required,            // a required question has no answer
  unknown_question,    // no question of that name
  not_answerable,      // a note or calculate was given a value
  not_relevant,        // answered, but the question does not apply
  wrong_type,          // e.g. a string where a number belongs
  not_a_choice,        // a name that is not in the list
  unknown_row,         // a matrix row that does not exist
  duplicate_choice,    // the same choice twice
  exclusive_combined,  // "none of these" with something else
  too_few,             // fewer than min_selections / min_rank          {min}
  too_many,            // more than max_selections / max_rank           {max}
  not_whole_number,    // 2.5 for an integer
  not_a_number,        // "abc" typed into a number field
  below_minimum,       // {min}
  above_maximum,       // {max}
  invalid_date,        // not YYYY-MM-DD (or DD.MM.YYYY on the form)
  date_too_early,      // {min}
  date_too_late,       // {max}
  too_long,            // {max} characters
  constraint,          // the question's constraint is false
};

std::string_view to_string(IssueCode code);

struct AnswerIssue {
  std::string question;
  IssueCode code;
  nlohmann::json params = nlohmann::json::object();  // numbers or strings for the message
  const LocalizedText* custom_message{nullptr};      // the author's required/constraint message
};

// Which questions apply to a set of answers and the values expressions see.
struct AnswerState {
  std::vector<bool> relevant;       // per question, section relevance included
  std::vector<bool> required;       // relevant and required
  std::vector<std::string> values;  // the expression value; "" when not relevant
  std::vector<bool> section_relevant;
};

AnswerState evaluate(const Questionnaire& questionnaire, const nlohmann::json& answers,
                     const std::string& today);

// The string an expression sees for an answer value.
std::string expression_value(const Question& question, const nlohmann::json& value);

// Removes "", [] and {} (an unanswered question is absent).
void drop_empty_answers(nlohmann::json& answers);

enum class IrrelevantAnswers { reject, drop };

// validate() reports at most this many unknown question names.
inline constexpr std::size_t max_issues = 50;

struct ValidationScope {
  std::optional<std::size_t> section;  // only this section's questions; all when empty
  IrrelevantAnswers irrelevant{IrrelevantAnswers::reject};
};

// Checks answers against the questionnaire. With IrrelevantAnswers::drop, answers to questions
// that do not apply are removed from `answers` instead of being reported. Issues come in
// questionnaire order, at most one per question.
// When `state` is given it receives the evaluated answers (for final_answers without a second
// evaluation).
std::vector<AnswerIssue> validate(const Questionnaire& questionnaire, nlohmann::json& answers,
                                  const std::string& today, const ValidationScope& scope = {},
                                  AnswerState* state = nullptr);

// The answers to store: relevant answers only, plus the values of calculate questions.
nlohmann::json final_answers(const Questionnaire& questionnaire, const nlohmann::json& answers,
                             const std::string& today);
nlohmann::json final_answers(const Questionnaire& questionnaire, const nlohmann::json& answers,
                             const AnswerState& state);

}  // namespace needsmap::questionnaire
