#include "registry/schema.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fstream>

#include "core/clock.hpp"
#include "core/random.hpp"

namespace needsmap::registry {

Result<ordered_json> read_json_object(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return std::unexpected(Error::io("cannot read " + file.string()));
  ordered_json parsed = ordered_json::parse(in, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object()) {
    return std::unexpected(Error::invalid(file.string() + " is not a JSON object"));
  }
  return parsed;
}

namespace {

// The JSON files of a directory, by name, in name order.
Result<std::map<std::string, ordered_json, std::less<>>> read_directory(
    const std::filesystem::path& directory) {
  std::map<std::string, ordered_json, std::less<>> files;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(directory, ec)) {
    if (entry.path().extension() != ".json") continue;
    auto parsed = read_json_object(entry.path());
    if (!parsed) return std::unexpected(parsed.error());
    files.emplace(entry.path().filename().string(), std::move(*parsed));
  }
  if (ec) return std::unexpected(Error::io("cannot read " + directory.string()));
  return files;
}

std::optional<FieldType> scalar_type(const ordered_json& property) {
  if (property.contains("$ref")) return std::nullopt;
  const std::string type = property.value("type", "");
  if (type == "string") return FieldType::string;
  if (type == "number") return FieldType::number;
  if (type == "integer") return FieldType::integer;
  if (type == "boolean") return FieldType::boolean;
  return std::nullopt;
}

std::string table_of_ref(const std::string& ref) {
  return ref.ends_with(".json") ? ref.substr(0, ref.size() - 5) : ref;
}

bool is_email(std::string_view s) {
  auto at = s.find('@');
  return at != std::string_view::npos && at > 0 && at + 1 < s.size() &&
         s.find_first_of(" \t\r\n") == std::string_view::npos;
}

// An absolute URI: a scheme (letter, then letters, digits, + - .), a colon and no spaces.
bool is_uri(std::string_view s) {
  auto colon = s.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 >= s.size()) return false;
  if (!std::isalpha(static_cast<unsigned char>(s[0]))) return false;
  for (char c : s.substr(0, colon)) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.')
      return false;
  }
  return s.find_first_of(" \t\r\n") == std::string_view::npos;
}

bool digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// RFC 3339: 2023-03-15T10:30:45.123Z or with an offset such as +01:00.
bool is_date_time(std::string_view s) {
  if (s.size() < 20 || !clock::is_valid_date(s.substr(0, 10))) return false;
  if (s[10] != 'T' && s[10] != 't') return false;
  std::string_view time = s.substr(11);
  if (!(digits(time.substr(0, 2)) && time[2] == ':' && digits(time.substr(3, 2)) &&
        time[5] == ':' && digits(time.substr(6, 2))))
    return false;
  std::string_view rest = time.substr(8);
  if (!rest.empty() && rest[0] == '.') {
    std::size_t n = 1;
    while (n < rest.size() && std::isdigit(static_cast<unsigned char>(rest[n]))) ++n;
    if (n == 1) return false;
    rest.remove_prefix(n);
  }
  if (rest == "Z" || rest == "z") return true;
  return rest.size() == 6 && (rest[0] == '+' || rest[0] == '-') && digits(rest.substr(1, 2)) &&
         rest[3] == ':' && digits(rest.substr(4, 2));
}

std::string format_problem(std::string_view format, std::string_view value) {
  if (format == "uuid" && !random::is_uuid(value)) return "is not a UUID";
  if (format == "email" && !is_email(value)) return "is not an e-mail address";
  if (format == "uri" && !is_uri(value)) return "is not an absolute URI";
  if (format == "date" && !clock::is_valid_date(value)) return "is not a date (YYYY-MM-DD)";
  if (format == "date-time" && !is_date_time(value)) return "is not a date and time (RFC 3339)";
  return "";
}

std::string type_problem(std::string_view type, const json& value) {
  bool ok = true;
  if (type == "string") ok = value.is_string();
  if (type == "number") ok = value.is_number();
  if (type == "integer") {
    ok = value.is_number_integer() ||
         (value.is_number_float() && std::floor(value.get<double>()) == value.get<double>());
  }
  if (type == "boolean") ok = value.is_boolean();
  if (type == "array") ok = value.is_array();
  if (type == "object") ok = value.is_object();
  if (ok) return "";
  return std::string(type == "array" || type == "object" || type == "integer" ? "must be an "
                                                                              : "must be a ") +
         std::string(type);
}

std::string join_path(const std::string& path, const std::string& key) {
  return path.empty() ? key : path + "." + key;
}

}  // namespace

std::string Issue::to_string() const {
  std::string out = table + " " + record;
  if (!field.empty()) out += ": " + field;
  return out + ": " + message;
}

std::string Table::collection() const {
  return path.ends_with(".csv") ? path.substr(0, path.size() - 4) : path;
}

const Field* Table::field(std::string_view name) const {
  for (const Field& f : fields) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

Result<Schemas> Schemas::load(const std::filesystem::path& directory) {
  auto base = read_directory(directory / "schema");
  if (!base) return std::unexpected(base.error());
  auto profile = read_directory(directory / "profile");
  if (!profile) return std::unexpected(profile.error());
  Schemas s;
  s.m_schemas = std::move(*base);
  for (auto& [name, patch] : *profile) {
    auto it = s.m_schemas.find(name);
    if (it == s.m_schemas.end()) {
      s.m_schemas.emplace(name, std::move(patch));
    } else {
      it->second.merge_patch(patch);
    }
  }

  std::vector<std::pair<int, const ordered_json*>> ordered;
  for (const auto& [name, schema] : s.m_schemas) {
    if (schema.contains("datapackage_metadata")) {
      ordered.emplace_back(schema["datapackage_metadata"].value("order", 0), &schema);
    }
  }
  std::sort(ordered.begin(), ordered.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  for (const auto& [order, schema] : ordered) {
    Table t{.name = schema->value("name", ""), .path = schema->value("path", ""), .fields = {}};
    const ordered_json required = schema->value("required", ordered_json::array());
    for (const auto& [key, property] : (*schema)["properties"].items()) {
      if (auto type = scalar_type(property)) {
        bool is_required = std::find(required.begin(), required.end(), key) != required.end();
        t.fields.push_back({key, *type, is_required});
      }
    }
    s.m_tables.push_back(std::move(t));
  }

  // Nested arrays and embedded objects, from the $refs of each table's properties.
  for (const auto& [order, schema] : ordered) {
    const std::string parent = schema->value("name", "");
    const Table* parent_table = s.table(parent);
    for (const auto& [key, property] : (*schema)["properties"].items()) {
      if (property.value("type", "") == "array" && property.contains("items") &&
          property["items"].contains("$ref")) {
        std::string child = table_of_ref(property["items"]["$ref"].get<std::string>());
        Nesting n{
            .parent = parent, .key = key, .child = child, .link = parent + "_id", .entity = ""};
        if (child == "attribute") n = {parent, key, child, "link_id", "link_entity"};
        if (child == "metadata") n = {parent, key, child, "resource_id", "resource_type"};
        const Table* child_table = s.table(child);
        if (child_table && child_table->field(n.link)) s.m_nestings.push_back(std::move(n));
      } else if (property.contains("$ref")) {
        std::string target = table_of_ref(property["$ref"].get<std::string>());
        std::string link = parent_table->field(key + "_id") ? key + "_id" : target + "_id";
        if (parent_table->field(link)) s.m_embeddings.push_back({parent, key, target, link});
      }
    }
  }
  return s;
}

const Table* Schemas::table(std::string_view name) const {
  for (const Table& t : m_tables) {
    if (t.name == name) return &t;
  }
  return nullptr;
}

const Table* Schemas::table_of_collection(std::string_view key) const {
  for (const Table& t : m_tables) {
    if (t.path == key || t.collection() == key) return &t;
  }
  return nullptr;
}

const ordered_json* Schemas::schema_file(std::string_view file) const {
  auto it = m_schemas.find(file);
  return it == m_schemas.end() ? nullptr : &it->second;
}

void Schemas::validate(const Table& table, const json& record, const std::string& label,
                       std::vector<Issue>& issues) const {
  Issue where{.table = table.name, .record = label, .field = "", .message = ""};
  validate_value(*schema_file(table.name + ".json"), record, "", where, issues);
}

void Schemas::validate_value(const ordered_json& schema, const json& value, const std::string& path,
                             Issue& where, std::vector<Issue>& issues) const {
  auto problem = [&](std::string message) {
    Issue issue = where;
    issue.field = path;
    issue.message = std::move(message);
    issues.push_back(std::move(issue));
  };
  if (schema.contains("$ref")) {
    const std::string ref = schema["$ref"].get<std::string>();
    const ordered_json* target = schema_file(ref);
    if (!target) return problem("refers to an unknown schema " + ref);
    return validate_value(*target, value, path, where, issues);
  }
  if (schema.contains("type")) {
    std::string wrong = type_problem(schema["type"].get<std::string>(), value);
    if (!wrong.empty()) return problem(wrong);
  }
  if (schema.contains("enum")) {
    const auto& allowed = schema["enum"];
    bool found = std::any_of(allowed.begin(), allowed.end(),
                             [&](const ordered_json& a) { return json(a) == value; });
    if (!found) {
      std::string list;
      for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a.dump();
      return problem("must be one of " + list);
    }
  }
  if (schema.contains("format") && value.is_string()) {
    std::string wrong =
        format_problem(schema["format"].get<std::string>(), value.get<std::string>());
    if (!wrong.empty()) return problem(wrong);
  }
  if (value.is_object()) {
    for (const auto& name : schema.value("required", ordered_json::array())) {
      if (!value.contains(name.get<std::string>())) {
        Issue issue = where;
        issue.field = join_path(path, name.get<std::string>());
        issue.message = "is required";
        issues.push_back(std::move(issue));
      }
    }
    if (schema.contains("properties")) {
      const auto& properties = schema["properties"];
      for (const auto& [key, item] : value.items()) {
        if (properties.contains(key)) {
          validate_value(properties[key], item, join_path(path, key), where, issues);
        }
      }
    }
  }
  if (value.is_array() && schema.contains("items")) {
    for (std::size_t i = 0; i < value.size(); ++i) {
      validate_value(schema["items"], value[i], path + "[" + std::to_string(i) + "]", where,
                     issues);
    }
  }
}

ordered_json Schemas::datapackage() const {
  ordered_json resources = ordered_json::array();
  for (const Table& t : m_tables) {
    const ordered_json& schema = *schema_file(t.name + ".json");
    ordered_json fields = ordered_json::array();
    ordered_json foreign_keys = ordered_json::array();
    for (const Field& f : t.fields) {
      const ordered_json& property = schema["properties"][f.name];
      ordered_json field = {{"name", f.name}, {"type", property["type"]}};
      for (const char* key : {"title", "description", "format"}) {
        if (property.contains(key)) field[key] = property[key];
      }
      field["constraints"] = {{"required", f.required}, {"unique", f.name == "id"}};
      if (property.contains("enum")) field["constraints"]["enum"] = property["enum"];
      fields.push_back(std::move(field));
      if (f.name != "id" && f.name.ends_with("_id")) {
        std::string target = f.name.substr(0, f.name.size() - 3);
        if (table(target)) {
          foreign_keys.push_back(
              {{"fields", f.name}, {"reference", {{"resource", target}, {"fields", "id"}}}});
        }
      }
    }
    ordered_json resource = {{"name", t.name},
                             {"path", t.path},
                             {"description", schema.value("description", "")},
                             {"format", "csv"},
                             {"mediatype", "text/csv"},
                             {"encoding", "utf-8"},
                             {"profile", "tabular-data-resource"}};
    resource["schema"] = {{"fields", fields}, {"primaryKey", "id"}};
    if (!foreign_keys.empty()) resource["schema"]["foreignKeys"] = foreign_keys;
    resources.push_back(std::move(resource));
  }
  return {{"name", "human_services_data"},
          {"title", "Human Services Data Specification 3.0, needsmap profile"},
          {"profile", "tabular-data-package"},
          {"version", "3.0.0"},
          {"homepage", "http://docs.openreferral.org"},
          {"resources", resources}};
}

}  // namespace needsmap::registry
