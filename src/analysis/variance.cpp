#include "analysis/variance.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace needsmap::analysis {

void check_weights(std::size_t rows, const Design& design) {
  if (design.weights.size() != rows) {
    throw std::logic_error("the design's weights do not match the dataset");
  }
}

std::vector<double> raking_residuals(std::vector<double> e, std::span<const MarginFactor> raking) {
  if (raking.empty()) return e;
  double scale = 0;
  for (double x : e) scale = std::max(scale, std::abs(x));
  if (scale == 0) return e;
  constexpr int max_sweeps = 1000;
  for (int sweep = 0; sweep < max_sweeps; ++sweep) {
    double moved = 0;
    for (const auto& f : raking) {
      std::vector<double> sum(f.levels, 0.0);
      std::vector<double> count(f.levels, 0.0);
      for (std::size_t r = 0; r < e.size(); ++r) {
        sum[f.level[r]] += e[r];
        count[f.level[r]] += 1;
      }
      for (std::size_t l = 0; l < f.levels; ++l) {
        if (count[l] > 0) sum[l] /= count[l];
        moved = std::max(moved, std::abs(sum[l]));
      }
      for (std::size_t r = 0; r < e.size(); ++r) e[r] -= sum[f.level[r]];
    }
    // The margin means are all (numerically) zero: e is orthogonal to every indicator.
    if (moved <= 1e-14 * scale) break;
  }
  return e;
}

namespace {

// w_i e_i minus its mean, where e are the residuals of u on the margins: the terms whose
// products, times n/(n-1), give the with-replacement variance and covariances.
std::vector<double> centred_scores(std::vector<double> u, const Design& design) {
  const std::size_t n = u.size();
  if (design.weights.size() != n) throw std::logic_error("weights and values differ in length");
  auto e = raking_residuals(std::move(u), design.raking);
  double mean = 0;
  for (std::size_t r = 0; r < n; ++r) {
    e[r] *= design.weights[r];
    mean += e[r];
  }
  mean /= static_cast<double>(n);
  for (double& t : e) t -= mean;
  return e;
}

double with_replacement_product(const std::vector<double>& a, const std::vector<double>& b) {
  const std::size_t n = a.size();
  if (n < 2) return 0.0;
  double sum = 0;
  for (std::size_t r = 0; r < n; ++r) sum += a[r] * b[r];
  return sum * static_cast<double>(n) / static_cast<double>(n - 1);
}

}  // namespace

double linearized_variance(std::vector<double> u, const Design& design) {
  auto scores = centred_scores(std::move(u), design);
  return with_replacement_product(scores, scores);
}

std::vector<double> linearized_covariance(std::vector<std::vector<double>> u,
                                          const Design& design) {
  const std::size_t k = u.size();
  std::vector<double> covariance(k * k, 0.0);
  std::vector<std::vector<double>> scores;
  for (auto& values : u) scores.push_back(centred_scores(std::move(values), design));
  for (std::size_t i = 0; i < k; ++i) {
    for (std::size_t j = i; j < k; ++j) {
      covariance[i * k + j] = covariance[j * k + i] =
          with_replacement_product(scores[i], scores[j]);
    }
  }
  return covariance;
}

}  // namespace needsmap::analysis
