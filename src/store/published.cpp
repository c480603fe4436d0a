#include "store/published.hpp"

namespace needsmap::store {

void publish_results(Store& store, const PublishedResults& r) {
  Statement& s = store.connection().prepare(
      "INSERT INTO published_results (campaign_id, published_on, published_by, documents)"
      " VALUES ($1, $2, $3, $4) ON CONFLICT (campaign_id) DO UPDATE SET"
      " published_on = excluded.published_on, published_by = excluded.published_by,"
      " documents = excluded.documents");
  s.bind(1, r.campaign_id).bind(2, r.published_on).bind(3, r.published_by).bind(4, r.documents);
  s.run();
}

bool withdraw_results(Store& store, std::int64_t campaign_id) {
  Statement& s = store.connection().prepare(
      "DELETE FROM published_results WHERE campaign_id = $1 RETURNING campaign_id");
  s.bind(1, campaign_id);
  const bool found = s.step();
  s.run();
  return found;
}

std::optional<PublishedResults> find_published_results(Store& store, std::int64_t campaign_id) {
  Statement& s = store.connection().prepare(
      "SELECT campaign_id, published_on, published_by, documents FROM published_results"
      " WHERE campaign_id = $1");
  s.bind(1, campaign_id);
  std::optional<PublishedResults> found;
  if (s.step()) {
    found = PublishedResults{.campaign_id = s.integer(0),
                             .published_on = s.text(1),
                             .published_by = s.text(2),
                             .documents = s.text(3)};
  }
  s.run();
  return found;
}

}  // namespace needsmap::store
