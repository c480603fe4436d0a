// Variance by linearisation (Taylor series) for a one-stage design whose weights may have been
// raked: the estimator's influence values are replaced by their residuals on the margin
// indicators, because calibration removes the part of the variance the margins explain
// (Deville & Särndal 1992; Lumley, "Complex Surveys", 2010, §7.4 on raking).
#pragma once

#include <span>
#include <vector>

#include "analysis/weighting.hpp"

namespace needsmap::analysis {

// The weights an estimate uses and, when they were raked, the margins they were raked to. The
// starting weights before raking are 1 (every respondent equal), as the analysis starts from.
struct Design {
  std::span<const double> weights;
  std::span<const MarginFactor> raking;  // empty: the weights are taken as given
};

// Throws std::logic_error unless the design has one weight per row of the data (`rows`).
void check_weights(std::size_t rows, const Design& design);

// The variance of sum_i w_i u_i, where u_i is row i's influence value per unit of weight (for a
// ratio such as a mean, (y_i - mean) / sum w over the domain, and 0 outside it). Respondents are
// taken as drawn with replacement: n/(n-1) times the sum of squared deviations of w_i e_i.
double linearized_variance(std::vector<double> u, const Design& design);

// The covariance matrix of several such sums at once (row-major, u.size() squared): what a test
// over a whole table needs, as the cells of a table are estimated from the same respondents.
std::vector<double> linearized_covariance(std::vector<std::vector<double>> u, const Design& design);

// The residuals of u after an unweighted least-squares fit on the margin indicators (additive in
// the margin variables), by backfitting: one margin at a time, subtract the mean of the residual
// within each category, until nothing changes (Hastie & Tibshirani 1990). With starting weights
// 1 this is the calibration residual of Deville & Särndal; it is also the fit R's survey package
// makes after rake(), which lets us check against it (docs/decisions/0014).
std::vector<double> raking_residuals(std::vector<double> u, std::span<const MarginFactor> raking);

}  // namespace needsmap::analysis
