// A municipality's registry in the database: read whole, replaced whole.
#pragma once

#include <cstdint>
#include <functional>

#include "registry/registry.hpp"
#include "store/store.hpp"

namespace needsmap::registry {

Registry load_registry(store::Store& store, std::int64_t municipality_id);

// Replaces the municipality's registry by `registry` in one transaction, so that a failure
// leaves the old one whole; `on_record` is called after each record stored (progress).
Result<void> replace_registry(store::Store& store, std::int64_t municipality_id,
                              const Registry& registry,
                              const std::function<void()>& on_record = {});

}  // namespace needsmap::registry
