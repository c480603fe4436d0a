// Horizontal bar charts as inline SVG, for people who would rather look than read. Each chart
// stands beside a data table that holds the same figures, so the SVG is an illustration: its
// label says what it shows, and hidden (suppressed) figures get no bar.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace needsmap::web {

struct Bar {
  std::string label;
  std::int64_t value{0};
  bool hidden{false};  // suppressed: no bar, `text` says why
  std::string text;    // the figure as written beside the bar
  bool muted{false};   // "don't know", "no answer": drawn in grey
};

// A share in per cent with one decimal, "42.5 %", as the tables and the bars' labels write it:
// a no-break space keeps the figure and its sign together in a narrow column.
std::string percent_text(double share);
// A whole number of people or households, rounded: "2443".
std::string count_text(double value);
// A figure with one decimal, "2.4", as the tables write means, effective sizes and weights.
std::string decimal_text(double value);
// A difference of two shares in percentage points, signed: "+12.5", "−3.0".
std::string points_text(double difference);

// Template data for the partial `bar_chart`: bars scaled to the largest visible value.
nlohmann::json bar_chart(const std::string& title, const std::vector<Bar>& bars);

}  // namespace needsmap::web
