#include "web/app.hpp"

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/field.hpp>
#include <kainjow/mustache.hpp>

#include <fstream>
#include <sstream>

#include "core/clock.hpp"
#include "web/forms.hpp"
#include "web/pages.hpp"
#include "web/responses.hpp"

namespace needsmap::web {

namespace asio = boost::asio;
namespace http = boost::beast::http;

namespace {

bool wants_json(const Request& request) {
  std::string_view target = request.target();
  return target.starts_with("/api/");
}

}  // namespace

Result<std::unique_ptr<App>> App::create(const AppConfig& config) {
  auto translations = Translations::load(config.share.i18n());
  if (!translations) return std::unexpected(translations.error());
  auto templates = Templates::load(config.share.templates());
  if (!templates) return std::unexpected(templates.error());
  auto writer = store::Writer::start(config.database);
  if (!writer) return std::unexpected(writer.error());
  auto limiter = RateLimiter::parse(config.rate_limit);
  if (!limiter) {
    return std::unexpected(
        Error::invalid("--rate-limit must be 'off' or like '120/min' or '20/s'"));
  }
  auto hsds = registry::Schemas::load(config.share.hsds());
  if (!hsds) return std::unexpected(hsds.error());
  auto taxonomy = registry::ReferenceTaxonomy::load(config.share.registry_data());
  if (!taxonomy) return std::unexpected(taxonomy.error());
  std::unique_ptr<App> app(new App(config, std::move(*translations), std::move(*templates),
                                   std::move(*writer), std::move(limiter), std::move(*hsds),
                                   std::move(*taxonomy)));
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(config.share.static_files(), ec)) {
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream content;
    content << in.rdbuf();
    app->m_static_files.emplace(entry.path().filename().string(), content.str());
  }
  return app;
}

App::App(AppConfig config, Translations translations, std::unique_ptr<Templates> templates,
         std::unique_ptr<store::Writer> writer, std::unique_ptr<RateLimiter> limiter,
         registry::Schemas hsds, registry::ReferenceTaxonomy taxonomy)
    : m_config(std::move(config)),
      m_translations(std::move(translations)),
      m_templates(std::move(templates)),
      m_writer(std::move(writer)),
      m_limiter(std::move(limiter)),
      m_hsds(std::move(hsds)),
      m_taxonomy(std::move(taxonomy)),
      m_admin(std::make_unique<Admin>(*this)),
      m_directory(std::make_unique<Directory>(*this)) {}

std::string CampaignContext::path() const {
  if (!base_path.empty()) return base_path;
  return "/s/" + url_encode(municipality.slug) + "/" + url_encode(campaign.slug);
}

void App::forget_campaign(std::string_view municipality, std::string_view campaign) {
  std::string key = std::string(municipality) + '/' + std::string(campaign);
  std::lock_guard lock(m_campaign_cache_mutex);
  m_campaign_cache.erase(key);
}

App::~App() = default;

store::Store& App::reader() {
  std::lock_guard lock(m_readers_mutex);
  auto& slot = m_readers[std::this_thread::get_id()];
  // A lost PostgreSQL connection fails the request that found it lost; the next one reconnects.
  if (!slot || !slot->connection().usable()) {
    auto opened = store::Store::open(m_config.database);
    if (!opened) throw std::runtime_error(opened.error().message);
    slot = std::move(*opened);
  }
  return *slot;
}

asio::awaitable<bool> App::write(store::Writer::Work work) {
  store::Writer& writer = *m_writer;
  return asio::async_initiate<const asio::use_awaitable_t<>&, void(bool)>(
      [&writer](auto handler, store::Writer::Work job) {
        auto executor = asio::get_associated_executor(handler);
        writer.post(std::move(job), [handler = std::move(handler), executor](bool ok) mutable {
          asio::post(executor, [handler = std::move(handler), ok]() mutable { handler(ok); });
        });
      },
      asio::use_awaitable, std::move(work));
}

std::optional<CampaignContext> App::find_campaign(std::string_view municipality,
                                                  std::string_view campaign,
                                                  const std::string& language) {
  constexpr auto campaign_cache_seconds = std::chrono::seconds(1);
  std::string key = std::string(municipality) + '/' + std::string(campaign);
  auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(m_campaign_cache_mutex);
    auto it = m_campaign_cache.find(key);
    if (it != m_campaign_cache.end() && now - it->second.loaded < campaign_cache_seconds) {
      std::optional<CampaignContext> found = it->second.context;
      if (found) found->language = language;
      return found;
    }
  }
  std::optional<CampaignContext> found;
  store::Store& store = reader();
  auto m = store.find_municipality(municipality);
  auto c = m ? store.find_campaign(municipality, campaign) : std::nullopt;
  if (m && c) {
    auto q = m_questionnaires.get(store, c->questionnaire_version_id);
    if (!q) throw std::runtime_error(q.error().message);
    found = CampaignContext{std::move(*m), std::move(*c), std::move(*q), language, "", "web"};
  }
  std::lock_guard lock(m_campaign_cache_mutex);
  if (m_campaign_cache.size() > 10000) m_campaign_cache.clear();  // bounded against URL scans
  m_campaign_cache[key] = {now, found};
  return found;
}

asio::awaitable<Response> App::handle(Request& request, const std::string& client_address) {
  auto target = parse_target(request.target());
  if (!target) co_return error_page(400, &request);
  const auto& s = target->segments;
  const bool get = request.method() == http::verb::get || request.method() == http::verb::head;
  const bool post = request.method() == http::verb::post;
  std::string language = m_translations.resolve(
      target->query.contains("lang")
          ? target->query["lang"]
          : m_translations.from_accept_language(request[http::field::accept_language]));

  if (s.size() == 1 && s[0] == "healthz") {
    co_return get ? text_response(200, "ok\n") : method_not_allowed(request, "GET, HEAD");
  }
  if (s.empty()) co_return get ? home(request, language) : method_not_allowed(request, "GET, HEAD");
  if (!s.empty() && s[0] == "admin") {
    Response response = co_await m_admin->handle(request, *target, language, client_address);
    co_return response;
  }
  if (s.size() == 2 && s[0] == "static") {
    co_return get ? static_file(request, s[1]) : method_not_allowed(request, "GET, HEAD");
  }
  if ((s.size() == 3 || s.size() == 4) && s[0] == "s") {
    auto context = find_campaign(s[1], s[2], language);
    if (!context) co_return error_page(404, &request);
    if (s.size() == 4) {
      if (s[3] != "thanks") co_return error_page(404, &request);
      co_return get ? thanks_page(request, *context) : method_not_allowed(request, "GET, HEAD");
    }
    // co_await only as a whole statement: g++ 12 mishandles it inside larger expressions.
    if (get) {
      Response response = co_await respondent_get(request, *context, target->query);
      co_return response;
    }
    if (post) {
      Response response = co_await respondent_post(request, *context, client_address);
      co_return response;
    }
    co_return method_not_allowed(request, "GET, HEAD, POST");
  }
  if (s.size() == 5 && s[0] == "api" && s[1] == "v1" && s[2] == "campaigns") {
    co_return error_page(404, &request);
  }
  if (s.size() == 6 && s[0] == "api" && s[1] == "v1" && s[2] == "campaigns") {
    auto context = find_campaign(s[3], s[4], language);
    if (!context) co_return error_page(404, &request);
    if (s[5] == "questionnaire") {
      co_return get ? api_questionnaire(request, *context)
                    : method_not_allowed(request, "GET, HEAD");
    }
    if (s[5] == "responses") {
      if (!post) co_return method_not_allowed(request, "POST");
      Response response = co_await api_submit(request, *context, client_address);
      co_return response;
    }
    if (s[5] == "estimates") {
      if (!get) co_return method_not_allowed(request, "GET, HEAD");
      Response response = co_await api_estimates(request, *context, target->query);
      co_return response;
    }
  }
  if (s.size() == 5 && s[0] == "api" && s[1] == "v1" && s[2] == "municipalities" &&
      s[4] == "resources") {
    if (!get) co_return method_not_allowed(request, "GET, HEAD");
    co_return api_resources(request, s[3], target->query, language);
  }
  if ((s.size() == 3 || s.size() == 4) && s[0] == "r") {
    if (!get) co_return method_not_allowed(request, "GET, HEAD");
    Response response = co_await results_page(request, std::span(s).subspan(1), language);
    co_return response;
  }
  if (s.size() >= 2 && s[0] == "d") {
    if (!get) co_return method_not_allowed(request, "GET, HEAD");
    co_return m_directory->handle(request, std::span(s).subspan(1), target->query, language);
  }
  if (s.size() >= 3 && s.size() <= 5 && s[0] == "api" && s[1] == "hsds") {
    if (!get) co_return method_not_allowed(request, "GET, HEAD");
    co_return api_hsds(request, std::span(s).subspan(2), target->query, language);
  }
  co_return error_page(404, &request);
}

Response App::static_file(const Request&, std::string_view name) const {
  auto it = m_static_files.find(name);
  if (it == m_static_files.end()) return text_response(404, "Not found\n");
  Response r = text_response(200, it->second);
  if (name.ends_with(".css")) r.set(http::field::content_type, "text/css; charset=utf-8");
  if (name.ends_with(".svg")) r.set(http::field::content_type, "image/svg+xml");
  r.set(http::field::cache_control, "public, max-age=3600");
  return r;
}

Response App::home(const Request&, const std::string& language) {
  PageBuilder pages(*this, language);
  return html_response(200, pages.home(reader()));
}

Response App::method_not_allowed(const Request& request, const char* allow) const {
  Response r = error_page(405, &request);
  r.set(http::field::allow, allow);
  return r;
}

Response App::error_page(unsigned status, const Request* request) const {
  std::string language = "sr-Cyrl";
  if (request) {
    language = m_translations.from_accept_language((*request)[http::field::accept_language]);
    std::string_view target = request->target();
    if (auto q = target.find('?'); q != std::string_view::npos) {
      if (auto query = parse_form(target.substr(q + 1))) {
        if (auto lang = query->find("lang"); lang != query->end()) {
          language = m_translations.resolve(lang->second);
        }
      }
    }
  }
  std::string key = "http." + std::to_string(status);
  const std::string& message = m_translations.text(language, key);
  if (request && wants_json(*request)) {
    return json_response(status, {{"errors", {{{"message", message}}}}});
  }
  PageBuilder pages(const_cast<App&>(*this), language);
  return html_response(status, pages.message(message, status));
}

}  // namespace needsmap::web
