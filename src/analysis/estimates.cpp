#include "analysis/estimates.hpp"

#include <map>

#include "analysis/disclosure.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <utility>

#include <boost/math/distributions/students_t.hpp>

namespace needsmap::analysis {

namespace {

void symmetric_interval(Estimate& e, double t) {
  e.ci_low = e.estimate - t * e.se;
  e.ci_high = e.estimate + t * e.se;
}

// A number question's answers, or a scale's positions (1 for its first choice, k for its last),
// and which rows answered.
struct AnsweredValues {
  std::vector<double> y;
  std::vector<char> answered;
};

AnsweredValues answered_values(const Dataset& data, std::string_view question) {
  const Column* found = data.find(question);
  const Column& column = found && found->spec.kind == ColumnKind::choice
                             ? *found
                             : data.require(question, ColumnKind::number);
  AnsweredValues v{.y = std::vector<double>(data.rows(), 0.0),
                   .answered = std::vector<char>(data.rows())};
  for (std::size_t r = 0; r < data.rows(); ++r) {
    if (column.spec.kind == ColumnKind::number) {
      v.answered[r] = !is_missing(column.numbers[r]);
      if (v.answered[r]) v.y[r] = column.numbers[r];
    } else {
      std::uint16_t code = column.choice.code(r);
      v.answered[r] = code != ChoiceColumn::missing;
      if (v.answered[r]) v.y[r] = code + 1.0;
    }
  }
  return v;
}

// The groups of a `by` question: its choices, or one unnamed group of everyone.
struct Groups {
  const Column* column{nullptr};
  std::vector<std::string> names;
};

Groups groups_of(const Dataset& data, std::string_view by) {
  if (by.empty()) return {.column = nullptr, .names = {""}};
  const Column& column = data.require(by, ColumnKind::choice);
  return {.column = &column, .names = column.spec.categories};
}

// The rows that answered and are in group g.
std::vector<char> group_domain(const std::vector<char>& answered, const Groups& groups,
                               std::size_t g) {
  std::vector<char> domain(answered.size());
  for (std::size_t r = 0; r < answered.size(); ++r) {
    domain[r] = answered[r] && (!groups.column || groups.column->choice.code(r) == g);
  }
  return domain;
}

// One estimate per group, of the rows that answered and are in it, named by the group.
template <class EstimateOf>
std::vector<Estimate> per_group(const Groups& groups, const std::vector<char>& answered,
                                EstimateOf estimate_of) {
  std::vector<Estimate> out;
  for (std::size_t g = 0; g < groups.names.size(); ++g) {
    Estimate e = estimate_of(group_domain(answered, groups, g));
    e.group = groups.names[g];
    out.push_back(std::move(e));
  }
  return out;
}

// The domain's values in ascending order with their weights.
std::vector<std::pair<double, double>> sorted_values(const Design& design,
                                                     const std::vector<double>& y,
                                                     const std::vector<char>& domain) {
  std::vector<std::pair<double, double>> values;
  for (std::size_t r = 0; r < y.size(); ++r) {
    if (domain[r] && design.weights[r] > 0) values.emplace_back(y[r], design.weights[r]);
  }
  std::stable_sort(values.begin(), values.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  return values;
}

// The weighted p-quantile as R's svyquantile(qrule = "math") defines it (survey 4.1): the
// smallest value whose weighted cumulative share reaches p, the inverse of the weighted
// distribution function. p at or below 0 gives the smallest value, at or above 1 the largest.
double weighted_quantile(const std::vector<std::pair<double, double>>& sorted, double p) {
  double total = 0;
  for (const auto& v : sorted) total += v.second;
  double cumulative = 0;
  for (const auto& [value, weight] : sorted) {
    cumulative += weight;
    if (cumulative >= p * total) return value;
  }
  return sorted.back().first;
}

// The median with Woodruff's interval (Woodruff 1952; Lumley 2010, §2.4.1), as svyquantile's
// default interval.type = "mean": the share F at or below the median gets a t interval from its
// linearised standard error, and the quantiles at its ends are the median's interval; its
// standard error is the interval's width over 2 t. Student's t has the domain's size − 1 degrees
// of freedom, as R's degf() of the subset design.
Estimate median_of(const Design& design, const std::vector<double>& y,
                   const std::vector<char>& domain) {
  const auto sorted = sorted_values(design, y, domain);
  if (sorted.empty()) return Estimate{};
  const double median = weighted_quantile(sorted, 0.5);
  std::vector<double> below(y.size(), 0.0);
  for (std::size_t r = 0; r < y.size(); ++r) below[r] = domain[r] && y[r] <= median ? 1.0 : 0.0;
  Estimate e = estimate_ratio(design, below, domain);
  const double t = t_quantile_95(static_cast<std::size_t>(e.n));
  const double share = e.estimate;
  const double share_se = e.se;
  e.estimate = median;
  e.ci_low = weighted_quantile(sorted, share - t * share_se);
  e.ci_high = weighted_quantile(sorted, share + t * share_se);
  e.se = std::isfinite(t) ? (e.ci_high - e.ci_low) / (2 * t) : 0.0;
  e.deff = 0;  // no design effect is defined for a quantile here
  e.high_rse = median == 0 || e.se / std::abs(median) >= max_relative_se;
  return e;
}

}  // namespace

Estimate estimate_ratio(const Design& design, std::span<const double> y,
                        std::span<const char> domain) {
  const std::size_t rows = y.size();
  double wsum = 0, wysum = 0, wsquares = 0;
  std::int64_t n = 0;
  for (std::size_t r = 0; r < rows; ++r) {
    if (!domain[r]) continue;
    double w = design.weights[r];
    wsum += w;
    wysum += w * y[r];
    wsquares += w * w;
    ++n;
  }
  Estimate e;
  e.n = n;
  if (n == 0 || wsum <= 0) return e;
  e.estimate = wysum / wsum;
  e.n_eff = wsum * wsum / wsquares;
  std::vector<double> u(rows, 0.0);
  double spread = 0;  // weighted sum of squared deviations, for the design effect
  for (std::size_t r = 0; r < rows; ++r) {
    if (!domain[r]) continue;
    double d = y[r] - e.estimate;
    u[r] = d / wsum;
    spread += design.weights[r] * d * d;
  }
  e.se = std::sqrt(linearized_variance(std::move(u), design));
  // Kish's design effect: against a simple random sample of the same n from a population with
  // the weighted variance.
  if (n > 1 && spread > 0) {
    double srs = spread / wsum * static_cast<double>(n) / static_cast<double>(n - 1) /
                 static_cast<double>(n);
    e.deff = e.se * e.se / srs;
  }
  e.low_n_eff = e.n_eff < min_effective_n;
  e.high_rse = e.estimate == 0 || e.se / std::abs(e.estimate) >= max_relative_se;
  return e;
}

void set_logit_interval(Estimate& e, double t) {
  double p = e.estimate;
  if (p <= 0 || p >= 1) {
    e.ci_low = e.ci_high = p;
    return;
  }
  double centre = std::log(p / (1 - p));
  double half = t * e.se / (p * (1 - p));
  auto expit = [](double x) { return 1 / (1 + std::exp(-x)); };
  e.ci_low = expit(centre - half);
  e.ci_high = expit(centre + half);
}

double t_quantile_95(std::size_t rows) {
  if (rows < 2) return std::numeric_limits<double>::infinity();
  boost::math::students_t t(static_cast<double>(rows - 1));
  return boost::math::quantile(t, 0.975);
}

std::vector<Estimate> estimate_shares(const Dataset& data, const Design& design,
                                      std::string_view question, std::string_view by) {
  check_weights(data.rows(), design);
  const Column* found = data.find(question);
  const Column& column = found && found->spec.kind == ColumnKind::multiple
                             ? *found
                             : data.require(question, ColumnKind::choice);
  const bool multiple = column.spec.kind == ColumnKind::multiple;
  // A multiple choice gives shares of respondents: each choice among those who answered, so the
  // shares may add up to more than 1.
  auto answered = [&](std::size_t r) {
    return multiple ? column.multiple.answered[r] : column.choice.code(r) != ChoiceColumn::missing;
  };
  auto chose = [&](std::size_t r, std::size_t c) {
    return multiple ? column.multiple.chosen[c][r] : column.choice.code(r) == c;
  };
  const Column* group = by.empty() ? nullptr : &data.require(by, ColumnKind::choice);
  const std::size_t rows = data.rows();
  const double t = t_quantile_95(rows);
  std::vector<std::string> groups = group ? group->spec.categories : std::vector<std::string>{""};

  std::vector<Estimate> out;
  std::vector<double> y(rows);
  std::vector<char> domain(rows);
  for (std::size_t g = 0; g < groups.size(); ++g) {
    for (std::size_t r = 0; r < rows; ++r) {
      bool in_group = !group || group->choice.code(r) == g;
      domain[r] = in_group && answered(r);
    }
    for (std::size_t c = 0; c < column.spec.categories.size(); ++c) {
      std::int64_t count = 0;
      for (std::size_t r = 0; r < rows; ++r) {
        y[r] = chose(r, c) ? 1.0 : 0.0;
        if (domain[r] && y[r] > 0) ++count;
      }
      Estimate e = estimate_ratio(design, y, domain);
      e.category = column.spec.categories[c];
      e.group = groups[g];
      e.count = count;
      set_logit_interval(e, t);
      out.push_back(std::move(e));
    }
  }
  return out;
}

std::vector<Estimate> estimate_means(const Dataset& data, const Design& design,
                                     std::string_view question, std::string_view by) {
  check_weights(data.rows(), design);
  const AnsweredValues values = answered_values(data, question);
  const double t = t_quantile_95(data.rows());
  return per_group(groups_of(data, by), values.answered, [&](const std::vector<char>& domain) {
    Estimate e = estimate_ratio(design, values.y, domain);
    symmetric_interval(e, t);
    return e;
  });
}

std::vector<Estimate> estimate_top_two_box(const Dataset& data, const Design& design,
                                           std::string_view scale, std::string_view by) {
  check_weights(data.rows(), design);
  const auto& positions = data.require(scale, ColumnKind::choice).spec.categories;
  if (positions.size() < 3) {
    throw std::invalid_argument(std::string(scale) + " has fewer than three positions");
  }
  const double second_highest = static_cast<double>(positions.size() - 1);
  const AnsweredValues values = answered_values(data, scale);
  std::vector<double> top(data.rows());
  for (std::size_t r = 0; r < data.rows(); ++r) top[r] = values.y[r] >= second_highest;
  const double t = t_quantile_95(data.rows());
  return per_group(groups_of(data, by), values.answered, [&](const std::vector<char>& domain) {
    Estimate e = estimate_ratio(design, top, domain);
    e.category = positions[positions.size() - 2] + " + " + positions.back();
    for (std::size_t r = 0; r < data.rows(); ++r) e.count += domain[r] && top[r] > 0;
    set_logit_interval(e, t);
    return e;
  });
}

std::vector<Estimate> estimate_medians(const Dataset& data, const Design& design,
                                       std::string_view question, std::string_view by) {
  check_weights(data.rows(), design);
  const AnsweredValues values = answered_values(data, question);
  return per_group(groups_of(data, by), values.answered, [&](const std::vector<char>& domain) {
    return median_of(design, values.y, domain);
  });
}

Estimate estimate_mean(const Dataset& data, const Design& design, std::string_view question) {
  return estimate_means(data, design, question).front();
}

Estimate estimate_total(const Dataset& data, const Design& design, std::string_view question,
                        std::string_view category) {
  check_weights(data.rows(), design);
  const Column& column = data.require(question, ColumnKind::choice);
  const auto& categories = column.spec.categories;
  auto at = std::find(categories.begin(), categories.end(), category);
  if (at == categories.end()) {
    throw std::invalid_argument(std::string(question) + " has no choice " + std::string(category));
  }
  auto code = static_cast<std::size_t>(at - categories.begin());
  Estimate e;
  e.category = std::string(category);
  std::vector<double> u(data.rows(), 0.0);
  double wsum = 0, wsquares = 0;
  for (std::size_t r = 0; r < data.rows(); ++r) {
    if (column.choice.code(r) != code) continue;
    double w = design.weights[r];
    u[r] = 1.0;
    e.estimate += w;
    wsum += w;
    wsquares += w * w;
    ++e.count;
  }
  e.n = e.count;
  e.n_eff = wsquares > 0 ? wsum * wsum / wsquares : 0;
  e.se = std::sqrt(linearized_variance(std::move(u), design));
  symmetric_interval(e, t_quantile_95(data.rows()));
  e.low_n_eff = e.n_eff < min_effective_n;
  e.high_rse = e.estimate == 0 || e.se / e.estimate >= max_relative_se;
  return e;
}

// A share's count of 1…k−1, then complements within each group (the
// group's counts add up to its n, so one hidden count could be recomputed); a mean resting on
// fewer than k answers.
std::vector<bool> withheld_estimates(const std::vector<Estimate>& rows, bool share,
                                     std::int64_t k) {
  std::vector<bool> hidden(rows.size(), false);
  if (!share) {
    for (std::size_t i = 0; i < rows.size(); ++i) hidden[i] = rows[i].n > 0 && rows[i].n < k;
    return hidden;
  }
  std::vector<Cell> counts(rows.size());
  std::map<std::string, Cell> totals;
  std::map<std::string, Relation> groups;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    counts[i].count = rows[i].count;
    totals[rows[i].group].count = rows[i].n;
    groups[rows[i].group].push_back(&counts[i]);
  }
  std::vector<Cell*> cells;
  for (auto& c : counts) cells.push_back(&c);
  std::vector<Relation> relations;
  for (auto& [group, relation] : groups) {
    relation.push_back(&totals[group]);
    cells.push_back(&totals[group]);
    relations.push_back(relation);
  }
  suppress(cells, relations, k);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    // A hidden group total hides the whole group: its shares would give its size away.
    hidden[i] = counts[i].hidden || totals[rows[i].group].hidden;
  }
  return hidden;
}

}  // namespace needsmap::analysis
