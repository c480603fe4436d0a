#include <gtest/gtest.h>

#include "test_support.hpp"
#include "web/forms.hpp"
#include "web/i18n.hpp"
#include "web/rate_limit.hpp"

using namespace needsmap;
using namespace needsmap::web;

TEST(Forms, url_encoded_bodies_decode_plus_percent_and_repeated_names) {
  auto fields = parse_form("a=1&b=%D0%B0+%D0%B1&b=x&empty=&flag");
  ASSERT_TRUE(fields);
  EXPECT_EQ(field(*fields, "a"), "1");
  EXPECT_EQ(fields->count("b"), 2u);
  EXPECT_EQ(field(*fields, "b"), "а б");
  EXPECT_EQ(field(*fields, "empty"), "");
  EXPECT_TRUE(fields->contains("flag"));
}

TEST(Forms, whole_numbers_are_digits_and_nothing_else) {
  EXPECT_EQ(whole_number("2025"), 2025);
  EXPECT_EQ(whole_number("-3"), -3);
  EXPECT_FALSE(whole_number(""));
  EXPECT_FALSE(whole_number("2025 "));
  EXPECT_FALSE(whole_number("20x5"));
  EXPECT_FALSE(whole_number("+1"));
  EXPECT_FALSE(whole_number("99999999999999999999"));
}

TEST(Forms, malformed_escapes_and_invalid_utf8_are_refused) {
  EXPECT_FALSE(parse_form("a=%"));
  EXPECT_FALSE(parse_form("a=%zz"));
  EXPECT_FALSE(parse_form("a=%C3"));
  EXPECT_FALSE(parse_form("a=%FF%FE"));
}

TEST(Forms, multipart_bodies_give_text_fields_and_files) {
  EXPECT_EQ(multipart_boundary("multipart/form-data; boundary=----abc123"), "----abc123");
  EXPECT_EQ(multipart_boundary("Multipart/Form-Data; charset=utf-8; boundary=\"a b;c\""), "a b;c");
  EXPECT_EQ(multipart_boundary("application/x-www-form-urlencoded"), "");
  EXPECT_EQ(multipart_boundary("multipart/form-data"), "");

  // A file whose bytes hold CR LF, a delimiter-like line and NUL; a path sent as its name; an
  // empty file input; a Cyrillic text field.
  const std::string file_bytes = std::string("PK\x03\x04\r\n--xyz-not-the-end\r\n\0end", 29);
  const std::string body =
      "--xyz\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\ntoken\r\n"
      "--xyz\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nћирилица\r\n"
      "--xyz\r\nContent-Disposition: form-data; name=\"file\"; "
      "filename=\"C:\\\\Users\\\\a\\\\упитник.xlsx\"\r\n"
      "Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n" +
      file_bytes +
      "\r\n--xyz\r\nContent-Disposition: form-data; name=\"other\"; filename=\"\"\r\n"
      "Content-Type: application/octet-stream\r\n\r\n\r\n--xyz--\r\n";
  auto form = parse_multipart(body, "xyz");
  ASSERT_TRUE(form);
  EXPECT_EQ(field(form->fields, "_csrf"), "token");
  EXPECT_EQ(field(form->fields, "note"), "ћирилица");
  ASSERT_EQ(form->files.size(), 1u);
  EXPECT_EQ(form->files[0].field, "file");
  EXPECT_EQ(form->files[0].filename, "упитник.xlsx");
  EXPECT_EQ(form->files[0].data, file_bytes);
}

TEST(Forms, malformed_multipart_bodies_are_refused) {
  EXPECT_FALSE(parse_multipart("no delimiter at all", "xyz"));
  EXPECT_FALSE(parse_multipart(
      "--xyz\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nnever closed", "xyz"));
  EXPECT_FALSE(
      parse_multipart("--xyz\r\nContent-Disposition: form-data\r\n\r\nno name\r\n--xyz--", "xyz"));
  EXPECT_FALSE(parse_multipart(
      "--xyz\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n\xFF\xFE\r\n--xyz--", "xyz"));
  auto empty = parse_multipart("--xyz--\r\n", "xyz");
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->fields.empty());
}

TEST(Forms, cookies_are_found_by_exact_name) {
  EXPECT_EQ(cookie("x=1; nm_draft=abc; y=2", "nm_draft"), "abc");
  EXPECT_EQ(cookie("nm_draft_old=zzz", "nm_draft"), "");
  EXPECT_EQ(url_encode("а b/"), "%D0%B0%20b%2F");
}

namespace {
const Translations& translations() {
  static const Translations t = *Translations::load(fixtures::source_dir() / "i18n");
  return t;
}
}  // namespace

TEST(Translations, every_language_has_every_key_of_serbian_cyrillic) {
  const auto& t = translations();
  for (const char* language : {"en", "mk", "sr-Latn"}) {
    for (const auto& [key, _] : t.all("sr-Cyrl")) {
      EXPECT_TRUE(t.all(language).contains(key)) << language << " lacks " << key;
    }
  }
}

TEST(Translations, serbian_plurals_follow_one_few_other) {
  const auto& t = translations();
  EXPECT_EQ(t.format("sr-Cyrl", "intro.minutes", {{"minutes", 1}}),
            "Попуњавање траје око 1 минут.");
  EXPECT_EQ(t.format("sr-Cyrl", "intro.minutes", {{"minutes", 3}}),
            "Попуњавање траје око 3 минута.");
  EXPECT_EQ(t.format("sr-Cyrl", "intro.minutes", {{"minutes", 21}}),
            "Попуњавање траје око 21 минут.");
  EXPECT_EQ(t.format("sr-Latn", "intro.minutes", {{"minutes", 10}}),
            "Popunjavanje traje oko 10 minuta.");
  EXPECT_EQ(t.format("en", "intro.minutes", {{"minutes", 1}}), "It takes about 1 minute.");
}

TEST(Translations, accept_language_picks_a_supported_language) {
  const auto& t = translations();
  EXPECT_EQ(t.from_accept_language("en-GB,en;q=0.8"), "en");
  EXPECT_EQ(t.from_accept_language("sr-Latn-RS"), "sr-Latn");
  EXPECT_EQ(t.from_accept_language("de-DE, mk;q=0.5"), "mk");
  EXPECT_EQ(t.from_accept_language(""), "sr-Cyrl");
  EXPECT_EQ(t.resolve("xx"), "sr-Cyrl");
}

TEST(RateLimiter, allows_a_burst_then_refuses_until_time_passes) {
  auto limiter = RateLimiter::parse("3/min");
  ASSERT_TRUE(limiter);
  EXPECT_TRUE(limiter->allow("10.0.0.1"));
  EXPECT_TRUE(limiter->allow("10.0.0.1"));
  EXPECT_TRUE(limiter->allow("10.0.0.1"));
  EXPECT_FALSE(limiter->allow("10.0.0.1"));
  EXPECT_TRUE(limiter->allow("10.0.0.2")) << "addresses are limited separately";
}

TEST(RateLimiter, off_allows_everything_and_nonsense_is_refused) {
  auto off = RateLimiter::parse("off");
  ASSERT_TRUE(off);
  for (int i = 0; i < 1000; ++i) ASSERT_TRUE(off->allow("x"));
  EXPECT_FALSE(RateLimiter::parse("fast"));
  EXPECT_FALSE(RateLimiter::parse("0/min"));
  EXPECT_FALSE(RateLimiter::parse("10/hour"));
}
