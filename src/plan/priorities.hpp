// Priorities: a transparent score per service type from the gap analysis, with weights the
// working group can change. Each criterion is scaled to 0…1, the score is the weighted mean of the
// criteria that are known (times 100), and the ranked list keeps every part of every score so a
// rank can be explained (docs/decisions/0019-gap-analysis-and-priorities.md).
#pragma once

#include <array>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "plan/gaps.hpp"

namespace needsmap::plan {

enum class Criterion {
  unmet_need,            // households in need (or the need share), against the largest need
  vulnerability,         // share of the households in need that belong to a vulnerable group
  coverage_gap,          // 1 − coverage; 1 when the registry has none, 0 when none needed it
  stakeholder_priority,  // stakeholders who ranked it among the first, against the most ranked
  citizen_priority,      // the same for citizens
  legal_responsibility,  // 1 when the municipality is responsible by law, 0 when the Republic
};
inline constexpr std::array all_criteria{
    Criterion::unmet_need,           Criterion::vulnerability,    Criterion::coverage_gap,
    Criterion::stakeholder_priority, Criterion::citizen_priority, Criterion::legal_responsibility};
std::string_view to_string(Criterion c);
std::optional<Criterion> criterion_from_string(std::string_view s);

// Relative weights (any non-negative numbers; they are divided by their sum).
struct PriorityWeights {
  std::map<Criterion, double> weight{
      {Criterion::unmet_need, 3},       {Criterion::vulnerability, 2},
      {Criterion::coverage_gap, 2},     {Criterion::stakeholder_priority, 1},
      {Criterion::citizen_priority, 1}, {Criterion::legal_responsibility, 1},
  };
  double of(Criterion c) const;
};

struct CriterionScore {
  Criterion criterion;
  double raw{0};           // the figure it comes from (households, a share, 0/1)
  double scaled{0};        // 0…1
  double weight{0};        // the weight as given
  double contribution{0};  // points of the score (0…100) it adds
};

struct Priority {
  std::string service;
  double score{0};                       // 0…100
  int rank{0};                           // 1 for the first; equal scores share a rank
  std::vector<CriterionScore> criteria;  // the known ones, largest contribution first
  std::vector<Criterion> unknown;        // criteria without data for this service
};

// Who is responsible for a service by law, from the services catalog: "municipality" or
// "republic" (data/catalogs/services.json's `responsible`).
using Responsibilities = std::map<std::string, std::string, std::less<>>;

// Ranks the services of the gap analysis's everyone rows (group rows are left out: they explain,
// they are not ranked). Withheld rows are still ranked: the ranking publishes no count.
std::vector<Priority> prioritize(std::span<const ServiceGap> gaps,
                                 const Responsibilities& responsible,
                                 const PriorityWeights& weights = {});

}  // namespace needsmap::plan
