#include "web/directory.hpp"

#include <kainjow/mustache.hpp>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "core/text.hpp"
#include "registry/search.hpp"
#include "registry/storage.hpp"
#include "web/app.hpp"
#include "web/forms.hpp"
#include "web/pages.hpp"
#include "web/responses.hpp"

namespace needsmap::web {

using json = nlohmann::json;
using registry::field_text;

namespace {

constexpr std::size_t max_query_letters = 200;
constexpr const char* target_groups_uri = "urn:needsmap:taxonomy:target_groups";

// What a directory page needs to say things in the page's language and script.
struct Speaker {
  const Translations& t;
  const std::string& language;
  const std::map<std::string, std::map<std::string, std::string>>& labels;

  // The registry's data is Serbian Cyrillic; a Latin page shows it transliterated.
  std::string shown(const std::string& s) const { return in_page_script(s, language); }
  // A taxonomy term's label: the taxonomy's English or Macedonian one, else its name.
  std::string term(const json& row) const {
    auto code = labels.find(field_text(row, "code"));
    if (code != labels.end() && (language == "en" || language == "mk")) {
      if (auto l = code->second.find(language); l != code->second.end()) return l->second;
    }
    return shown(field_text(row, "name"));
  }
  std::string text(const std::string& key) const { return t.text(language, key); }
  std::string format(const std::string& key, const json& args) const {
    return t.format(language, key, args);
  }
};

void sort_by_label(json& items, const char* key = "label") {
  std::stable_sort(items.begin(), items.end(), [key](const json& a, const json& b) {
    return text::compare_serbian(a[key].get<std::string>(), b[key].get<std::string>()) < 0;
  });
}

// "понедељак – петак, од 07:30 до 15:30" from an iCalendar-like weekly schedule.
std::string schedule_words(const Speaker& s, const json& row) {
  static constexpr const char* week[] = {"MO", "TU", "WE", "TH", "FR", "SA", "SU"};
  const std::string byday = field_text(row, "byday");
  std::vector<int> days;
  for (int d = 0; d < 7; ++d) {
    if (byday.find(week[d]) != std::string::npos) days.push_back(d);
  }
  auto day = [&](int d) { return s.text(std::string("directory.day.") + week[d]); };
  std::string when;
  if (days.size() == 7) {
    when = s.text("directory.every_day");
  } else if (days.size() >= 3 && days.back() - days.front() + 1 == static_cast<int>(days.size())) {
    when = day(days.front()) + " – " + day(days.back());
  } else {
    for (int d : days) when += (when.empty() ? "" : ", ") + day(d);
  }
  const std::string opens = field_text(row, "opens_at"), closes = field_text(row, "closes_at");
  std::string hours;
  if (opens.starts_with("00:00") && (closes.starts_with("23:59") || closes.starts_with("24:00"))) {
    hours = s.text("directory.all_day");
  } else if (!opens.empty() && !closes.empty()) {
    hours = s.format("directory.hours",
                     {{"opens", opens.substr(0, 5)}, {"closes", closes.substr(0, 5)}});
  }
  if (when.empty()) return hours;
  return hours.empty() ? when : when + ", " + hours;
}

std::string date_words(const std::string& language, const std::string& yyyy_mm_dd) {
  if (yyyy_mm_dd.size() < 10 || language == "en") return yyyy_mm_dd.substr(0, 10);
  return yyyy_mm_dd.substr(8, 2) + "." + yyyy_mm_dd.substr(5, 2) + "." + yyyy_mm_dd.substr(0, 4) +
         ".";
}

std::string number_words(const json& value) {
  if (value.is_number_integer()) return std::to_string(value.get<std::int64_t>());
  if (value.is_number()) {
    double d = value.get<double>();
    if (d == static_cast<double>(static_cast<std::int64_t>(d))) {
      return std::to_string(static_cast<std::int64_t>(d));
    }
    std::ostringstream out;
    out << d;
    return out.str();
  }
  return "";
}

// The taxonomy the terms of target groups belong to, found by its URI.
std::string target_groups_taxonomy(const registry::Registry& r) {
  auto taxonomies = r.tables.find("taxonomy");
  if (taxonomies == r.tables.end()) return "";
  for (const auto& [id, row] : taxonomies->second) {
    if (field_text(row, "uri") == target_groups_uri) return id;
  }
  return "";
}

// The select options of the search form: the service types and target groups some service is
// linked to, the settlements some service covers.
struct FormChoices {
  json types = json::array();   // optgroups: {label, options: [{value, label, selected}]}
  json groups = json::array();  // options
  json places = json::array();  // options
  std::set<std::string> type_ids, group_ids, place_names;
};

FormChoices form_choices(const Speaker& s, const registry::Registry& r,
                         const std::map<std::string, std::string>& query) {
  FormChoices c;
  const std::string groups_taxonomy = target_groups_taxonomy(r);
  auto chosen = [&](const char* name, const std::string& value) {
    auto it = query.find(name);
    return it != query.end() && it->second == value;
  };
  std::map<std::string, json> by_parent;  // parent term id → options
  auto services = r.tables.find("service");
  if (services == r.tables.end()) return c;
  for (const auto& [id, service] : services->second) {
    for (const registry::LinkedTerm& l : registry::service_terms(r, id)) {
      const std::string term = field_text(*l.term, "id");
      const bool is_group = field_text(*l.term, "taxonomy_id") == groups_taxonomy;
      if (is_group && (l.link_type == "audience" || l.link_type == "eligibility")) {
        if (c.group_ids.insert(term).second) {
          c.groups.push_back(
              {{"value", term}, {"label", s.term(*l.term)}, {"selected", chosen("group", term)}});
        }
      } else if (l.link_type == "service_type" && c.type_ids.insert(term).second) {
        by_parent[field_text(*l.term, "parent_id")].push_back(
            {{"value", term}, {"label", s.term(*l.term)}, {"selected", chosen("type", term)}});
      }
    }
    for (const json* area : registry::rows_linked(r, "service_area", "service_id", id)) {
      const std::string name = field_text(*area, "name");
      if (!name.empty() && c.place_names.insert(name).second) {
        c.places.push_back(
            {{"value", name}, {"label", s.shown(name)}, {"selected", chosen("place", name)}});
      }
    }
  }
  for (auto& [parent, options] : by_parent) {
    sort_by_label(options);
    const json* group = r.find("taxonomy_term", parent);
    c.types.push_back({{"label", group ? s.term(*group) : s.text("directory.other_types")},
                       {"options", options}});
  }
  sort_by_label(c.types);
  sort_by_label(c.groups);
  sort_by_label(c.places);
  return c;
}

std::string query_value(const std::map<std::string, std::string>& query, const char* name) {
  auto it = query.find(name);
  return it == query.end() ? std::string() : text::trim(it->second);
}

std::string directory_path(const store::Municipality& m) {
  return "/d/" + url_encode(m.slug);
}

// The service types, as labels, a service is linked to with `link_types`.
json term_labels(const Speaker& s, const registry::Registry& r, const std::string& service_id,
                 std::initializer_list<std::string_view> link_types) {
  json out = json::array();
  std::set<std::string> seen;
  for (const registry::LinkedTerm& l : registry::service_terms(r, service_id)) {
    if (std::find(link_types.begin(), link_types.end(), l.link_type) == link_types.end()) continue;
    std::string label = s.term(*l.term);
    if (seen.insert(label).second) out.push_back({{"label", label}});
  }
  sort_by_label(out);
  return out;
}

// Places available, as a sentence, from the service's first capacity.
std::string capacity_words(const Speaker& s, const registry::Registry& r,
                           const std::string& service_id) {
  for (const json* c : registry::rows_linked(r, "service_capacity", "service_id", service_id)) {
    auto available = c->find("available");
    if (available == c->end() || !available->is_number()) continue;
    const json* unit = r.find("unit", field_text(*c, "unit_id"));
    // ICU's select takes "none" for a part that is not there.
    auto or_none = [](std::string v) { return v.empty() ? std::string("none") : v; };
    const std::string updated = field_text(*c, "updated");
    json args = {{"free", number_words(*available)},
                 {"maximum", or_none(c->contains("maximum") ? number_words((*c)["maximum"]) : "")},
                 {"unit", unit ? s.shown(field_text(*unit, "name")) : ""},
                 {"updated", or_none(updated.empty() ? "" : date_words(s.language, updated))}};
    const bool full = available->get<double>() <= 0;
    return s.format(full ? "directory.capacity_full" : "directory.capacity_free", args);
  }
  return "";
}

// The settlements a service covers, in alphabetical order: "Жагубица, Крепољин".
std::string settlements(const Speaker& s, const registry::Registry& r, const std::string& id) {
  json areas = json::array();
  for (const json* a : registry::rows_linked(r, "service_area", "service_id", id)) {
    areas.push_back({{"label", s.shown(field_text(*a, "name"))}});
  }
  sort_by_label(areas);
  std::string out;
  for (const json& a : areas) out += (out.empty() ? "" : ", ") + a["label"].get<std::string>();
  return out;
}

json list_item(const Speaker& s, const registry::Registry& r, const json& service,
               const std::string& base, const std::string& language) {
  const std::string id = field_text(service, "id");
  const json* organization = r.find("organization", field_text(service, "organization_id"));
  const std::string places = settlements(s, r, id);
  return {{"name", s.shown(field_text(service, "name"))},
          {"href", base + "/services/" + url_encode(id) + "?lang=" + language},
          {"organization", organization ? s.shown(field_text(*organization, "name")) : ""},
          {"types", term_labels(s, r, id, {"service_type"})},
          {"places", places},
          {"capacity", capacity_words(s, r, id)}};
}

// A service's page: what it is, for whom, how to reach it, what it costs, where and when, whom to
// call — only what the registry publishes to citizens.
json service_page(const Speaker& s, const registry::Registry& r, const json& service,
                  const std::string& base, const std::string& place_name) {
  const Translations& t = s.t;
  const std::string& language = s.language;
  const std::string id = field_text(service, "id");
  json page = page_frame(t, language, s.shown(field_text(service, "name")),
                         base + "/services/" + url_encode(id));
  page["municipality"] = place_name;
  page["back_href"] = base + "?lang=" + language;
  page["name"] = s.shown(field_text(service, "name"));
  for (const char* key : {"alternate_name", "description", "eligibility_description",
                          "application_process", "fees_description"}) {
    page[key] = s.shown(field_text(service, key));
  }
  page["types"] = term_labels(s, r, id, {"service_type"});
  page["groups"] = term_labels(s, r, id, {"audience", "eligibility"});
  page["has_groups"] = !page["groups"].empty();
  const json min = service.value("minimum_age", json()), max = service.value("maximum_age", json());
  const bool has_min = min.is_number() && min.get<double>() > 0, has_max = max.is_number();
  page["ages"] = has_min && has_max
                     ? s.format("directory.ages_between",
                                {{"min", number_words(min)}, {"max", number_words(max)}})
                 : has_min ? s.format("directory.ages_from", {{"min", number_words(min)}})
                 : has_max ? s.format("directory.ages_to", {{"max", number_words(max)}})
                           : "";
  json costs = json::array();
  for (const json* c : registry::rows_linked(r, "cost_option", "service_id", id)) {
    std::string words = s.shown(field_text(*c, "option"));
    if (c->contains("amount") && (*c)["amount"].is_number() && (*c)["amount"].get<double>() > 0) {
      words += ": " + number_words((*c)["amount"]) + " " + field_text(*c, "currency");
      if (auto d = field_text(*c, "amount_description"); !d.empty()) words += " " + s.shown(d);
    }
    // A free option says no more than the fees' description, when there is one.
    const bool priced = words.find(':') != std::string::npos;
    if (!words.empty() && (priced || page["fees_description"].get<std::string>().empty())) {
      costs.push_back({{"label", words}});
    }
  }
  page["costs"] = costs;
  page["capacity"] = capacity_words(s, r, id);
  json schedules = json::array();
  for (const json* sc : registry::rows_linked(r, "schedule", "service_id", id)) {
    schedules.push_back({{"words", schedule_words(s, *sc)},
                         {"description", s.shown(field_text(*sc, "description"))}});
  }
  page["schedules"] = schedules;
  page["has_schedules"] = !schedules.empty();
  json locations = json::array();
  for (const json* at : registry::rows_linked(r, "service_at_location", "service_id", id)) {
    const json* location = r.find("location", field_text(*at, "location_id"));
    if (!location) continue;
    const std::string location_id = field_text(*location, "id");
    json addresses = json::array(), access = json::array();
    for (const json* a : registry::rows_linked(r, "address", "location_id", location_id)) {
      std::string line = s.shown(field_text(*a, "address_1"));
      std::string city = field_text(*a, "postal_code") + " " + s.shown(field_text(*a, "city"));
      addresses.push_back({{"line", line}, {"city", text::trim(city)}});
    }
    for (const json* a : registry::rows_linked(r, "accessibility", "location_id", location_id)) {
      access.push_back({{"label", s.shown(field_text(*a, "description"))}});
    }
    locations.push_back({{"name", s.shown(field_text(*location, "name"))},
                         {"addresses", addresses},
                         {"accessibility", access},
                         {"has_accessibility", !access.empty()},
                         {"transportation", s.shown(field_text(*location, "transportation"))}});
  }
  page["locations"] = locations;
  page["has_locations"] = !locations.empty();
  page["areas"] = settlements(s, r, id);
  page["has_areas"] = !page["areas"].get<std::string>().empty();
  const json* organization = r.find("organization", field_text(service, "organization_id"));
  auto phones_of = [&](const char* link, const std::string& owner) {
    json out = json::array();
    for (const json* p : registry::rows_linked(r, "phone", link, owner)) {
      std::string number = field_text(*p, "number"), dial;
      for (char c : number) {
        if ((c >= '0' && c <= '9') || c == '+') dial += c;
      }
      out.push_back({{"number", number},
                     {"href", "tel:" + dial},
                     {"description", s.shown(field_text(*p, "description"))}});
    }
    return out;
  };
  json phones = phones_of("service_id", id);
  // The people to ask for, each with a phone number of their own where the registry has one.
  json people = json::array();
  for (const json* person : registry::rows_linked(r, "contact", "service_id", id)) {
    std::string label;
    for (const char* key : {"name", "title", "department"}) {
      const std::string part = field_text(*person, key);
      if (!part.empty()) label += (label.empty() ? "" : ", ") + s.shown(part);
    }
    people.push_back({{"label", label},
                      {"phones", phones_of("contact_id", field_text(*person, "id"))},
                      {"email", field_text(*person, "email")}});
  }
  page["people"] = people;
  json documents = json::array();
  for (const json* d : registry::rows_linked(r, "required_document", "service_id", id)) {
    documents.push_back({{"label", s.shown(field_text(*d, "document"))}});
  }
  page["documents"] = documents;
  page["has_documents"] = !documents.empty();
  std::string email = field_text(service, "email");
  if (organization) {
    if (phones.empty()) phones = phones_of("organization_id", field_text(*organization, "id"));
    if (email.empty()) email = field_text(*organization, "email");
    const std::string sector = field_text(*organization, "sector");
    page["organization"] = {{"name", s.shown(field_text(*organization, "name"))},
                            {"sector", sector.empty() ? "" : s.text("directory.sector." + sector)},
                            {"website", field_text(*organization, "website")}};
  }
  page["phones"] = phones;
  page["email"] = email;
  page["has_contact"] = !phones.empty() || !email.empty() || !people.empty();
  json languages = json::array();
  for (const json* l : registry::rows_linked(r, "language", "service_id", id)) {
    languages.push_back(
        {{"label", language_row_name(field_text(*l, "code"), field_text(*l, "name"), s.language)}});
  }
  page["languages"] = languages;
  page["has_languages"] = !languages.empty();
  const std::string licence = field_text(service, "licence_number");
  page["licence"] =
      licence.empty()
          ? ""
          : s.format("directory.licensed",
                     {{"until", date_words(language, field_text(service, "licence_valid_to"))}});
  return page;
}

// The list of services, filtered by the search form's fields; nullopt for a search that cannot
// be answered (too long, or a type or group that is not in the registry).
std::optional<json> list_page(const Speaker& s, const registry::Registry& r,
                              const std::map<std::string, std::string>& query,
                              const std::string& base, const std::string& place_name) {
  const Translations& t = s.t;
  const std::string& language = s.language;
  const std::string q = query_value(query, "q"), type = query_value(query, "type"),
                    group = query_value(query, "group"), place = query_value(query, "place");
  FormChoices choices = form_choices(s, r, query);
  if (text::code_points(q) > max_query_letters ||
      (!type.empty() && !r.find("taxonomy_term", type)) ||
      (!group.empty() && !r.find("taxonomy_term", group))) {
    return std::nullopt;
  }
  registry::ServiceQuery filter{.search = q,
                                .taxonomy_term_ids = {},
                                .taxonomy_id = {},
                                .organization_id = {},
                                .settlement = place,
                                .modified_after = std::nullopt};
  for (const std::string& term : {type, group}) {
    if (!term.empty()) filter.taxonomy_term_ids.push_back(term);
  }
  json results = json::array();
  for (const json* service : registry::find_services(r, filter)) {
    results.push_back(list_item(s, r, *service, base, language));
  }
  sort_by_label(results, "name");
  std::string switch_base = base;
  std::string separator = "?";
  for (const auto& [name, value] :
       {std::pair{"q", q}, {"type", type}, {"group", group}, {"place", place}}) {
    if (value.empty()) continue;
    switch_base += separator + name + "=" + url_encode(value);
    separator = "&";
  }
  const bool filtered = separator == "&";
  json page = page_frame(t, language, s.text("directory_title") + " — " + place_name, switch_base);
  page["municipality"] = place_name;
  page["action"] = base;
  page["q"] = q;
  page["types"] = choices.types;
  page["groups"] = choices.groups;
  page["places"] = choices.places;
  page["results"] = results;
  page["has_results"] = !results.empty();
  page["count"] = s.format(filtered ? "directory.count_found" : "directory.count_all",
                           {{"count", static_cast<long long>(results.size())}});
  page["filtered"] = filtered;
  page["clear_href"] = base + "?lang=" + language;
  return page;
}

}  // namespace

Directory::Directory(App& app) : m_app(app) {
  std::ifstream in(app.m_config.share.root / "data" / "registry" / "taxonomy_labels.json");
  if (!in) return;
  json labels = json::parse(in, nullptr, false);
  if (!labels.is_object() || !labels["labels"].is_object()) return;
  for (const auto& [code, by_language] : labels["labels"].items()) {
    for (const auto& [language, label] : by_language.items()) {
      if (label.is_string()) m_labels[code][language] = label.get<std::string>();
    }
  }
}

Response Directory::handle(const Request& request, std::span<const std::string> segments,
                           const std::map<std::string, std::string>& query,
                           const std::string& language) {
  store::Store& store = m_app.reader();
  auto municipality = store.find_municipality(segments[0]);
  if (!municipality ||
      (segments.size() != 1 && (segments.size() != 3 || segments[1] != "services"))) {
    return m_app.error_page(404, &request);
  }
  const Translations& t = m_app.m_translations;
  const Speaker s{t, language, m_labels};
  const registry::Registry r = registry::load_registry(store, municipality->id);
  const std::string base = directory_path(*municipality);
  const std::string place_name = municipality_name(*municipality, language);

  if (segments.size() == 3) {
    const json* service = r.find("service", segments[2]);
    if (!service) return m_app.error_page(404, &request);
    json page = service_page(s, r, *service, base, place_name);
    return html_response(200,
                         m_app.m_templates->render("directory_service", to_template_data(page)));
  }
  std::optional<json> page = list_page(s, r, query, base, place_name);
  if (!page) {
    PageBuilder pages(m_app, language);
    return html_response(400, pages.message(s.text("directory.bad_search"), 400));
  }
  return html_response(200, m_app.m_templates->render("directory", to_template_data(*page)));
}

}  // namespace needsmap::web
