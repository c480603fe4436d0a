// A municipality's registry of providers and services in HSDS 3.0's tabular form: every record of
// every table as one flat row (its own fields and the ids of the records it links to), by table
// and id. Nested HSDS records (the JSON form, the API's full records) are flattened into it and
// built back from it.
#pragma once

#include <cstddef>
#include <expected>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "registry/schema.hpp"

namespace needsmap::registry {

struct Registry {
  // table name → id → row; std::map keeps both in a stable (byte) order.
  std::map<std::string, std::map<std::string, json>> tables;

  std::size_t size() const;
  const json* find(const std::string& table, const std::string& id) const;
};

using Issues = std::vector<Issue>;

// Collects records into a registry, checking each against the schemas; a record met twice (a
// phone nested under both its service and its contact) is merged, and copies that disagree are
// an issue.
class RegistryBuilder {
 public:
  explicit RegistryBuilder(const Schemas& schemas) : m_schemas(schemas) {}

  // A record of `table` as HSDS JSON nests it; `label` names it in issues when it has no id.
  void add_nested(const Table& table, const json& record, const std::string& label);
  // A flat row of `table`, e.g. from a CSV file.
  void add_row(const Table& table, const json& row, const std::string& label);
  void add_issue(Issue issue) { m_issues.push_back(std::move(issue)); }

  std::expected<Registry, Issues> finish() &&;

 private:
  void flatten(const Table& table, const json& record);
  void merge(const Table& table, json row);

  const Schemas& m_schemas;
  Registry m_registry;
  Issues m_issues;
};

// The registry as one HSDS JSON document: each record once, nested under the record it belongs
// to (a location in its organization, a phone in its contact), records that belong to none in a
// top-level array named by their collection ("taxonomy_terms"); embedded objects are left as
// ids. Arrays are in id order and keys sorted, so equal registries give equal bytes.
json to_document(const Schemas& schemas, const Registry& registry);

// A field of a row as text: a string as it is, another value as JSON, an absent or null one
// empty.
std::string field_text(const json& row, std::string_view key);

// One record with everything linked to it nested and the records it refers to embedded, as the
// HSDS API returns a full service, organization or service at location.
json full_record(const Schemas& schemas, const Registry& registry, const Table& table,
                 const json& row);

}  // namespace needsmap::registry
