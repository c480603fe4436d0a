#include "synthetic/random.hpp"

namespace needsmap::synthetic {

std::uint64_t mix_seed(std::uint64_t seed, std::uint64_t index) {
  // splitmix64 of the pair.
  std::uint64_t z = seed + 0x9e3779b97f4a7c15ull * (index + 1);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

std::uint64_t Random::below(std::uint64_t n) {
  // Rejection of the top partial range keeps every value equally likely.
  std::uint64_t limit = UINT64_MAX - UINT64_MAX % n;
  std::uint64_t x = next();
  while (x >= limit) x = next();
  return x % n;
}

std::int64_t Random::between(std::int64_t lo, std::int64_t hi) {
  if (hi <= lo) return lo;
  return lo + static_cast<std::int64_t>(below(static_cast<std::uint64_t>(hi - lo) + 1));
}

double Random::unit() {
  return static_cast<double>(next() >> 11) * 0x1.0p-53;
}

std::size_t Random::pick(std::span<const double> weights) {
  double total = 0;
  for (double w : weights) total += w;
  double x = unit() * total;
  std::size_t last = 0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    if (weights[i] <= 0) continue;
    last = i;
    if (x < weights[i]) return i;
    x -= weights[i];
  }
  return last;  // rounding left x just above the last weight
}

}  // namespace needsmap::synthetic
