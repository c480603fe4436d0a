// What the plan page and the published results share: a citizens' campaign's gap analysis and
// priorities, with the campaigns and the registry figures they were drawn from
// (docs/decisions/0019).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "analysis/groups.hpp"
#include "plan/gaps.hpp"
#include "plan/priorities.hpp"
#include "registry/resources.hpp"
#include "web/app.hpp"

namespace needsmap::web {

struct PlanAnalysis {
  WeightedData citizens;
  std::optional<WeightedData> stakeholders;  // the municipality's latest stakeholders' campaign
  std::optional<WeightedData> users;         // the municipality's latest users' campaign
  std::optional<store::Campaign> users_campaign;
  std::optional<WeightedData> previous;  // this questionnaire's campaign before this one
  std::optional<store::Campaign> previous_campaign;
  registry::ResourceSummary resources;  // the registry today
  std::vector<analysis::GroupDefinition> definitions;
  std::vector<analysis::GroupMembership> groups;  // applicable ones, evaluated on citizens
  std::vector<std::string> services;              // the unmet-need question's choices
  std::vector<plan::ServiceGap> gaps;
  std::vector<plan::Priority> priorities;
};

// Who is responsible for each service by law, from the services catalog
// (data/catalogs/services.json); empty when the catalog cannot be read.
plan::Responsibilities load_responsibilities(const collect::ShareDir& share);
// What each service gives in the words of the users' questionnaire, from the same catalog's
// "missing_help"; empty when the catalog cannot be read.
plan::ServiceNeeds load_users_needs(const collect::ShareDir& share);

}  // namespace needsmap::web
