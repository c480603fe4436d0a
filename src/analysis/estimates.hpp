// Weighted estimates with their uncertainty: shares of a single-choice question's categories
// (overall or per group of another question), means and totals; standard errors by
// linearisation that accounts for raking, 95% intervals (on the logit scale for shares, as
// Korn & Graubard 1998 and R's svyciprop(method = "logit")), design effects, and flags where the
// figure is too shaky to read on its own.
#pragma once

#include <cstdint>
#include <span>
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

// The top-two-box share of a scale: of those who answered, the share who chose one of its two
// highest positions (its last two choices), with standard error and logit interval as a share;
// for everyone or per group of `by`. Throws std::invalid_argument for fewer than three positions.
std::vector<Estimate> estimate_top_two_box(const Dataset& data, const Design& design,
                                           std::string_view scale, std::string_view by = "");

// The weighted median of a number question (or of a scale's positions) among those who answered,
// as R's svyquantile() gives it in survey 4.1 (qrule = "math": the smallest value whose weighted
// cumulative share reaches 1/2), with Woodruff's 95% interval and the standard error R derives
// from it; for everyone or per group of `by`. No design effect (deff 0).
std::vector<Estimate> estimate_medians(const Dataset& data, const Design& design,
                                       std::string_view question, std::string_view by = "");

// The weighted number of people who chose `category` of a single-choice question.
Estimate estimate_total(const Dataset& data, const Design& design, std::string_view question,
                        std::string_view category);

// Which estimates to withhold from anyone below analyst (disclosure.hpp): a share whose count is
// 1…k−1, then complements within each group (a group's counts add up to its n, so one hidden
// count could be recomputed), and a whole group whose size is 1…k−1; a mean resting on fewer
// than k answers.
std::vector<bool> withheld_estimates(const std::vector<Estimate>& rows, bool share, std::int64_t k);

// A weighted ratio sum w d y / sum w d over a domain d (1 for rows in it, 0 otherwise) with its
// linearised standard error (influence values d (y - ratio) / sum w d; Woodruff 1971), Kish's
// effective n, design effect and flags; n counts the domain's rows. No interval is set.
Estimate estimate_ratio(const Design& design, std::span<const double> y,
                        std::span<const char> domain);

// Sets a share's 95% interval on the logit scale: symmetric there, so it stays inside (0, 1), with
// the delta-method standard error se / (p (1 - p)) and `t` the t quantile (t_quantile_95).
void set_logit_interval(Estimate& e, double t);

// The two-sided 95% quantile of Student's t with the design's degrees of freedom (rows - 1).
double t_quantile_95(std::size_t rows);

}  // namespace needsmap::analysis
