#include "analysis/population.hpp"

#include <charconv>
#include <cmath>
#include <map>
#include <set>
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

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string quoted = "\"";
  for (char c : s) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

std::string number_text(double x) {
  char buffer[32];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, x);
  return ec == std::errc{} ? std::string(buffer, end) : std::to_string(x);
}

struct Header {
  int variable{-1};
  int category{-1};
  int population{-1};
  bool complete() const { return variable >= 0 && category >= 0 && population >= 0; }
};

Header read_header(const std::vector<std::string>& fields) {
  Header h;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (fields[i] == "variable") h.variable = static_cast<int>(i);
    if (fields[i] == "category") h.category = static_cast<int>(i);
    if (fields[i] == "population") h.population = static_cast<int>(i);
  }
  return h;
}

// Every variable must add up to the same population: raking cannot reach margins that disagree.
void check_totals(const std::vector<MarginRow>& rows, std::vector<PopulationIssue>& issues) {
  std::vector<std::string> order;
  std::map<std::string, double> totals;
  for (const auto& r : rows) {
    if (!totals.contains(r.variable)) order.push_back(r.variable);
    totals[r.variable] += r.population;
  }
  if (order.empty()) return;
  const double first = totals[order.front()];
  for (const auto& v : order) {
    if (std::abs(totals[v] - first) > 1e-9 * std::max(first, 1.0)) {
      issues.push_back({.kind = PopulationIssue::Kind::totals,
                        .line = 0,
                        .variable = v,
                        .category = {},
                        .value = order.front(),
                        .total = totals[v],
                        .expected = first});
    }
  }
}

}  // namespace

std::vector<std::string> variable_parts(std::string_view variable) {
  std::vector<std::string> parts(1);
  for (char c : variable) {
    if (c == '*') {
      parts.emplace_back();
    } else {
      parts.back() += c;
    }
  }
  return parts;
}

PopulationRead read_population_csv(std::string_view text) {
  PopulationRead out;
  auto issue = [&](PopulationIssue::Kind kind, std::size_t line, std::string value = {}) {
    out.issues.push_back({.kind = kind,
                          .line = line,
                          .variable = {},
                          .category = {},
                          .value = std::move(value),
                          .total = 0,
                          .expected = 0});
  };
  // Spreadsheets saving "CSV UTF-8" put a byte-order mark first.
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  std::optional<Header> header;
  std::set<std::pair<std::string, std::string>> seen;
  std::size_t line_number = 0;
  while (!text.empty()) {
    auto end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
    ++line_number;
    if (trimmed(std::string(line)).empty()) continue;
    auto fields = csv_fields(line);
    for (auto& f : fields) f = trimmed(std::move(f));
    if (!header) {
      header = read_header(fields);
      if (!header->complete()) {
        issue(PopulationIssue::Kind::header, line_number);
        return out;
      }
      continue;
    }
    const auto needed = static_cast<std::size_t>(
        std::max({header->variable, header->category, header->population}) + 1);
    if (fields.size() < needed) {
      issue(PopulationIssue::Kind::fields, line_number);
      continue;
    }
    MarginRow row{.variable = fields[static_cast<std::size_t>(header->variable)],
                  .category = fields[static_cast<std::size_t>(header->category)],
                  .population = 0};
    const std::string& count = fields[static_cast<std::size_t>(header->population)];
    auto [ptr, ec] = std::from_chars(count.data(), count.data() + count.size(), row.population);
    if (ec != std::errc{} || ptr != count.data() + count.size() || !std::isfinite(row.population)) {
      issue(PopulationIssue::Kind::number, line_number, count);
      continue;
    }
    if (row.variable.empty() || row.category.empty()) {
      issue(PopulationIssue::Kind::fields, line_number);
      continue;
    }
    if (row.population < 0) {
      issue(PopulationIssue::Kind::negative, line_number, count);
      continue;
    }
    if (variable_parts(row.variable).size() != variable_parts(row.category).size()) {
      issue(PopulationIssue::Kind::joint, line_number, row.category);
      continue;
    }
    if (!seen.insert({row.variable, row.category}).second) {
      issue(PopulationIssue::Kind::duplicate, line_number, row.variable + "," + row.category);
      continue;
    }
    out.rows.push_back(std::move(row));
  }
  if (!header || out.rows.empty()) {
    if (out.issues.empty()) issue(PopulationIssue::Kind::empty, 0);
    return out;
  }
  if (out.issues.empty()) check_totals(out.rows, out.issues);
  return out;
}

std::string describe(const PopulationIssue& issue) {
  const std::string at = issue.line ? "line " + std::to_string(issue.line) + ": " : "";
  switch (issue.kind) {
    case PopulationIssue::Kind::empty:
      return "the population table is empty";
    case PopulationIssue::Kind::header:
      return at + "the header needs the columns variable,category,population";
    case PopulationIssue::Kind::fields:
      return at + "too few fields";
    case PopulationIssue::Kind::number:
      return at + "population " + issue.value + " is not a number";
    case PopulationIssue::Kind::negative:
      return at + "population " + issue.value + " is below zero";
    case PopulationIssue::Kind::duplicate:
      return at + issue.value + " appears twice";
    case PopulationIssue::Kind::joint:
      return at + "category " + issue.value +
             " does not have one part per question of its variable";
    case PopulationIssue::Kind::totals:
      return "variables disagree on the population: " + issue.variable + " adds up to " +
             number_text(issue.total) + ", " + issue.value + " to " + number_text(issue.expected);
  }
  return at;
}

std::vector<MarginRow> parse_margins_csv(std::string_view text) {
  PopulationRead read = read_population_csv(text);
  // Totals are rake()'s to check: only over the margins a questionnaire asks about.
  for (const auto& issue : read.issues) {
    if (issue.kind != PopulationIssue::Kind::totals) {
      throw std::invalid_argument("margins, " + describe(issue));
    }
  }
  return std::move(read.rows);
}

namespace {

bool asks_about(const Dataset& data, const std::string& variable) {
  for (const auto& part : variable_parts(variable)) {
    const Column* c = data.find(part);
    if (!c || c->spec.kind != ColumnKind::choice) return false;
  }
  return true;
}

// Rows whose cell of `variable` has a population in `rows` lose nothing; the others are marked.
void keep_rows_with_population(const Dataset& data, const std::string& variable,
                               const std::vector<const MarginRow*>& rows, std::vector<char>& keep) {
  const MarginCells cells(data, variable);
  std::vector<char> has_population(cells.cells(), 0);
  for (const MarginRow* r : rows) {
    std::size_t cell = cells.cell_of_category(r->category);
    if (cell != MarginCells::missing && r->population > 0) has_population[cell] = 1;
  }
  for (std::size_t row = 0; row < data.rows(); ++row) {
    std::size_t cell = cells.cell_of_row(row);
    if (cell == MarginCells::missing || !has_population[cell]) keep[row] = 0;
  }
}

}  // namespace

PopulationWeighting weight_to_population(const Dataset& data, const std::vector<MarginRow>& margins,
                                         const RakeOptions& options) {
  PopulationWeighting out;
  std::map<std::string, std::vector<const MarginRow*>> by_variable;
  std::vector<std::string> order;
  for (const auto& m : margins) {
    if (!by_variable.contains(m.variable)) order.push_back(m.variable);
    by_variable[m.variable].push_back(&m);
  }
  std::vector<MarginRow> used_rows;
  std::vector<char> keep(data.rows(), 1);
  for (const auto& variable : order) {
    if (!asks_about(data, variable)) {
      out.not_asked.push_back(variable);
      continue;
    }
    out.used.push_back(variable);
    keep_rows_with_population(data, variable, by_variable[variable], keep);
    for (const MarginRow* r : by_variable[variable]) {
      // Categories nobody can be in (population 0) would only stop the raking.
      if (r->population > 0) used_rows.push_back(*r);
    }
  }
  if (out.used.empty()) {
    throw std::invalid_argument("the population table names none of the questionnaire's questions");
  }
  out.data = data.select_rows(keep);
  out.left_out = data.rows() - out.data.rows();
  if (out.data.rows() == 0) throw std::invalid_argument("no respondent could be weighted");
  std::fill(out.data.weights().begin(), out.data.weights().end(), 1.0);
  out.rake = rake(out.data, used_rows, options);
  return out;
}

std::string population_csv(const std::vector<MarginRow>& rows) {
  std::string out = "variable,category,population\n";
  for (const auto& r : rows) {
    out += csv_field(r.variable) + "," + csv_field(r.category) + "," + number_text(r.population) +
           "\n";
  }
  return out;
}

}  // namespace needsmap::analysis
