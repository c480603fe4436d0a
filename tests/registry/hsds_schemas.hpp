// The HSDS 3.0 schemas with needsmap's profile, loaded once for the registry's tests.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>

#include "registry/schema.hpp"
#include "test_support.hpp"

namespace needsmap::fixtures {

inline const registry::Schemas& hsds_schemas() {
  static const registry::Schemas loaded = [] {
    auto s = registry::Schemas::load(fixtures::source_dir() / "data/hsds-3.0");
    if (!s) {
      ADD_FAILURE() << s.error().message;
      std::abort();
    }
    return std::move(*s);
  }();
  return loaded;
}

}  // namespace needsmap::fixtures
