// Limits anonymous submissions per source address. Addresses are kept only in memory, hashed
// with a key that is random per process, and forgotten after a minute of silence.
#pragma once

#include <array>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace needsmap::web {

class RateLimiter {
 public:
  // "off", or "N/min" / "N/s": N submissions per period per address, with bursts up to N.
  static std::unique_ptr<RateLimiter> parse(const std::string& spec);

  bool enabled() const { return m_per_second > 0; }
  // Whether one more submission from `address` is allowed now.
  bool allow(const std::string& address);

 private:
  RateLimiter(double per_second, double burst);
  struct Bucket {
    double tokens;
    std::chrono::steady_clock::time_point updated;
  };
  double m_per_second;
  double m_burst;
  std::array<unsigned char, 16> m_key{};
  std::mutex m_mutex;
  std::unordered_map<std::string, Bucket> m_buckets;
  std::chrono::steady_clock::time_point m_last_sweep;
};

}  // namespace needsmap::web
