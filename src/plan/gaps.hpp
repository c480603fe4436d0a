// The gap analysis: for each service type, how many households needed it and did not get it (from
// the weighted citizens' survey, per vulnerable group), what the registry says is provided
// (capacity, users, waiting lists), the coverage that follows, the change since the previous
// campaign, and how citizens and stakeholders ranked the service. Every figure says where it comes
// from (docs/decisions/0019-gap-analysis-and-priorities.md).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/dataset.hpp"
#include "analysis/estimates.hpp"
#include "analysis/groups.hpp"
#include "analysis/variance.hpp"

namespace needsmap::plan {

// The questions of the bundled questionnaires the analysis reads (questionnaires/*.json).
struct GapQuestions {
  std::string unmet_need_filter = "unmet_need";  // citizens: "did you need help …?" (yes/no/dk)
  std::string unmet_need = "unmet_need_what";    // citizens: which help they needed and did not get
  std::string citizen_ranking = "top_services";  // citizens: develop or expand first (top 3)
  std::string stakeholder_ranking = "develop_first";
  std::string users_missing = "missing_help";     // users: what they miss most (their own words)
  std::string household_size = "household_size";  // people in the household, the respondent too
  std::string children = "children_under_18";
};

// What the registry provides of one service type (filled by the caller from the registry's
// resource summary, registry/resources.hpp): totals over the services of that type, and the
// records they come from.
struct Provision {
  int services{0};
  double places{0};                  // maximum capacity
  double users{0};                   // current users
  double waiting{0};                 // on waiting lists
  std::vector<std::string> sources;  // e.g. "service 3f2a… (Дневни боравак, Удружење …)"
};

// A survey campaign's answers as the analysis sees them.
struct SurveyData {
  const analysis::Dataset* data{nullptr};
  analysis::Design design;
  bool weighted{false};  // raked to the population table: totals are numbers of people
  std::string source;    // "citizens 2026, 812 responses, raked to the 2022 census table"
};

// An estimated number of households with its 95% interval, and the share behind it.
struct HouseholdEstimate {
  analysis::Estimate share;  // of respondents (in the group) who reported it for their household
  // Households in the municipality: Σ w·y / adults over the respondents, where weights are raked
  // to the adult population, so a household of three adults counts a third per respondent. Only
  // with weights; nullopt otherwise.
  std::optional<double> households;
  double households_low{0};
  double households_high{0};
};

struct ServiceGap {
  std::string service;  // the catalog's code, e.g. "home_care"
  std::string group;    // a vulnerable group's name, or empty for every household
  HouseholdEstimate need;
  std::optional<Provision> resources;  // nullopt: the registry was not consulted
  // users / (users + households in need): how much of the need the services now reach. nullopt
  // without household figures or registry.
  std::optional<double> coverage;
  // The need share minus the previous campaign's, in proportion points, when there is one.
  std::optional<double> change;
  std::optional<analysis::Estimate> previous_share;
  // Shares of citizens and of stakeholders who ranked the service among those to develop first.
  std::optional<analysis::Estimate> citizen_priority;
  std::optional<analysis::Estimate> stakeholder_priority;
  // Share of the users of social protection (users' campaign, asked in person) who said they
  // miss most something this service gives (ServiceNeeds), and whether that share would point at
  // a group smaller than the users' campaign allows (hidden from anyone below analyst and when
  // published). nullopt without a users' campaign or a need that maps to the service.
  std::optional<analysis::Estimate> users_missing;
  bool users_missing_withheld{false};
  // Share of the households in need that belong to at least one vulnerable group (everyone row
  // only): how much the need falls on the vulnerable.
  std::optional<double> vulnerable_share;
  bool withheld{false};  // too few respondents behind the need share for anyone below analyst
};

// For each service type, the answers of the users' "what do you miss most" that it gives (from
// the services catalog's "missing_help", e.g. home_care: help_at_home). Users answer in their own
// plain words, not the catalog's service names.
using ServiceNeeds = std::map<std::string, std::vector<std::string>, std::less<>>;

struct GapInputs {
  SurveyData citizens;
  std::optional<SurveyData> previous;      // the same questionnaire's previous campaign
  std::optional<SurveyData> stakeholders;  // stakeholders' campaign
  std::optional<SurveyData> users;         // users' campaign
  ServiceNeeds users_needs;
  std::int64_t users_min_cell_size{5};  // the users' campaign's smallest group it may show
  std::span<const analysis::GroupMembership> groups;  // evaluated on citizens, applicable ones
  std::function<std::optional<Provision>(std::string_view service)> resources;
  GapQuestions questions;
  std::int64_t min_cell_size{5};
};

// One row per service of `services` for everyone, then one per service and applicable group.
// Services the unmet-need question does not offer are left out. Throws std::invalid_argument
// when the citizens' data has no unmet-need question.
std::vector<ServiceGap> gap_analysis(const GapInputs& inputs,
                                     std::span<const std::string> services);

// The number of adults of each respondent's household (household size minus children, at least
// 1; 1 when not answered): what a respondent's weight is divided by to count households.
std::vector<double> adults_per_household(const analysis::Dataset& data,
                                         const GapQuestions& questions);

}  // namespace needsmap::plan
