// Time as needsmap stores it: dates for answers, seconds for campaign windows.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace needsmap::clock {

inline constexpr std::int64_t seconds_per_day = 86'400;

std::int64_t now_unix();                     // seconds since the epoch, UTC
std::string today_utc();                     // YYYY-MM-DD
std::string format_utc(std::int64_t unix);   // YYYY-MM-DDTHH:MM:SSZ
std::string format_date(std::int64_t unix);  // YYYY-MM-DD
// Accepts YYYY-MM-DD (start of day UTC) or YYYY-MM-DDTHH:MM[:SS][Z].
std::optional<std::int64_t> parse_utc(std::string_view s);
bool is_valid_date(std::string_view yyyy_mm_dd);

}  // namespace needsmap::clock
