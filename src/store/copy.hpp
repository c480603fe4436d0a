// Moving a whole needsmap database to another one, e.g. from the SQLite file a municipality
// started with to the PostgreSQL database of a national programme.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "store/store.hpp"

namespace needsmap::store {

struct CopiedTable {
  std::string name;
  std::uint64_t rows{0};
};

// Copies every table from `from` into `to`, which must be empty (its schema is created or
// upgraded first). The source is read in one snapshot and the target written in one
// transaction: on any failure nothing is left in the target.
Result<std::vector<CopiedTable>> copy_database(Store& from, Store& to);

// The number of rows of a table.
std::int64_t count_rows(Connection& c, std::string_view table);

}  // namespace needsmap::store
