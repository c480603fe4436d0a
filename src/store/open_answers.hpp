// What analysts add to open (free-text) answers: the themes of a campaign, the themes each answer
// is tagged with, and whether an answer was reviewed and may be quoted in published results.
// An answer is one response's text for one question. Plain rows; the web layer checks that
// themes and answers exist before it writes, and every write goes with its audit entry.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "store/store.hpp"

namespace needsmap::store {

struct AnswerTheme {
  std::string name;   // stable within the campaign: [a-z0-9_-]
  std::string label;  // as people read it
};

struct AnswerReview {
  bool publishable{false};
  std::string reviewed_by;  // the reviewer's e-mail address
  std::int64_t reviewed_at{0};
};

// The campaign's themes by name.
std::vector<AnswerTheme> answer_themes(Store& store, std::int64_t campaign_id);
std::optional<AnswerTheme> find_answer_theme(Store& store, std::int64_t campaign_id,
                                             const std::string& name);
// False (and nothing changes) when the campaign has a theme of that name already.
bool add_answer_theme(Store& store, std::int64_t campaign_id, const AnswerTheme& theme);
// Gives a theme a new label; false when there is no such theme.
bool rename_answer_theme(Store& store, std::int64_t campaign_id, const std::string& name,
                         const std::string& label);
// Deletes a theme and every tag with it; false when there is no such theme. Call it inside a
// transaction.
bool delete_answer_theme(Store& store, std::int64_t campaign_id, const std::string& name);

// Replaces the themes of one answer (none: untagged). Call it inside a transaction.
void set_answer_tags(Store& store, std::int64_t campaign_id, const std::string& response_id,
                     const std::string& question, const std::vector<std::string>& themes);
// The themes of one answer, by name.
std::vector<std::string> answer_tags(Store& store, std::int64_t campaign_id,
                                     const std::string& response_id, const std::string& question);
// The themes of every tagged answer to a question: response id → theme names.
std::map<std::string, std::vector<std::string>> question_tags(Store& store,
                                                              std::int64_t campaign_id,
                                                              const std::string& question);

// Records (or replaces) the review of one answer.
void review_answer(Store& store, std::int64_t campaign_id, const std::string& response_id,
                   const std::string& question, const AnswerReview& review);
// Forgets the review of one answer: it is unreviewed again.
void clear_answer_review(Store& store, std::int64_t campaign_id, const std::string& response_id,
                         const std::string& question);
std::optional<AnswerReview> find_answer_review(Store& store, std::int64_t campaign_id,
                                               const std::string& response_id,
                                               const std::string& question);
// The reviews of every reviewed answer to a question: response id → review.
std::map<std::string, AnswerReview> question_reviews(Store& store, std::int64_t campaign_id,
                                                     const std::string& question);

struct ReviewCounts {
  std::int64_t reviewed{0};
  std::int64_t publishable{0};
};
// Per question: how many of its answers were reviewed, and how many of those are publishable.
std::map<std::string, ReviewCounts> review_counts(Store& store, std::int64_t campaign_id);

// The answers JSON of the responses whose answer to `question` was reviewed and found
// publishable, in a stable order that says nothing of when they came. For quotes in published
// results: analysis::publishable_quotes takes the text out.
std::vector<std::string> publishable_responses(Store& store, std::int64_t campaign_id,
                                               const std::string& question);

}  // namespace needsmap::store
