// The HSDS 3.0 read API of a municipality's registry (docs/registry.md), public as the directory
// is: GET /api/hsds/{municipality} (the API's root), /api/hsds/{municipality}/{collection} (a
// page of records, ?page=&per_page=) and /api/hsds/{municipality}/{collection}/{id} (one record,
// fully nested), for the collections services, organizations, service_at_locations, taxonomies
// and taxonomy_terms. The service list takes HSDS's filters search, taxonomy_term_id,
// taxonomy_id, organization_id and modified_after.
#include <boost/beast/http/field.hpp>

#include <charconv>

#include "core/clock.hpp"
#include "registry/search.hpp"
#include "registry/storage.hpp"
#include "web/app.hpp"
#include "web/responses.hpp"

namespace needsmap::web {

namespace http = boost::beast::http;
using json = nlohmann::json;

namespace {

constexpr std::int64_t default_per_page = 50;
constexpr std::int64_t max_per_page = 500;

struct Collection {
  std::string_view path;
  std::string_view table;
};
constexpr Collection collections[] = {{"services", "service"},
                                      {"organizations", "organization"},
                                      {"service_at_locations", "service_at_location"},
                                      {"taxonomies", "taxonomy"},
                                      {"taxonomy_terms", "taxonomy_term"}};

const Collection* find_collection(std::string_view path) {
  for (const Collection& c : collections) {
    if (c.path == path) return &c;
  }
  return nullptr;
}

// A positive whole number from the query, the fallback when absent, nullopt when malformed.
std::optional<std::int64_t> positive(const std::map<std::string, std::string>& query,
                                     const char* name, std::int64_t fallback) {
  auto it = query.find(name);
  if (it == query.end()) return fallback;
  const std::string& text = it->second;
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < 1) return std::nullopt;
  return value;
}

const json* linked(const registry::Registry& r, const char* table, const json& row,
                   const char* link) {
  auto it = row.find(link);
  return it != row.end() && it->is_string() ? r.find(table, it->get<std::string>()) : nullptr;
}

// A record as the API's lists show it: its own fields, with what HSDS's list examples embed (a
// service at location's location and service, a taxonomy term's taxonomy).
json list_item(const registry::Registry& r, std::string_view table, const json& row) {
  json item = row;
  if (table == "service_at_location") {
    if (const json* location = linked(r, "location", row, "location_id")) {
      item["location"] = *location;
    }
    if (const json* service = linked(r, "service", row, "service_id")) item["service"] = *service;
  }
  if (table == "taxonomy_term") {
    if (const json* taxonomy = linked(r, "taxonomy", row, "taxonomy_id")) {
      item["taxonomy_detail"] = *taxonomy;
    }
  }
  return item;
}

std::string query_text(const std::map<std::string, std::string>& query, const char* name) {
  auto it = query.find(name);
  return it == query.end() ? std::string() : it->second;
}

// The service list's filters (HSDS 3.0 API); nullopt when modified_after is not a date.
std::optional<registry::ServiceQuery> service_filters(
    const std::map<std::string, std::string>& query) {
  registry::ServiceQuery q{.search = query_text(query, "search"),
                           .taxonomy_term_ids = {},
                           .taxonomy_id = query_text(query, "taxonomy_id"),
                           .organization_id = query_text(query, "organization_id"),
                           .settlement = {},
                           .modified_after = std::nullopt};
  if (std::string term = query_text(query, "taxonomy_term_id"); !term.empty()) {
    q.taxonomy_term_ids.push_back(term);
  }
  if (std::string since = query_text(query, "modified_after"); !since.empty()) {
    q.modified_after = clock::parse_utc(since);
    if (!q.modified_after) return std::nullopt;
  }
  return q;
}

}  // namespace

Response App::api_hsds(const Request& request, std::span<const std::string> segments,
                       const std::map<std::string, std::string>& query,
                       const std::string& language) {
  store::Store& store = reader();
  auto municipality = store.find_municipality(segments[0]);
  if (!municipality) return error_page(404, &request);
  if (segments.size() == 1) {
    return json_response(200, {{"version", "3.0"},
                               {"profile", registry::profile_uri},
                               {"openapi_url",
                                "https://raw.githubusercontent.com/openreferral/"
                                "specification/3.0/schema/openapi.json"}});
  }
  const Collection* collection = find_collection(segments[1]);
  if (!collection) {
    return json_response(404,
                         error_body(m_translations.text(language, "api.hsds_unknown_collection")));
  }
  const registry::Registry r = registry::load_registry(store, municipality->id);
  const registry::Table& table = *m_hsds.table(collection->table);
  auto rows = r.tables.find(table.name);
  static const std::map<std::string, json> none;
  const std::map<std::string, json>& records = rows == r.tables.end() ? none : rows->second;

  if (segments.size() == 3) {
    auto it = records.find(segments[2]);
    if (it == records.end()) return error_page(404, &request);
    const bool nested = table.name == "service" || table.name == "organization" ||
                        table.name == "service_at_location";
    Response found = json_response(200, nested ? registry::full_record(m_hsds, r, table, it->second)
                                               : list_item(r, table.name, it->second));
    found.set(http::field::cache_control, "no-cache");
    return found;
  }

  auto page = positive(query, "page", 1);
  auto per_page = positive(query, "per_page", default_per_page);
  if (!page || !per_page || *per_page > max_per_page) {
    return json_response(400, error_body(m_translations.format(language, "api.hsds_bad_page",
                                                               {{"max", max_per_page}})));
  }
  std::vector<const json*> selected;
  if (table.name == "service") {
    auto filters = service_filters(query);
    if (!filters) {
      return json_response(
          400, error_body(m_translations.text(language, "api.hsds_bad_modified_after")));
    }
    selected = registry::find_services(r, *filters);
  } else {
    for (const auto& [_, row] : records) selected.push_back(&row);
  }
  const auto total = static_cast<std::int64_t>(selected.size());
  const std::int64_t pages = std::max<std::int64_t>(1, (total + *per_page - 1) / *per_page);
  json contents = json::array();
  const std::int64_t skip = (*page - 1) * *per_page;
  for (std::int64_t i = skip; i < total && i < skip + *per_page; ++i) {
    contents.push_back(list_item(r, table.name, *selected[static_cast<std::size_t>(i)]));
  }
  Response listed = json_response(200, {{"total_items", total},
                                        {"total_pages", pages},
                                        {"page_number", *page},
                                        {"size", contents.size()},
                                        {"first_page", *page == 1},
                                        {"last_page", *page >= pages},
                                        {"empty", contents.empty()},
                                        {"contents", contents}});
  listed.set(http::field::cache_control, "no-cache");
  return listed;
}

}  // namespace needsmap::web
