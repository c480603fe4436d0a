#include "web/published_cache.hpp"

#include <functional>

#include "report/render.hpp"

namespace needsmap::web {

Result<std::shared_ptr<const PublishedReport>> PublishedCache::report(
    const store::PublishedResults& published, const std::string& kind,
    const std::string& language) {
  // Hashing the stored text is a small part of parsing it.
  const std::size_t fingerprint = std::hash<std::string>{}(published.documents) ^
                                  std::hash<std::string>{}(published.published_on);
  const auto key = std::make_tuple(published.campaign_id, kind, language);
  {
    std::lock_guard lock(m_mutex);
    auto it = m_entries.find(key);
    if (it != m_entries.end() && it->second.fingerprint == fingerprint) return it->second.report;
  }
  auto document = report::chosen_document(published.documents, kind, language);
  if (!document) return std::unexpected(document.error());
  std::string article = report::render_html_article(*document);
  auto built = std::make_shared<const PublishedReport>(
      PublishedReport{std::move(*document), std::move(article)});
  std::lock_guard lock(m_mutex);
  if (m_entries.size() >= max_entries) m_entries.clear();
  m_entries[key] = {fingerprint, built};
  return built;
}

}  // namespace needsmap::web
