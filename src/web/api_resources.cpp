// GET /api/v1/municipalities/{m}/resources[?year=Y]: the municipality's resource summary (the
// registry's capacity, users, waiting lists, places per 1,000, licences, funding mix and staff)
// as JSON, each figure with the ids of the records it sums. For signed-in users who may view the
// registry; the admin session's cookie is the credential, as for the other /api/v1 routes.
#include <boost/beast/http/field.hpp>

#include "access/roles.hpp"
#include "core/clock.hpp"
#include "core/text.hpp"
#include "registry/storage.hpp"
#include "web/admin_session.hpp"
#include "web/app.hpp"
#include "web/forms.hpp"
#include "web/responses.hpp"

namespace needsmap::web {

namespace http = boost::beast::http;
using json = nlohmann::json;

registry::ResourceSummary App::resource_summary(const store::Municipality& m,
                                                std::optional<std::int64_t> year) {
  store::Store& store = reader();
  const registry::Registry r = registry::load_registry(store, m.id);
  return registry::summarize_resources(r, m_taxonomy, store::load_population(store, m.id),
                                       clock::today_utc(), {.funding_year = year});
}

std::string App::term_label(std::string_view code, const std::string& language) const {
  if (language == "sr-Latn") return text::serbian_to_latin(m_taxonomy.label(code, "sr-Cyrl"));
  return m_taxonomy.label(code, language);
}

Response App::api_resources(const Request& request, const std::string& municipality,
                            const std::map<std::string, std::string>& query,
                            const std::string& language) {
  auto say = [&](std::string_view key) { return m_translations.text(language, key); };
  store::Store& store = reader();
  auto user = admin::signed_in(store, request, clock::now_unix());
  if (!user) return json_response(401, error_body(say("api.resources_sign_in")));
  auto m = store.find_municipality(municipality);
  if (!m) return json_response(404, error_body(say("http.404")));
  if (!access::allowed(user->who, access::Action::view_registry, {m->id, std::nullopt},
                       user->areas)) {
    return json_response(403, error_body(say("api.resources_forbidden")));
  }
  std::optional<std::int64_t> year;
  if (auto asked = query.find("year"); asked != query.end()) {
    year = whole_number(asked->second);
    if (!year) return json_response(400, error_body(say("api.resources_bad_year")));
  }
  json body = registry::to_json(resource_summary(*m, year));
  body["municipality"] = m->slug;
  Response r = json_response(200, body);
  r.set(http::field::cache_control, "no-cache");
  return r;
}

}  // namespace needsmap::web
