#include "web/charts.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace needsmap::web {

namespace {
// The chart's coordinate system (viewBox); the browser scales it to the column's width.
constexpr int chart_width = 600;
constexpr int bar_area = 520;  // the longest bar; the rest is room for its figure
constexpr int row_height = 44;
constexpr int label_baseline = 15;
constexpr int bar_top = 21;
constexpr int bar_height = 16;
}  // namespace

std::string percent_text(double share) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f\u00a0%%", 100 * share);
  return buffer;
}

std::string decimal_text(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f", value);
  return buffer;
}

std::string count_text(double value) {
  return std::to_string(static_cast<std::int64_t>(std::llround(value)));
}

std::string points_text(double difference) {
  return (difference < 0 ? "−" : "+") + decimal_text(std::abs(100 * difference));
}

nlohmann::json bar_chart(const std::string& title, const std::vector<Bar>& bars) {
  std::int64_t largest = 0;
  for (const auto& b : bars) {
    if (!b.hidden) largest = std::max(largest, b.value);
  }
  nlohmann::json items = nlohmann::json::array();
  int y = 0;
  for (const auto& b : bars) {
    int width = b.hidden || largest == 0
                    ? 0
                    : static_cast<int>((b.value * bar_area + largest / 2) / largest);
    if (!b.hidden && b.value > 0) width = std::max(width, 2);  // a small count stays visible
    items.push_back({{"label", b.label},
                     {"label_y", y + label_baseline},
                     {"bar_y", y + bar_top},
                     {"width", width},
                     {"bar_height", bar_height},
                     {"value_x", width + 6},
                     {"value_y", y + bar_top + bar_height - 3},
                     {"text", b.text},
                     {"muted", b.muted}});
    y += row_height;
  }
  return {{"title", title},
          {"view_width", chart_width},
          {"view_height", std::max(y, 1)},
          {"bars", items}};
}

}  // namespace needsmap::web
