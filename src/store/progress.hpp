// Monitoring figures of a campaign that are kept only as counts: how many respondents reached
// each page, how many left there, and how many minutes the finished ones took. Nothing here
// refers to a response or a person, and the counts carry no time. (Drafts that expire are counted
// as having left by Store::purge_expired_drafts.)
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "store/store.hpp"

namespace needsmap::store {

// One more respondent reached `page` (0-based section) for the first time.
void count_page_reached(Store& store, std::int64_t campaign_id, std::int64_t page);
// One more respondent finished in `minutes` (whole minutes).
void count_completion(Store& store, std::int64_t campaign_id, std::int64_t minutes);

struct PageReach {
  std::int64_t page{0};
  std::int64_t reached{0};
  std::int64_t abandoned{0};
};
std::vector<PageReach> page_reach(Store& store, std::int64_t campaign_id);

struct CompletionCount {
  std::int64_t minutes{0};
  std::int64_t finished{0};
};
std::vector<CompletionCount> completion_minutes(Store& store, std::int64_t campaign_id);

// Responses per date (as kept: a day or a month) and mode.
struct DateCount {
  std::string date;
  std::string mode;
  std::int64_t responses{0};
};
std::vector<DateCount> responses_by_date(Store& store, std::int64_t campaign_id);

}  // namespace needsmap::store
