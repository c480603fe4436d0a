#include "registry/hsds_json.hpp"

namespace needsmap::registry {

namespace {

// Keys of the document that describe it rather than hold records.
bool is_header(const std::string& key) {
  return key == "version" || key == "profile" || key == "openapi_url";
}

Issue document_issue(std::string field, std::string message) {
  return {
      .table = "", .record = "document", .field = std::move(field), .message = std::move(message)};
}

json as_text_where_text(const Table& table, json row) {
  if (!row.is_object()) return row;
  for (auto& [key, value] : row.items()) {
    const Field* field = table.field(key);
    if (field && field->type == FieldType::string && (value.is_number() || value.is_boolean())) {
      value = value.dump();
    }
  }
  return row;
}

}  // namespace

std::expected<Registry, Issues> read_document(const Schemas& schemas, std::string_view text) {
  json document = json::parse(text, nullptr, false);
  if (document.is_discarded()) {
    return std::unexpected(Issues{document_issue("", "is not valid JSON")});
  }
  if (!document.is_object()) {
    return std::unexpected(Issues{document_issue("", "must be a JSON object of collections")});
  }
  RegistryBuilder builder(schemas);
  for (const auto& [key, records] : document.items()) {
    if (is_header(key)) continue;
    const Table* table = schemas.table_of_collection(key);
    if (!table) {
      builder.add_issue(document_issue(key, "is not an HSDS collection"));
      continue;
    }
    if (!records.is_array()) {
      builder.add_issue(document_issue(key, "must be an array of records"));
      continue;
    }
    // Under a file name, as in HSDS's tabular example, records are CSV rows shown as JSON: a
    // cell has no type of its own, so a number in a text field is that text.
    const bool rows = key.ends_with(".csv");
    for (std::size_t i = 0; i < records.size(); ++i) {
      const std::string label = "#" + std::to_string(i + 1);
      if (rows) {
        builder.add_row(*table, as_text_where_text(*table, records[i]), label);
      } else {
        builder.add_nested(*table, records[i], label);
      }
    }
  }
  return std::move(builder).finish();
}

std::string write_document(const Schemas& schemas, const Registry& registry) {
  return to_document(schemas, registry).dump(2) + "\n";
}

}  // namespace needsmap::registry
