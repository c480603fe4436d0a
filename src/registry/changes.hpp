// Changing single records of a municipality's registry, and keeping every field change as HSDS
// `metadata` rows in the registry itself (so the history exports with it): who, when, which
// field, the value before and after.
#pragma once

#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <vector>

#include "registry/registry.hpp"
#include "store/store.hpp"

namespace needsmap::registry {

// One record to write as `row` (its whole tabular form), or to remove when `row` is empty.
struct Change {
  std::string table;
  std::string id;
  std::optional<json> row;
};

// Who makes a change, and when (unix seconds).
struct Author {
  std::string email;
  std::int64_t at{0};
};

// The metadata rows recording `before` becoming `after` (null `before`: created, null `after`:
// deleted), one per field whose value differs; values are written as text, as HSDS has them.
std::vector<json> history_rows(const std::string& table, const std::string& id, const json* before,
                               const json* after, const Author& author);

// What is wrong with the changes' rows as records of their tables, by record and field.
Issues check_changes(const Schemas& schemas, const std::vector<Change>& changes);

// Checks the changes, then writes each with its metadata rows; a change that changes nothing
// writes nothing. Call it inside a transaction: when it returns issues nothing is written, and
// it throws (for the caller to roll back) only on a database error. Returns how many fields
// changed.
std::expected<std::size_t, Issues> apply_changes(store::Store& store, const Schemas& schemas,
                                                 std::int64_t municipality_id,
                                                 const std::vector<Change>& changes,
                                                 const Author& author);

// The metadata rows about record `id` and about every record ever linked to it (its phones,
// service areas …, deleted ones too: their link field's change names it), newest first.
std::vector<json> history_of(const Registry& registry, const std::string& id);

}  // namespace needsmap::registry
