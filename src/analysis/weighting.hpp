// Weighting to population margins by raking (iterative proportional fitting; Deming & Stephan
// 1940): the weights are scaled margin by margin until the weighted sample reproduces every
// population margin. Bounds keep single respondents from carrying too much weight (trimming).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/dataset.hpp"

namespace needsmap::analysis {

// One row of a population table: `population` people have `category` (a choice name) of
// `variable` (a single-choice question's name).
struct MarginRow {
  std::string variable;
  std::string category;
  double population{0};
};

// The single-choice columns a margin variable names — one, or several for a joint table
// ("age_band*sex", categories such as "65_79*female", which post-stratifies) — and each row's
// cell among all combinations of their choices.
class MarginCells {
 public:
  static constexpr std::size_t missing = static_cast<std::size_t>(-1);

  // Throws std::invalid_argument when a part is not a single-choice question of `data`.
  MarginCells(const Dataset& data, const std::string& variable);
  std::size_t cells() const { return m_cells; }
  // Mixed radix, the first question's choice varying slowest; missing when a part is unanswered.
  std::size_t cell_of_row(std::size_t row) const;
  // The cell of a category; missing when a part is not one of its question's choices.
  std::size_t cell_of_category(const std::string& category) const;
  std::string category_of_cell(std::size_t cell) const;

 private:
  std::vector<const Column*> m_columns;
  std::size_t m_cells{1};
};

// Reads CSV with the columns variable,category,population (in any order, quoted or not).
// Throws std::invalid_argument with the line at fault.
std::vector<MarginRow> parse_margins_csv(std::string_view text);

struct RakeOptions {
  int max_iterations{1000};
  // Converged when no weight changed by more than this, relative, over one pass of all margins.
  double tolerance{1e-10};
  // ... and every weighted margin is within this of its population, relative.
  double margin_tolerance{1e-6};
  // Bounds on each weight as multiples of the mean weight (trimming); unset: unbounded.
  std::optional<double> lower;
  std::optional<double> upper;
};

// For the variance: each row's category of one margin variable (Lumley 2010, §7.4: the raking
// estimator is linearised through residuals on these indicators).
struct MarginFactor {
  std::string variable;
  std::vector<std::uint16_t> level;  // per row, index into the margin's categories
  std::size_t levels{0};
};

struct RakeReport {
  bool converged{false};
  int iterations{0};
  double max_relative_change{0};  // of a weight in the last pass
  double max_margin_error{0};     // largest |weighted total - population| / population at the end
  double min_weight{0};
  double max_weight{0};
  std::size_t bounded{0};  // weights held at a bound at the end
  double effective_n{0};   // Kish: (sum w)^2 / sum w^2
};

struct RakeResult {
  RakeReport report;
  std::vector<MarginFactor> factors;
};

// Rakes data.weights() (the starting weights) to the margins. Throws std::invalid_argument when a
// margin names no single-choice question, a category the question does not have, a category with
// nobody in the sample, a respondent with no answer to a margin variable, or a sample category
// the margin leaves out; and when margins do not agree on the population total.
RakeResult rake(Dataset& data, const std::vector<MarginRow>& margins,
                const RakeOptions& options = {});

// Kish's effective sample size of the given weights: (sum w)^2 / sum w^2.
double kish_effective_n(const std::vector<double>& weights);

}  // namespace needsmap::analysis
