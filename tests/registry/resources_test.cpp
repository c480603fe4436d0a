// The resource summary's arithmetic on a small hand-made registry (tests/data/registry/
// resources.json): two providers, five counted services and one inactive, whose totals, places
// per 1,000, licences, funding shares and staff are worked out by hand below.
#include "registry/resources.hpp"

#include <gtest/gtest.h>

#include "hsds_schemas.hpp"
#include "registry/hsds_json.hpp"
#include "test_support.hpp"

using namespace needsmap;
using namespace needsmap::registry;

namespace {

constexpr const char* today = "2026-12-05";
constexpr const char* home_care_rc = "7c351d04-4d93-5a26-a54b-4ccd1e495be6";
constexpr const char* home_care_gc = "83c0b263-13ae-518f-9eb7-16e20483ebda";
constexpr const char* counselling_rc = "dff8a1db-8586-597b-91ef-bc8dc817bd8b";
constexpr const char* day_care_gc = "0a95cdac-597c-5a91-89de-8c2c6839dd6c";
constexpr const char* transport_gc = "ee590a57-b89d-5ddc-8537-90e4fa48900d";
constexpr const char* inactive = "e570c714-436a-59a8-8984-4b4967b6d2ea";

const ReferenceTaxonomy& reference_taxonomy() {
  static const ReferenceTaxonomy loaded =
      ReferenceTaxonomy::load(fixtures::source_dir() / "data/registry").value();
  return loaded;
}

Registry fixture() {
  auto read =
      read_document(fixtures::hsds_schemas(),
                    fixtures::read_json(fixtures::test_data() / "registry/resources.json").dump());
  EXPECT_TRUE(read) << (read ? "" : read.error().front().to_string());
  return read.value_or(Registry{});
}

// Ages 0–17, 18–29 … 80 and over: 5,200 people of 65 and over.
store::PopulationTable population() {
  store::PopulationTable table;
  table.source = "made up for the test";
  for (auto [category, people] : {std::pair{"0_17", 3000.0},
                                  {"18_29", 2600.0},
                                  {"30_44", 3700.0},
                                  {"45_64", 5900.0},
                                  {"65_79", 3900.0},
                                  {"80_plus", 1300.0}}) {
    table.margins.push_back({"age_band", category, people});
  }
  table.margins.push_back({"sex", "female", 10400});
  table.margins.push_back({"sex", "male", 10000});
  return table;
}

ResourceSummary summary(const std::optional<store::PopulationTable>& table = population()) {
  return summarize_resources(fixture(), reference_taxonomy(), table, today);
}

}  // namespace

TEST(ReferenceTaxonomy, knows_the_groups_of_the_law_the_age_groups_and_the_labels) {
  const ReferenceTerm* home_care = reference_taxonomy().find("services_rs", "home_care");
  ASSERT_NE(home_care, nullptr);
  EXPECT_EQ(home_care->parent, "day_services");
  EXPECT_EQ(home_care->id, "a61952a1-a8fd-52a0-897f-9b1cccda8ff4");
  const ReferenceTerm* older = reference_taxonomy().find("target_groups", "age_65_plus");
  ASSERT_NE(older, nullptr);
  EXPECT_EQ(older->ages, (AgeRange{.minimum = 65, .maximum = std::nullopt}));
  EXPECT_EQ(reference_taxonomy().label("day_services", "en"), "Day services in the community");
  EXPECT_EQ(reference_taxonomy().label("day_services", "sr-Latn"),
            "Дневне услуге у заједници");  // the caller transliterates
  EXPECT_EQ(reference_taxonomy().terms("services_rs").front()->code, "assessment");
}

TEST(ResourceSummary, totals_count_active_services_and_their_providers) {
  ResourceSummary s = summary();
  EXPECT_EQ(s.organizations, 2u);
  EXPECT_EQ(s.left_out_services, std::vector<std::string>{inactive});
  EXPECT_EQ(s.total.services, 5u);
  EXPECT_EQ(s.total.providers, 2u);
  EXPECT_EQ(s.total.services_with_capacity, 4u);
  EXPECT_DOUBLE_EQ(s.total.places_available, 16);  // 5 + 0 + 3 + 8
  EXPECT_DOUBLE_EQ(s.total.places_maximum, 85);    // 40 + 20 + 25
  EXPECT_DOUBLE_EQ(s.total.places, 93);            // the transport's 8 have no maximum
  EXPECT_EQ(s.total.current_users, 92);            // 35 + 15 + 20 + 22
  EXPECT_EQ(s.total.waiting_list, 15);             // 10 + 0 + 5
  EXPECT_EQ(s.total.services_reporting_waiting_list, 3u);
  // Over the three services that report both: 70 users, 15 waiting.
  ASSERT_TRUE(s.total.coverage);
  EXPECT_DOUBLE_EQ(*s.total.coverage, 70.0 / 85.0);
}

TEST(ResourceSummary, service_types_sum_into_the_groups_of_the_law) {
  ResourceSummary s = summary();
  const ResourceFigures* home_care = find_service_type(s, "home_care");
  ASSERT_NE(home_care, nullptr);
  EXPECT_EQ(home_care->group, "day_services");
  EXPECT_EQ(home_care->services, 2u);
  EXPECT_EQ(home_care->providers, 2u);
  EXPECT_EQ(home_care->service_ids, (std::vector<std::string>{home_care_rc, home_care_gc}));
  EXPECT_DOUBLE_EQ(home_care->places_maximum, 60);
  EXPECT_EQ(home_care->current_users, 55);
  EXPECT_EQ(home_care->waiting_list, 15);
  EXPECT_DOUBLE_EQ(*home_care->coverage, 55.0 / 70.0);
  EXPECT_EQ(home_care->units, std::vector<std::string>{"места"});
  EXPECT_EQ(home_care->capacity_ids.size(), 2u);

  const ResourceFigures* day_services = find_service_type(s, "day_services");
  ASSERT_NE(day_services, nullptr);
  EXPECT_EQ(day_services->services, 3u);
  EXPECT_DOUBLE_EQ(day_services->places, 85);
  // Day care reports no waiting list: its coverage is not known.
  EXPECT_FALSE(find_service_type(s, "day_care_older")->coverage);
  EXPECT_EQ(find_service_type(s, "shelter"), nullptr);
  ASSERT_EQ(s.service_groups.size(), 2u);
  EXPECT_EQ(s.service_groups[0].code, "day_services");
  EXPECT_EQ(s.service_groups[1].code, "counselling");
  EXPECT_EQ(s.unclassified.service_ids, std::vector<std::string>{transport_gc});
  // North Macedonia's categories are rows of their own.
  ASSERT_EQ(s.categories_mk.size(), 1u);
  EXPECT_EQ(find_service_type(s, "mk_home")->service_ids, std::vector<std::string>{home_care_rc});
  EXPECT_DOUBLE_EQ(find_service_type(s, "mk_home")->places_maximum, 40);
}

TEST(ResourceSummary, places_per_thousand_divide_by_the_people_of_the_services_ages) {
  ResourceSummary s = summary();
  // Home care: one service for the age group 65+, the other with minimum_age 65 → 5,200 people.
  const ResourceFigures& home_care = *find_service_type(s, "home_care");
  ASSERT_TRUE(home_care.places_per_1000);
  EXPECT_NEAR(*home_care.places_per_1000, 60.0 / 5.2, 1e-9);
  ASSERT_TRUE(home_care.population);
  EXPECT_EQ(home_care.population->variable, "age_band");
  ASSERT_EQ(home_care.population->bands.size(), 2u);
  EXPECT_EQ(home_care.population->bands[0].category, "65_79");
  EXPECT_EQ(home_care.population->bands[1].category, "80_plus");
  EXPECT_FALSE(home_care.population->apportioned);
  EXPECT_NEAR(*find_service_type(s, "day_services")->places_per_1000, 85.0 / 5.2, 1e-9);
  EXPECT_NEAR(*find_target_group(s, "age_65_plus")->places_per_1000, 65.0 / 5.2, 1e-9);
  // A service without capacity, and a service with places but no ages.
  EXPECT_EQ(find_service_type(s, "counselling_family_support")->per_1000_gap,
            PerThousandGap::no_places);
  EXPECT_EQ(s.unclassified.per_1000_gap, PerThousandGap::ages_unknown);
  EXPECT_FALSE(s.unclassified.places_per_1000);
}

TEST(ResourceSummary, without_a_population_table_or_age_bands_places_per_thousand_say_why) {
  ResourceSummary none = summary(std::nullopt);
  EXPECT_FALSE(none.has_population);
  EXPECT_FALSE(find_service_type(none, "home_care")->places_per_1000);
  EXPECT_EQ(find_service_type(none, "home_care")->per_1000_gap, PerThousandGap::no_table);
  // The other figures do not need the table.
  EXPECT_DOUBLE_EQ(find_service_type(none, "home_care")->places_maximum, 60);

  store::PopulationTable by_sex;
  by_sex.margins = {{"sex", "female", 10}, {"sex", "male", 10}};
  ResourceSummary no_ages = summary(by_sex);
  EXPECT_EQ(find_service_type(no_ages, "home_care")->per_1000_gap, PerThousandGap::no_age_variable);
}

TEST(ResourceSummary, population_of_ages_apportions_partly_covered_bands_by_years) {
  const store::PopulationTable table = population();
  auto young = population_of_ages(table, {.minimum = 18, .maximum = 25});
  ASSERT_TRUE(young);
  EXPECT_TRUE(young->apportioned);
  EXPECT_DOUBLE_EQ(young->population, 2600.0 * 8 / 12);
  auto adults = population_of_ages(table, {.minimum = 26, .maximum = 64});
  ASSERT_TRUE(adults);
  EXPECT_DOUBLE_EQ(adults->population, 2600.0 * 4 / 12 + 3700 + 5900);
  ASSERT_EQ(adults->bands.size(), 3u);
  EXPECT_DOUBLE_EQ(adults->bands[0].fraction, 4.0 / 12);
  // Ending inside the open band: how many of the 80+ are under 90 is not known.
  EXPECT_EQ(population_of_ages(table, {.minimum = 70, .maximum = 89}).error(),
            PerThousandGap::ages_not_covered);
  // Starting inside the open band, likewise.
  EXPECT_EQ(population_of_ages(table, {.minimum = 85, .maximum = std::nullopt}).error(),
            PerThousandGap::ages_not_covered);
  EXPECT_DOUBLE_EQ(population_of_ages(table, {.minimum = 0, .maximum = std::nullopt})->population,
                   20400);
  // Bands from 18 only: children are not in the table.
  store::PopulationTable adults_only = table;
  adults_only.margins.erase(adults_only.margins.begin());
  EXPECT_EQ(population_of_ages(adults_only, {.minimum = 0, .maximum = 17}).error(),
            PerThousandGap::ages_not_covered);
  EXPECT_EQ(population_of_ages(adults_only, {.minimum = 10, .maximum = 20}).error(),
            PerThousandGap::ages_not_covered);
}

TEST(ResourceSummary, licences_are_checked_against_today) {
  ResourceSummary s = summary();
  ASSERT_EQ(s.licences.size(), 4u);
  EXPECT_EQ(s.licences[0].status, LicenceStatus::valid);
  EXPECT_EQ(s.licences[0].service_ids, std::vector<std::string>{home_care_rc});
  EXPECT_EQ(s.licences[1].status, LicenceStatus::expired);
  EXPECT_EQ(s.licences[1].service_ids, std::vector<std::string>{home_care_gc});
  EXPECT_EQ(s.licences[2].status, LicenceStatus::not_yet_valid);
  EXPECT_EQ(s.licences[2].service_ids, std::vector<std::string>{counselling_rc});
  EXPECT_EQ(s.licences[3].service_ids, (std::vector<std::string>{day_care_gc, transport_gc}));
  // On the licence's last day it is still valid.
  ResourceSummary earlier =
      summarize_resources(fixture(), reference_taxonomy(), std::nullopt, "2025-06-30");
  EXPECT_EQ(earlier.licences[0].service_ids.size(), 2u);
}

TEST(ResourceSummary, funding_mix_of_the_latest_year_or_the_year_asked) {
  ResourceSummary s = summary();
  EXPECT_EQ(s.funding.year, 2025);
  EXPECT_EQ(s.funding.years, (std::vector<std::int64_t>{2024, 2025}));
  ASSERT_EQ(s.funding.sources.size(), 3u);
  EXPECT_EQ(s.funding.sources[0].source_type, "municipal_budget");
  EXPECT_DOUBLE_EQ(s.funding.sources[0].amount, 3000000);
  EXPECT_DOUBLE_EQ(s.funding.sources[0].share, 0.6);
  EXPECT_EQ(s.funding.sources[1].source_type, "earmarked_transfer");
  EXPECT_DOUBLE_EQ(s.funding.sources[1].share, 0.2);
  EXPECT_EQ(s.funding.sources[2].source_type, "republic");
  EXPECT_EQ(s.funding.sources[2].currency, "RSD");
  ResourceSummary before = summarize_resources(fixture(), reference_taxonomy(), std::nullopt, today,
                                               {.funding_year = 2024});
  ASSERT_EQ(before.funding.sources.size(), 1u);
  EXPECT_DOUBLE_EQ(before.funding.sources[0].amount, 2000000);
  EXPECT_DOUBLE_EQ(before.funding.sources[0].share, 1);
}

TEST(ResourceSummary, staff_of_the_latest_year_by_profession) {
  ResourceSummary s = summary();
  EXPECT_EQ(s.staff.year, 2025);
  ASSERT_EQ(s.staff.professions.size(), 2u);
  EXPECT_EQ(s.staff.professions[0].profession, "caregiver");
  EXPECT_DOUBLE_EQ(s.staff.professions[0].full_time_equivalents, 9.5);
  EXPECT_EQ(s.staff.professions[0].staff_ids.size(), 2u);
  EXPECT_DOUBLE_EQ(s.staff.full_time_equivalents, 10.5);
  EXPECT_EQ(s.staff.left_out, 1u);
}

TEST(ResourceSummary, an_empty_registry_is_empty_and_its_json_names_every_figure) {
  ResourceSummary empty =
      summarize_resources(Registry{}, reference_taxonomy(), population(), today);
  EXPECT_TRUE(empty.empty());
  EXPECT_EQ(empty.total.services, 0u);
  EXPECT_FALSE(empty.funding.year);
  ResourceSummary s = summary();
  EXPECT_FALSE(s.empty());
  nlohmann::json j = to_json(s);
  EXPECT_EQ(j["total"]["services"], 5);
  EXPECT_EQ(j["service_types"][0]["code"], "home_care");
  EXPECT_EQ(j["service_types"][0]["population"]["bands"][0]["category"], "65_79");
  EXPECT_EQ(j["unclassified"]["places_per_1000_missing"], "ages_unknown");
  EXPECT_EQ(j["licences"]["expired"]["service_ids"][0], home_care_gc);
  EXPECT_EQ(j["funding"]["sources"][0]["share"], 0.6);
}
