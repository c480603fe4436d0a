#include "store/progress.hpp"

namespace needsmap::store {

void count_page_reached(Store& store, std::int64_t campaign_id, std::int64_t page) {
  Statement& s = store.connection().prepare(
      "INSERT INTO page_reach (campaign_id, page, reached) VALUES ($1, $2, 1)"
      " ON CONFLICT (campaign_id, page) DO UPDATE SET reached = page_reach.reached + 1");
  s.bind(1, campaign_id).bind(2, page);
  s.run();
}

void count_completion(Store& store, std::int64_t campaign_id, std::int64_t minutes) {
  Statement& s = store.connection().prepare(
      "INSERT INTO completion_minutes (campaign_id, minutes, finished) VALUES ($1, $2, 1)"
      " ON CONFLICT (campaign_id, minutes)"
      " DO UPDATE SET finished = completion_minutes.finished + 1");
  s.bind(1, campaign_id).bind(2, minutes);
  s.run();
}

std::vector<PageReach> page_reach(Store& store, std::int64_t campaign_id) {
  Statement& s = store.connection().prepare(
      "SELECT page, reached, abandoned FROM page_reach WHERE campaign_id = $1 ORDER BY page");
  s.bind(1, campaign_id);
  std::vector<PageReach> out;
  while (s.step()) out.push_back({s.integer(0), s.integer(1), s.integer(2)});
  return out;
}

std::vector<CompletionCount> completion_minutes(Store& store, std::int64_t campaign_id) {
  Statement& s = store.connection().prepare(
      "SELECT minutes, finished FROM completion_minutes WHERE campaign_id = $1 ORDER BY minutes");
  s.bind(1, campaign_id);
  std::vector<CompletionCount> out;
  while (s.step()) out.push_back({s.integer(0), s.integer(1)});
  return out;
}

std::vector<DateCount> responses_by_date(Store& store, std::int64_t campaign_id) {
  Statement& s = store.connection().prepare(
      "SELECT submitted_on, mode, count(*) FROM responses WHERE campaign_id = $1"
      " GROUP BY submitted_on, mode ORDER BY submitted_on, mode");
  s.bind(1, campaign_id);
  std::vector<DateCount> out;
  while (s.step()) out.push_back({s.text(0), s.text(1), s.integer(2)});
  return out;
}

}  // namespace needsmap::store
