#include "web/issue_text.hpp"

namespace needsmap::web {

std::string answer_issue_text(const Translations& t, const std::string& language,
                              const questionnaire::Questionnaire& q,
                              const questionnaire::AnswerIssue& issue) {
  if (issue.custom_message) return issue.custom_message->get(language);
  nlohmann::json params = issue.params;
  params["question"] = issue.question;
  if (const auto* question = q.find(issue.question)) {
    params["label"] = question->label.get(language);
    if (issue.code == questionnaire::IssueCode::required) {
      std::string key = "error.required." + std::string(questionnaire::to_string(question->type));
      if (t.text(language, key) != key) return t.format(language, key, params);
    }
  }
  return t.format(language, "error." + std::string(questionnaire::to_string(issue.code)), params);
}

}  // namespace needsmap::web
