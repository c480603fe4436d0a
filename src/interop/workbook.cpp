#include "interop/workbook.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace needsmap::interop {

const std::string& Sheet::cell(std::size_t row, std::size_t column) const {
  static const std::string empty;
  if (row >= rows.size() || column >= rows[row].size()) return empty;
  return rows[row][column];
}

std::string format_number(double value) {
  if (value == std::floor(value) && std::fabs(value) < 1e15) {
    return std::to_string(static_cast<long long>(value));
  }
  char buffer[64];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  return ec == std::errc() ? std::string(buffer, end) : std::to_string(value);
}

namespace {
bool equal_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; };
           return lower(x) == lower(y);
         });
}
}  // namespace

const Sheet* Workbook::find(std::string_view name) const {
  for (const auto& sheet : sheets) {
    if (equal_ignoring_case(sheet.name, name)) return &sheet;
  }
  return nullptr;
}

}  // namespace needsmap::interop
