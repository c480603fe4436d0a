#include "analysis/weighting.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <stdexcept>

namespace needsmap::analysis {

namespace {

// Splits one CSV line into fields; "" inside quotes is a quote. Margins never span lines.
std::vector<std::string> csv_fields(std::string_view line) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        fields.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        fields.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.emplace_back();
    } else {
      fields.back() += c;
    }
  }
  return fields;
}

std::string trimmed(std::string s) {
  auto space = [](unsigned char c) { return c == ' ' || c == '\t' || c == '\r'; };
  while (!s.empty() && space(static_cast<unsigned char>(s.back()))) s.pop_back();
  std::size_t start = 0;
  while (start < s.size() && space(static_cast<unsigned char>(s[start]))) ++start;
  return s.substr(start);
}

std::invalid_argument bad_line(std::size_t line, const std::string& why) {
  return std::invalid_argument("margins, line " + std::to_string(line) + ": " + why);
}

// One margin ready for raking: each row's level and the population of each level.
struct PreparedMargin {
  MarginFactor factor;
  std::vector<double> population;
};

PreparedMargin prepare(const Dataset& data, const std::string& variable,
                       const std::vector<const MarginRow*>& rows) {
  const Column* column = data.find(variable);
  if (!column || column->spec.kind != ColumnKind::choice) {
    throw std::invalid_argument("margin " + variable + " is not a single-choice question");
  }
  // The margin's categories, by the question's choice code.
  const auto& categories = column->spec.categories;
  std::vector<int> level_of_code(categories.size(), -1);
  PreparedMargin m{.factor = {.variable = variable, .level = {}, .levels = rows.size()},
                   .population = {}};
  for (std::size_t l = 0; l < rows.size(); ++l) {
    auto at = std::find(categories.begin(), categories.end(), rows[l]->category);
    if (at == categories.end()) {
      throw std::invalid_argument("margin " + variable + ": " + rows[l]->category +
                                  " is not one of the question's choices");
    }
    auto code = static_cast<std::size_t>(at - categories.begin());
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
    std::uint16_t code = column->choice.code(r);
    if (code == ChoiceColumn::missing) {
      ++unanswered;
      m.factor.level.push_back(0);
      continue;
    }
    int level = level_of_code[code];
    if (level < 0) {
      throw std::invalid_argument("margin " + variable + " has no population for " +
                                  categories[code] + ", which the sample has");
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

std::vector<MarginRow> parse_margins_csv(std::string_view text) {
  std::vector<MarginRow> rows;
  int variable = -1, category = -1, population = -1;
  std::size_t line_number = 0;
  // Spreadsheets saving "CSV UTF-8" put a byte-order mark first.
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  while (!text.empty()) {
    auto end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
    ++line_number;
    if (trimmed(std::string(line)).empty()) continue;
    auto fields = csv_fields(line);
    for (auto& f : fields) f = trimmed(std::move(f));
    if (variable < 0) {
      for (std::size_t i = 0; i < fields.size(); ++i) {
        if (fields[i] == "variable") variable = static_cast<int>(i);
        if (fields[i] == "category") category = static_cast<int>(i);
        if (fields[i] == "population") population = static_cast<int>(i);
      }
      if (variable < 0 || category < 0 || population < 0) {
        throw bad_line(line_number, "the header needs the columns variable,category,population");
      }
      continue;
    }
    auto at = [&](int i) -> const std::string& {
      if (static_cast<std::size_t>(i) >= fields.size())
        throw bad_line(line_number, "too few fields");
      return fields[static_cast<std::size_t>(i)];
    };
    const std::string& count = at(population);
    double value = 0;
    auto [ptr, ec] = std::from_chars(count.data(), count.data() + count.size(), value);
    if (ec != std::errc{} || ptr != count.data() + count.size()) {
      throw bad_line(line_number, "population " + count + " is not a number");
    }
    rows.push_back({.variable = at(variable), .category = at(category), .population = value});
  }
  if (variable < 0) throw std::invalid_argument("margins: the file is empty");
  return rows;
}

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
