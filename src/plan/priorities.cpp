#include "plan/priorities.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

namespace needsmap::plan {

namespace {

constexpr std::array criterion_names{"unmet_need",       "vulnerability",
                                     "coverage_gap",     "stakeholder_priority",
                                     "citizen_priority", "legal_responsibility"};

// The raw figure of each criterion for one service, or nullopt when it is not known.
std::optional<double> raw_figure(const ServiceGap& gap, Criterion c,
                                 const Responsibilities& responsible) {
  switch (c) {
    case Criterion::unmet_need:
      return gap.need.households ? *gap.need.households : gap.need.share.estimate;
    case Criterion::vulnerability:
      return gap.vulnerable_share;
    case Criterion::coverage_gap:
      if (gap.need.share.n == 0) return std::nullopt;
      if (gap.need.share.estimate <= 0) return 0.0;  // nothing needed is nothing uncovered
      if (gap.resources && gap.resources->services == 0) return 1.0;  // nothing provided
      if (gap.coverage) return 1.0 - *gap.coverage;
      return std::nullopt;
    case Criterion::stakeholder_priority:
      if (!gap.stakeholder_priority) return std::nullopt;
      return gap.stakeholder_priority->estimate;
    case Criterion::citizen_priority:
      if (!gap.citizen_priority) return std::nullopt;
      return gap.citizen_priority->estimate;
    case Criterion::legal_responsibility: {
      auto it = responsible.find(gap.service);
      if (it == responsible.end()) return std::nullopt;
      return it->second == "municipality" ? 1.0 : 0.0;
    }
  }
  return std::nullopt;
}

// Criteria measured in counts or shares that are only meaningful relative to the other services
// are scaled by the largest value among them; the others are shares or 0/1 already.
bool scaled_by_largest(Criterion c) {
  return c == Criterion::unmet_need || c == Criterion::stakeholder_priority ||
         c == Criterion::citizen_priority;
}

}  // namespace

std::string_view to_string(Criterion c) {
  return criterion_names[static_cast<std::size_t>(c)];
}

std::optional<Criterion> criterion_from_string(std::string_view s) {
  for (Criterion c : all_criteria) {
    if (to_string(c) == s) return c;
  }
  return std::nullopt;
}

double PriorityWeights::of(Criterion c) const {
  auto it = weight.find(c);
  return it == weight.end() ? 0.0 : std::max(0.0, it->second);
}

std::vector<Priority> prioritize(std::span<const ServiceGap> gaps,
                                 const Responsibilities& responsible,
                                 const PriorityWeights& weights) {
  std::vector<const ServiceGap*> rows;
  for (const auto& g : gaps) {
    if (g.group.empty()) rows.push_back(&g);
  }
  std::map<Criterion, double> largest;
  for (const ServiceGap* g : rows) {
    for (Criterion c : all_criteria) {
      if (auto v = raw_figure(*g, c, responsible)) largest[c] = std::max(largest[c], *v);
    }
  }

  std::vector<Priority> out;
  for (const ServiceGap* g : rows) {
    Priority p{.service = g->service, .score = 0, .rank = 0, .criteria = {}, .unknown = {}};
    double weight_sum = 0;
    for (Criterion c : all_criteria) {
      std::optional<double> raw = raw_figure(*g, c, responsible);
      if (!raw) {
        p.unknown.push_back(c);
        continue;
      }
      double scaled = *raw;
      if (scaled_by_largest(c)) scaled = largest[c] > 0 ? *raw / largest[c] : 0.0;
      scaled = std::clamp(scaled, 0.0, 1.0);
      p.criteria.push_back({.criterion = c,
                            .raw = *raw,
                            .scaled = scaled,
                            .weight = weights.of(c),
                            .contribution = 0});
      weight_sum += weights.of(c);
    }
    // The weighted mean over the known criteria: a criterion without data neither raises nor
    // lowers a service.
    for (auto& part : p.criteria) {
      part.contribution = weight_sum > 0 ? 100.0 * part.weight * part.scaled / weight_sum : 0.0;
      p.score += part.contribution;
    }
    std::stable_sort(p.criteria.begin(), p.criteria.end(),
                     [](const CriterionScore& a, const CriterionScore& b) {
                       return a.contribution > b.contribution;
                     });
    out.push_back(std::move(p));
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const Priority& a, const Priority& b) { return a.score > b.score; });
  for (std::size_t i = 0; i < out.size(); ++i) {
    // Scores equal to the displayed precision (0.01 points) share a rank.
    bool tie = i > 0 && std::abs(out[i].score - out[i - 1].score) < 0.005;
    out[i].rank = tie ? out[i - 1].rank : static_cast<int>(i) + 1;
  }
  return out;
}

}  // namespace needsmap::plan
