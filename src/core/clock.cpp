#include "core/clock.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>

namespace needsmap::clock {

std::int64_t now_unix() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

namespace {
std::string format(std::int64_t unix, const char* pattern) {
  std::time_t t = static_cast<std::time_t>(unix);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, pattern, &tm);
  return buf;
}

bool is_leap(int y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int days_in_month(int y, int m) {
  static constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

bool digits(std::string_view s, std::size_t from, std::size_t count, int& out) {
  if (from + count > s.size()) return false;
  out = 0;
  for (std::size_t i = from; i < from + count; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}
}  // namespace

std::string today_utc() {
  return format_date(now_unix());
}
std::string format_utc(std::int64_t unix) {
  return format(unix, "%Y-%m-%dT%H:%M:%SZ");
}
std::string format_date(std::int64_t unix) {
  return format(unix, "%Y-%m-%d");
}

bool is_valid_date(std::string_view s) {
  int y, m, d;
  return s.size() == 10 && s[4] == '-' && s[7] == '-' && digits(s, 0, 4, y) && digits(s, 5, 2, m) &&
         digits(s, 8, 2, d) && y >= 1800 && m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m);
}

std::optional<std::int64_t> parse_utc(std::string_view s) {
  if (s.size() < 10 || !is_valid_date(s.substr(0, 10))) return std::nullopt;
  int y, mo, d, h = 0, mi = 0, sec = 0;
  digits(s, 0, 4, y);
  digits(s, 5, 2, mo);
  digits(s, 8, 2, d);
  std::string_view rest = s.substr(10);
  if (!rest.empty()) {
    if ((rest[0] != 'T' && rest[0] != ' ') || !digits(rest, 1, 2, h) || rest.size() < 6 ||
        rest[3] != ':' || !digits(rest, 4, 2, mi)) {
      return std::nullopt;
    }
    rest = rest.substr(6);
    if (!rest.empty() && rest[0] == ':') {
      if (!digits(rest, 1, 2, sec)) return std::nullopt;
      rest = rest.substr(3);
    }
    if (rest == "Z") rest = {};
    if (!rest.empty() || h > 23 || mi > 59 || sec > 59) return std::nullopt;
  }
  // Days from civil (Howard Hinnant's algorithm, public domain description).
  int yy = mo <= 2 ? y - 1 : y;
  int era = (yy >= 0 ? yy : yy - 399) / 400;
  unsigned yoe = static_cast<unsigned>(yy - era * 400);
  unsigned doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  std::int64_t days = static_cast<std::int64_t>(era) * 146097 + doe - 719468;
  return days * 86400 + h * 3600 + mi * 60 + sec;
}

}  // namespace needsmap::clock
