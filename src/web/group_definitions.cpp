#include "web/group_definitions.hpp"

#include "store/population.hpp"

namespace needsmap::web {

std::vector<analysis::GroupDefinition> default_groups(const collect::ShareDir& share,
                                                      std::string* risk_question) {
  auto defaults =
      analysis::load_group_defaults(share.root / "data" / "analysis" / "vulnerable_groups.json");
  if (!defaults) return {};
  if (risk_question) *risk_question = defaults->risk_question;
  return defaults->groups;
}

std::vector<analysis::GroupDefinition> municipality_groups(store::Store& store,
                                                           const collect::ShareDir& share,
                                                           std::int64_t municipality_id,
                                                           bool* own) {
  auto rows = store::load_vulnerable_groups(store, municipality_id);
  if (own) *own = !rows.empty();
  if (rows.empty()) return default_groups(share);
  std::vector<analysis::GroupDefinition> groups;
  for (const auto& r : rows) groups.push_back(analysis::group_from_store(r));
  return groups;
}

}  // namespace needsmap::web
