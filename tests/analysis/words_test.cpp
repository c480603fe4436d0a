#include "analysis/words.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

namespace needsmap::analysis {
namespace {

using Strings = std::vector<std::string>;

std::vector<WordCount> count(const Strings& answers, std::string_view language = "sr-Cyrl") {
  return word_frequencies(answers, language, 100);
}

Strings stems_of(const std::vector<WordCount>& words) {
  Strings out;
  for (const auto& w : words) out.push_back(w.stem);
  return out;
}

Strings shown_of(const std::vector<WordCount>& words) {
  Strings out;
  for (const auto& w : words) out.push_back(w.shown);
  return out;
}

const WordCount& find(const std::vector<WordCount>& words, std::string_view stem) {
  for (const auto& w : words) {
    if (w.stem == stem) return w;
  }
  throw std::out_of_range("no stem " + std::string(stem));
}

TEST(Words, cyrillic_and_latin_answers_give_the_same_words) {
  auto words = count({"Нема довољно геронтодомаћица", "nema dovoljno gerontodomaćica"});
  // "нема" is a stop word; the Serbian stemmer takes diacritics: ć stays in the stem. Ties
  // are in the order of the Cyrillic forms shown: г before д.
  EXPECT_EQ(stems_of(words), (Strings{"gerontodomaćic", "dovoljn"}));
  for (const auto& w : words) {
    EXPECT_EQ(w.answers, 2) << w.stem;
    EXPECT_EQ(w.occurrences, 2) << w.stem;
  }
}

TEST(Words, upper_case_and_digraphs_fold_to_one_word) {
  auto words = count({"ЉУБАЗНОСТ", "Ljubaznost", "ljubaznost"});
  ASSERT_EQ(words.size(), 1u);
  EXPECT_EQ(words[0].stem, "ljubazn");
  EXPECT_EQ(words[0].answers, 3);
}

TEST(Words, inflected_forms_share_a_stem) {
  auto words = count({"услуга", "услуге", "услугама", "uslugom"});
  ASSERT_EQ(words.size(), 1u);
  EXPECT_EQ(words[0].stem, "uslug");
  EXPECT_EQ(words[0].answers, 4);
}

TEST(Words, ijekavian_and_ekavian_forms_share_a_stem) {
  // Snowball's Serbian stemmer reads "ije" between consonants as "e".
  auto words = count({"лекова", "lijekova", "lekovi"});
  ASSERT_EQ(words.size(), 1u);
  EXPECT_EQ(words[0].stem, "lekov");
}

TEST(Words, stop_words_and_single_letters_are_dropped_in_both_scripts) {
  auto words = count({"И да је то све што се може, а ја бих да се помогне и старима.",
                      "i da je to sve što se može, a ja bih da se pomogne i starima."});
  EXPECT_EQ(stems_of(words), (Strings{"mož", "pomogn", "star"}));
}

TEST(Words, numbers_punctuation_and_emoji_are_not_words) {
  auto words = count({"12 пута!!! 3,5 km? ... 😀👍🏽 — 2024."});
  EXPECT_EQ(stems_of(words), (Strings{"put", "km"}));
}

TEST(Words, mixed_and_broken_text_does_not_crash) {
  auto words =
      count({"Помоћ🙂help\xff\xfe", std::string("kuća\0kuće", 10), "日本語 ελληνικά"});
  EXPECT_EQ(find(words, "kuć").occurrences, 2);
  EXPECT_EQ(find(words, "pomoć").answers, 1);
}

TEST(Words, empty_input_gives_no_words) {
  EXPECT_TRUE(count({}).empty());
  EXPECT_TRUE(count({"", "   ", "..."}).empty());
  EXPECT_TRUE(word_frequencies(Strings{"услуге"}, "sr", 0).empty());
}

TEST(Words, answers_count_each_answer_once_and_occurrences_every_use) {
  auto words = count({"превоз, превоз и опет превоз", "prevoza nema"});
  ASSERT_EQ(words.size(), 2u);
  EXPECT_EQ(words[0].stem, "prevoz");
  EXPECT_EQ(words[0].answers, 2);
  EXPECT_EQ(words[0].occurrences, 4);
  EXPECT_EQ(words[1].stem, "opet");
  EXPECT_EQ(words[1].answers, 1);
}

TEST(Words, shown_is_the_most_frequent_form_in_the_script_most_answers_used) {
  auto cyrillic = count({"услуге", "услуге", "usluga", "usluga", "usluga", "услуга"});
  // Three answers each way: Cyrillic wins the tie; "услуге" is its most frequent form.
  EXPECT_EQ(cyrillic[0].shown, "услуге");
  auto latin = count({"услуге", "usluga", "usluge", "usluga"});
  EXPECT_EQ(latin[0].shown, "usluga");
}

TEST(Words, more_answers_come_first_and_ties_in_serbian_alphabetical_order) {
  auto words = count({"помоћ чорба ћерка туга", "pomoć đak džak dan ćup čaj cvet ljubav lopta"});
  // Ties: Cyrillic first, in the azbuka's order (т ћ у … ч), then Latin in the Latin
  // alphabet's: c č ć d dž đ … l lj, not in byte order.
  EXPECT_EQ(shown_of(words), (Strings{"помоћ", "туга", "ћерка", "чорба", "cvet", "čaj", "ćup",
                                      "dan", "džak", "đak", "lopta", "ljubav"}));
  EXPECT_EQ(words[0].answers, 2);
}

TEST(Words, limit_keeps_the_most_frequent) {
  auto words = word_frequencies(Strings{"школа вртић", "школа", "škola dom"}, "sr", 1);
  ASSERT_EQ(words.size(), 1u);
  EXPECT_EQ(words[0].stem, "škol");
  EXPECT_EQ(words[0].answers, 3);
}

TEST(Words, stems_of_one_answer_filter_answers_by_a_word) {
  EXPECT_EQ(answer_stems("Нема довољно геронтодомаћица, а ни услуга у кући!", "sr"),
            (Strings{"dovoljn", "gerontodomaćic", "kuć", "uslug"}));
  WordCounter counter("sr-Latn");
  counter.add("usluge kući");
  EXPECT_EQ(counter.stems("Usluga, usluge, USLUGAMA"), (Strings{"uslug"}));
  // stems() counts nothing.
  EXPECT_EQ(counter.top(10).size(), 2u);
}

TEST(Words, macedonian_is_transliterated_but_not_stemmed) {
  auto words = count({"Нема доволно услуги и помош", "pomoš na usluga"}, "mk");
  // Snowball has no Macedonian stemmer: услуги and usluga stay apart.
  EXPECT_EQ(stems_of(words), (Strings{"pomoš", "dovolno", "uslugi", "usluga"}));
  EXPECT_EQ(find(words, "pomoš").answers, 2);
  EXPECT_EQ(find(words, "pomoš").shown, "помош");
}

TEST(Words, english_is_stemmed_with_its_own_stop_words) {
  auto words = count({"The services are not enough", "More service for the elderly"}, "en");
  EXPECT_EQ(find(words, "servic").answers, 2);
  EXPECT_THROW(find(words, "the"), std::out_of_range);
  EXPECT_THROW(find(words, "are"), std::out_of_range);
}

TEST(Words, other_languages_are_refused) {
  EXPECT_THROW(WordCounter("de"), std::invalid_argument);
  EXPECT_THROW(word_frequencies(Strings{"x"}, "", 10), std::invalid_argument);
}

}  // namespace
}  // namespace needsmap::analysis
