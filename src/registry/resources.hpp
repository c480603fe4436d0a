// A municipality's resources as its registry records them, summed for planning: services,
// providers, places, users and waiting lists by legal service type (and the law's groups) and by
// target group; places per 1,000 inhabitants of the ages a service is for, from the population
// table; licences; the funding mix of a year; staff by profession. Every figure keeps the ids of
// the records it sums and the population figures it divides by, so it can be traced back. The
// admin summary page, its JSON and the gap analysis all read this one computation.
#pragma once

#include <cstddef>
#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "registry/registry.hpp"
#include "registry/taxonomy.hpp"
#include "store/population.hpp"

namespace needsmap::registry {

enum class LicenceStatus { valid, expired, not_yet_valid, none };
std::string_view to_string(LicenceStatus status);

// One service's own figures.
struct ServiceResources {
  std::string id{};
  std::string name{};
  std::string organization_id{};
  std::string organization_name{};
  std::vector<std::string> service_types{};  // services_rs codes it is linked to
  std::vector<std::string> target_groups{};  // target_groups codes (age groups included)
  std::vector<std::string> categories_mk{};  // services_mk codes: North Macedonia's categories
  // Its ages: the service's minimum_age/maximum_age when it has either, else the linked age
  // groups' (together), else none.
  std::optional<AgeRange> ages{};
  bool has_capacity{false};
  double places_available{0};  // summed over its service_capacity records
  double places_maximum{0};
  double places{0};  // maximum where a capacity gives one, else available: what per-1,000 uses
  std::vector<std::string> capacity_ids{};
  std::vector<std::string> units{};  // the capacities' unit names
  std::optional<std::int64_t> current_users{};
  std::optional<std::int64_t> waiting_list{};
  LicenceStatus licence{LicenceStatus::none};
};

// The people of an age range in the population table, and the table rows that gave them.
struct BandUse {
  std::string category{};  // e.g. 18_29
  double population{0};    // the table's figure for the band
  double fraction{1};      // the part of the band inside the range (1: all of it)
};
struct AgePopulation {
  std::string variable{};  // the table's age variable, e.g. age_band
  std::vector<BandUse> bands{};
  double population{0};     // Σ population × fraction
  bool apportioned{false};  // some band only partly inside the range
};

// Why a row has no places per 1,000.
enum class PerThousandGap {
  none,
  no_places,         // no service of the row records a capacity
  no_table,          // the municipality has no population table
  no_age_variable,   // the table has no age bands
  ages_unknown,      // a service with places says no ages (age fields or age-group terms)
  ages_not_covered,  // the table's bands do not cover the ages (or no one lives in them)
};
std::string_view to_string(PerThousandGap gap);

// The figures of one row: a service type, a group of the law, a target group or everything.
struct ResourceFigures {
  std::string code{};   // the taxonomy code; empty for the whole registry and the unclassified
  std::string group{};  // a service type's group of the law (its parent term)
  std::vector<std::string> service_ids{};  // the services summed, in id order
  std::size_t services{0};
  std::size_t providers{0};  // distinct organizations of those services
  std::size_t services_with_capacity{0};
  double places_available{0};
  double places_maximum{0};
  double places{0};  // as ServiceResources::places, summed
  std::vector<std::string> capacity_ids{};
  std::vector<std::string> units{};  // distinct unit names met
  std::int64_t current_users{0};
  std::size_t services_reporting_users{0};
  std::int64_t waiting_list{0};
  std::size_t services_reporting_waiting_list{0};
  // Users ÷ (users + waiting list), over the services that report both: how much of the known
  // demand the services meet; none when no service reports both.
  std::optional<double> coverage{};
  std::optional<AgeRange> ages{};  // the ages of its services with places, together
  std::optional<AgePopulation> population{};
  std::optional<double> places_per_1000{};
  PerThousandGap per_1000_gap{PerThousandGap::none};
};

struct LicenceCount {
  LicenceStatus status{LicenceStatus::none};
  std::vector<std::string> service_ids{};
};

struct FundingSource {
  std::string source_type{};  // municipal_budget … other; "unspecified" when the record has none
  std::string currency{};     // as recorded, e.g. RSD; may be empty
  double amount{0};
  double share{0};  // of the year's total in the same currency
  std::vector<std::string> funding_ids{};
};
struct FundingMix {
  std::optional<std::int64_t> year{};     // the year summed: asked for, or the latest present
  std::vector<std::int64_t> years{};      // every year the funding records name, ascending
  std::vector<FundingSource> sources{};   // in the profile's order of source types, then currency
  std::size_t without_year_or_amount{0};  // records left out
};

struct StaffProfession {
  std::string profession{};
  double full_time_equivalents{0};
  std::vector<std::string> staff_ids{};
};
struct StaffSummary {
  std::optional<std::int64_t> year{};  // the latest year present; none: no record has a year
  std::vector<StaffProfession> professions{};  // by profession
  double full_time_equivalents{0};
  std::size_t left_out{0};  // records of other years or without a year
};

struct ResourceSummary {
  std::string today{};  // YYYY-MM-DD, the day licences are checked against
  bool has_population{false};
  std::string population_source{};  // the population table's source, cited
  bool population_demo{false};
  std::size_t organizations{0};                   // every organization of the registry
  ResourceFigures total;                          // every service counted
  std::vector<ResourceFigures> service_groups{};  // the law's groups, in its order
  std::vector<ResourceFigures> service_types{};   // services of the law, in its order
  std::vector<ResourceFigures> categories_mk{};   // North Macedonia's six categories
  ResourceFigures unclassified{};  // services with neither a service type nor a category
  std::vector<ResourceFigures> target_groups{};
  std::vector<LicenceCount> licences{};  // valid, expired, not yet valid, none
  FundingMix funding;
  StaffSummary staff;
  std::vector<ServiceResources> services{};      // counted, in id order
  std::vector<std::string> left_out_services{};  // inactive or defunct
  bool empty() const { return services.empty() && organizations == 0; }
};

struct SummaryOptions {
  std::optional<std::int64_t> funding_year{};  // none: the latest year present
};

// The summary of `registry` on `today` (YYYY-MM-DD), with places per 1,000 inhabitants where
// `population` has age bands that cover the ages of the services.
ResourceSummary summarize_resources(const Registry& registry, const ReferenceTaxonomy& taxonomy,
                                    const std::optional<store::PopulationTable>& population,
                                    std::string_view today, const SummaryOptions& options = {});

// The row of a service type or group of the law (e.g. home_care, day_services) or of a North
// Macedonian category (mk_home), or of a target
// group; null when no counted service has it (no capacity, no users: nothing registered).
const ResourceFigures* find_service_type(const ResourceSummary& summary, std::string_view code);
const ResourceFigures* find_target_group(const ResourceSummary& summary, std::string_view code);

// The population of `ages` from the table's age bands: a band partly inside the range counts in
// proportion to the years inside it (people spread evenly over a band's years); an open band
// ("80_plus") counts whole when the range has no maximum and starts at or below it, and makes the
// figure unknown when the range ends inside it.
std::expected<AgePopulation, PerThousandGap> population_of_ages(const store::PopulationTable& table,
                                                                const AgeRange& ages);

// The summary as JSON, for the API and the gap analysis' traces.
nlohmann::json to_json(const ResourceSummary& summary);

}  // namespace needsmap::registry
