#include "registry/datapackage.hpp"

#include <charconv>
#include <fstream>
#include <sstream>

#include "interop/csv_reader.hpp"

namespace needsmap::registry {

namespace {

// A CSV cell as the field's JSON value; nullopt when it is not of the field's type.
std::optional<json> cell_value(FieldType type, const std::string& cell) {
  const char* end = cell.data() + cell.size();
  if (type == FieldType::string) return json(cell);
  if (type == FieldType::boolean) {
    if (cell == "true") return json(true);
    if (cell == "false") return json(false);
    return std::nullopt;
  }
  std::int64_t whole = 0;
  auto [p, ec] = std::from_chars(cell.data(), end, whole);
  if (ec == std::errc() && p == end) return json(whole);
  if (type == FieldType::integer) return std::nullopt;
  double real = 0;
  auto [q, ec2] = std::from_chars(cell.data(), end, real);
  if (ec2 == std::errc() && q == end) return json(real);
  return std::nullopt;
}

std::string cell_text(const json& value) {
  return value.is_string() ? value.get<std::string>() : value.dump();
}

// RFC 4180: quoted when it holds a separator, quote or line break; values are kept as they are.
void append_cell(std::string& line, const std::string& value) {
  if (value.find_first_of(",\"\r\n") == std::string::npos) {
    line += value;
    return;
  }
  line += '"';
  for (char c : value) {
    if (c == '"') line += '"';
    line += c;
  }
  line += '"';
}

const char* type_name(FieldType type) {
  switch (type) {
    case FieldType::string:
      return "a string";
    case FieldType::number:
      return "a number";
    case FieldType::integer:
      return "an integer";
    case FieldType::boolean:
      return "true or false";
  }
  return "a value";
}

void read_table(const Table& table, const std::filesystem::path& file, RegistryBuilder& builder) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  auto rows = interop::parse_csv(bytes.str(), interop::ReadLimits{.max_rows = 1'000'000});
  if (!rows) {
    builder.add_issue({table.name, table.path, "", rows.error().message});
    return;
  }
  if (rows->empty()) return;
  const std::vector<std::string>& header = rows->front();
  for (std::size_t r = 1; r < rows->size(); ++r) {
    const std::vector<std::string>& cells = (*rows)[r];
    const std::string label = table.path + " row " + std::to_string(r + 1);
    json row = json::object();
    bool ok = true;
    for (std::size_t c = 0; c < header.size() && c < cells.size(); ++c) {
      if (cells[c].empty()) continue;
      const Field* field = table.field(header[c]);
      auto value = cell_value(field ? field->type : FieldType::string, cells[c]);
      if (!value) {
        builder.add_issue(
            {table.name, label, header[c], std::string("must be ") + type_name(field->type)});
        ok = false;
        continue;
      }
      row[header[c]] = std::move(*value);
    }
    if (ok) builder.add_row(table, row, label);
  }
}

}  // namespace

std::expected<Registry, Issues> read_datapackage(const Schemas& schemas,
                                                 const std::filesystem::path& directory) {
  RegistryBuilder builder(schemas);
  if (!std::filesystem::is_directory(directory)) {
    builder.add_issue({"", directory.string(), "", "is not a directory"});
  } else {
    for (const Table& table : schemas.tables()) {
      std::filesystem::path file = directory / table.path;
      if (std::filesystem::exists(file)) read_table(table, file, builder);
    }
  }
  return std::move(builder).finish();
}

Result<void> write_datapackage(const Schemas& schemas, const Registry& registry,
                               const std::filesystem::path& directory) {
  std::error_code ec;
  std::filesystem::create_directories(directory, ec);
  if (ec) return std::unexpected(Error::io("cannot create " + directory.string()));
  auto write = [&](const std::filesystem::path& file, const std::string& content) -> Result<void> {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out << content;
    out.close();
    if (!out) return std::unexpected(Error::io("cannot write " + file.string()));
    return {};
  };
  for (const Table& table : schemas.tables()) {
    std::string text;
    for (std::size_t i = 0; i < table.fields.size(); ++i) {
      if (i) text += ',';
      append_cell(text, table.fields[i].name);
    }
    text += "\r\n";
    auto rows = registry.tables.find(table.name);
    if (rows != registry.tables.end()) {
      for (const auto& [_, row] : rows->second) {
        for (std::size_t i = 0; i < table.fields.size(); ++i) {
          if (i) text += ',';
          auto it = row.find(table.fields[i].name);
          if (it != row.end() && !it->is_null()) append_cell(text, cell_text(*it));
        }
        text += "\r\n";
      }
    }
    if (auto written = write(directory / table.path, text); !written) return written;
  }
  return write(directory / "datapackage.json", schemas.datapackage().dump(2) + "\n");
}

}  // namespace needsmap::registry
