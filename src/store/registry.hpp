// The rows of the provider and service registry (HSDS 3.0): one table per HSDS table, each
// record kept as its tabular form in JSON, per municipality. The registry module gives the
// records their meaning; this file only keeps them.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "store/store.hpp"

namespace needsmap::store {

struct RegistryRow {
  std::string table;   // the HSDS table, e.g. "service"
  std::string id;      // the record's UUID
  std::string record;  // a JSON object: the record's fields and the ids it links to
};

// The HSDS tables the store keeps (as tables named hsds_<name>).
std::span<const std::string_view> registry_tables();
bool is_registry_table(std::string_view table);

// Every row of the municipality's registry, by table (in registry_tables() order), then id.
void for_each_registry_row(Store& store, std::int64_t municipality_id,
                           const std::function<void(const RegistryRow&)>& visit);
// Whether the municipality's registry has any service (for a link to its public directory).
bool has_registry_services(Store& store, std::int64_t municipality_id);
// Removes the municipality's whole registry; call it inside a transaction.
void delete_registry(Store& store, std::int64_t municipality_id);
// Adds one row; the table must be one of registry_tables() and `record` a JSON object.
void insert_registry_row(Store& store, std::int64_t municipality_id, const RegistryRow& row);

// One record's JSON text, if the municipality's registry has it.
std::optional<std::string> find_registry_row(Store& store, std::int64_t municipality_id,
                                             std::string_view table, std::string_view id);
// Writes one row in place of the one with its id (if any); call it inside a transaction.
void upsert_registry_row(Store& store, std::int64_t municipality_id, const RegistryRow& row);
// Removes one row; false when there was none.
bool delete_registry_row(Store& store, std::int64_t municipality_id, std::string_view table,
                         std::string_view id);

}  // namespace needsmap::store
