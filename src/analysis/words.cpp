#include "analysis/words.hpp"

#include <libstemmer.h>
#include <unicode/brkiter.h>
#include <unicode/coll.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/ucol.h>
#include <unicode/unistr.h>
#include <unicode/uscript.h>

#include <algorithm>
#include <map>
#include <new>
#include <optional>
#include <stdexcept>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "core/text.hpp"

namespace needsmap::analysis {

namespace {

// Function words, which would otherwise top every list. Serbian is written in Latin with
// diacritics, ekavian and ijekavian forms both: Cyrillic words are compared after
// transliteration. One-letter words (i, a, u, s, o, k) need no entry: all are dropped.
// "ima" and "nema" are here because answers about what is missing so often start "nema ...":
// the word after it names the need.
constexpr std::string_view serbian_stop_words[] = {
    "ali",    "ili",    "pa",      "te",      "ni",      "niti",  "no",    "nego",   "već",
    "da",     "jer",    "ako",     "kad",     "kada",    "dok",   "što",   "šta",    "kao",
    "li",     "mada",   "iako",    "pošto",   "čim",     "ne",    "još",   "samo",   "tako",
    "takođe", "čak",    "baš",     "onda",    "sada",    "sad",   "vrlo",  "veoma",  "evo",
    "eto",    "zar",    "na",      "od",      "do",      "iz",    "za",    "sa",     "po",
    "pri",    "prema",  "kod",     "kroz",    "bez",     "oko",   "pod",   "nad",    "pred",
    "među",   "zbog",   "ka",      "preko",   "uz",      "osim",  "van",   "ja",     "ti",
    "on",     "ona",    "ono",     "mi",      "vi",      "oni",   "one",   "me",     "mene",
    "meni",   "tebe",   "tebi",    "ga",      "njega",   "mu",    "njemu", "nju",    "njoj",
    "joj",    "nas",    "nama",    "vas",     "vama",    "ih",    "njih",  "im",     "njima",
    "se",     "sebe",   "sebi",    "moj",     "moja",    "moje",  "moji",  "tvoj",   "njegov",
    "njen",   "njihov", "njihova", "njihove", "njihovi", "naš",   "naša",  "naše",   "naši",
    "vaš",    "ovaj",   "ova",     "ovo",     "ovi",     "ove",   "taj",   "ta",     "to",
    "tog",    "toga",   "tome",    "tom",     "onaj",    "koji",  "koja",  "koje",   "koga",
    "kome",   "kojih",  "kojima",  "čiji",    "neki",    "neka",  "neko",  "nešto",  "sve",
    "svi",    "sva",    "svaki",   "svako",   "ništa",   "niko",  "ko",    "gde",    "gdje",
    "tu",     "tamo",   "ovde",    "ovdje",   "kako",    "zašto", "kakav", "koliko", "sam",
    "si",     "je",     "smo",     "ste",     "su",      "nisam", "nisi",  "nije",   "nismo",
    "niste",  "nisu",   "jesam",   "jesi",    "jeste",   "jesmo", "jesu",  "bio",    "bila",
    "bilo",   "bili",   "bile",    "biti",    "bi",      "bih",   "bismo", "biste",  "bude",
    "budu",   "ću",     "ćeš",     "će",      "ćemo",    "ćete",  "neću",  "nećeš",  "neće",
    "nećemo", "nećete", "ima",     "nema",
};

// Macedonian in Cyrillic, its usual script; transliterated like the answers before comparing.
constexpr std::string_view macedonian_stop_words[] = {
    "но",   "или",  "ни",     "да",      "дека",   "што",   "кој",   "која",  "кое",   "кои",
    "како", "кога", "ако",    "бидејќи", "додека", "во",    "на",    "од",    "до",    "за",
    "со",   "по",   "при",    "кон",     "кај",    "низ",   "без",   "околу", "под",   "над",
    "пред", "меѓу", "поради", "преку",   "освен",  "се",    "си",    "сум",   "сме",   "сте",
    "бил",  "била", "било",   "биле",    "ќе",     "не",    "нема",  "има",   "ли",    "уште",
    "само", "веќе", "исто",   "така",    "тука",   "таму",  "каде",  "зошто", "јас",   "ти",
    "тој",  "таа",  "тоа",    "ние",     "вие",    "тие",   "ме",    "мене",  "те",    "тебе",
    "го",   "него", "му",     "нему",    "ја",     "неа",   "нејзе", "нè",    "нас",   "ве",
    "вас",  "ги",   "нив",    "им",      "нам",    "вам",   "мој",   "моја",  "мое",   "мои",
    "наш",  "наша", "наше",   "наши",    "нивни",  "нивна", "нивно", "овој",  "оваа",  "ова",
    "овие", "оној", "сите",   "сè",      "секој",  "нешто", "ништо", "некој", "никој",
};

constexpr std::string_view english_stop_words[] = {
    "an",    "the",   "and",   "or",     "but",   "nor",   "so",   "if",    "then",    "than",
    "that",  "this",  "these", "those",  "there", "here",  "is",   "are",   "was",     "were",
    "be",    "been",  "being", "am",     "do",    "does",  "did",  "have",  "has",     "had",
    "will",  "would", "shall", "should", "can",   "could", "may",  "might", "must",    "of",
    "in",    "on",    "at",    "to",     "from",  "by",    "for",  "with",  "without", "about",
    "into",  "over",  "under", "as",     "it",    "its",   "me",   "my",    "we",      "us",
    "our",   "you",   "your",  "he",     "him",   "his",   "she",  "her",   "they",    "them",
    "their", "what",  "which", "who",    "whom",  "whose", "when", "where", "why",     "how",
    "not",   "no",    "all",   "any",    "some",  "each",  "also", "very",  "just",    "only",
    "too",
};

struct LanguageRules {
  std::string_view code{};  // the first subtag of a language tag
  const char* locale{};     // for word breaking
  const char* collation{};  // for sorting ties
  const char* stemmer{};    // Snowball algorithm; nullptr where Snowball has none
  std::string (*to_latin)(std::string_view){};  // nullptr where the language is written in Latin
  std::span<const std::string_view> stop_words{};
};

// ICU's "sr" collation is Cyrillic only: it would sort Latin č as a c. "sr-Latn" sorts
// c č ć d dž đ as the Latin alphabet does, and Cyrillic in the azbuka's order as well.
const LanguageRules language_rules[] = {
    {.code = "sr",
     .locale = "sr",
     .collation = "sr-Latn",
     .stemmer = "serbian",
     .to_latin = text::serbian_to_latin,
     .stop_words = serbian_stop_words},
    {.code = "mk",
     .locale = "mk",
     .collation = "mk",
     .stemmer = nullptr,
     .to_latin = text::macedonian_to_latin,
     .stop_words = macedonian_stop_words},
    {.code = "en",
     .locale = "en",
     .collation = "en",
     .stemmer = "english",
     .to_latin = nullptr,
     .stop_words = english_stop_words},
};

const LanguageRules* find_rules(std::string_view tag) {
  std::string_view code = tag.substr(0, tag.find_first_of("-_"));
  for (const auto& rules : language_rules) {
    if (text::ascii_lower(code) == rules.code) return &rules;
  }
  return nullptr;
}

const LanguageRules& rules_for(std::string_view tag) {
  if (const LanguageRules* rules = find_rules(tag)) return *rules;
  throw std::invalid_argument("word frequencies: no rules for language " + std::string(tag));
}

void check(UErrorCode status, const char* what) {
  if (U_FAILURE(status)) {
    throw std::runtime_error(std::string("ICU: ") + what + ": " + u_errorName(status));
  }
}

std::unique_ptr<icu::BreakIterator> make_word_breaker(const char* locale) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::BreakIterator> breaker(
      icu::BreakIterator::createWordInstance(icu::Locale(locale), status));
  check(status, "word break iterator");
  return breaker;
}

// Cyrillic sorts before Latin, as the product puts Serbian Cyrillic first.
std::unique_ptr<icu::Collator> make_collator(const char* language_tag) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::Collator> collator(
      icu::Collator::createInstance(icu::Locale::forLanguageTag(language_tag, status), status));
  check(status, "collator");
  const std::int32_t cyrillic_first[] = {USCRIPT_CYRILLIC, USCRIPT_LATIN};
  collator->setReorderCodes(cyrillic_first, 2, status);
  check(status, "collator script order");
  return collator;
}

struct StemmerDeleter {
  void operator()(sb_stemmer* stemmer) const { sb_stemmer_delete(stemmer); }
};
using Stemmer = std::unique_ptr<sb_stemmer, StemmerDeleter>;

Stemmer make_stemmer(const char* algorithm) {
  if (algorithm == nullptr) return nullptr;
  Stemmer stemmer(sb_stemmer_new(algorithm, "UTF_8"));
  if (!stemmer) throw std::runtime_error(std::string("libstemmer has no ") + algorithm);
  return stemmer;
}

const icu::Normalizer2& nfc() {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* normalizer = icu::Normalizer2::getNFCInstance(status);
  check(status, "NFC");
  return *normalizer;
}

icu::UnicodeString normalized(const icu::UnicodeString& s) {
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeString out = nfc().normalize(s, status);
  check(status, "NFC");
  return out;
}

template <typename Predicate>
bool any_code_point(const icu::UnicodeString& s, Predicate predicate) {
  for (std::int32_t i = 0; i < s.length(); i = s.moveIndex32(i, 1)) {
    if (predicate(s.char32At(i))) return true;
  }
  return false;
}

bool has_letter(const icu::UnicodeString& s) {
  return any_code_point(s, [](UChar32 c) { return u_isalpha(c) != 0; });
}

bool has_cyrillic(const icu::UnicodeString& s) {
  return any_code_point(
      s, [](UChar32 c) { return u_getIntPropertyValue(c, UCHAR_SCRIPT) == USCRIPT_CYRILLIC; });
}

std::string utf8(const icu::UnicodeString& s) {
  std::string out;
  s.toUTF8String(out);
  return out;
}

// One word of an answer.
struct Word {
  std::string stem{};
  std::string written{};  // folded, in the script the respondent used
  bool cyrillic{};
};

struct Form {
  std::int64_t occurrences{};
  bool cyrillic{};
};

struct Tally {
  std::int64_t answers{};
  std::int64_t occurrences{};
  std::int64_t cyrillic_answers{};
  std::int64_t latin_answers{};
  std::map<std::string, Form> forms{};  // by written form
};

// The form to show: from the script most answers with the word used, the most frequent one.
std::string shown_form(const Tally& tally) {
  bool cyrillic = tally.cyrillic_answers >= tally.latin_answers;
  auto rank = [&](const auto& entry) {
    return std::pair(entry.second.cyrillic == cyrillic, entry.second.occurrences);
  };
  // max_element keeps the first of equals: the form first by bytes.
  return std::ranges::max_element(tally.forms, {}, rank)->first;
}

}  // namespace

struct WordCounter::State {
  const LanguageRules& rules;
  std::unique_ptr<icu::BreakIterator> breaker = make_word_breaker(rules.locale);
  std::unique_ptr<icu::Collator> collator = make_collator(rules.collation);
  Stemmer stemmer = make_stemmer(rules.stemmer);
  std::unordered_set<std::string> stop_words{};  // folded and in Latin, as words are compared
  std::unordered_map<std::string, Tally> tallies{};

  explicit State(const LanguageRules& language) : rules(language) {
    for (std::string_view word : rules.stop_words) {
      icu::UnicodeString folded = icu::UnicodeString::fromUTF8(word).foldCase();
      stop_words.insert(latin(utf8(normalized(folded)), has_cyrillic(folded)));
    }
  }

  std::string latin(const std::string& written, bool cyrillic) const {
    return cyrillic && rules.to_latin != nullptr ? rules.to_latin(written) : written;
  }

  std::string stem(const std::string& word) {
    if (!stemmer) return word;
    const sb_symbol* stemmed =
        sb_stemmer_stem(stemmer.get(), reinterpret_cast<const sb_symbol*>(word.data()),
                        static_cast<int>(word.size()));
    if (stemmed == nullptr) throw std::bad_alloc();
    return std::string(reinterpret_cast<const char*>(stemmed),
                       static_cast<std::size_t>(sb_stemmer_length(stemmer.get())));
  }

  // A token as a word, or nothing for stop words and single letters.
  std::optional<Word> word(icu::UnicodeString token) {
    std::string written = utf8(normalized(token.foldCase()));
    if (text::code_points(written) < 2) return std::nullopt;
    bool cyrillic = has_cyrillic(token);
    std::string in_latin = latin(written, cyrillic);
    if (stop_words.contains(in_latin)) return std::nullopt;
    return Word{.stem = stem(in_latin), .written = std::move(written), .cyrillic = cyrillic};
  }

  // The words of an answer in order; tokens without a letter (numbers, punctuation, spaces,
  // emoji) are not words.
  std::vector<Word> words(std::string_view answer) {
    icu::UnicodeString text = normalized(icu::UnicodeString::fromUTF8(
        icu::StringPiece(answer.data(), static_cast<std::int32_t>(answer.size()))));
    breaker->setText(text);
    std::vector<Word> out;
    for (std::int32_t start = breaker->first(), end = breaker->next();
         end != icu::BreakIterator::DONE; start = end, end = breaker->next()) {
      if (breaker->getRuleStatus() < UBRK_WORD_NONE_LIMIT) continue;
      icu::UnicodeString token(text, start, end - start);
      if (!has_letter(token)) continue;
      if (auto w = word(std::move(token))) out.push_back(std::move(*w));
    }
    breaker->setText(icu::UnicodeString());  // it keeps a reference to the text otherwise
    return out;
  }

  // Serbian order of the shown forms, then the stems so that equal forms stay in one order.
  bool sorts_before(const WordCount& a, const WordCount& b) const {
    if (a.answers != b.answers) return a.answers > b.answers;
    UErrorCode status = U_ZERO_ERROR;
    UCollationResult order = collator->compareUTF8(a.shown, b.shown, status);
    if (U_SUCCESS(status) && order != UCOL_EQUAL) return order == UCOL_LESS;
    return a.stem < b.stem;
  }
};

WordCounter::WordCounter(std::string_view language)
    : state_(std::make_unique<State>(rules_for(language))) {}
WordCounter::~WordCounter() = default;
WordCounter::WordCounter(WordCounter&&) noexcept = default;
WordCounter& WordCounter::operator=(WordCounter&&) noexcept = default;

std::vector<std::string> WordCounter::add(std::string_view answer) {
  struct Scripts {
    bool cyrillic{};
    bool latin{};
  };
  std::map<std::string, Scripts> in_answer;
  for (Word& word : state_->words(answer)) {
    Tally& tally = state_->tallies[word.stem];
    ++tally.occurrences;
    Form& form = tally.forms[std::move(word.written)];
    ++form.occurrences;
    form.cyrillic = word.cyrillic;
    Scripts& scripts = in_answer[std::move(word.stem)];
    (word.cyrillic ? scripts.cyrillic : scripts.latin) = true;
  }
  for (const auto& [stem, scripts] : in_answer) {
    Tally& tally = state_->tallies[stem];
    ++tally.answers;
    tally.cyrillic_answers += scripts.cyrillic;
    tally.latin_answers += scripts.latin;
  }
  std::vector<std::string> stems;
  stems.reserve(in_answer.size());
  for (auto& entry : in_answer) stems.push_back(entry.first);
  return stems;
}

std::vector<std::string> WordCounter::stems(std::string_view answer) {
  std::vector<std::string> out;
  for (Word& word : state_->words(answer)) out.push_back(std::move(word.stem));
  std::ranges::sort(out);
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::vector<WordCount> WordCounter::top(std::size_t limit) const {
  std::vector<WordCount> out;
  out.reserve(state_->tallies.size());
  for (const auto& [stem, tally] : state_->tallies) {
    out.push_back({.stem = stem,
                   .shown = shown_form(tally),
                   .answers = tally.answers,
                   .occurrences = tally.occurrences});
  }
  auto before = [&](const WordCount& a, const WordCount& b) { return state_->sorts_before(a, b); };
  std::size_t kept = std::min(limit, out.size());
  std::partial_sort(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(kept), out.end(),
                    before);
  out.resize(kept);
  return out;
}

bool has_word_rules(std::string_view language) {
  return find_rules(language) != nullptr;
}

std::vector<WordCount> word_frequencies(std::span<const std::string> answers,
                                        std::string_view language, std::size_t limit) {
  WordCounter counter(language);
  for (const std::string& answer : answers) counter.add(answer);
  return counter.top(limit);
}

std::vector<std::string> answer_stems(std::string_view answer, std::string_view language) {
  return WordCounter(language).stems(answer);
}

}  // namespace needsmap::analysis
