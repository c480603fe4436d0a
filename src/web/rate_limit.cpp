#include "web/rate_limit.hpp"

#include <sodium.h>

#include <algorithm>

namespace needsmap::web {

std::unique_ptr<RateLimiter> RateLimiter::parse(const std::string& spec) {
  if (spec == "off") return std::unique_ptr<RateLimiter>(new RateLimiter(0, 0));
  auto slash = spec.find('/');
  if (slash == std::string::npos) return nullptr;
  int count = 0;
  try {
    std::size_t used = 0;
    count = std::stoi(spec.substr(0, slash), &used);
    if (used != slash) return nullptr;
  } catch (const std::exception&) {
    return nullptr;
  }
  std::string unit = spec.substr(slash + 1);
  if (count <= 0 || (unit != "min" && unit != "s")) return nullptr;
  double per_second = unit == "s" ? count : count / 60.0;
  return std::unique_ptr<RateLimiter>(new RateLimiter(per_second, count));
}

RateLimiter::RateLimiter(double per_second, double burst)
    : m_per_second(per_second), m_burst(burst), m_last_sweep(std::chrono::steady_clock::now()) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
  randombytes_buf(m_key.data(), m_key.size());
}

bool RateLimiter::allow(const std::string& address) {
  if (!enabled()) return true;
  unsigned char hash[16];
  crypto_generichash(hash, sizeof hash, reinterpret_cast<const unsigned char*>(address.data()),
                     address.size(), m_key.data(), m_key.size());
  std::string key(reinterpret_cast<const char*>(hash), sizeof hash);
  auto now = std::chrono::steady_clock::now();
  std::lock_guard lock(m_mutex);
  if (now - m_last_sweep > std::chrono::minutes(1)) {
    std::erase_if(m_buckets, [&](const auto& item) {
      return now - item.second.updated > std::chrono::minutes(1);
    });
    m_last_sweep = now;
  }
  auto [it, inserted] = m_buckets.try_emplace(key, Bucket{m_burst, now});
  Bucket& b = it->second;
  double elapsed = std::chrono::duration<double>(now - b.updated).count();
  b.tokens = std::min(m_burst, b.tokens + elapsed * m_per_second);
  b.updated = now;
  if (b.tokens < 1) return false;
  b.tokens -= 1;
  return true;
}

}  // namespace needsmap::web
