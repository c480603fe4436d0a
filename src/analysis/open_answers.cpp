#include "analysis/open_answers.hpp"

#include <limits>

#include <nlohmann/json.hpp>

#include "store/open_answers.hpp"

namespace needsmap::analysis {

using json = nlohmann::json;

namespace {

// The text of an answer, empty when it has none (unanswered, not text, or only spaces).
std::string text_of(const json& answers, const std::string& question) {
  auto it = answers.find(question);
  if (it == answers.end() || !it->is_string()) return {};
  const std::string& text = it->get_ref<const std::string&>();
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) return {};
  return text;
}

}  // namespace

const OpenQuestion* OpenAnswers::find(std::string_view name) const {
  for (const auto& q : questions) {
    if (q.name == name) return &q;
  }
  return nullptr;
}

std::vector<const questionnaire::Question*> text_questions(const questionnaire::Questionnaire& q) {
  std::vector<const questionnaire::Question*> found;
  for (const auto& question : q.questions()) {
    if (question.type == questionnaire::QuestionType::text ||
        question.type == questionnaire::QuestionType::long_text) {
      found.push_back(&question);
    }
  }
  return found;
}

std::string word_language(const questionnaire::Questionnaire& q) {
  if (q.languages().empty() || !has_word_rules(q.languages().front())) return "sr";
  return q.languages().front();
}

OpenAnswers collect_open_answers(store::Store& store, std::int64_t campaign_id,
                                 const questionnaire::Questionnaire& q) {
  const std::string language = word_language(q);
  OpenAnswers result;
  std::vector<WordCounter> counters;
  for (const auto* question : text_questions(q)) {
    result.questions.push_back({question->name, {}, {}});
    counters.emplace_back(language);
  }
  store.for_each_response(campaign_id, [&](const store::ResponseRecord& r) {
    json answers = json::parse(r.answers, nullptr, false);
    if (!answers.is_object()) return;
    for (std::size_t i = 0; i < result.questions.size(); ++i) {
      std::string text = text_of(answers, result.questions[i].name);
      if (text.empty()) continue;
      std::vector<std::string> stems = counters[i].add(text);
      result.questions[i].answers.push_back(
          {r.id, r.submitted_on, std::move(text), std::move(stems)});
    }
  });
  for (std::size_t i = 0; i < result.questions.size(); ++i) {
    result.questions[i].words = counters[i].top(std::numeric_limits<std::size_t>::max());
  }
  return result;
}

std::vector<std::string> publishable_quotes(store::Store& store, std::int64_t campaign_id,
                                            const std::string& question) {
  std::vector<std::string> quotes;
  for (const std::string& stored : store::publishable_responses(store, campaign_id, question)) {
    json answers = json::parse(stored, nullptr, false);
    if (!answers.is_object()) continue;
    std::string text = text_of(answers, question);
    if (!text.empty()) quotes.push_back(std::move(text));
  }
  return quotes;
}

}  // namespace needsmap::analysis
