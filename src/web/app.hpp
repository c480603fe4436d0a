// The needsmap web application: routes, respondent pages and the JSON API over the modules
// below it. Built once in main and passed to the HTTP server.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <expected>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <thread>
#include <unordered_set>
#include <vector>

#include "analysis/dataset.hpp"
#include "analysis/population.hpp"
#include "analysis/variance.hpp"
#include "collect/campaigns.hpp"
#include "collect/collect.hpp"
#include "registry/resources.hpp"
#include "registry/schema.hpp"
#include "registry/taxonomy.hpp"
#include "store/population.hpp"
#include "store/store.hpp"
#include "store/writer.hpp"
#include "web/admin.hpp"
#include "web/background.hpp"
#include "web/directory.hpp"
#include "web/http_server.hpp"
#include "web/i18n.hpp"
#include "web/published_cache.hpp"
#include "web/rate_limit.hpp"
#include "web/templates.hpp"

namespace needsmap::web {

struct AppConfig {
  collect::ShareDir share;
  std::string database;
  std::string rate_limit{"120/min"};
  bool secure_cookies{false};  // set behind HTTPS
};

// Everything a request handler needs to know about the campaign it addresses.
struct CampaignContext {
  store::Municipality municipality;
  store::Campaign campaign;
  std::shared_ptr<const questionnaire::Questionnaire> questionnaire;
  std::string language;
  // Where the pages live and how a response came: the public pages (/s/…, "web"), or an
  // interviewer's entry in the administration ("interview", "paper").
  std::string base_path;
  std::string mode{"web"};
  // What else is written with a new response, in its transaction: a provider contact's answer
  // to the providers' questionnaire becomes a proposed update of the registry with it.
  std::function<void(store::Store&, const store::ResponseRecord&)> with_response{};

  std::string path() const;
};

// Why estimates cannot be weighted: a translation key, and the engine's reason (in English).
struct WeightingProblem {
  std::string key;
  std::string reason;
};

// The respondents estimates rest on and how they are weighted.
struct WeightedData {
  std::shared_ptr<const analysis::Dataset> data;
  std::shared_ptr<const analysis::PopulationWeighting> weighting;  // null: unweighted
  std::shared_ptr<const store::PopulationTable> population;        // the table weighted to
  analysis::Design design() const;
};

class App {
 public:
  static Result<std::unique_ptr<App>> create(const AppConfig& config);
  ~App();

  boost::asio::awaitable<Response> handle(Request& request, const std::string& client_address);
  // For requests that never reached a handler: malformed, too large, or a failure.
  Response error_page(unsigned status, const Request* request) const;
  Response method_not_allowed(const Request& request, const char* allow) const;

  store::Writer& writer() { return *m_writer; }
  // Drops a campaign from the lookup cache after a change made here.
  void forget_campaign(std::string_view municipality, std::string_view campaign);

 private:
  App(AppConfig config, Translations translations, std::unique_ptr<Templates> templates,
      std::unique_ptr<store::Writer> writer, std::unique_ptr<RateLimiter> limiter,
      registry::Schemas hsds, registry::ReferenceTaxonomy taxonomy);

  // Exports running at once at most; another gets 503 until one ends.
  static constexpr std::size_t max_background_jobs = 4;

  // One read connection per server thread: SQLite connections are not shared across threads.
  store::Store& reader();

  Response static_file(const Request& request, std::string_view name) const;
  Response home(const Request& request, const std::string& language);

  // Respondent pages (respondent.cpp)
  boost::asio::awaitable<Response> respondent_get(const Request& request, CampaignContext& context,
                                                  const std::map<std::string, std::string>& query);
  boost::asio::awaitable<Response> respondent_post(const Request& request, CampaignContext& context,
                                                   const std::string& client_address);
  Response thanks_page(const Request& request, CampaignContext& context);

  // JSON API (api.cpp)
  Response api_questionnaire(const Request& request, CampaignContext& context);
  boost::asio::awaitable<Response> api_submit(const Request& request, CampaignContext& context,
                                              const std::string& client_address);
  // Weighted estimates for signed-in users who may see results (api_estimates.cpp).
  boost::asio::awaitable<Response> api_estimates(const Request& request, CampaignContext& context,
                                                 const std::map<std::string, std::string>& query);
  // The HSDS read API of a municipality's registry (api_hsds.cpp): `segments` after /api/hsds.
  Response api_hsds(const Request& request, std::span<const std::string> segments,
                    const std::map<std::string, std::string>& query, const std::string& language);
  // GET /api/v1/municipalities/{m}/resources: the resource summary as JSON, for signed-in users
  // who may view the registry (api_resources.cpp).
  Response api_resources(const Request& request, const std::string& municipality,
                         const std::map<std::string, std::string>& query,
                         const std::string& language);
  // The published results of a campaign and their files (results_page.cpp): `segments` after
  // "r", {municipality, campaign} or {municipality, campaign, "report.pdf"}.
  boost::asio::awaitable<Response> results_page(const Request& request,
                                                std::span<const std::string> segments,
                                                const std::string& language);
  // The municipality's resource summary today, its funding of `year` (none: the latest year).
  registry::ResourceSummary resource_summary(const store::Municipality& m,
                                             std::optional<std::int64_t> year);
  // A taxonomy term's label in the language (sr-Latn transliterated from sr-Cyrl).
  std::string term_label(std::string_view code, const std::string& language) const;

  // The campaign's columnar dataset, built off the io threads and kept current: the responses
  // this server stores are appended, and it is built anew when others appeared (another server,
  // an import); null when the server is too busy (datasets.cpp).
  boost::asio::awaitable<std::shared_ptr<const analysis::Dataset>> dataset_of(
      const CampaignContext& context);

  // The data estimates rest on: every respondent unweighted, or (raked) the respondents weighted
  // to the municipality's population table; a problem to show otherwise (datasets.cpp).
  boost::asio::awaitable<std::expected<WeightedData, WeightingProblem>> weighted_data_of(
      const CampaignContext& context, bool raked);

  // A response this server has durably stored, for the campaign's cached dataset.
  void note_stored_response(const store::ResponseRecord& record);

  // Finds municipality, campaign and questionnaire; nullopt when any is missing.
  std::optional<CampaignContext> find_campaign(std::string_view municipality,
                                               std::string_view campaign,
                                               const std::string& language);

  // Runs `work` on the writer thread inside a group commit; true once it is durable.
  boost::asio::awaitable<bool> write(store::Writer::Work work);

  AppConfig m_config;
  Translations m_translations;
  std::unique_ptr<Templates> m_templates;
  std::unique_ptr<store::Writer> m_writer;
  std::unique_ptr<RateLimiter> m_limiter;
  registry::Schemas m_hsds;                // HSDS 3.0 with the needsmap profile
  registry::ReferenceTaxonomy m_taxonomy;  // data/registry: service types, target groups
  collect::QuestionnaireCache m_questionnaires;
  std::map<std::string, std::string, std::less<>> m_static_files;
  // Campaign lookups for a moment, so a busy campaign costs no queries per request; a change
  // made from the command line (open, close) is seen within campaign_cache_seconds.
  struct CachedCampaign {
    std::chrono::steady_clock::time_point loaded;
    std::optional<CampaignContext> context;
  };
  std::mutex m_campaign_cache_mutex;
  std::map<std::string, CachedCampaign, std::less<>> m_campaign_cache;
  struct CachedDataset {
    std::shared_ptr<const analysis::Dataset> dataset;
    // Which responses are rows (hashes of their ids), and responses this server stored since,
    // not yet rows: with them the dataset grows without reading every response again.
    std::unordered_set<std::uint64_t> ids;
    std::vector<store::ResponseRecord> arrived;
  };
  struct CachedWeighting {
    std::shared_ptr<const analysis::Dataset> dataset;  // the one it was made from
    std::int64_t population_updated_at{0};
    std::shared_ptr<const analysis::PopulationWeighting> weighting;
  };
  std::shared_ptr<const analysis::Dataset> brought_up_to_date(CachedDataset& cached,
                                                              std::size_t responses);
  std::mutex m_dataset_mutex;
  std::map<std::int64_t, CachedDataset> m_datasets;      // by campaign id
  std::map<std::int64_t, CachedWeighting> m_weightings;  // by campaign id
  std::mutex m_readers_mutex;
  std::map<std::thread::id, std::unique_ptr<store::Store>> m_readers;

  std::unique_ptr<Admin> m_admin;
  std::unique_ptr<Directory> m_directory;  // the public directory of services (/d/…)
  PublishedCache m_published;              // the published results pages (/r/…)
  // Exports and other work that blocks for seconds, off the io threads. Last, so that its jobs
  // are stopped and joined before anything else goes.
  BackgroundJobs m_background{max_background_jobs};

  friend class PageBuilder;
  friend class Admin;
  friend class Directory;
};

}  // namespace needsmap::web
