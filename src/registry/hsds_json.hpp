// The registry as one HSDS JSON document: the API root's "version" and "profile", and an array of
// records per collection ("organizations", "taxonomy_terms", …), nested as registry.hpp's
// to_document describes. Reading also takes the HSDS tabular example's form, whose keys are the
// data package's file names ("organizations.csv") and whose records are flat.
#pragma once

#include <string>
#include <string_view>

#include "registry/registry.hpp"

namespace needsmap::registry {

std::expected<Registry, Issues> read_document(const Schemas& schemas, std::string_view text);

// The document as indented JSON with sorted keys and a final newline.
std::string write_document(const Schemas& schemas, const Registry& registry);

}  // namespace needsmap::registry
