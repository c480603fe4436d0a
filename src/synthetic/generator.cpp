#include "synthetic/generator.hpp"

#include <algorithm>
#include <cstdio>
#include <stdexcept>

#include "collect/collect.hpp"

namespace needsmap::synthetic {

namespace {

using nlohmann::json;
using questionnaire::Question;
using questionnaire::QuestionType;

constexpr int constraint_attempts = 8;
constexpr int draft_attempts = 200;

// How often an optional question is answered: open texts much less often than the rest.
double answer_rate(const Question& question) {
  bool open = question.type == QuestionType::text || question.type == QuestionType::long_text;
  return open && question.other_of_question.empty() ? 0.3 : 0.85;
}

// Mostly Serbian Cyrillic, as the questionnaire opens; some switch to Latin or English.
std::string pick_language(const questionnaire::Questionnaire& q, Random& random) {
  std::vector<double> weights;
  for (const auto& language : q.languages()) {
    weights.push_back(language == "sr-Cyrl"   ? 0.8
                      : language == "sr-Latn" ? 0.12
                      : language == "en"      ? 0.05
                                              : 0.03);
  }
  if (weights.empty()) return "sr-Cyrl";
  return q.languages()[random.pick(weights)];
}

// Many who answer in Cyrillic still type in Latin.
Script pick_script(const std::string& language, Random& random) {
  if (language == "sr-Latn" || language == "en") return Script::latin;
  if (language == "sr-Cyrl" && random.chance(0.25)) return Script::latin;
  return Script::cyrillic;
}

// Shaped like a UUID (version 8: derived, not random), as imported rows' ids are.
std::string submission_id(Random& random) {
  std::uint64_t a = random.next(), b = random.next();
  char id[40];
  std::snprintf(
      id, sizeof id, "%08llx-%04llx-8%03llx-a%03llx-%012llx",
      static_cast<unsigned long long>(a >> 32), static_cast<unsigned long long>((a >> 16) & 0xffff),
      static_cast<unsigned long long>(a & 0xfff), static_cast<unsigned long long>(b >> 52),
      static_cast<unsigned long long>(b & 0xffffffffffffull));
  return id;
}

}  // namespace

ResponseGenerator::ResponseGenerator(const questionnaire::Questionnaire& q,
                                     const ProfileShares& profile)
    : m_q(q), m_values(q, profile) {}

bool ResponseGenerator::answer(const Question& question, const Respondent& who,
                               json& answers) const {
  for (int attempt = 0; attempt < constraint_attempts; ++attempt) {
    answers[question.name] = m_values.value(question, who, attempt);
    if (!question.constraint) return true;
    // The constraint as validation sees it, with the answers so far.
    questionnaire::ValidationScope scope{question.section,
                                         questionnaire::IrrelevantAnswers::reject};
    auto issues = questionnaire::validate(m_q, answers, who.today, scope);
    if (std::ranges::none_of(issues, [&](const auto& i) { return i.question == question.name; })) {
      return true;
    }
  }
  answers.erase(question.name);
  return false;
}

std::optional<json> ResponseGenerator::draft(Random& random, const std::string& today,
                                             Script script) const {
  json answers = json::object();
  Respondent who{random, answers, script, today};
  questionnaire::AnswerState state;
  bool stale = true;  // answers changed since `state` was evaluated
  for (const auto& section : m_q.sections()) {
    for (std::size_t i : section.questions) {
      const Question& question = m_q.questions()[i];
      if (!questionnaire::takes_answer(question.type)) continue;
      bool conditional = section.relevant || question.relevant || question.required_when;
      if (conditional && stale) {
        state = questionnaire::evaluate(m_q, answers, today);
        stale = false;
      }
      if (conditional && !state.relevant[i]) continue;
      bool required = conditional ? state.required[i] : question.required;
      if (!required && !random.chance(answer_rate(question))) continue;
      if (answer(question, who, answers)) {
        stale = true;
      } else if (required) {
        return std::nullopt;
      }
    }
  }
  return answers;
}

GeneratedResponse ResponseGenerator::generate(Random& random, const std::string& today,
                                              GeneratorCounts& counts) const {
  GeneratedResponse out;
  out.language = pick_language(m_q, random);
  out.submission_id = submission_id(random);
  Script script = pick_script(out.language, random);
  for (int attempt = 0; attempt < draft_attempts; ++attempt) {
    auto answers = draft(random, today, script);
    if (!answers) {
      ++counts.restarts;
      continue;
    }
    auto checked = collect::check_submission(m_q, std::move(*answers), today,
                                             questionnaire::IrrelevantAnswers::reject);
    if (checked) {
      out.answers = std::move(*checked);
      return out;
    }
    ++counts.rejected;
    if (!counts.first_rejection) counts.first_rejection = checked.error().front();
  }
  throw std::runtime_error("no valid response to " + m_q.name() + " " + m_q.version() + " in " +
                           std::to_string(draft_attempts) + " attempts");
}

}  // namespace needsmap::synthetic
