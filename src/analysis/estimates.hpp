// Weighted estimates with their uncertainty: shares of a single-choice question's categories
// (overall or per group of another question), means and totals; standard errors by
// linearisation that accounts for raking, 95% intervals (on the logit scale for shares, as
// Korn & Graubard 1998 and R's svyciprop(method = "logit")), design effects, and flags where the
// figure is too shaky to read on its own.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/dataset.hpp"
#include "analysis/variance.hpp"

namespace needsmap::analysis {

// Below this effective sample size, or at this relative standard error or above, an estimate is
// flagged as unreliable.
constexpr double min_effective_n = 30;
constexpr double max_relative_se = 0.30;

struct Estimate {
  std::string category;  // the choice (shares); empty for a mean or total
  std::string group;     // the `by` question's choice; empty for everyone
  double estimate{0};
  double se{0};
  double ci_low{0};
  double ci_high{0};
  std::int64_t count{0};  // respondents in the group who chose the category (shares)
  std::int64_t n{0};      // respondents in the group who answered the question
  double n_eff{0};        // Kish's effective n of those respondents
  double deff{0};         // design effect: variance over that of a simple random sample of n
  bool low_n_eff{false};  // n_eff < min_effective_n
  bool high_rse{false};   // se / estimate >= max_relative_se
};

// The share of each category among those who answered, for everyone (by empty) or within each
// category of the single-choice question `by`: one row per category, groups in choice order. For
// a multiple choice, the share of respondents who chose each. Throws std::invalid_argument when
// a question is missing or of another kind.
std::vector<Estimate> estimate_shares(const Dataset& data, const Design& design,
                                      std::string_view question, std::string_view by = "");

// The mean of a number question among those who answered, or of a scale's positions (1 for its
// first choice, k for its last), with a t interval; for everyone or per group of `by`.
std::vector<Estimate> estimate_means(const Dataset& data, const Design& design,
                                     std::string_view question, std::string_view by = "");
// estimate_means for everyone.
Estimate estimate_mean(const Dataset& data, const Design& design, std::string_view question);

// The weighted number of people who chose `category` of a single-choice question.
Estimate estimate_total(const Dataset& data, const Design& design, std::string_view question,
                        std::string_view category);

// Which estimates to withhold from anyone below analyst (disclosure.hpp): a share whose count is
// 1…k−1, then complements within each group (a group's counts add up to its n, so one hidden
// count could be recomputed), and a whole group whose size is 1…k−1; a mean resting on fewer
// than k answers.
std::vector<bool> withheld_estimates(const std::vector<Estimate>& rows, bool share, std::int64_t k);

// The two-sided 95% quantile of Student's t with the design's degrees of freedom (rows - 1).
double t_quantile_95(std::size_t rows);

}  // namespace needsmap::analysis
