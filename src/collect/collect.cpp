#include "collect/collect.hpp"

#include <charconv>
#include <cmath>
#include <set>

#include "core/clock.hpp"
#include "core/text.hpp"
#include "questionnaire/loader.hpp"

namespace needsmap::collect {

using json = nlohmann::json;
using questionnaire::IssueCode;
using questionnaire::Question;
using questionnaire::QuestionType;

namespace {

std::vector<std::string> values_of(const FormFields& fields, std::string_view name) {
  std::vector<std::string> out;
  auto [begin, end] = fields.equal_range(name);
  for (auto it = begin; it != end; ++it) out.push_back(it->second);
  return out;
}

// A number as people type it: "12", "-3", "2.5" or "2,5" (the Serbian decimal comma).
std::optional<double> parse_typed_number(std::string_view typed) {
  std::string s = text::trim(typed);
  for (char& c : s) {
    if (c == ',') c = '.';
  }
  if (s.empty() || s.size() > 30) return std::nullopt;
  double value = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  // "inf", "nan" and 1e300 parse, but no question takes them (and they do not fit an integer).
  if (!std::isfinite(value) || std::fabs(value) >= 9e15) return std::nullopt;
  return value;
}

// A date as people type it: YYYY-MM-DD (the date picker) or D.M.YYYY with an optional final dot.
std::optional<std::string> parse_typed_date(std::string_view typed) {
  std::string s = text::trim(typed);
  if (clock::is_valid_date(s)) return s;
  if (!s.empty() && s.back() == '.') s.pop_back();
  int parts[3] = {0, 0, 0};
  int digits[3] = {0, 0, 0};
  int part = 0;
  for (char c : s) {
    if (c == '.' || c == '/') {
      if (++part > 2) return std::nullopt;
    } else if (c >= '0' && c <= '9') {
      parts[part] = parts[part] * 10 + (c - '0');
      if (++digits[part] > 4) return std::nullopt;
    } else if (c != ' ') {
      return std::nullopt;
    }
  }
  if (part != 2 || digits[2] != 4) return std::nullopt;
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", parts[2], parts[1], parts[0]);
  if (!clock::is_valid_date(buf)) return std::nullopt;
  return std::string(buf);
}

AnswerIssue form_issue(const Question& q, IssueCode code) {
  return {q.name, code, json::object(), nullptr};
}

// Reads one question's fields; returns an issue when what was typed cannot be an answer.
std::optional<AnswerIssue> read_question(const Question& q, const FormFields& fields,
                                         json& answers) {
  auto single_value = [&](std::string& out) -> std::optional<AnswerIssue> {
    auto values = values_of(fields, q.name);
    if (values.size() > 1) return form_issue(q, IssueCode::wrong_type);
    out = values.empty() ? "" : text::clean_user_text(values[0]);
    return std::nullopt;
  };
  std::string value;
  switch (q.type) {
    case QuestionType::single:
    case QuestionType::scale:
    case QuestionType::text:
    case QuestionType::long_text:
      if (auto problem = single_value(value)) return problem;
      if (q.type == QuestionType::text) value = text::trim(value);
      if (!text::trim(value).empty()) answers[q.name] = value;
      return std::nullopt;
    case QuestionType::multiple: {
      json list = json::array();
      for (auto& v : values_of(fields, q.name)) list.push_back(v);
      if (!list.empty()) answers[q.name] = std::move(list);
      return std::nullopt;
    }
    case QuestionType::matrix: {
      json cells = json::object();
      for (const auto& row : q.rows) {
        auto values = values_of(fields, q.name + "/" + row.name);
        if (values.size() > 1) return form_issue(q, IssueCode::wrong_type);
        if (!values.empty() && !values[0].empty()) cells[row.name] = values[0];
      }
      if (!cells.empty()) answers[q.name] = std::move(cells);
      return std::nullopt;
    }
    case QuestionType::ranking: {
      // One select per rank, "q/1", "q/2", …; blanks are skipped, order is kept.
      json list = json::array();
      for (int rank = 1; rank <= q.max_selections; ++rank) {
        auto values = values_of(fields, q.name + "/" + std::to_string(rank));
        if (values.size() > 1) return form_issue(q, IssueCode::wrong_type);
        if (!values.empty() && !values[0].empty()) list.push_back(values[0]);
      }
      if (!list.empty()) answers[q.name] = std::move(list);
      return std::nullopt;
    }
    case QuestionType::integer:
    case QuestionType::decimal:
    case QuestionType::year: {
      if (auto problem = single_value(value)) return problem;
      if (text::trim(value).empty()) return std::nullopt;
      auto number = parse_typed_number(value);
      if (!number) return form_issue(q, IssueCode::not_a_number);
      answers[q.name] = *number;
      if (q.type != QuestionType::decimal &&
          *number == static_cast<double>(static_cast<long long>(*number))) {
        answers[q.name] = static_cast<long long>(*number);
      }
      return std::nullopt;
    }
    case QuestionType::date: {
      if (auto problem = single_value(value)) return problem;
      if (text::trim(value).empty()) return std::nullopt;
      auto date = parse_typed_date(value);
      if (!date) return form_issue(q, IssueCode::invalid_date);
      answers[q.name] = *date;
      return std::nullopt;
    }
    case QuestionType::note:
    case QuestionType::calculate:
      return std::nullopt;
  }
  return std::nullopt;
}

bool section_applies(const Questionnaire& q, const questionnaire::AnswerState& state,
                     std::size_t s) {
  if (!state.section_relevant[s]) return false;
  for (std::size_t i : q.sections()[s].questions) {
    if (state.relevant[i] && q.questions()[i].type != QuestionType::calculate) return true;
  }
  return false;
}

}  // namespace

std::vector<AnswerIssue> read_page_fields(const Questionnaire& q, std::size_t section,
                                          const FormFields& fields, json& answers) {
  std::vector<AnswerIssue> issues;
  for (std::size_t i : q.sections().at(section).questions) {
    const Question& question = q.questions()[i];
    answers.erase(question.name);
    if (auto problem = read_question(question, fields, answers)) issues.push_back(*problem);
  }
  return issues;
}

std::optional<std::size_t> next_section(const Questionnaire& q, const json& answers,
                                        std::optional<std::size_t> from, const std::string& today) {
  auto state = questionnaire::evaluate(q, answers, today);
  for (std::size_t s = from ? *from + 1 : 0; s < q.sections().size(); ++s) {
    if (section_applies(q, state, s)) return s;
  }
  return std::nullopt;
}

std::optional<std::size_t> previous_section(const Questionnaire& q, const json& answers,
                                            std::size_t from, const std::string& today) {
  auto state = questionnaire::evaluate(q, answers, today);
  for (std::size_t s = from; s-- > 0;) {
    if (section_applies(q, state, s)) return s;
  }
  return std::nullopt;
}

PageOutcome submit_page(const Questionnaire& q, std::size_t section, const FormFields& fields,
                        json& answers, const std::string& today) {
  if (!answers.is_object()) answers = json::object();
  auto before = questionnaire::evaluate(q, answers, today);
  std::vector<AnswerIssue> typed = read_page_fields(q, section, fields, answers);
  questionnaire::ValidationScope scope{section, questionnaire::IrrelevantAnswers::drop};
  std::vector<AnswerIssue> issues = questionnaire::validate(q, answers, today, scope);
  // What could not be read wins over "required" for the same question.
  std::set<std::string> typed_names;
  for (const auto& t : typed) typed_names.insert(t.question);
  std::erase_if(issues, [&](const AnswerIssue& i) { return typed_names.contains(i.question); });
  issues.insert(issues.end(), typed.begin(), typed.end());
  // Without JavaScript a follow-up on the same page appears only after the page is sent. A
  // question the respondent has not seen yet is never an error: show the page again with it.
  auto after = questionnaire::evaluate(q, answers, today);
  std::set<std::string> newly_shown;
  for (std::size_t i : q.sections()[section].questions) {
    const Question& question = q.questions()[i];
    if (after.relevant[i] && !before.relevant[i] && questionnaire::takes_answer(question.type) &&
        !answers.contains(question.name)) {
      newly_shown.insert(question.name);
    }
  }
  std::erase_if(issues, [&](const AnswerIssue& i) { return newly_shown.contains(i.question); });
  if (!issues.empty()) {
    // Keep questionnaire order so the error summary matches the page.
    std::map<std::string, std::size_t> order;
    for (std::size_t i = 0; i < q.questions().size(); ++i) order[q.questions()[i].name] = i;
    std::stable_sort(issues.begin(), issues.end(), [&](const auto& a, const auto& b) {
      return order[a.question] < order[b.question];
    });
    return {PageOutcome::Kind::show_errors, std::move(issues), section};
  }
  if (!newly_shown.empty()) return {PageOutcome::Kind::show_again, {}, section};
  if (auto next = next_section(q, answers, section, today)) {
    return {PageOutcome::Kind::next_page, {}, *next};
  }
  return {PageOutcome::Kind::finished, {}, section};
}

std::expected<json, std::vector<AnswerIssue>> check_submission(
    const Questionnaire& q, json answers, const std::string& today,
    questionnaire::IrrelevantAnswers irrelevant) {
  if (!answers.is_object()) {
    return std::unexpected(
        std::vector<AnswerIssue>{{"", IssueCode::wrong_type, json::object(), nullptr}});
  }
  questionnaire::ValidationScope scope{std::nullopt, irrelevant};
  questionnaire::AnswerState state;
  auto issues = questionnaire::validate(q, answers, today, scope, &state);
  if (!issues.empty()) return std::unexpected(std::move(issues));
  // Everything left applies (validate refused or dropped the rest): store it as typed, minus
  // control characters and in NFC, with the calculated values beside it.
  for (std::size_t i = 0; i < q.questions().size(); ++i) {
    const auto& question = q.questions()[i];
    if (question.type == QuestionType::calculate) {
      if (state.relevant[i] && !state.values[i].empty()) answers[question.name] = state.values[i];
      continue;
    }
    if (question.type != QuestionType::text && question.type != QuestionType::long_text) continue;
    auto it = answers.find(question.name);
    if (it != answers.end() && it->is_string()) *it = text::clean_user_text(it->get<std::string>());
  }
  return answers;
}

Result<std::shared_ptr<const Questionnaire>> QuestionnaireCache::get(store::Store& store,
                                                                     std::int64_t version_id) {
  {
    std::lock_guard lock(m_mutex);
    if (auto it = m_cache.find(version_id); it != m_cache.end()) return it->second;
  }
  auto version = store.find_questionnaire_version(version_id);
  if (!version) return std::unexpected(Error::not_found("questionnaire version missing"));
  json doc;
  try {
    doc = json::parse(version->content);
  } catch (const json::exception& e) {
    return std::unexpected(
        Error::internal(std::string("stored questionnaire unreadable: ") + e.what()));
  }
  auto loaded = questionnaire::load_questionnaire(
      doc, {}, "questionnaire version " + std::to_string(version_id));
  if (!loaded) {
    return std::unexpected(Error::internal(loaded.error().front().to_string()));
  }
  auto shared = std::make_shared<const Questionnaire>(std::move(*loaded));
  std::lock_guard lock(m_mutex);
  m_cache.emplace(version_id, shared);
  return shared;
}

std::string submission_date(const store::Campaign& campaign, const std::string& today) {
  return campaign.date_precision == "month" ? today.substr(0, 7) : today;
}

}  // namespace needsmap::collect
