// The results a coordinator published: the report of a campaign in each language, kept as it was
// built at publication (report/document.hpp gives the documents their shape; this file only keeps
// them).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "store/store.hpp"

namespace needsmap::store {

struct PublishedResults {
  std::int64_t campaign_id{0};
  std::string published_on;  // YYYY-MM-DD
  std::string published_by;
  // JSON object: kind ("results", "programme") → language tag → report document
  std::string documents;
};

// Publishes (or publishes again, replacing what was published before).
void publish_results(Store& store, const PublishedResults& results);
// Takes the results down; false when nothing was published.
bool withdraw_results(Store& store, std::int64_t campaign_id);
std::optional<PublishedResults> find_published_results(Store& store, std::int64_t campaign_id);

}  // namespace needsmap::store
