// Collecting answers, as plain functions the web layer and the tests call: reading form fields
// into answers, moving through the pages, and turning answers into a response to store.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "questionnaire/answers.hpp"
#include "questionnaire/model.hpp"
#include "store/store.hpp"

namespace needsmap::collect {

using questionnaire::AnswerIssue;
using questionnaire::Questionnaire;

// Form fields as a browser sends them: one name may come several times (checkboxes).
using FormFields = std::multimap<std::string, std::string, std::less<>>;

// Reads the fields of one page into `answers`, replacing that page's earlier answers. Values a
// person typed that are not what the question takes (letters in a number, a date that does not
// exist) come back as issues and the question stays unanswered.
std::vector<AnswerIssue> read_page_fields(const Questionnaire& q, std::size_t section,
                                          const FormFields& fields, nlohmann::json& answers);

// The next or previous section that applies to the answers; nullopt past either end.
std::optional<std::size_t> next_section(const Questionnaire& q, const nlohmann::json& answers,
                                        std::optional<std::size_t> from, const std::string& today);
std::optional<std::size_t> previous_section(const Questionnaire& q, const nlohmann::json& answers,
                                            std::size_t from, const std::string& today);

// What a submitted page leads to.
struct PageOutcome {
  enum class Kind { show_errors, show_again, next_page, finished };
  Kind kind;
  std::vector<AnswerIssue> issues;  // show_errors
  std::size_t section{0};           // show_errors, show_again, next_page: the page to show
};

// Applies a submitted page: reads the fields, validates the page, drops answers that no longer
// apply, and decides where to go. `answers` is the draft, updated in place.
PageOutcome submit_page(const Questionnaire& q, std::size_t section, const FormFields& fields,
                        nlohmann::json& answers, const std::string& today);

// Checks a complete submission (from the API or the last page). On success returns the answers
// to store: relevant ones and calculated values.
std::expected<nlohmann::json, std::vector<AnswerIssue>> check_submission(
    const Questionnaire& q, nlohmann::json answers, const std::string& today,
    questionnaire::IrrelevantAnswers irrelevant);

// Parsed questionnaire versions, loaded once: a version never changes.
// The date kept with a response: the day ("2025-11-15") or, when the campaign keeps less,
// the month ("2025-11").
std::string submission_date(const store::Campaign& campaign, const std::string& today);

class QuestionnaireCache {
 public:
  Result<std::shared_ptr<const Questionnaire>> get(store::Store& store, std::int64_t version_id);

 private:
  std::mutex m_mutex;
  std::map<std::int64_t, std::shared_ptr<const Questionnaire>> m_cache;
};

}  // namespace needsmap::collect
