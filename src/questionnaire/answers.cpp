#include "questionnaire/answers.hpp"

#include <cmath>
#include <set>

#include "core/clock.hpp"
#include "core/text.hpp"

namespace needsmap::questionnaire {

using json = nlohmann::json;

std::string_view to_string(IssueCode code) {
  switch (code) {
    case IssueCode::required:
      return "required";
    case IssueCode::unknown_question:
      return "unknown_question";
    case IssueCode::not_answerable:
      return "not_answerable";
    case IssueCode::not_relevant:
      return "not_relevant";
    case IssueCode::wrong_type:
      return "wrong_type";
    case IssueCode::not_a_choice:
      return "not_a_choice";
    case IssueCode::unknown_row:
      return "unknown_row";
    case IssueCode::duplicate_choice:
      return "duplicate_choice";
    case IssueCode::exclusive_combined:
      return "exclusive_combined";
    case IssueCode::too_few:
      return "too_few";
    case IssueCode::too_many:
      return "too_many";
    case IssueCode::not_whole_number:
      return "not_whole_number";
    case IssueCode::not_a_number:
      return "not_a_number";
    case IssueCode::below_minimum:
      return "below_minimum";
    case IssueCode::above_maximum:
      return "above_maximum";
    case IssueCode::invalid_date:
      return "invalid_date";
    case IssueCode::date_too_early:
      return "date_too_early";
    case IssueCode::date_too_late:
      return "date_too_late";
    case IssueCode::too_long:
      return "too_long";
    case IssueCode::constraint:
      return "constraint";
  }
  return "?";
}

std::string expression_value(const Question& question, const json& value) {
  if (value.is_null()) return "";
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number()) return Value::of_number(value.get<double>()).as_string();
  if (value.is_boolean()) return value.get<bool>() ? "true" : "false";
  if (value.is_array()) {
    std::string joined;
    for (const auto& item : value) {
      if (!item.is_string()) continue;
      if (!joined.empty()) joined.push_back(' ');
      joined += item.get<std::string>();
    }
    return joined;
  }
  (void)question;
  return "";  // a matrix is seen row by row, as ${question/row}
}

namespace {

bool is_empty_answer(const json& value) {
  return value.is_null() || (value.is_string() && value.get_ref<const std::string&>().empty()) ||
         (value.is_array() && value.empty()) || (value.is_object() && value.empty());
}

// Evaluates expressions against the answers, question by question in dependency order.
class Evaluator {
 public:
  Evaluator(const Questionnaire& q, const json& answers, const std::string& today) : m_q(q) {
    std::size_t n = q.questions().size();
    m_state.relevant.assign(n, false);
    m_state.required.assign(n, false);
    m_state.values.assign(n, "");
    m_state.section_relevant.assign(q.sections().size(), true);
    m_section_done.assign(q.sections().size(), false);
    m_context.today = today;
    m_context.lookup = [this](std::string_view name) { return lookup(name); };
    // One pass over the answers, so later lookups are by question index, not by name.
    m_answer_of.assign(n, nullptr);
    if (answers.is_object()) {
      for (auto it = answers.begin(); it != answers.end(); ++it) {
        if (const Question* question = q.find(it.key())) {
          m_answer_of[static_cast<std::size_t>(question - q.questions().data())] = &it.value();
        } else {
          m_unknown.push_back(&it.key());
        }
      }
    }
  }

  // Names answered that are no question of the questionnaire.
  const std::vector<const std::string*>& unknown() const { return m_unknown; }

  // The answer given to question `i`, or null.
  const json* answer(std::size_t i) const { return m_answer_of[i]; }

  AnswerState& state() { return m_state; }

  const AnswerState& run() {
    for (std::size_t i : m_q.evaluation_order()) {
      const Question& question = m_q.questions()[i];
      bool relevant = section_relevant(question.section) &&
                      (!question.relevant || question.relevant->evaluate_boolean(m_context));
      m_state.relevant[i] = relevant;
      if (!relevant) continue;
      if (question.type == QuestionType::calculate) {
        m_state.values[i] = question.calculation->evaluate(m_context).as_string();
      } else if (const json* value = m_answer_of[i]) {
        m_state.values[i] = expression_value(question, *value);
      }
      m_state.required[i] =
          question.required ||
          (question.required_when && question.required_when->evaluate_boolean(m_context));
    }
    return m_state;
  }

  // The context for a constraint, with `current` as `.`.
  EvaluationContext context_with_current(std::string_view current) {
    EvaluationContext c = m_context;
    c.current = current;
    return c;
  }

 private:
  bool section_relevant(std::size_t s) {
    if (!m_section_done[s]) {
      m_section_done[s] = true;
      const auto& relevant = m_q.sections()[s].relevant;
      m_state.section_relevant[s] = !relevant || relevant->evaluate_boolean(m_context);
    }
    return m_state.section_relevant[s];
  }

  std::string lookup(std::string_view name) const {
    std::string_view row;
    if (auto slash = name.find('/'); slash != std::string_view::npos) {
      row = name.substr(slash + 1);
      name = name.substr(0, slash);
    }
    const Question* question = m_q.find(name);
    if (!question) return "";
    std::size_t index = static_cast<std::size_t>(question - m_q.questions().data());
    if (!m_state.relevant[index]) return "";
    if (row.empty()) return m_state.values[index];
    const json* value = m_answer_of[index];
    if (!value || !value->is_object()) return "";
    auto cell = value->find(std::string(row));
    return cell != value->end() && cell->is_string() ? cell->get<std::string>() : "";
  }

  const Questionnaire& m_q;
  std::vector<const json*> m_answer_of;
  std::vector<const std::string*> m_unknown;
  AnswerState m_state;
  std::vector<bool> m_section_done;
  EvaluationContext m_context;
};

AnswerIssue issue(const Question& q, IssueCode code, json params = json::object()) {
  return {q.name, code, std::move(params), nullptr};
}

// Checks a list of choice names (multiple, ranking): known, unique, exclusive alone, counts.
std::optional<AnswerIssue> check_choice_list(const Question& q, const json& value) {
  if (!value.is_array()) return issue(q, IssueCode::wrong_type);
  std::set<std::string, std::less<>> seen;
  bool has_exclusive = false;
  for (const auto& item : value) {
    if (!item.is_string()) return issue(q, IssueCode::wrong_type);
    const auto& name = item.get_ref<const std::string&>();
    const Choice* choice = q.find_choice(name);
    if (!choice) return issue(q, IssueCode::not_a_choice, {{"value", name}});
    if (!seen.insert(name).second) return issue(q, IssueCode::duplicate_choice, {{"value", name}});
    has_exclusive = has_exclusive || choice->exclusive;
  }
  if (has_exclusive && value.size() > 1) return issue(q, IssueCode::exclusive_combined);
  if (!has_exclusive && q.min_selections > 0 && static_cast<int>(value.size()) < q.min_selections) {
    return issue(q, IssueCode::too_few, {{"min", q.min_selections}});
  }
  if (q.max_selections > 0 && static_cast<int>(value.size()) > q.max_selections) {
    return issue(q, IssueCode::too_many, {{"max", q.max_selections}});
  }
  return std::nullopt;
}

std::optional<AnswerIssue> check_number(const Question& q, const json& value) {
  if (!value.is_number()) return issue(q, IssueCode::wrong_type);
  double d = value.get<double>();
  if (!std::isfinite(d)) return issue(q, IssueCode::not_a_number);
  if (q.type != QuestionType::decimal && d != std::trunc(d)) {
    return issue(q, IssueCode::not_whole_number);
  }
  if (q.min && d < *q.min) return issue(q, IssueCode::below_minimum, {{"min", *q.min}});
  if (q.max && d > *q.max) return issue(q, IssueCode::above_maximum, {{"max", *q.max}});
  return std::nullopt;
}

// The shape and content of one answer; relevance, required and constraint come after.
std::optional<AnswerIssue> check_value(const Question& q, const json& value) {
  switch (q.type) {
    case QuestionType::single:
    case QuestionType::scale:
      if (!value.is_string()) return issue(q, IssueCode::wrong_type);
      if (!q.find_choice(value.get_ref<const std::string&>())) {
        return issue(q, IssueCode::not_a_choice, {{"value", value}});
      }
      return std::nullopt;
    case QuestionType::multiple:
    case QuestionType::ranking:
      return check_choice_list(q, value);
    case QuestionType::matrix:
      if (!value.is_object()) return issue(q, IssueCode::wrong_type);
      for (const auto& [row, cell] : value.items()) {
        if (!q.find_row(row)) return issue(q, IssueCode::unknown_row, {{"value", row}});
        if (!cell.is_string()) return issue(q, IssueCode::wrong_type);
        if (!q.find_choice(cell.get_ref<const std::string&>())) {
          return issue(q, IssueCode::not_a_choice, {{"value", cell}});
        }
      }
      return std::nullopt;
    case QuestionType::integer:
    case QuestionType::decimal:
    case QuestionType::year:
      return check_number(q, value);
    case QuestionType::text:
    case QuestionType::long_text: {
      if (!value.is_string()) return issue(q, IssueCode::wrong_type);
      std::size_t length = text::code_points(value.get_ref<const std::string&>());
      if (length > q.max_length) return issue(q, IssueCode::too_long, {{"max", q.max_length}});
      return std::nullopt;
    }
    case QuestionType::date: {
      if (!value.is_string() || !clock::is_valid_date(value.get_ref<const std::string&>())) {
        return issue(q, IssueCode::invalid_date);
      }
      const auto& date = value.get_ref<const std::string&>();
      if (!q.min_date.empty() && date < q.min_date) {
        return issue(q, IssueCode::date_too_early, {{"min", q.min_date}});
      }
      if (!q.max_date.empty() && date > q.max_date) {
        return issue(q, IssueCode::date_too_late, {{"max", q.max_date}});
      }
      return std::nullopt;
    }
    case QuestionType::note:
    case QuestionType::calculate:
      return issue(q, IssueCode::not_answerable);
  }
  return issue(q, IssueCode::wrong_type);
}

bool matrix_complete(const Question& q, const json& value) {
  for (const auto& row : q.rows) {
    if (!value.contains(row.name)) return false;
  }
  return true;
}

}  // namespace

AnswerState evaluate(const Questionnaire& questionnaire, const json& answers,
                     const std::string& today) {
  Evaluator evaluator(questionnaire, answers, today);
  return evaluator.run();
}

void drop_empty_answers(json& answers) {
  if (!answers.is_object()) return;
  for (auto it = answers.begin(); it != answers.end();) {
    if (is_empty_answer(*it)) {
      it = answers.erase(it);
    } else {
      ++it;
    }
  }
}

std::vector<AnswerIssue> validate(const Questionnaire& questionnaire, json& answers,
                                  const std::string& today, const ValidationScope& scope,
                                  AnswerState* state_out) {
  std::vector<AnswerIssue> issues;
  drop_empty_answers(answers);
  auto in_scope = [&](const Question& q) { return !scope.section || q.section == *scope.section; };

  Evaluator evaluator(questionnaire, answers, today);
  for (const std::string* name : evaluator.unknown()) {
    issues.push_back({*name, IssueCode::unknown_question, json::object(), nullptr});
    // Enough to show what is wrong; a flood of unknown names must not cost a flood of work.
    if (issues.size() == max_issues) break;
  }
  if (!issues.empty()) return issues;

  const AnswerState& state = evaluator.run();
  std::vector<std::string> to_drop;
  for (std::size_t i = 0; i < questionnaire.questions().size(); ++i) {
    const Question& q = questionnaire.questions()[i];
    if (!in_scope(q)) continue;
    const json* given = evaluator.answer(i);
    bool answered = given != nullptr;
    if (answered && !state.relevant[i] && takes_answer(q.type)) {
      if (scope.irrelevant == IrrelevantAnswers::drop) {
        to_drop.push_back(q.name);
      } else {
        issues.push_back(issue(q, IssueCode::not_relevant));
      }
      continue;
    }
    if (answered) {
      if (auto problem = check_value(q, *given)) {
        issues.push_back(std::move(*problem));
        continue;
      }
    }
    if (!state.relevant[i]) continue;
    if (state.required[i] &&
        (!answered || (q.type == QuestionType::matrix && !matrix_complete(q, *given)))) {
      AnswerIssue missing = issue(q, IssueCode::required);
      if (!q.required_message.empty()) missing.custom_message = &q.required_message;
      issues.push_back(std::move(missing));
      continue;
    }
    if (answered && q.constraint) {
      EvaluationContext context = evaluator.context_with_current(state.values[i]);
      if (!q.constraint->evaluate_boolean(context)) {
        AnswerIssue failed = issue(q, IssueCode::constraint);
        if (!q.constraint_message.empty()) failed.custom_message = &q.constraint_message;
        issues.push_back(std::move(failed));
      }
    }
  }
  for (const auto& name : to_drop) answers.erase(name);
  if (state_out) *state_out = std::move(evaluator.state());
  return issues;
}

json final_answers(const Questionnaire& questionnaire, const json& answers,
                   const std::string& today) {
  return final_answers(questionnaire, answers, evaluate(questionnaire, answers, today));
}

json final_answers(const Questionnaire& questionnaire, const json& answers,
                   const AnswerState& state) {
  json out = json::object();
  for (std::size_t i = 0; i < questionnaire.questions().size(); ++i) {
    const Question& q = questionnaire.questions()[i];
    if (!state.relevant[i]) continue;
    if (q.type == QuestionType::calculate) {
      if (!state.values[i].empty()) out[q.name] = state.values[i];
      continue;
    }
    if (auto it = answers.find(q.name); it != answers.end() && !is_empty_answer(*it)) {
      out[q.name] = *it;
    }
  }
  return out;
}

}  // namespace needsmap::questionnaire
