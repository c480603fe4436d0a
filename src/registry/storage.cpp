#include "registry/storage.hpp"

#include "store/registry.hpp"

namespace needsmap::registry {

Registry load_registry(store::Store& store, std::int64_t municipality_id) {
  Registry registry;
  store::for_each_registry_row(store, municipality_id, [&](const store::RegistryRow& row) {
    registry.tables[row.table][row.id] = json::parse(row.record);
  });
  return registry;
}

Result<void> replace_registry(store::Store& store, std::int64_t municipality_id,
                              const Registry& registry, const std::function<void()>& on_record) {
  for (const auto& [table, rows] : registry.tables) {
    if (!rows.empty() && !store::is_registry_table(table)) {
      return std::unexpected(Error::invalid("the registry cannot keep records of " + table));
    }
  }
  store::Transaction transaction(store.connection());
  store::delete_registry(store, municipality_id);
  for (const auto& [table, rows] : registry.tables) {
    for (const auto& [id, row] : rows) {
      store::insert_registry_row(store, municipality_id, {table, id, row.dump()});
      if (on_record) on_record();
    }
  }
  transaction.commit();
  return {};
}

}  // namespace needsmap::registry
