#include "core/text.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "core/clock.hpp"
#include "core/random.hpp"

using namespace needsmap;

TEST(Transliteration, serbian_cyrillic_becomes_serbian_latin_with_digraphs) {
  struct Case {
    const char* cyrillic;
    const char* latin;
  };
  const Case cases[] = {
      {"Да нико не буде изостављен", "Da niko ne bude izostavljen"},
      {"Љубовија", "Ljubovija"},
      {"Њива", "Njiva"},
      {"Џак", "Džak"},
      {"ђак", "đak"},
      {"Ћирилица", "Ćirilica"},
      {"Жагубица", "Žagubica"},
      {"ЧЕШАЉ", "ČEŠALJ"},
      {"Помоћ у кући", "Pomoć u kući"},
      {"Центар за социјални рад", "Centar za socijalni rad"},
      {"Latin stays Latin, 123!", "Latin stays Latin, 123!"},
  };
  for (const auto& c : cases) EXPECT_EQ(text::serbian_to_latin(c.cyrillic), c.latin) << c.cyrillic;
}

TEST(SearchFolding, ignores_script_case_and_diacritics) {
  const std::string expected = "dnevni boravak";
  for (const char* written : {"Дневни боравак", "dnevni boravak", "dnevni borávak",
                              "DNEVNI BORAVAK", "ДНЕВНИ Боравак", "Dnevni boravak"}) {
    EXPECT_EQ(text::fold_for_search(written), expected) << written;
  }
}

TEST(SearchFolding, serbian_letters_fold_as_written_without_diacritics) {
  EXPECT_EQ(text::fold_for_search("Čačak, Ćuprija, Šabac, Žagubica"),
            "cacak, cuprija, sabac, zagubica");
  // đ is "dj", in both scripts and cases; dž (џ) loses its caron like ž.
  EXPECT_EQ(text::fold_for_search("Ђурђевак"), "djurdjevak");
  EXPECT_EQ(text::fold_for_search("ĐURĐEVAK"), "djurdjevak");
  EXPECT_EQ(text::fold_for_search("Медвеђа"), text::fold_for_search("Medvedja"));
  EXPECT_EQ(text::fold_for_search("Џак, Љубовија, Њива"), "dzak, ljubovija, njiva");
  // The decomposed form (c + combining caron) folds like the composed one.
  EXPECT_EQ(text::fold_for_search("c\xCC\x8C"), "c");
}

TEST(SearchFolding, macedonian_letters_fold_too) {
  EXPECT_EQ(text::fold_for_search("Ѓорѓи, ќерка, ѕвезда"), "gorgi, kerka, dzvezda");
  EXPECT_EQ(text::fold_for_search("Центар за социјална работа"), "centar za socijalna rabota");
}

TEST(SearchFolding, leaves_digits_and_punctuation) {
  EXPECT_EQ(text::fold_for_search("СОС телефон 0–24!"), "sos telefon 0–24!");
  EXPECT_EQ(text::fold_for_search(""), "");
}

TEST(SerbianCollation, orders_both_alphabets_as_serbian_does) {
  auto sorted = [](std::vector<std::string> words) {
    std::sort(words.begin(), words.end(), [](const std::string& a, const std::string& b) {
      return text::compare_serbian(a, b) < 0;
    });
    return words;
  };
  // Latin: c č ć d dž đ e; lj after l, nj after n.
  EXPECT_EQ(
      sorted({"Đak", "Ćup", "Dom", "Car", "Čas", "Džep", "Eho", "Ljuba", "Lom", "Njiva", "Nos"}),
      (std::vector<std::string>{"Car", "Čas", "Ćup", "Dom", "Džep", "Đak", "Eho", "Lom", "Ljuba",
                                "Nos", "Njiva"}));
  // Cyrillic: д ђ е, т ћ у, ц ч џ ш; Cyrillic before Latin.
  EXPECT_EQ(sorted({"Шум", "Ђак", "Ћуп", "Дом", "Цар", "Џеп", "Ема", "Час", "Тон", "Ум", "Abc"}),
            (std::vector<std::string>{"Дом", "Ђак", "Ема", "Тон", "Ћуп", "Ум", "Цар", "Час", "Џеп",
                                      "Шум", "Abc"}));
  EXPECT_EQ(text::compare_serbian("дом", "Дом") < 0, true);
  EXPECT_EQ(text::compare_serbian("Дом", "Дом"), 0);
}

TEST(Transliteration, latin_output_is_nfc_normalised) {
  // "ć" must be one code point (U+0107), not c + combining acute.
  EXPECT_EQ(text::serbian_to_latin("ћ"), "\xC4\x87");
}

TEST(Transliteration, macedonian_cyrillic_becomes_latin_with_its_own_letters) {
  // Macedonian ѓ ќ ѕ are not Serbian letters; BGN writes them ǵ ḱ dz.
  EXPECT_EQ(text::macedonian_to_latin("Ѓорѓи, ќерка, ѕвезда, џеб, љубов"),
            "Ǵorǵi, ḱerka, dzvezda, džeb, ljubov");
}

TEST(Utf8, valid_and_invalid_sequences_are_told_apart) {
  EXPECT_TRUE(text::is_valid_utf8(""));
  EXPECT_TRUE(text::is_valid_utf8("ASCII"));
  EXPECT_TRUE(text::is_valid_utf8("Ћирилица и 😀"));
  EXPECT_FALSE(text::is_valid_utf8("\xC3"));              // truncated
  EXPECT_FALSE(text::is_valid_utf8("\xC0\xAF"));          // overlong "/"
  EXPECT_FALSE(text::is_valid_utf8("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(text::is_valid_utf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(text::is_valid_utf8("\xFF"));
  EXPECT_FALSE(
      text::is_valid_utf8("a\x80"
                          "b"));
}

TEST(Utf8, code_points_counts_characters_not_bytes) {
  EXPECT_EQ(text::code_points("Ђурђевдан"), 9u);
  EXPECT_EQ(text::code_points("abc"), 3u);
}

TEST(UserText, control_characters_are_removed_and_line_ends_normalised) {
  EXPECT_EQ(text::clean_user_text("a\x01"
                                  "b\r\nc\rd\te\x7F"),
            "ab\nc\nd\te");
}

TEST(UserText, trim_removes_unicode_spaces_at_both_ends) {
  EXPECT_EQ(text::trim("\xC2\xA0  Ниш \t\n"), "Ниш");
  EXPECT_EQ(text::trim("   "), "");
}

TEST(Clock, dates_are_validated_including_leap_years) {
  EXPECT_TRUE(clock::is_valid_date("2024-02-29"));
  EXPECT_FALSE(clock::is_valid_date("2025-02-29"));
  EXPECT_FALSE(clock::is_valid_date("2025-13-01"));
  EXPECT_FALSE(clock::is_valid_date("2025-1-01"));
  EXPECT_TRUE(clock::is_valid_date("1900-01-01"));
}

TEST(Clock, times_parse_as_utc_and_format_back) {
  auto t = clock::parse_utc("2025-11-10T08:30Z");
  ASSERT_TRUE(t);
  EXPECT_EQ(clock::format_utc(*t), "2025-11-10T08:30:00Z");
  EXPECT_EQ(clock::format_date(*clock::parse_utc("2025-11-21")), "2025-11-21");
  EXPECT_FALSE(clock::parse_utc("2025-11-10T25:00"));
  EXPECT_FALSE(clock::parse_utc("tomorrow"));
}

TEST(Random, uuids_are_version_4_and_distinct) {
  std::string a = random::uuid_v4(), b = random::uuid_v4();
  EXPECT_TRUE(random::is_uuid(a));
  EXPECT_NE(a, b);
  EXPECT_EQ(a[14], '4');
  EXPECT_FALSE(random::is_uuid("not-a-uuid"));
}

TEST(Random, tokens_are_url_safe_and_of_the_expected_length) {
  std::string t = random::token(32);
  EXPECT_EQ(t.size(), 43u);
  EXPECT_EQ(t.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
            std::string::npos);
}
