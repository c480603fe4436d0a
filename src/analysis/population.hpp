// Population tables read from CSV (variable,category,population), checked the way raking needs
// them, with each problem described by kind and line so the administration can say it in the
// user's language.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/weighting.hpp"

namespace needsmap::analysis {

struct PopulationIssue {
  enum class Kind {
    empty,      // no header, or no rows under it
    header,     // the header lacks variable, category or population
    fields,     // a line with too few fields
    number,     // a population that is not a number
    negative,   // a population below zero
    duplicate,  // the same variable and category twice
    joint,      // "a*b" with a category of another number of parts
    totals,     // a variable adds up to another total than the first
  };
  Kind kind{Kind::empty};
  std::size_t line{0};  // 1-based; 0 for the whole table
  std::string variable;
  std::string category;
  std::string value;   // the field at fault; totals: the first variable
  double total{0};     // totals: this variable's total ...
  double expected{0};  // ... and the first variable's
};

struct PopulationRead {
  std::vector<MarginRow> rows;
  std::vector<PopulationIssue> issues;  // empty: the table can be saved and raked to
};

// Reads and checks a population table; a byte-order mark and blank lines are fine.
PopulationRead read_population_csv(std::string_view text);

// An English description of an issue, for the command line and logs.
std::string describe(const PopulationIssue& issue);

// The table as CSV with a header, for editing and download.
std::string population_csv(const std::vector<MarginRow>& rows);

// The questions a (possibly joint) margin variable names: "age_band*sex" → age_band, sex.
std::vector<std::string> variable_parts(std::string_view variable);

// A campaign's respondents weighted to the municipality's population.
struct PopulationWeighting {
  // The respondents who could be weighted, with their raked weights.
  Dataset data{{}};
  RakeResult rake;
  // Respondents left out: for some margin variable they gave no answer, or one the table has no
  // population for ("prefer not to say").
  std::size_t left_out{0};
  std::vector<std::string> used;       // margin variables raked to, in the table's order
  std::vector<std::string> not_asked;  // margin variables the questionnaire does not ask
};

// Rakes the respondents of `data` (starting weights 1) to the margins its questionnaire asks
// about. Throws std::invalid_argument when no margin applies, when nobody could be weighted, and
// for the reasons rake() gives (e.g. nobody in the sample in a category of the table).
PopulationWeighting weight_to_population(const Dataset& data, const std::vector<MarginRow>& margins,
                                         const RakeOptions& options = {});

}  // namespace needsmap::analysis
