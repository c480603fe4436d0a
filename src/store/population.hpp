// What a municipality's analysis is set up with: the population table its surveys are weighted
// to, and the vulnerable groups it looks at. Plain rows; src/analysis gives them meaning.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/store.hpp"

namespace needsmap::store {

// People per category of one variable: a single-choice question's name and one of its choice
// names, or "a*b" and "x*y" for a cell of a joint table of two questions.
struct PopulationMargin {
  std::string variable;
  std::string category;
  double population{0};
};

struct PopulationTable {
  std::string source;  // where the figures come from, e.g. a census table, cited
  std::optional<std::int64_t> reference_year;
  bool demo{false};  // made up, for the demo municipality: never for planning
  std::int64_t updated_at{0};
  std::string updated_by;
  std::vector<PopulationMargin> margins;  // by variable, then category
};

// The municipality's table; nullopt when it has none.
std::optional<PopulationTable> load_population(Store& store, std::int64_t municipality_id);
// Replaces the whole table; call it inside a transaction, so a failure leaves the old one.
void save_population(Store& store, std::int64_t municipality_id, const PopulationTable& table);

struct VulnerableGroup {
  std::string name;  // a stable identifier, e.g. elderly_alone
  std::string label_cyrl;
  std::string label_en;
  std::string label_mk;
  std::string expression;  // in the questionnaire expression language
};

// The municipality's own groups in their order; empty when it uses the defaults.
std::vector<VulnerableGroup> load_vulnerable_groups(Store& store, std::int64_t municipality_id);
// Replaces the municipality's groups (inside a transaction); an empty list means the defaults.
void save_vulnerable_groups(Store& store, std::int64_t municipality_id,
                            const std::vector<VulnerableGroup>& groups);

}  // namespace needsmap::store
