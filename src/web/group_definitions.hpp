// The vulnerable groups a municipality's analysis uses: its own definitions, or the defaults
// shipped in data/analysis/vulnerable_groups.json when it has none.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "analysis/groups.hpp"
#include "collect/campaigns.hpp"
#include "store/store.hpp"

namespace needsmap::web {

// The shipped defaults; `risk_question`, when given, receives the question risk profiles use.
std::vector<analysis::GroupDefinition> default_groups(const collect::ShareDir& share,
                                                      std::string* risk_question = nullptr);

// The municipality's own groups, or the defaults when it has none (`own` says which).
std::vector<analysis::GroupDefinition> municipality_groups(store::Store& store,
                                                           const collect::ShareDir& share,
                                                           std::int64_t municipality_id,
                                                           bool* own = nullptr);

}  // namespace needsmap::web
