#include "store/registry.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <stdexcept>
#include <vector>

namespace needsmap::store {

namespace {

struct RegistryTable {
  std::string_view name;
  // Fields of the record copied into columns of their own, for queries to look records up by.
  std::vector<std::string_view> columns;
};

// Kept in step with migration 5 (store.cpp).
const std::array<RegistryTable, 24> registry_table_list = {{
    {"organization", {"name"}},
    {"program", {}},
    {"service", {"organization_id", "name", "status"}},
    {"attribute", {"link_id", "link_entity", "link_type", "taxonomy_term_id"}},
    {"service_at_location", {"service_id", "location_id"}},
    {"location", {"organization_id", "name"}},
    {"phone", {}},
    {"contact", {}},
    {"address", {}},
    {"schedule", {}},
    {"funding", {}},
    {"service_area", {}},
    {"required_document", {}},
    {"language", {}},
    {"accessibility", {}},
    {"taxonomy_term", {"taxonomy_id", "parent_id", "code", "name"}},
    {"metadata", {}},
    {"meta_table_description", {}},
    {"cost_option", {}},
    {"organization_identifier", {}},
    {"taxonomy", {"name"}},
    {"unit", {}},
    {"service_capacity", {}},
    {"staff", {}},
}};

const RegistryTable& find_table(std::string_view name) {
  for (const RegistryTable& t : registry_table_list) {
    if (t.name == name) return t;
  }
  throw std::invalid_argument("the registry has no table " + std::string(name));
}

std::span<const std::string_view> names() {
  static const std::vector<std::string_view> list = [] {
    std::vector<std::string_view> out;
    for (const RegistryTable& t : registry_table_list) out.push_back(t.name);
    return out;
  }();
  return list;
}

}  // namespace

std::span<const std::string_view> registry_tables() {
  return names();
}

bool is_registry_table(std::string_view table) {
  return std::any_of(registry_table_list.begin(), registry_table_list.end(),
                     [&](const RegistryTable& t) { return t.name == table; });
}

void for_each_registry_row(Store& store, std::int64_t municipality_id,
                           const std::function<void(const RegistryRow&)>& visit) {
  for (const RegistryTable& t : registry_table_list) {
    Statement& s = store.connection().prepare("SELECT id, record FROM hsds_" + std::string(t.name) +
                                              " WHERE municipality_id = $1 ORDER BY id");
    s.bind(1, municipality_id);
    while (s.step()) visit(RegistryRow{std::string(t.name), s.text(0), s.text(1)});
  }
}

bool has_registry_services(Store& store, std::int64_t municipality_id) {
  Statement& s =
      store.connection().prepare("SELECT count(*) FROM hsds_service WHERE municipality_id = $1");
  s.bind(1, municipality_id);
  const bool any = s.step() && s.integer(0) > 0;
  s.run();  // to its end, so that no read stays open
  return any;
}

void delete_registry(Store& store, std::int64_t municipality_id) {
  for (const RegistryTable& t : registry_table_list) {
    store.connection()
        .prepare("DELETE FROM hsds_" + std::string(t.name) + " WHERE municipality_id = $1")
        .bind(1, municipality_id)
        .run();
  }
}

void insert_registry_row(Store& store, std::int64_t municipality_id, const RegistryRow& row) {
  const RegistryTable& t = find_table(row.table);
  std::string columns = "municipality_id, id, record";
  std::string values = "$1, $2, $3";
  int n = 3;
  for (std::string_view c : t.columns) {
    columns += ", " + std::string(c);
    values += ", $" + std::to_string(++n);
  }
  Statement& s = store.connection().prepare("INSERT INTO hsds_" + std::string(t.name) + " (" +
                                            columns + ") VALUES (" + values + ")");
  s.bind(1, municipality_id).bind(2, row.id).bind(3, row.record);
  const nlohmann::json record = nlohmann::json::parse(row.record);
  n = 3;
  for (std::string_view c : t.columns) {
    auto it = record.find(c);
    ++n;
    if (it == record.end() || it->is_null()) {
      s.bind_null(n);
    } else {
      s.bind(n, it->is_string() ? it->get<std::string>() : it->dump());
    }
  }
  s.run();
}

std::optional<std::string> find_registry_row(Store& store, std::int64_t municipality_id,
                                             std::string_view table, std::string_view id) {
  const RegistryTable& t = find_table(table);
  Statement& s = store.connection().prepare("SELECT record FROM hsds_" + std::string(t.name) +
                                            " WHERE municipality_id = $1 AND id = $2");
  s.bind(1, municipality_id).bind(2, std::string(id));
  std::optional<std::string> record;
  if (s.step()) record = s.text(0);
  s.run();
  return record;
}

bool delete_registry_row(Store& store, std::int64_t municipality_id, std::string_view table,
                         std::string_view id) {
  const bool existed = find_registry_row(store, municipality_id, table, id).has_value();
  store.connection()
      .prepare("DELETE FROM hsds_" + std::string(find_table(table).name) +
               " WHERE municipality_id = $1 AND id = $2")
      .bind(1, municipality_id)
      .bind(2, std::string(id))
      .run();
  return existed;
}

void upsert_registry_row(Store& store, std::int64_t municipality_id, const RegistryRow& row) {
  // Delete and insert rather than a dialect's upsert: the looked-up columns are then written by
  // the one function that writes rows.
  delete_registry_row(store, municipality_id, row.table, row.id);
  insert_registry_row(store, municipality_id, row);
}

}  // namespace needsmap::store
