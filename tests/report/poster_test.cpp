// The campaign poster: one A4 page of PDF with embedded fonts and a QR code, and its texts built
// from a campaign, its municipality and the interface translations.
#include "report/poster.hpp"

#include <gtest/gtest.h>
#include <zlib.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "questionnaire/loader.hpp"
#include "test_support.hpp"
#include "web/i18n.hpp"

namespace needsmap::report {
namespace {

PosterContent cyrillic_poster() {
  PosterContent c;
  c.language = "sr-Cyrl";
  c.title = "Да нико не буде изостављен: упитник за грађане";
  c.municipality = "Краљево";
  c.run_by = "Истраживање спроводи Краљево. Ваши одговори помоћи ће да се услуге планирају.";
  c.anonymous = "Упитник је потпуно анониман: не питамо за ваше име.";
  c.duration = "Попуњавање траје око 10 минута.";
  c.closes = "Последњи дан за попуњавање: 21. новембар 2025.";
  c.scan = "Скенирајте код камером телефона или упишите адресу:";
  c.url = "https://anketa.example.org/s/kraljevo/citizens";
  c.assisted = "Упитник можете попунити и уз помоћ радника Центра за социјални рад.";
  c.help = "Питања и помоћ: socijalna.zastita@kraljevo.example";
  c.qr_payload = c.url;
  return c;
}

std::string render_or_fail(const PosterContent& content) {
  auto pdf = render_poster_pdf(content);
  EXPECT_TRUE(pdf.has_value()) << (pdf ? "" : pdf.error().message);
  return pdf.value_or("");
}

// How cairo writes a text string outside ASCII into the PDF: UTF-16BE in hex with a byte order
// mark.
std::string pdf_utf16_hex(const std::string& utf8) {
  std::u16string utf16;
  for (std::size_t i = 0; i < utf8.size();) {
    auto c = static_cast<unsigned char>(utf8[i]);
    char32_t cp = c;
    int extra = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : c >= 0xc0 ? 1 : 0;
    if (extra > 0) cp = c & (0x3f >> extra);
    for (int k = 1; k <= extra; ++k)
      cp = (cp << 6) | (static_cast<unsigned char>(utf8[i + k]) & 0x3f);
    i += 1 + extra;
    if (cp > 0xffff) {
      cp -= 0x10000;
      utf16 += static_cast<char16_t>(0xd800 + (cp >> 10));
      utf16 += static_cast<char16_t>(0xdc00 + (cp & 0x3ff));
    } else {
      utf16 += static_cast<char16_t>(cp);
    }
  }
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out = "<FEFF";
  for (char16_t unit : utf16) {
    for (int shift = 12; shift >= 0; shift -= 4) out += hex[(unit >> shift) & 15];
  }
  return out + ">";
}

// The fonts a PDF names, without their subset tags (/BaseFont /ABCDEF+DejaVuSans).
std::set<std::string> base_fonts(const std::string& pdf) {
  std::set<std::string> names;
  const std::string key = "/BaseFont /";
  for (auto at = pdf.find(key); at != std::string::npos; at = pdf.find(key, at + 1)) {
    std::size_t start = at + key.size();
    std::size_t end = pdf.find_first_of(" /\n>", start);
    std::string name = pdf.substr(start, end - start);
    const bool subset =
        name.size() > 7 && name[6] == '+' &&
        std::all_of(name.begin(), name.begin() + 6, [](char c) { return c >= 'A' && c <= 'Z'; });
    names.insert(subset ? name.substr(7) : "not a subset: " + name);
  }
  return names;
}

TEST(Poster, renders_one_a4_portrait_page_of_pdf) {
  std::string pdf = render_or_fail(cyrillic_poster());
  EXPECT_TRUE(pdf.starts_with("%PDF-"));
  EXPECT_NE(pdf.find("/MediaBox [ 0 0 595 842 ]"), std::string::npos);
  EXPECT_NE(pdf.find("/Count 1\n"), std::string::npos);
  EXPECT_EQ(pdf.find("/Count 2"), std::string::npos);
  EXPECT_TRUE(pdf.find("%%EOF") != std::string::npos);
}

TEST(Poster, embeds_dejavu_sans_regular_and_bold_as_font_subsets) {
  std::string pdf = render_or_fail(cyrillic_poster());
  EXPECT_EQ(base_fonts(pdf), (std::set<std::string>{"DejaVuSans", "DejaVuSans-Bold"}));
  EXPECT_NE(pdf.find("/FontFile2 "), std::string::npos);
  // Text extraction back to Cyrillic needs a map from glyphs to Unicode.
  EXPECT_NE(pdf.find("/ToUnicode"), std::string::npos);
}

TEST(Poster, carries_its_title_and_municipality_as_document_metadata) {
  PosterContent content = cyrillic_poster();
  std::string pdf = render_or_fail(content);
  EXPECT_NE(pdf.find("/Title " + pdf_utf16_hex(content.title)), std::string::npos);
  EXPECT_NE(pdf.find("/Author " + pdf_utf16_hex(content.municipality)), std::string::npos);
  EXPECT_NE(pdf.find("/Creator (needsmap)"), std::string::npos);
}

TEST(Poster, names_its_language_for_screen_readers_and_shows_its_title) {
  for (const char* language : {"sr-Cyrl", "sr-Latn", "en", "mk"}) {
    PosterContent content = cyrillic_poster();
    content.language = language;
    const std::string pdf = render_or_fail(content);
    // The catalog defined last, the one the trailer at the end of the file names.
    const std::size_t catalog = pdf.rfind("/Type /Catalog");
    ASSERT_NE(catalog, std::string::npos);
    const std::string object = pdf.substr(pdf.rfind(" obj", catalog), 200);
    EXPECT_NE(object.find("/Lang (" + std::string(language) + ")"), std::string::npos) << object;
    EXPECT_NE(object.find("/DisplayDocTitle true"), std::string::npos) << object;
  }
}

// The drawing operators of a PDF: every Flate-compressed stream that inflates, concatenated.
std::string inflated_streams(const std::string& pdf) {
  std::string out;
  for (std::size_t at = pdf.find("stream\n"); at != std::string::npos;
       at = pdf.find("stream\n", at + 1)) {
    const std::size_t start = at + 7;
    const std::size_t end = pdf.find("endstream", start);
    if (end == std::string::npos) break;
    z_stream z{};
    if (inflateInit(&z) != Z_OK) continue;
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(pdf.data() + start));
    z.avail_in = static_cast<uInt>(end - start);
    std::string inflated;
    char buffer[65536];
    int status = Z_OK;
    while (status == Z_OK) {
      z.next_out = reinterpret_cast<Bytef*>(buffer);
      z.avail_out = sizeof buffer;
      status = inflate(&z, Z_NO_FLUSH);
      inflated.append(buffer, sizeof buffer - z.avail_out);
    }
    inflateEnd(&z);
    if (status == Z_STREAM_END) out += inflated + "\n";
  }
  return out;
}

struct Rectangle {
  double x, y, width, height;
};

// The rectangles of every filled path outside text objects, in the order they are filled. Cairo
// writes a lone rectangle as `re` and several as closed `m l l l h` outlines.
std::vector<std::vector<Rectangle>> filled_rectangles(const std::string& content) {
  std::vector<std::vector<Rectangle>> paths;
  std::vector<Rectangle> path;
  std::vector<std::pair<double, double>> outline;
  std::vector<double> operands;
  bool in_text = false;
  std::istringstream tokens(content);
  for (std::string token; tokens >> token;) {
    if (token == "BT") in_text = true;
    if (token == "ET") in_text = false;
    if (in_text) continue;
    char* end = nullptr;
    double number = std::strtod(token.c_str(), &end);
    if (end != token.c_str() && *end == '\0') {
      operands.push_back(number);
      continue;
    }
    const auto n = operands.size();
    if (token == "re" && n >= 4) {
      path.push_back({operands[n - 4], operands[n - 3], operands[n - 2], operands[n - 1]});
    } else if ((token == "m" || token == "l") && n >= 2) {
      if (token == "m") outline.clear();
      outline.emplace_back(operands[n - 2], operands[n - 1]);
    } else if (token == "h") {
      if (outline.size() == 4) {
        double left = 1e9, top = 1e9, right = -1e9, bottom = -1e9;
        for (auto [x, y] : outline) {
          left = std::min(left, x);
          right = std::max(right, x);
          top = std::min(top, y);
          bottom = std::max(bottom, y);
        }
        path.push_back({left, top, right - left, bottom - top});
      }
      outline.clear();
    } else if (token == "f" || token == "f*") {
      paths.push_back(std::move(path));
      path.clear();
    } else if (token == "n") {
      path.clear();
    }
    operands.clear();
  }
  return paths;
}

TEST(Poster, draws_the_qr_code_as_vector_squares_at_least_6_cm_wide_with_a_quiet_zone_of_4) {
  std::string content = inflated_streams(render_or_fail(cyrillic_poster()));
  auto paths = filled_rectangles(content);
  // The code is a white square (the code with its quiet zone) filled with the dark modules next.
  const double six_cm = 6 / 2.54 * 72;
  bool found = false;
  for (std::size_t i = 0; i + 1 < paths.size(); ++i) {
    if (paths[i].size() != 1) continue;
    const Rectangle box = paths[i][0];
    if (std::abs(box.width - box.height) > 0.01 || box.width < six_cm || box.width > 400) continue;
    const auto& modules = paths[i + 1];
    ASSERT_GT(modules.size(), 50u);
    double left = 1e9, top = 1e9, right = -1e9, bottom = -1e9, module = 1e9;
    for (const auto& r : modules) {
      left = std::min(left, r.x);
      top = std::min(top, r.y);
      right = std::max(right, r.x + r.width);
      bottom = std::max(bottom, r.y + r.height);
      module = std::min(module, r.height);
    }
    for (const auto& r : modules) EXPECT_NEAR(r.height, module, 0.01);
    EXPECT_GE(right - left, six_cm);
    EXPECT_NEAR(right - left, bottom - top, 0.05);
    EXPECT_NEAR(left - box.x, 4 * module, 0.05);
    EXPECT_NEAR(top - box.y, 4 * module, 0.05);
    EXPECT_NEAR(box.x + box.width - right, 4 * module, 0.05);
    EXPECT_NEAR(box.y + box.height - bottom, 4 * module, 0.05);
    // Inside the page.
    EXPECT_GE(box.x, 0);
    EXPECT_LE(box.x + box.width, 595);
    EXPECT_LE(box.y + box.height, 842);
    found = true;
  }
  EXPECT_TRUE(found) << "no QR code drawn as rectangles";
  EXPECT_EQ(content.find(" Do"), std::string::npos) << "no image drawn";
}

TEST(Poster, links_the_printed_address_for_readers_on_screen) {
  std::string pdf = render_or_fail(cyrillic_poster());
  EXPECT_NE(pdf.find("/URI (https://anketa.example.org/s/kraljevo/citizens)"), std::string::npos);
}

TEST(Poster, leaves_out_optional_texts_that_are_empty) {
  PosterContent content = cyrillic_poster();
  content.duration.clear();
  content.closes.clear();
  content.help.clear();
  EXPECT_TRUE(render_or_fail(content).starts_with("%PDF-"));
}

TEST(Poster, refuses_texts_that_do_not_fit_on_one_page_even_in_the_smallest_type) {
  PosterContent content = cyrillic_poster();
  for (int i = 0; i < 6; ++i) content.run_by += " " + content.run_by;
  auto pdf = render_poster_pdf(content);
  ASSERT_FALSE(pdf.has_value());
  EXPECT_EQ(pdf.error().kind, Error::Kind::invalid_input);
  EXPECT_NE(pdf.error().message.find("do not fit"), std::string::npos) << pdf.error().message;
}

TEST(Poster, refuses_an_address_too_long_for_a_qr_code) {
  PosterContent content = cyrillic_poster();
  content.qr_payload = "https://anketa.example.org/" + std::string(4000, 'a');
  auto pdf = render_poster_pdf(content);
  ASSERT_FALSE(pdf.has_value());
  EXPECT_NE(pdf.error().message.find("too long for a QR code"), std::string::npos);
}

TEST(Poster, refuses_a_poster_without_title_or_address_and_text_that_is_not_utf8) {
  PosterContent no_title = cyrillic_poster();
  no_title.title.clear();
  EXPECT_FALSE(render_poster_pdf(no_title).has_value());
  PosterContent no_address = cyrillic_poster();
  no_address.qr_payload.clear();
  EXPECT_FALSE(render_poster_pdf(no_address).has_value());
  PosterContent broken = cyrillic_poster();
  broken.municipality = "Кра\xff";
  EXPECT_FALSE(render_poster_pdf(broken).has_value());
}

store::Campaign kraljevo_campaign() {
  store::Campaign campaign;
  campaign.municipality_slug = "kraljevo";
  campaign.slug = "citizens";
  campaign.closes_at = clock::parse_utc("2025-11-21T23:59Z");
  campaign.contact = "socijalna.zastita@kraljevo.example";
  return campaign;
}

TEST(PublicCampaignUrl, joins_base_and_campaign_and_names_every_language_but_the_default) {
  struct Case {
    const char* base;
    const char* language;
    const char* expected;
  };
  const std::vector<Case> cases = {
      {"https://anketa.example.org", "sr-Cyrl", "https://anketa.example.org/s/kraljevo/citizens"},
      {"https://anketa.example.org/", "sr-Latn",
       "https://anketa.example.org/s/kraljevo/citizens?lang=sr-Latn"},
      {"http://127.0.0.1:8080/needsmap//", "en",
       "http://127.0.0.1:8080/needsmap/s/kraljevo/citizens?lang=en"},
      {"HTTPS://Anketa.Example.org", "mk",
       "HTTPS://Anketa.Example.org/s/kraljevo/citizens?lang=mk"},
  };
  for (const auto& c : cases) {
    auto url = public_campaign_url(c.base, kraljevo_campaign(), c.language);
    ASSERT_TRUE(url.has_value()) << c.base << ": " << url.error().message;
    EXPECT_EQ(*url, c.expected);
  }
}

TEST(PublicCampaignUrl, refuses_a_base_that_is_not_a_plain_http_address) {
  for (const char* base :
       {"", "anketa.example.org", "ftp://anketa.example.org", "https://", "https:///s",
        "https://anketa.example.org/?a=1", "https://anketa.example.org/#top",
        "https://anketa example.org", "https://анкета.срб", "javascript:alert(1)"}) {
    auto url = public_campaign_url(base, kraljevo_campaign(), "sr-Cyrl");
    ASSERT_FALSE(url.has_value()) << base;
    EXPECT_EQ(url.error().kind, Error::Kind::invalid_input);
    EXPECT_NE(url.error().message.find("http://"), std::string::npos);
  }
}

TEST(PublicCampaignUrl, encodes_what_a_slug_should_never_hold) {
  store::Campaign campaign = kraljevo_campaign();
  campaign.slug = "a b/c";
  EXPECT_EQ(public_campaign_url("https://x.example", campaign, "sr-Cyrl").value(),
            "https://x.example/s/kraljevo/a%20b%2Fc");
}

const web::Translations& translations() {
  static const web::Translations t = *web::Translations::load(fixtures::source_dir() / "i18n");
  return t;
}

TextFormatter formatter() {
  return [](std::string_view language, std::string_view key, const nlohmann::json& arguments) {
    return translations().format(language, key, arguments);
  };
}

questionnaire::Questionnaire bundled(const std::string& name) {
  auto catalogs = questionnaire::load_catalogs(fixtures::source_dir() / "data" / "catalogs");
  EXPECT_TRUE(catalogs.has_value());
  auto q = questionnaire::load_questionnaire_file(
      fixtures::source_dir() / "questionnaires" / (name + ".json"),
      catalogs.value_or(questionnaire::Catalogs{}));
  if (!q) {
    ADD_FAILURE() << q.error().front().to_string();
    std::abort();
  }
  return std::move(*q);
}

store::Municipality kraljevo() {
  store::Municipality m;
  m.slug = "kraljevo";
  m.name_cyrl = "Краљево";
  m.name_latn = "Kraljevo";
  m.name_en = "Kraljevo";
  return m;
}

bool has_cyrillic(const std::string& s) {
  // Cyrillic (U+0400–U+04FF) is two bytes in UTF-8 led by 0xD0–0xD3.
  for (unsigned char c : s) {
    if (c >= 0xd0 && c <= 0xd3) return true;
  }
  return false;
}

TEST(PosterContent, speaks_serbian_cyrillic_by_default_with_the_municipality_and_closing_date) {
  // The date's spaces are no-break spaces, so that it never breaks across lines.
  auto q = bundled("citizens");
  auto c = build_poster_content({kraljevo_campaign(), kraljevo(), q}, "sr-Cyrl",
                                "https://anketa.example.org", formatter());
  ASSERT_TRUE(c.has_value()) << c.error().message;
  EXPECT_EQ(c->language, "sr-Cyrl");
  EXPECT_EQ(c->title, "Да нико не буде изостављен: упитник за грађане");
  EXPECT_EQ(c->municipality, "Краљево");
  EXPECT_TRUE(c->run_by.starts_with("Истраживање спроводи Краљево.")) << c->run_by;
  EXPECT_EQ(c->anonymous, "Упитник је потпуно анониман: не питамо за ваше име.");
  EXPECT_EQ(c->duration, "Попуњавање траје око 10 минута.");
  EXPECT_EQ(c->closes, "Последњи дан за попуњавање: 21.\u00a0новембар\u00a02025.");
  EXPECT_EQ(c->url, "https://anketa.example.org/s/kraljevo/citizens");
  EXPECT_EQ(c->qr_payload, c->url);
  EXPECT_EQ(c->help, "Питања и помоћ: socijalna.zastita@kraljevo.example");
  EXPECT_NE(c->assisted.find("Центра за социјални рад"), std::string::npos);
}

TEST(PosterContent, in_serbian_latin_has_no_cyrillic_letter_left) {
  auto q = bundled("citizens");
  auto c = build_poster_content({kraljevo_campaign(), kraljevo(), q}, "sr-Latn",
                                "https://anketa.example.org", formatter());
  ASSERT_TRUE(c.has_value()) << c.error().message;
  EXPECT_EQ(c->title, "Da niko ne bude izostavljen: upitnik za građane");
  EXPECT_EQ(c->closes, "Poslednji dan za popunjavanje: 21.\u00a0novembar\u00a02025.");
  EXPECT_EQ(c->url, "https://anketa.example.org/s/kraljevo/citizens?lang=sr-Latn");
  for (const std::string* text : {&c->title, &c->municipality, &c->run_by, &c->anonymous,
                                  &c->duration, &c->closes, &c->scan, &c->assisted, &c->help}) {
    EXPECT_FALSE(has_cyrillic(*text)) << *text;
  }
}

TEST(PosterContent, in_english_and_macedonian_uses_their_names_and_dates) {
  auto q = bundled("citizens");
  auto en = build_poster_content({kraljevo_campaign(), kraljevo(), q}, "en",
                                 "https://anketa.example.org", formatter());
  ASSERT_TRUE(en.has_value()) << en.error().message;
  EXPECT_EQ(en->title, "Leave no one behind: questionnaire for citizens");
  EXPECT_EQ(en->closes, "Last day to answer: 21\u00a0November\u00a02025");
  EXPECT_EQ(en->duration, "It takes about 10 minutes.");
  EXPECT_EQ(en->url, "https://anketa.example.org/s/kraljevo/citizens?lang=en");
  auto mk = build_poster_content({kraljevo_campaign(), kraljevo(), q}, "mk",
                                 "https://anketa.example.org", formatter());
  ASSERT_TRUE(mk.has_value()) << mk.error().message;
  EXPECT_EQ(mk->municipality, "Краљево") << "no Macedonian name: the official Cyrillic one";
  EXPECT_EQ(mk->closes, "Последен ден за пополнување: 21\u00a0ноември\u00a02025");
  EXPECT_EQ(mk->duration, "Пополнувањето трае околу 10 минути.");
}

TEST(PosterContent, a_campaign_closing_at_midnight_had_its_last_day_before) {
  auto q = bundled("citizens");
  store::Campaign campaign = kraljevo_campaign();
  campaign.closes_at = clock::parse_utc("2025-11-22");
  auto c = build_poster_content({campaign, kraljevo(), q}, "en", "https://anketa.example.org",
                                formatter());
  ASSERT_TRUE(c.has_value()) << c.error().message;
  EXPECT_EQ(c->closes, "Last day to answer: 21\u00a0November\u00a02025");
}

TEST(PosterContent, leaves_out_the_closing_date_and_contact_a_campaign_does_not_have) {
  auto q = bundled("citizens");
  store::Campaign campaign = kraljevo_campaign();
  campaign.closes_at.reset();
  campaign.contact.clear();
  auto c = build_poster_content({campaign, kraljevo(), q}, "sr-Cyrl", "https://anketa.example.org",
                                formatter());
  ASSERT_TRUE(c.has_value()) << c.error().message;
  EXPECT_TRUE(c->closes.empty());
  EXPECT_TRUE(c->help.empty());
  EXPECT_TRUE(render_or_fail(*c).starts_with("%PDF-"));
}

TEST(PosterContent, refuses_an_unknown_language_one_the_questionnaire_lacks_and_a_bad_base) {
  auto q = bundled("citizens");
  auto german = build_poster_content({kraljevo_campaign(), kraljevo(), q}, "de",
                                     "https://anketa.example.org", formatter());
  ASSERT_FALSE(german.has_value());
  EXPECT_NE(german.error().message.find("sr-Cyrl, sr-Latn, en or mk"), std::string::npos);

  auto document = fixtures::read_json(fixtures::test_data() / "questionnaires/mini.json");
  document["languages"] = {"sr-Cyrl"};
  auto serbian_only =
      questionnaire::load_questionnaire(document, fixtures::test_catalogs(), "mini.json");
  ASSERT_TRUE(serbian_only.has_value());
  auto english = build_poster_content({kraljevo_campaign(), kraljevo(), *serbian_only}, "en",
                                      "https://anketa.example.org", formatter());
  ASSERT_FALSE(english.has_value());
  EXPECT_NE(english.error().message.find("not offered in en"), std::string::npos);
  EXPECT_TRUE(build_poster_content({kraljevo_campaign(), kraljevo(), *serbian_only}, "sr-Latn",
                                   "https://anketa.example.org", formatter())
                  .has_value())
      << "Latin is derived from Cyrillic";

  EXPECT_FALSE(build_poster_content({kraljevo_campaign(), kraljevo(), q}, "sr-Cyrl",
                                    "anketa.example.org", formatter())
                   .has_value());
}

TEST(PosterContent, fails_when_a_poster_text_is_missing_from_i18n) {
  auto q = bundled("citizens");
  TextFormatter without_texts = [](std::string_view, std::string_view key, const nlohmann::json&) {
    return std::string(key);
  };
  auto c = build_poster_content({kraljevo_campaign(), kraljevo(), q}, "sr-Cyrl",
                                "https://anketa.example.org", without_texts);
  ASSERT_FALSE(c.has_value());
  EXPECT_NE(c.error().message.find("poster."), std::string::npos);
}

// The longest titles and names we ship must still fit one page in every language.
TEST(PosterContent, every_bundled_questionnaire_fits_one_page_in_every_language) {
  store::Municipality m = kraljevo();
  m.name_cyrl = "Градска општина Савски венац, Град Београд";
  m.name_latn = "Gradska opština Savski venac, Grad Beograd";
  m.name_en = "City municipality of Savski Venac, City of Belgrade";
  m.name_mk = "Градска општина Савски венац, Град Белград";
  store::Campaign campaign = kraljevo_campaign();
  campaign.slug = "needs-assessment-2025";
  campaign.contact =
      "Одељење за друштвене делатности, socijalna.zastita@savskivenac.example, "
      "011 123 4567";
  for (const char* name : {"citizens", "users", "stakeholders", "providers"}) {
    auto q = bundled(name);
    for (const char* language : {"sr-Cyrl", "sr-Latn", "en", "mk"}) {
      auto c = build_poster_content({campaign, m, q}, language,
                                    "https://anketa.savskivenac.example.org", formatter());
      ASSERT_TRUE(c.has_value()) << name << " " << language << ": " << c.error().message;
      auto pdf = render_poster_pdf(*c);
      EXPECT_TRUE(pdf.has_value())
          << name << " " << language << ": " << (pdf ? "" : pdf.error().message);
    }
  }
}

}  // namespace
}  // namespace needsmap::report
