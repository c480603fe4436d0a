// The registry as a Tabular Data Package (https://specs.frictionlessdata.io/tabular-data-package/):
// a directory with one CSV file per HSDS table (RFC 4180, UTF-8, a header row, the schema's
// fields as columns) and datapackage.json describing them, as HSDS 3.0's own datapackage.json
// does, with the needsmap profile's fields and tables.
#pragma once

#include <filesystem>

#include "registry/registry.hpp"

namespace needsmap::registry {

// Reads the CSV files of the tables the directory has; an empty cell is an absent field.
std::expected<Registry, Issues> read_datapackage(const Schemas& schemas,
                                                 const std::filesystem::path& directory);

// Writes every table's CSV file (rows in id order) and datapackage.json, creating the directory.
Result<void> write_datapackage(const Schemas& schemas, const Registry& registry,
                               const std::filesystem::path& directory);

}  // namespace needsmap::registry
