// Word frequencies of open (free-text) answers: which words respondents use most, counted once
// per answer, with Serbian Cyrillic and Latin folded together and inflected forms stemmed.
//
// A word is an ICU word-break token with at least one letter (numbers, punctuation and emoji
// are dropped), fully case-folded. Serbian and Macedonian Cyrillic are transliterated to Latin
// (BGN, diacritics kept) so that both scripts give one word; stop words and one-letter words
// are dropped; what is left is stemmed with Snowball (libstemmer): "serbian" for Serbian,
// "english" for English. Snowball has no Macedonian stemmer, so Macedonian words are counted
// as written (folded and transliterated only).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace needsmap::analysis {

struct WordCount {
  std::string stem{};  // the key: Latin, lower case, stemmed (e.g. "uslug")
  // The form respondents wrote most often, lower case, in the script most of the answers with
  // this word used (Cyrillic on a tie): what a table or a word cloud shows.
  std::string shown{};
  std::int64_t answers{};      // answers that contain the word: the number to publish
  std::int64_t occurrences{};  // every use, repetitions within an answer included
};

// Counts words over many answers. It holds ICU and Snowball objects, which are costly to make
// and not thread-safe: keep one per thread.
class WordCounter {
 public:
  // `language` is a tag such as "sr", "sr-Cyrl", "sr-Latn", "mk" or "en"; only its first subtag
  // counts. Throws std::invalid_argument for any other language.
  explicit WordCounter(std::string_view language);
  ~WordCounter();
  WordCounter(WordCounter&&) noexcept;
  WordCounter& operator=(WordCounter&&) noexcept;

  // Counts the words of one more answer; returns its stems as stems() does.
  std::vector<std::string> add(std::string_view answer);

  // The stems of one answer's words, each once, sorted by bytes: to find the answers that use
  // a word of the table (compare with WordCount::stem). Counts nothing.
  std::vector<std::string> stems(std::string_view answer);

  // At most `limit` words, those in most answers first, ties in Serbian alphabetical order of
  // `shown` (Cyrillic before Latin; Latin as in the Latin alphabet: c č ć d dž đ).
  std::vector<WordCount> top(std::size_t limit) const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// Whether words of `language` can be counted (WordCounter takes it).
bool has_word_rules(std::string_view language);

// The `limit` most frequent words of `answers` (see WordCounter::top).
std::vector<WordCount> word_frequencies(std::span<const std::string> answers,
                                        std::string_view language, std::size_t limit);

// The stems of one answer (see WordCounter::stems); for many answers keep a WordCounter.
std::vector<std::string> answer_stems(std::string_view answer, std::string_view language);

}  // namespace needsmap::analysis
