// Finding services in the demo registry (data/registry/demo.json): words in either script and
// without diacritics, taxonomy terms (and the terms under them), taxonomies, organizations,
// settlements and dates of change.
#include "registry/search.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "core/clock.hpp"
#include "hsds_schemas.hpp"
#include "registry/hsds_json.hpp"
#include "test_support.hpp"

using namespace needsmap;
using namespace needsmap::registry;

namespace {

const Registry& demo() {
  static const Registry loaded = [] {
    std::ifstream in(fixtures::source_dir() / "data/registry/demo.json", std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    auto r = read_document(fixtures::hsds_schemas(), text.str());
    if (!r) {
      ADD_FAILURE() << r.error().front().to_string();
      std::abort();
    }
    return std::move(*r);
  }();
  return loaded;
}

std::vector<std::string> names(const std::vector<const json*>& services) {
  std::vector<std::string> out;
  for (const json* s : services) out.push_back(field_text(*s, "name"));
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> found(const ServiceQuery& q) {
  return names(find_services(demo(), q));
}

std::string term_id(const std::string& code) {
  for (const auto& [id, term] : demo().tables.at("taxonomy_term")) {
    if (field_text(term, "code") == code) return id;
  }
  ADD_FAILURE() << "no term " << code;
  return "";
}

const std::string day_care = "Дневни боравак за децу и младе са сметњама у развоју";

}  // namespace

TEST(ServiceSearch, words_match_in_either_script_with_or_without_diacritics) {
  for (const char* words : {"dnevni boravak", "dnevni borávak", "DNEVNI", "дневни боравак",
                            "Boravak dnevni", "  dnevni   "}) {
    EXPECT_EQ(found({.search = words}), std::vector<std::string>{day_care}) << words;
  }
  // Every word must be found; a word of the organization's name or of a linked term counts.
  EXPECT_TRUE(found({.search = "dnevni kuhinja"}).empty());
  EXPECT_EQ(found({.search = "crveni krst"}), std::vector<std::string>{"Народна кухиња"});
  EXPECT_EQ(found({.search = "djurdjevak"}).size(), 1u);
  EXPECT_EQ(found({.search = "Ђурђевак"}), found({.search = "đurđevak"}));
  // A settlement written without diacritics.
  EXPECT_EQ(found({.search = "narodna kuhinja sige"}), std::vector<std::string>{"Народна кухиња"});
}

TEST(ServiceSearch, no_words_match_every_service) {
  EXPECT_EQ(find_services(demo(), {}).size(), demo().tables.at("service").size());
}

TEST(ServiceSearch, taxonomy_terms_match_themselves_and_the_terms_under_them) {
  EXPECT_EQ(found({.taxonomy_term_ids = {term_id("day_care_disability")}}),
            std::vector<std::string>{day_care});
  // Day services in the community (art. 40(2)): day care, home care, personal companion.
  EXPECT_EQ(found({.taxonomy_term_ids = {term_id("day_services")}}).size(), 3u);
  // Both terms must be linked: a target group and a service type.
  EXPECT_EQ(found({.taxonomy_term_ids = {term_id("day_services"),
                                         term_id("children_developmental_disabilities")}})
                .size(),
            2u);
  EXPECT_TRUE(found({.taxonomy_term_ids = {"00000000-0000-0000-0000-000000000000"}}).empty());
}

TEST(ServiceSearch, taxonomy_organization_settlement_and_date_filters) {
  const std::string services_rs =
      field_text(*demo().find("taxonomy_term", term_id("day_services")), "taxonomy_id");
  EXPECT_EQ(found({.taxonomy_id = services_rs}).size(), demo().tables.at("service").size());
  const json* kitchen = find_services(demo(), {.search = "narodna kuhinja"}).at(0);
  EXPECT_EQ(found({.organization_id = field_text(*kitchen, "organization_id")}),
            std::vector<std::string>{"Народна кухиња"});
  // Medveđa is covered by the services of the whole municipality and by day care, not by the
  // soup kitchen.
  const auto medvedja = found({.settlement = "Медвеђа"});
  EXPECT_NE(std::find(medvedja.begin(), medvedja.end(), day_care), medvedja.end());
  EXPECT_EQ(std::find(medvedja.begin(), medvedja.end(), "Народна кухиња"), medvedja.end());
  EXPECT_TRUE(found({.settlement = "Нигде"}).empty());
  // Changes after 1 November 2025: home care (3 Nov.) and the SOS line (20 Nov.).
  EXPECT_EQ(found({.modified_after = clock::parse_utc("2025-11-01")}).size(), 2u);
  EXPECT_TRUE(found({.modified_after = clock::parse_utc("2026-01-01")}).empty());
}

TEST(ServiceSearch, words_are_matched_inside_folded_text) {
  EXPECT_TRUE(matches_words("dnevni boravak za decu", "Боравак"));
  EXPECT_TRUE(matches_words("anything", ""));
  EXPECT_FALSE(matches_words("dnevni boravak", "kuca"));
  EXPECT_TRUE(matches_words("dnevni boravak", "\"Boravak\", dnevni."));
}
