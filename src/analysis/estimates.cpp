#include "analysis/estimates.hpp"

#include <map>

#include "analysis/disclosure.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include <boost/math/distributions/students_t.hpp>

namespace needsmap::analysis {

namespace {

// A weighted ratio sum w d y / sum w d over a domain d (0/1 per row), with its linearised
// variance: influence values d (y - ratio) / sum w d (Woodruff 1971).
Estimate ratio(const Design& design, const std::vector<double>& y,
               const std::vector<char>& domain) {
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

// The interval for a share on the logit scale: symmetric there, so it stays inside (0, 1); its
// standard error by the delta method, se / (p (1 - p)).
void logit_interval(Estimate& e, double t) {
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

void symmetric_interval(Estimate& e, double t) {
  e.ci_low = e.estimate - t * e.se;
  e.ci_high = e.estimate + t * e.se;
}

void check_weights(const Dataset& data, const Design& design) {
  if (design.weights.size() != data.rows()) {
    throw std::logic_error("the design's weights do not match the dataset");
  }
}

}  // namespace

double t_quantile_95(std::size_t rows) {
  if (rows < 2) return std::numeric_limits<double>::infinity();
  boost::math::students_t t(static_cast<double>(rows - 1));
  return boost::math::quantile(t, 0.975);
}

std::vector<Estimate> estimate_shares(const Dataset& data, const Design& design,
                                      std::string_view question, std::string_view by) {
  check_weights(data, design);
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
      Estimate e = ratio(design, y, domain);
      e.category = column.spec.categories[c];
      e.group = groups[g];
      e.count = count;
      logit_interval(e, t);
      out.push_back(std::move(e));
    }
  }
  return out;
}

std::vector<Estimate> estimate_means(const Dataset& data, const Design& design,
                                     std::string_view question, std::string_view by) {
  check_weights(data, design);
  const Column* found = data.find(question);
  const Column& column = found && found->spec.kind == ColumnKind::choice
                             ? *found
                             : data.require(question, ColumnKind::number);
  // A scale's answer counts as its position: 1 for the first choice, k for the last.
  std::vector<double> y(data.rows(), 0.0);
  std::vector<char> answered(data.rows());
  for (std::size_t r = 0; r < data.rows(); ++r) {
    if (column.spec.kind == ColumnKind::number) {
      answered[r] = !is_missing(column.numbers[r]);
      if (answered[r]) y[r] = column.numbers[r];
    } else {
      std::uint16_t code = column.choice.code(r);
      answered[r] = code != ChoiceColumn::missing;
      if (answered[r]) y[r] = code + 1.0;
    }
  }
  const Column* group = by.empty() ? nullptr : &data.require(by, ColumnKind::choice);
  std::vector<std::string> groups = group ? group->spec.categories : std::vector<std::string>{""};
  const double t = t_quantile_95(data.rows());
  std::vector<Estimate> out;
  std::vector<char> domain(data.rows());
  for (std::size_t g = 0; g < groups.size(); ++g) {
    for (std::size_t r = 0; r < data.rows(); ++r) {
      domain[r] = answered[r] && (!group || group->choice.code(r) == g);
    }
    Estimate e = ratio(design, y, domain);
    e.group = groups[g];
    symmetric_interval(e, t);
    out.push_back(std::move(e));
  }
  return out;
}

Estimate estimate_mean(const Dataset& data, const Design& design, std::string_view question) {
  return estimate_means(data, design, question).front();
}

Estimate estimate_total(const Dataset& data, const Design& design, std::string_view question,
                        std::string_view category) {
  check_weights(data, design);
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
