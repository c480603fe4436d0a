// The HSDS 3.0 JSON Schemas with needsmap's Serbia / North Macedonia profile merged in (each
// profile file is a JSON Merge Patch, RFC 7386, of the schema of the same name, or a new table's
// schema), read into the table catalogue the registry works from, and a validator for the part
// of JSON Schema those schemas use: $ref to a sibling file, type, properties, required, items,
// enum and the formats uuid, email, uri, date and date-time.
#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace needsmap::registry {

using json = nlohmann::json;
using ordered_json = nlohmann::ordered_json;

// A JSON file that must hold an object (the HSDS schemas, the bundled taxonomy), its keys in file
// order; fails with the file's name when it cannot be read or is not an object.
Result<ordered_json> read_json_object(const std::filesystem::path& file);

// Names needsmap's HSDS profile, as the "profile" of documents and of the API's root.
inline constexpr const char* profile_uri = "urn:needsmap:hsds-profile:rs-mk:1";

enum class FieldType { string, number, integer, boolean };

// A field a tabular row holds (not a nested array or object).
struct Field {
  std::string name;
  FieldType type{FieldType::string};
  bool required{false};
};

struct Table {
  std::string name;                // "service"
  std::string path;                // "services.csv", its file in a Tabular Data Package
  std::vector<Field> fields;       // in the schema's order, as the CSV columns
  std::string collection() const;  // "services": the path without ".csv"
  const Field* field(std::string_view name) const;
};

// Records of `child` nested in a `parent` record under `key`; the child points back with its
// `link` field and, for attributes and metadata, names the parent's table in `entity`.
struct Nesting {
  std::string parent;
  std::string key;
  std::string child;
  std::string link;
  std::string entity;
};

// One `target` record embedded in a `table` record under `key`, whose id the record holds in
// `link` (a service's organization, an attribute's taxonomy term).
struct Embedding {
  std::string table;
  std::string key;
  std::string target;
  std::string link;
};

// What is wrong with one record of an import, and where.
struct Issue {
  std::string table;
  std::string record;  // its id, or "#n" (1-based position) when it has none
  std::string field;   // a path inside the record, e.g. "phones[0].number"; empty: the record
  std::string message;
  std::string to_string() const;
};

class Schemas {
 public:
  // `directory` holds schema/ (HSDS 3.0) and profile/ (merge patches and new tables).
  static Result<Schemas> load(const std::filesystem::path& directory);

  // Every table, in the order of the HSDS data package.
  const std::vector<Table>& tables() const { return m_tables; }
  const Table* table(std::string_view name) const;
  // The table of a collection name ("services") or a data package path ("services.csv").
  const Table* table_of_collection(std::string_view key) const;
  const std::vector<Nesting>& nestings() const { return m_nestings; }
  const std::vector<Embedding>& embeddings() const { return m_embeddings; }

  // Appends what makes `record` invalid as a record of `table`, labelled `label`.
  void validate(const Table& table, const json& record, const std::string& label,
                std::vector<Issue>& issues) const;

  // The Tabular Data Package descriptor of the registry's CSV files.
  ordered_json datapackage() const;

 private:
  const ordered_json* schema_file(std::string_view file) const;
  void validate_value(const ordered_json& schema, const json& value, const std::string& path,
                      Issue& where, std::vector<Issue>& issues) const;

  std::map<std::string, ordered_json, std::less<>> m_schemas;  // by file name
  std::vector<Table> m_tables;
  std::vector<Nesting> m_nestings;
  std::vector<Embedding> m_embeddings;
};

}  // namespace needsmap::registry
