// The published reports as the public pages use them, parsed and drawn once per publication:
// the results page and its files are asked for far more often than results are published, and
// parsing a report's stored JSON on each request cost most of the page's time (bench/report.sh).
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

#include "core/error.hpp"
#include "report/document.hpp"
#include "store/published.hpp"

namespace needsmap::web {

struct PublishedReport {
  report::Document document;
  std::string article;  // the document as the page's HTML article
};

class PublishedCache {
 public:
  // The `kind` report ("results") of what `published` holds, in `language` or the one shown in
  // its place; rebuilt when the stored documents changed (published again, or by another server
  // process sharing the database).
  Result<std::shared_ptr<const PublishedReport>> report(const store::PublishedResults& published,
                                                        const std::string& kind,
                                                        const std::string& language);

 private:
  struct Entry {
    std::size_t fingerprint{0};
    std::shared_ptr<const PublishedReport> report;
  };
  // Campaigns × languages × kinds: a few hundred at most; past this, start afresh.
  static constexpr std::size_t max_entries = 256;

  std::mutex m_mutex;
  std::map<std::tuple<std::int64_t, std::string, std::string>, Entry> m_entries;
};

}  // namespace needsmap::web
