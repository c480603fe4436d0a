#include "plan/gaps.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <utility>

namespace needsmap::plan {

using analysis::Column;
using analysis::ColumnKind;
using analysis::Dataset;
using analysis::Estimate;

namespace {

// Whether each row answered `filter` (a single choice): the respondents a need share is of.
std::vector<char> answered(const Dataset& data, std::string_view filter) {
  std::vector<char> out(data.rows(), 1);
  const Column* column = data.find(filter);
  if (!column || column->spec.kind != ColumnKind::choice) return out;
  for (std::size_t r = 0; r < data.rows(); ++r) {
    out[r] = column->choice.code(r) != analysis::ChoiceColumn::missing;
  }
  return out;
}

std::vector<double> chosen_as_numbers(const Column& column, std::size_t choice) {
  const auto& bits = column.multiple.chosen[choice];
  std::vector<double> y(bits.size());
  for (std::size_t r = 0; r < bits.size(); ++r) y[r] = bits[r] ? 1.0 : 0.0;
  return y;
}

// The weighted share of the domain with y = 1, its count and logit interval.
Estimate share_of(const analysis::Design& design, std::span<const double> y,
                  std::span<const char> domain) {
  Estimate e = analysis::estimate_ratio(design, y, domain);
  for (std::size_t r = 0; r < y.size(); ++r) e.count += domain[r] && y[r] > 0;
  analysis::set_logit_interval(e, analysis::t_quantile_95(y.size()));
  return e;
}

// Σ w·y/adults over the domain with its linearised 95% interval (a total: its influence values
// are the summands themselves, calibrated to the raking margins).
void set_households(HouseholdEstimate& need, const SurveyData& survey, std::span<const double> y,
                    std::span<const char> domain, std::span<const double> adults) {
  if (!survey.weighted) return;
  std::vector<double> z(y.size(), 0.0);
  double total = 0;
  for (std::size_t r = 0; r < y.size(); ++r) {
    if (!domain[r]) continue;
    z[r] = y[r] / adults[r];
    total += survey.design.weights[r] * z[r];
  }
  double se = std::sqrt(analysis::linearized_variance(std::move(z), survey.design));
  double t = analysis::t_quantile_95(y.size());
  need.households = total;
  need.households_low = std::max(0.0, total - t * se);
  need.households_high = total + t * se;
}

// The share of those who answered `question` (a multiple choice) who chose at least one of
// `choices`; nullopt when the question offers none of them or nobody has answered yet (not a
// share of 0).
std::optional<Estimate> chose_any(const std::optional<SurveyData>& survey,
                                  std::string_view question, std::span<const std::string> choices) {
  if (!survey || !survey->data) return std::nullopt;
  const Column* column = survey->data->find(question);
  if (!column || column->spec.kind != ColumnKind::multiple) return std::nullopt;
  const auto& names = column->spec.categories;
  std::vector<double> y(survey->data->rows(), 0.0);
  bool offered = false;
  for (const std::string& choice : choices) {
    auto it = std::find(names.begin(), names.end(), choice);
    if (it == names.end()) continue;
    offered = true;
    const auto& bits = column->multiple.chosen[static_cast<std::size_t>(it - names.begin())];
    for (std::size_t r = 0; r < y.size(); ++r) y[r] = y[r] > 0 || bits[r] ? 1.0 : 0.0;
  }
  if (!offered) return std::nullopt;
  std::vector<char> domain(y.size());
  for (std::size_t r = 0; r < domain.size(); ++r) domain[r] = column->multiple.answered[r];
  Estimate share = share_of(survey->design, y, domain);
  if (share.n == 0) return std::nullopt;
  return share;
}

// The share of respondents of a ranking (kept as a multiple column) who ranked `service`.
std::optional<Estimate> ranked_share(const std::optional<SurveyData>& survey,
                                     std::string_view question, std::string_view service) {
  const std::string choice(service);
  return chose_any(survey, question, std::span(&choice, 1));
}

// The previous campaign's need share of everyone for `service`, if it asked about it.
std::optional<Estimate> previous_share(const GapInputs& inputs, std::string_view service) {
  if (!inputs.previous || !inputs.previous->data) return std::nullopt;
  const Dataset& data = *inputs.previous->data;
  const Column* column = data.find(inputs.questions.unmet_need);
  if (!column || column->spec.kind != ColumnKind::multiple) return std::nullopt;
  const auto& names = column->spec.categories;
  auto it = std::find(names.begin(), names.end(), service);
  if (it == names.end()) return std::nullopt;
  std::vector<char> domain = answered(data, inputs.questions.unmet_need_filter);
  std::vector<double> y = chosen_as_numbers(*column, static_cast<std::size_t>(it - names.begin()));
  return share_of(inputs.previous->design, y, domain);
}

// A share whose count, or whose complement within its respondents, is a group of 1 to k − 1
// people: published, it would point at them (analysis/disclosure.hpp's rule for one share).
bool reveals_small_group(const Estimate& share, std::int64_t k) {
  auto small = [k](std::int64_t count) { return count > 0 && count < k; };
  return small(share.count) || small(share.n - share.count);
}

std::optional<double> coverage_of(const ServiceGap& gap) {
  if (!gap.resources || !gap.need.households) return std::nullopt;
  double reached = gap.resources->users;
  double all = reached + *gap.need.households;
  if (all <= 0) return std::nullopt;
  return reached / all;
}

}  // namespace

std::vector<double> adults_per_household(const Dataset& data, const GapQuestions& questions) {
  std::vector<double> adults(data.rows(), 1.0);
  const Column* size = data.find(questions.household_size);
  const Column* children = data.find(questions.children);
  if (!size || size->spec.kind != ColumnKind::number) return adults;
  for (std::size_t r = 0; r < data.rows(); ++r) {
    double people = size->numbers[r];
    if (analysis::is_missing(people)) continue;
    double kids = 0;
    if (children && children->spec.kind == ColumnKind::number &&
        !analysis::is_missing(children->numbers[r])) {
      kids = children->numbers[r];
    }
    adults[r] = std::max(1.0, people - kids);
  }
  return adults;
}

std::vector<ServiceGap> gap_analysis(const GapInputs& inputs,
                                     std::span<const std::string> services) {
  if (!inputs.citizens.data) throw std::invalid_argument("no citizens' data");
  const Dataset& data = *inputs.citizens.data;
  const Column& need_column = data.require(inputs.questions.unmet_need, ColumnKind::multiple);
  const std::vector<char> respondents = answered(data, inputs.questions.unmet_need_filter);
  const std::vector<double> adults = adults_per_household(data, inputs.questions);

  // Rows in at least one vulnerable group, for the vulnerable share of each need.
  std::vector<char> vulnerable(data.rows(), 0);
  for (const auto& g : inputs.groups) {
    if (!g.applicable) continue;
    for (std::size_t r = 0; r < data.rows(); ++r) vulnerable[r] |= g.member[r];
  }

  std::vector<ServiceGap> everyone, by_group;
  for (const auto& service : services) {
    const auto& names = need_column.spec.categories;
    auto it = std::find(names.begin(), names.end(), service);
    if (it == names.end()) continue;
    std::vector<double> y =
        chosen_as_numbers(need_column, static_cast<std::size_t>(it - names.begin()));
    std::optional<Provision> resources;
    if (inputs.resources) resources = inputs.resources(service);

    ServiceGap all{.service = service,
                   .group = {},
                   .need = {},
                   .resources = resources,
                   .coverage = {},
                   .change = {},
                   .previous_share = previous_share(inputs, service),
                   .citizen_priority =
                       ranked_share(inputs.citizens, inputs.questions.citizen_ranking, service),
                   .stakeholder_priority = ranked_share(
                       inputs.stakeholders, inputs.questions.stakeholder_ranking, service),
                   .users_missing = {},
                   .users_missing_withheld = false,
                   .vulnerable_share = {},
                   .withheld = false};
    all.need.share = share_of(inputs.citizens.design, y, respondents);
    set_households(all.need, inputs.citizens, y, respondents, adults);
    all.coverage = coverage_of(all);
    if (all.previous_share) all.change = all.need.share.estimate - all.previous_share->estimate;
    // Of the respondents in need, the weighted share in a vulnerable group.
    double in_need = 0, vulnerable_in_need = 0;
    for (std::size_t r = 0; r < data.rows(); ++r) {
      if (!respondents[r] || y[r] == 0) continue;
      double w = inputs.citizens.design.weights[r];
      in_need += w;
      if (vulnerable[r]) vulnerable_in_need += w;
    }
    if (in_need > 0) all.vulnerable_share = vulnerable_in_need / in_need;
    all.withheld = reveals_small_group(all.need.share, inputs.min_cell_size);
    if (auto needs = inputs.users_needs.find(service); needs != inputs.users_needs.end()) {
      all.users_missing = chose_any(inputs.users, inputs.questions.users_missing, needs->second);
      all.users_missing_withheld =
          all.users_missing && reveals_small_group(*all.users_missing, inputs.users_min_cell_size);
    }
    everyone.push_back(std::move(all));

    for (const auto& g : inputs.groups) {
      if (!g.applicable) continue;
      std::vector<char> domain(data.rows());
      for (std::size_t r = 0; r < data.rows(); ++r) domain[r] = respondents[r] && g.member[r];
      ServiceGap row{.service = service,
                     .group = g.name,
                     .need = {},
                     .resources = resources,
                     .coverage = {},
                     .change = {},
                     .previous_share = {},
                     .citizen_priority = {},
                     .stakeholder_priority = {},
                     .users_missing = {},
                     .users_missing_withheld = false,
                     .vulnerable_share = {},
                     .withheld = false};
      row.need.share = share_of(inputs.citizens.design, y, domain);
      set_households(row.need, inputs.citizens, y, domain, adults);
      // A group's coverage is not known: the registry does not count users by group.
      row.withheld = reveals_small_group(row.need.share, inputs.min_cell_size);
      by_group.push_back(std::move(row));
    }
  }
  everyone.insert(everyone.end(), std::make_move_iterator(by_group.begin()),
                  std::make_move_iterator(by_group.end()));
  return everyone;
}

}  // namespace needsmap::plan
