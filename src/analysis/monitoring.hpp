// Live monitoring of a campaign for the administration: responses per date and mode, how far
// respondents get through the pages, the median time to complete, and a frequency table for
// every question. Built from the stored responses and the aggregate counts of store/progress;
// with_suppression() hides small groups for the roles below analyst.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "analysis/disclosure.hpp"
#include "questionnaire/model.hpp"
#include "store/store.hpp"

namespace needsmap::analysis {

struct DateRow {
  std::string date;           // a day or a month, as the campaign keeps it
  std::vector<Cell> by_mode;  // in the order of Monitor::modes
  Cell total;
};

struct PageRow {
  std::size_t section{0};
  Cell reached;  // respondents who reached the page at least once
  Cell left;     // of them, how many went no further (the drop-off at this page)
};

struct FrequencyRow {
  std::string choice;  // the choice's name
  Cell count;
};

struct QuestionTable {
  std::size_t question{0};  // index into Questionnaire::questions()
  std::string row;          // a matrix row's name; empty otherwise
  std::vector<FrequencyRow> choices;
  Cell answered;
  Cell no_answer;  // asked (relevant) but not answered
  Cell asked;      // respondents to whom the question applied
  // Whether the choice counts and "no answer" add up to `asked` (one answer per respondent).
  bool additive{false};
  std::optional<double> median;  // numbers: the median answer, when enough answered
};

struct Monitor {
  std::int64_t min_cell_size{5};
  bool suppressed{false};
  Cell responses;
  std::vector<std::string> modes;  // modes with at least one response, in a fixed order
  std::vector<Cell> mode_totals;
  std::vector<DateRow> dates;
  Cell started;   // reached the first page, in the page-by-page modes
  Cell finished;  // sent, in those modes
  std::vector<PageRow> pages;
  Cell timed;  // finished respondents whose time to complete is known
  std::optional<double> median_minutes;
  std::vector<QuestionTable> questions;
};

// Reads everything for one campaign in one read snapshot. `today` is for relevance conditions
// that refer to the date.
Monitor build_monitor(store::Store& store, const store::Campaign& campaign,
                      const questionnaire::Questionnaire& q, const std::string& today);

// A copy with every small group hidden (and the median time and number medians withheld when
// fewer than k gave them).
Monitor with_suppression(Monitor monitor);

// The median of a histogram of whole minutes (minutes, count), nullopt when empty.
std::optional<double> histogram_median(const std::vector<std::pair<std::int64_t, std::int64_t>>& h);

}  // namespace needsmap::analysis
