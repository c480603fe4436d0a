#include "registry/changes.hpp"

#include <algorithm>
#include <set>

#include "core/clock.hpp"
#include "core/random.hpp"
#include "store/registry.hpp"

namespace needsmap::registry {

namespace {

std::string as_text(const json* row, const std::string& key) {
  return row ? field_text(*row, key) : std::string();
}

// Whether a metadata field names a record the changed one was linked to.
bool is_link_field(const std::string& field) {
  return field != "id" && (field.ends_with("_id") || field == "link_id");
}

}  // namespace

std::vector<json> history_rows(const std::string& table, const std::string& id, const json* before,
                               const json* after, const Author& author) {
  std::set<std::string> fields;
  for (const json* row : {before, after}) {
    if (!row) continue;
    for (const auto& [key, _] : row->items()) {
      if (key != "id") fields.insert(key);
    }
  }
  const std::string action = !before ? "create" : !after ? "delete" : "update";
  const std::string date = clock::format_utc(author.at);
  std::vector<json> rows;
  for (const std::string& field : fields) {
    std::string previous = as_text(before, field);
    std::string replacement = as_text(after, field);
    if (before && after && previous == replacement &&
        before->contains(field) == after->contains(field)) {
      continue;
    }
    rows.push_back({{"id", random::uuid_v4()},
                    {"resource_id", id},
                    {"resource_type", table},
                    {"last_action_date", date},
                    {"last_action_type", action},
                    {"field_name", field},
                    {"previous_value", previous},
                    {"replacement_value", replacement},
                    {"updated_by", author.email}});
  }
  return rows;
}

Issues check_changes(const Schemas& schemas, const std::vector<Change>& changes) {
  Issues issues;
  for (const Change& c : changes) {
    const Table* table = schemas.table(c.table);
    if (!table || c.table == "metadata") {
      issues.push_back({c.table, c.id, "", "is not a table that can be changed"});
      continue;
    }
    if (!random::is_uuid(c.id)) issues.push_back({c.table, c.id, "id", "is not a UUID"});
    if (!c.row) continue;
    if (field_text(*c.row, "id") != c.id) {
      issues.push_back({c.table, c.id, "id", "differs from the id of the change"});
    }
    schemas.validate(*table, *c.row, c.id, issues);
  }
  return issues;
}

std::expected<std::size_t, Issues> apply_changes(store::Store& store, const Schemas& schemas,
                                                 std::int64_t municipality_id,
                                                 const std::vector<Change>& changes,
                                                 const Author& author) {
  Issues issues = check_changes(schemas, changes);
  if (!issues.empty()) return std::unexpected(std::move(issues));
  std::size_t changed = 0;
  for (const Change& c : changes) {
    auto stored = store::find_registry_row(store, municipality_id, c.table, c.id);
    std::optional<json> before;
    if (stored) before = json::parse(*stored);
    if (before == c.row) continue;
    for (const json& row : history_rows(c.table, c.id, before ? &*before : nullptr,
                                        c.row ? &*c.row : nullptr, author)) {
      store::insert_registry_row(store, municipality_id,
                                 {"metadata", row["id"].get<std::string>(), row.dump()});
      ++changed;
    }
    if (c.row) {
      store::upsert_registry_row(store, municipality_id, {c.table, c.id, c.row->dump()});
    } else {
      store::delete_registry_row(store, municipality_id, c.table, c.id);
    }
  }
  return changed;
}

std::vector<json> history_of(const Registry& registry, const std::string& id) {
  std::vector<json> rows;
  auto metadata = registry.tables.find("metadata");
  if (metadata == registry.tables.end()) return rows;
  std::set<std::string> about = {id};
  for (const auto& [_, row] : metadata->second) {
    const std::string field = field_text(row, "field_name");
    if (is_link_field(field) &&
        (field_text(row, "previous_value") == id || field_text(row, "replacement_value") == id)) {
      about.insert(field_text(row, "resource_id"));
    }
  }
  for (const auto& [_, row] : metadata->second) {
    if (about.contains(field_text(row, "resource_id"))) rows.push_back(row);
  }
  std::stable_sort(rows.begin(), rows.end(), [](const json& a, const json& b) {
    auto key = [](const json& r) {
      return std::tuple(field_text(r, "last_action_date"), field_text(r, "resource_type"),
                        field_text(r, "field_name"));
    };
    auto ka = key(a), kb = key(b);
    if (std::get<0>(ka) != std::get<0>(kb)) return std::get<0>(ka) > std::get<0>(kb);
    return ka < kb;
  });
  return rows;
}

}  // namespace needsmap::registry
