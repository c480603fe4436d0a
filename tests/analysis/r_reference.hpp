// What the tests against R's survey package share (tests/data/r-survey): reading its CSV
// files, loading a sample into a Dataset, raking it as the R scripts do, and comparing figures
// relatively.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "analysis/dataset.hpp"
#include "analysis/variance.hpp"
#include "analysis/weighting.hpp"
#include "test_support.hpp"

namespace needsmap::analysis::reference {

// How close our figures must come to R's: estimates to 1e-6, standard errors to 1e-4 (relative).
inline constexpr double value_tolerance = 1e-6;
inline constexpr double se_tolerance = 1e-4;

inline std::filesystem::path reference_dir() {
  return fixtures::test_data() / "r-survey";
}

inline std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The rows of a simple CSV (no commas inside fields), quotes removed, header first. A line that
// ends in a comma has an empty last field.
inline std::vector<std::vector<std::string>> read_csv(const std::filesystem::path& path) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream in(read_text(path));
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    std::vector<std::string> fields;
    std::istringstream fields_in(line);
    std::string f;
    while (std::getline(fields_in, f, ',')) {
      if (f.size() >= 2 && f.front() == '"') f = f.substr(1, f.size() - 2);
      fields.push_back(f);
    }
    if (line.back() == ',') fields.emplace_back();
    rows.push_back(std::move(fields));
  }
  return rows;
}

// The rows of a CSV with a header, each as a map from column name to field.
inline std::vector<std::map<std::string, std::string>> read_records(
    const std::filesystem::path& path) {
  auto rows = read_csv(path);
  std::vector<std::map<std::string, std::string>> records;
  for (std::size_t i = 1; i < rows.size(); ++i) {
    std::map<std::string, std::string> record;
    for (std::size_t c = 0; c < rows[0].size() && c < rows[i].size(); ++c) {
      record[rows[0][c]] = rows[i][c];
    }
    records.push_back(std::move(record));
  }
  return records;
}

inline void expect_relative(double actual, double expected, double tolerance,
                            const std::string& what) {
  EXPECT_LE(std::abs(actual - expected), tolerance * std::abs(expected))
      << what << ": " << actual << " against R's " << expected;
}

// A CSV field as an answer: a whole number as an integer (so a scale's "3" matches), another
// number as a double, anything else as text.
inline nlohmann::json answer_of(const std::string& field) {
  std::size_t used = 0;
  try {
    double value = std::stod(field, &used);
    if (used == field.size()) {
      if (value == std::floor(value)) return static_cast<std::int64_t>(value);
      return value;
    }
  } catch (const std::exception&) {
  }
  return field;
}

// A sample CSV of tests/data/r-survey (first column the id) as a dataset; an empty field is an
// unanswered question.
inline Dataset load_sample(const std::filesystem::path& csv, std::vector<ColumnSpec> specs) {
  Dataset data(std::move(specs));
  auto rows = read_csv(csv);
  const auto& header = rows.front();
  for (std::size_t i = 1; i < rows.size(); ++i) {
    nlohmann::json answers = nlohmann::json::object();
    for (std::size_t c = 1; c < header.size(); ++c) {
      if (!rows[i][c].empty()) answers[header[c]] = answer_of(rows[i][c]);
    }
    data.append(answers);
  }
  return data;
}

// sample.csv: 400 respondents' age, sex, settlement, needs_home_care and income_adequacy, with
// `extra` columns read from the same answers.
inline Dataset home_care_sample(std::vector<ColumnSpec> extra = {}) {
  std::vector<ColumnSpec> specs = {
      {.name = "age",
       .kind = ColumnKind::choice,
       .categories = {"18-29", "30-44", "45-64", "65+"},
       .question = "",
       .row = ""},
      {.name = "sex",
       .kind = ColumnKind::choice,
       .categories = {"m", "f"},
       .question = "",
       .row = ""},
      {.name = "settlement",
       .kind = ColumnKind::choice,
       .categories = {"urban", "rural"},
       .question = "",
       .row = ""},
      {.name = "needs_home_care",
       .kind = ColumnKind::choice,
       .categories = {"no", "yes"},
       .question = "",
       .row = ""},
      {.name = "income_adequacy",
       .kind = ColumnKind::number,
       .categories = {},
       .question = "",
       .row = ""},
  };
  for (auto& spec : extra) specs.push_back(std::move(spec));
  return load_sample(reference_dir() / "sample.csv", std::move(specs));
}

// A sample raked to the margins in a CSV, to R's precision.
struct Raked {
  Dataset data;
  RakeResult result;
  Design design() const { return Design{.weights = data.weights(), .raking = result.factors}; }

  Raked(Dataset sample, const std::filesystem::path& margins) : data(std::move(sample)) {
    result = rake(data, parse_margins_csv(read_text(margins)),
                  RakeOptions{.max_iterations = 1000,
                              .tolerance = 1e-13,
                              .margin_tolerance = 1e-10,
                              .lower = {},
                              .upper = {}});
  }
};

}  // namespace needsmap::analysis::reference
