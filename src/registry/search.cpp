#include "registry/search.hpp"

#include <algorithm>

#include "core/clock.hpp"
#include "core/text.hpp"

namespace needsmap::registry {

namespace {

// Whether `term` is `wanted` or lies under it (bounded, against a cycle of parent_ids).
bool is_or_under(const Registry& registry, const json* term, const std::string& wanted) {
  for (int depth = 0; term && depth < 16; ++depth) {
    const std::string id = field_text(*term, "id");
    if (id == wanted) return true;
    const std::string parent = field_text(*term, "parent_id");
    term = parent.empty() ? nullptr : registry.find("taxonomy_term", parent);
  }
  return false;
}

bool modified_since(const Registry& registry, const json& service, const std::string& id,
                    std::int64_t since) {
  auto on_or_after = [&](const std::string& when) {
    auto t = clock::parse_utc(when);
    return t && *t >= since;
  };
  if (on_or_after(field_text(service, "last_modified"))) return true;
  for (const json* m : rows_linked(registry, "metadata", "resource_id", id)) {
    if (on_or_after(field_text(*m, "last_action_date"))) return true;
  }
  return false;
}

bool matches(const Registry& registry, const json& service, const ServiceQuery& q) {
  const std::string id = field_text(service, "id");
  if (!q.organization_id.empty() && field_text(service, "organization_id") != q.organization_id) {
    return false;
  }
  if (!q.taxonomy_term_ids.empty() || !q.taxonomy_id.empty()) {
    const std::vector<LinkedTerm> terms = service_terms(registry, id);
    for (const std::string& wanted : q.taxonomy_term_ids) {
      if (std::none_of(terms.begin(), terms.end(), [&](const LinkedTerm& l) {
            return is_or_under(registry, l.term, wanted);
          })) {
        return false;
      }
    }
    if (!q.taxonomy_id.empty() && std::none_of(terms.begin(), terms.end(), [&](const auto& l) {
          return field_text(*l.term, "taxonomy_id") == q.taxonomy_id;
        })) {
      return false;
    }
  }
  if (!q.settlement.empty()) {
    const auto areas = rows_linked(registry, "service_area", "service_id", id);
    if (std::none_of(areas.begin(), areas.end(),
                     [&](const json* a) { return field_text(*a, "name") == q.settlement; })) {
      return false;
    }
  }
  if (q.modified_after && !modified_since(registry, service, id, *q.modified_after)) return false;
  return q.search.empty() || matches_words(search_text(registry, service), q.search);
}

}  // namespace

std::vector<const json*> rows_linked(const Registry& registry, const std::string& table,
                                     std::string_view link, std::string_view id) {
  std::vector<const json*> out;
  auto rows = registry.tables.find(table);
  if (rows == registry.tables.end() || id.empty()) return out;
  for (const auto& [_, row] : rows->second) {
    auto it = row.find(link);
    if (it != row.end() && it->is_string() && it->get_ref<const std::string&>() == id) {
      out.push_back(&row);
    }
  }
  return out;
}

std::vector<LinkedTerm> service_terms(const Registry& registry, std::string_view service_id) {
  std::vector<LinkedTerm> out;
  for (const json* a : rows_linked(registry, "attribute", "link_id", service_id)) {
    // An attribute names its record's table in link_entity; one that names none is taken as
    // the service's (ids need not be unique across tables).
    const std::string entity = field_text(*a, "link_entity");
    if (!entity.empty() && entity != "service") continue;
    if (const json* term = registry.find("taxonomy_term", field_text(*a, "taxonomy_term_id"))) {
      out.push_back({term, field_text(*a, "link_type")});
    }
  }
  return out;
}

std::string search_text(const Registry& registry, const json& service) {
  const std::string id = field_text(service, "id");
  std::string text;
  auto add = [&](const std::string& s) {
    if (!s.empty()) text += s + '\n';
  };
  for (const char* key : {"name", "alternate_name", "description"}) add(field_text(service, key));
  if (const json* o = registry.find("organization", field_text(service, "organization_id"))) {
    add(field_text(*o, "name"));
  }
  for (const LinkedTerm& l : service_terms(registry, id)) add(field_text(*l.term, "name"));
  for (const json* a : rows_linked(registry, "service_area", "service_id", id)) {
    add(field_text(*a, "name"));
  }
  return text::fold_for_search(text);
}

bool matches_words(std::string_view folded_text, std::string_view query) {
  const std::string folded = text::fold_for_search(query);
  std::size_t i = 0;
  while (i < folded.size()) {
    // Words end at spaces and at ASCII punctuation, which a query may carry ("kuhinja,").
    std::size_t end = folded.find_first_of(" \t\n,.;:!?()\"'/", i);
    if (end == std::string::npos) end = folded.size();
    if (end > i &&
        folded_text.find(std::string_view(folded).substr(i, end - i)) == std::string_view::npos) {
      return false;
    }
    i = end + 1;
  }
  return true;
}

std::vector<const json*> find_services(const Registry& registry, const ServiceQuery& query) {
  std::vector<const json*> out;
  auto services = registry.tables.find("service");
  if (services == registry.tables.end()) return out;
  for (const auto& [_, service] : services->second) {
    if (matches(registry, service, query)) out.push_back(&service);
  }
  return out;
}

}  // namespace needsmap::registry
