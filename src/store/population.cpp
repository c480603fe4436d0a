#include "store/population.hpp"

namespace needsmap::store {

std::optional<PopulationTable> load_population(Store& store, std::int64_t municipality_id) {
  Connection& c = store.connection();
  Statement& head = c.prepare(
      "SELECT source, reference_year, demo, updated_at, updated_by FROM population_tables"
      " WHERE municipality_id = $1");
  head.bind(1, municipality_id);
  if (!head.step()) return std::nullopt;
  PopulationTable table{.source = head.text(0),
                        .reference_year = head.optional_integer(1),
                        .demo = head.integer(2) != 0,
                        .updated_at = head.integer(3),
                        .updated_by = head.text(4),
                        .margins = {}};
  head.run();
  Statement& rows = c.prepare(
      "SELECT variable, category, population FROM population_margins WHERE municipality_id = $1"
      " ORDER BY variable, category");
  rows.bind(1, municipality_id);
  while (rows.step()) {
    table.margins.push_back({rows.text(0), rows.text(1), rows.real(2)});
  }
  return table;
}

void save_population(Store& store, std::int64_t municipality_id, const PopulationTable& table) {
  Connection& c = store.connection();
  c.prepare("DELETE FROM population_margins WHERE municipality_id = $1")
      .bind(1, municipality_id)
      .run();
  c.prepare("DELETE FROM population_tables WHERE municipality_id = $1")
      .bind(1, municipality_id)
      .run();
  c.prepare(
       "INSERT INTO population_tables (municipality_id, source, reference_year, demo, updated_at,"
       " updated_by) VALUES ($1, $2, $3, $4, $5, $6)")
      .bind(1, municipality_id)
      .bind(2, table.source)
      .bind(3, table.reference_year)
      .bind(4, std::int64_t{table.demo})
      .bind(5, table.updated_at)
      .bind(6, table.updated_by)
      .run();
  for (const PopulationMargin& m : table.margins) {
    c.prepare(
         "INSERT INTO population_margins (municipality_id, variable, category, population)"
         " VALUES ($1, $2, $3, $4)")
        .bind(1, municipality_id)
        .bind(2, m.variable)
        .bind(3, m.category)
        .bind(4, m.population)
        .run();
  }
}

std::vector<VulnerableGroup> load_vulnerable_groups(Store& store, std::int64_t municipality_id) {
  Statement& s = store.connection().prepare(
      "SELECT name, label_cyrl, label_en, label_mk, expression FROM vulnerable_groups"
      " WHERE municipality_id = $1 ORDER BY position, name");
  s.bind(1, municipality_id);
  std::vector<VulnerableGroup> groups;
  while (s.step()) groups.push_back({s.text(0), s.text(1), s.text(2), s.text(3), s.text(4)});
  return groups;
}

void save_vulnerable_groups(Store& store, std::int64_t municipality_id,
                            const std::vector<VulnerableGroup>& groups) {
  Connection& c = store.connection();
  c.prepare("DELETE FROM vulnerable_groups WHERE municipality_id = $1")
      .bind(1, municipality_id)
      .run();
  std::int64_t position = 0;
  for (const VulnerableGroup& g : groups) {
    c.prepare(
         "INSERT INTO vulnerable_groups (municipality_id, name, position, label_cyrl, label_en,"
         " label_mk, expression) VALUES ($1, $2, $3, $4, $5, $6, $7)")
        .bind(1, municipality_id)
        .bind(2, g.name)
        .bind(3, position++)
        .bind(4, g.label_cyrl)
        .bind(5, g.label_en)
        .bind(6, g.label_mk)
        .bind(7, g.expression)
        .run();
  }
}

}  // namespace needsmap::store
