// What the analysis tests share: a campaign of the mini questionnaire in a fresh database, and
// dataset columns written briefly.
#pragma once

#include <string>
#include <vector>

#include "analysis/dataset.hpp"
#include "analysis/variance.hpp"
#include "store/store.hpp"

namespace needsmap::fixtures {

// A draft campaign "bac/c" of the mini questionnaire (tests/data/questionnaires/mini.json).
inline store::Campaign mini_campaign(store::Store& store) {
  store::Campaign campaign;
  campaign.municipality_id = store.upsert_municipality({.slug = "bac",
                                                        .name_cyrl = "Бач",
                                                        .name_latn = "",
                                                        .name_en = "",
                                                        .name_mk = "",
                                                        .statistical_code = "",
                                                        .area_id = std::nullopt,
                                                        .min_cell_size = 5});
  campaign.municipality_slug = "bac";
  campaign.slug = "c";
  campaign.questionnaire_version_id = store.store_questionnaire_version("mini", "1", "{}").value();
  campaign.id = store.create_campaign(campaign).value();
  return campaign;
}

// A single-choice column with these categories.
inline analysis::ColumnSpec choice_column(std::string name, std::vector<std::string> categories) {
  return {.name = std::move(name),
          .kind = analysis::ColumnKind::choice,
          .categories = std::move(categories),
          .question = "",
          .row = ""};
}

// The same, as the tests write it.
inline analysis::ColumnSpec choice(std::string name, std::vector<std::string> categories) {
  return choice_column(std::move(name), std::move(categories));
}

// Every respondent with the weight the dataset gives, nothing raked.
inline analysis::Design unweighted(const analysis::Dataset& data) {
  return analysis::Design{.weights = data.weights(), .raking = {}};
}

// A number column.
inline analysis::ColumnSpec number_column(std::string name) {
  return {.name = std::move(name),
          .kind = analysis::ColumnKind::number,
          .categories = {},
          .question = "",
          .row = ""};
}

}  // namespace needsmap::fixtures
