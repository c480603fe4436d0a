#include "analysis/weighting.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <stdexcept>

#include "analysis/population.hpp"

namespace needsmap::analysis {

MarginCells::MarginCells(const Dataset& data, const std::string& variable) {
  for (const auto& part : variable_parts(variable)) {
    const Column* column = data.find(part);
    if (!column || column->spec.kind != ColumnKind::choice) {
      throw std::invalid_argument("margin " + variable + " is not a single-choice question");
    }
    m_columns.push_back(column);
    m_cells *= column->spec.categories.size();
  }
}

std::size_t MarginCells::cell_of_row(std::size_t row) const {
  std::size_t cell = 0;
  for (const Column* c : m_columns) {
    std::uint16_t code = c->choice.code(row);
    if (code == ChoiceColumn::missing) return missing;
    cell = cell * c->spec.categories.size() + code;
  }
  return cell;
}

std::size_t MarginCells::cell_of_category(const std::string& category) const {
  auto parts = variable_parts(category);
  if (parts.size() != m_columns.size()) return missing;
  std::size_t cell = 0;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const auto& choices = m_columns[i]->spec.categories;
    auto at = std::find(choices.begin(), choices.end(), parts[i]);
    if (at == choices.end()) return missing;
    cell = cell * choices.size() + static_cast<std::size_t>(at - choices.begin());
  }
  return cell;
}

std::string MarginCells::category_of_cell(std::size_t cell) const {
  std::string name;
  for (auto c = m_columns.rbegin(); c != m_columns.rend(); ++c) {
    const auto& choices = (*c)->spec.categories;
    std::string part = choices[cell % choices.size()];
    name = name.empty() ? part : part + "*" + name;
    cell /= choices.size();
  }
  return name;
}

namespace {

// One margin ready for raking: each row's level and the population of each level.
struct PreparedMargin {
  MarginFactor factor;
  std::vector<double> population;
};

PreparedMargin prepare(const Dataset& data, const std::string& variable,
                       const std::vector<const MarginRow*>& rows) {
  const MarginCells cells(data, variable);
  // The margin's level of each cell of the question(s).
  std::vector<int> level_of_code(cells.cells(), -1);
  PreparedMargin m{.factor = {.variable = variable, .level = {}, .levels = rows.size()},
                   .population = {}};
  for (std::size_t l = 0; l < rows.size(); ++l) {
    std::size_t code = cells.cell_of_category(rows[l]->category);
    if (code == MarginCells::missing) {
      throw std::invalid_argument("margin " + variable + ": " + rows[l]->category +
                                  " is not one of the question's choices");
    }
    if (level_of_code[code] >= 0) {
      throw std::invalid_argument("margin " + variable + ": " + rows[l]->category + " twice");
    }
    if (!(rows[l]->population > 0)) {
      throw std::invalid_argument("margin " + variable + ": " + rows[l]->category +
                                  " needs a positive population");
    }
    level_of_code[code] = static_cast<int>(l);
    m.population.push_back(rows[l]->population);
  }
  std::vector<std::size_t> seen(rows.size(), 0);
  std::size_t unanswered = 0;
  m.factor.level.reserve(data.rows());
  for (std::size_t r = 0; r < data.rows(); ++r) {
    std::size_t code = cells.cell_of_row(r);
    if (code == MarginCells::missing) {
      ++unanswered;
      m.factor.level.push_back(0);
      continue;
    }
    int level = level_of_code[code];
    if (level < 0) {
      throw std::invalid_argument("margin " + variable + " has no population for " +
                                  cells.category_of_cell(code) + ", which the sample has");
    }
    ++seen[static_cast<std::size_t>(level)];
    m.factor.level.push_back(static_cast<std::uint16_t>(level));
  }
  if (unanswered > 0) {
    throw std::invalid_argument(std::to_string(unanswered) + " respondent(s) did not answer " +
                                variable + ", a margin variable");
  }
  for (std::size_t l = 0; l < rows.size(); ++l) {
    // Nobody in the sample can stand for these people: no weight can reach the margin.
    if (seen[l] == 0) {
      throw std::invalid_argument("margin " + variable + ": nobody in the sample has " +
                                  rows[l]->category);
    }
  }
  return m;
}

std::vector<PreparedMargin> prepare_all(const Dataset& data, const std::vector<MarginRow>& rows) {
  // Variables in the order the table first names them.
  std::vector<std::string> order;
  std::map<std::string, std::vector<const MarginRow*>> by_variable;
  for (const auto& row : rows) {
    if (!by_variable.contains(row.variable)) order.push_back(row.variable);
    by_variable[row.variable].push_back(&row);
  }
  if (order.empty()) throw std::invalid_argument("no margins to rake to");
  std::vector<PreparedMargin> margins;
  for (const auto& variable : order)
    margins.push_back(prepare(data, variable, by_variable[variable]));
  double total = 0;
  for (double p : margins.front().population) total += p;
  for (const auto& m : margins) {
    double t = 0;
    for (double p : m.population) t += p;
    if (std::abs(t - total) > 1e-9 * total) {
      throw std::invalid_argument(
          "margins disagree on the population: " + margins.front().factor.variable +
          " adds up to " + std::to_string(total) + ", " + m.factor.variable + " to " +
          std::to_string(t));
    }
  }
  return margins;
}

std::vector<double> weighted_totals(const MarginFactor& f, const std::vector<double>& w) {
  std::vector<double> totals(f.levels, 0.0);
  for (std::size_t r = 0; r < w.size(); ++r) totals[f.level[r]] += w[r];
  return totals;
}

// Scales the weights so that they reproduce one margin (a post-stratification step).
void fit(const PreparedMargin& m, std::vector<double>& w) {
  auto totals = weighted_totals(m.factor, w);
  std::vector<double> factor(m.factor.levels);
  for (std::size_t l = 0; l < factor.size(); ++l) factor[l] = m.population[l] / totals[l];
  for (std::size_t r = 0; r < w.size(); ++r) w[r] *= factor[m.factor.level[r]];
}

double margin_error(const std::vector<PreparedMargin>& margins, const std::vector<double>& w) {
  double error = 0;
  for (const auto& m : margins) {
    auto totals = weighted_totals(m.factor, w);
    for (std::size_t l = 0; l < totals.size(); ++l) {
      error = std::max(error, std::abs(totals[l] - m.population[l]) / m.population[l]);
    }
  }
  return error;
}

}  // namespace

double kish_effective_n(const std::vector<double>& weights) {
  double sum = 0, squares = 0;
  for (double w : weights) {
    sum += w;
    squares += w * w;
  }
  return squares > 0 ? sum * sum / squares : 0.0;
}

RakeResult rake(Dataset& data, const std::vector<MarginRow>& margin_rows,
                const RakeOptions& options) {
  if (data.rows() == 0) throw std::invalid_argument("no responses to weight");
  auto margins = prepare_all(data, margin_rows);
  auto& w = data.weights();
  double population = 0;
  for (double p : margins.front().population) population += p;
  const double mean = population / static_cast<double>(w.size());
  const double low = options.lower ? *options.lower * mean : 0.0;
  const double high =
      options.upper ? *options.upper * mean : std::numeric_limits<double>::infinity();
  if (!(low <= high)) throw std::invalid_argument("the lower weight bound is above the upper");

  RakeReport report;
  std::vector<double> previous = w;
  for (int pass = 1; pass <= options.max_iterations; ++pass) {
    for (const auto& m : margins) fit(m, w);
    // Trimming inside the loop (rake, trim, rake again) so that the margins are refitted to the
    // bounded weights; with bounds that cannot hold, this shows as non-convergence.
    for (double& x : w) x = std::clamp(x, low, high);
    double change = 0;
    for (std::size_t r = 0; r < w.size(); ++r) {
      change = std::max(change, std::abs(w[r] - previous[r]) / previous[r]);
    }
    report.iterations = pass;
    report.max_relative_change = change;
    previous = w;
    if (change < options.tolerance) break;
  }
  report.max_margin_error = margin_error(margins, w);
  // Stable weights that miss the margins (bounds that cannot hold) are not a solution.
  report.converged = report.max_relative_change < options.tolerance &&
                     report.max_margin_error <= options.margin_tolerance;
  auto [lo, hi] = std::minmax_element(w.begin(), w.end());
  report.min_weight = *lo;
  report.max_weight = *hi;
  report.bounded = static_cast<std::size_t>(std::count_if(w.begin(), w.end(), [&](double x) {
    return (options.lower && x <= low) || (options.upper && x >= high);
  }));
  report.effective_n = kish_effective_n(w);

  RakeResult result{.report = report, .factors = {}};
  for (auto& m : margins) result.factors.push_back(std::move(m.factor));
  return result;
}

}  // namespace needsmap::analysis
