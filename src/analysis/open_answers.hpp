// The open (free-text) answers of a campaign, gathered for analysts to read, tag and review: each
// answer with the stems of its words, and the words of each question counted (analysis/words).
// Free text is never published unread: publishable_quotes gives only the answers a person
// reviewed and marked publishable.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/words.hpp"
#include "questionnaire/model.hpp"
#include "store/store.hpp"

namespace needsmap::analysis {

// One respondent's text for one question.
struct OpenAnswer {
  std::string response_id;
  std::string submitted_on;
  std::string text;
  std::vector<std::string> stems;  // each once, sorted by bytes (WordCounter::stems)
};

struct OpenQuestion {
  std::string name;
  std::vector<OpenAnswer> answers;  // in the store's order
  std::vector<WordCount> words;     // every word, in the most answers first
};

struct OpenAnswers {
  std::vector<OpenQuestion> questions;  // the questionnaire's text questions, in its order
  const OpenQuestion* find(std::string_view name) const;
};

// The questions that take free text: text and long_text, "other, please specify" texts included.
std::vector<const questionnaire::Question*> text_questions(const questionnaire::Questionnaire& q);

// The language whose word rules suit a questionnaire: its first language when analysis/words
// has rules for it, Serbian otherwise.
std::string word_language(const questionnaire::Questionnaire& q);

// Every non-empty answer to the questionnaire's text questions, with its words.
OpenAnswers collect_open_answers(store::Store& store, std::int64_t campaign_id,
                                 const questionnaire::Questionnaire& q);

// The texts of the answers to `question` that were reviewed and marked publishable, and no
// others: what published results may quote. No response id or date goes with them.
std::vector<std::string> publishable_quotes(store::Store& store, std::int64_t campaign_id,
                                            const std::string& question);

}  // namespace needsmap::analysis
