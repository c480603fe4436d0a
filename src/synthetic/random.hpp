// The random numbers behind generated responses: the same seed gives the same numbers on every
// platform. std::mt19937_64 is specified exactly by the standard, but std::uniform_int_distribution
// and friends are not (libstdc++ and libc++ map the engine's output differently), so the
// distributions here are written out.
#pragma once

#include <cstdint>
#include <random>
#include <span>

namespace needsmap::synthetic {

// A seed for the index-th item of a run: items do not depend on one another's draws.
std::uint64_t mix_seed(std::uint64_t seed, std::uint64_t index);

class Random {
 public:
  explicit Random(std::uint64_t seed) : m_engine(seed) {}

  std::uint64_t next() { return m_engine(); }
  std::uint64_t below(std::uint64_t n);                    // uniform in [0, n); n > 0
  std::int64_t between(std::int64_t lo, std::int64_t hi);  // uniform in [lo, hi]
  double unit();                                           // uniform in [0, 1)
  bool chance(double p) { return unit() < p; }
  // An index drawn in proportion to `weights` (not all zero).
  std::size_t pick(std::span<const double> weights);

 private:
  std::mt19937_64 m_engine;
};

}  // namespace needsmap::synthetic
