// needsmap registry import|export|validate: a municipality's registry of providers and services
// as an HSDS 3.0 JSON document or a Tabular Data Package (docs/registry.md).
#include <fstream>
#include <iostream>
#include <sstream>

#include "app/cli.hpp"
#include "core/progress.hpp"
#include "registry/datapackage.hpp"
#include "registry/hsds_json.hpp"
#include "registry/storage.hpp"

namespace needsmap::cli {

namespace {

struct RegistryOptions {
  std::string db, municipality, format{"json"}, path;
};

registry::Schemas load_schemas(const collect::ShareDir& share) {
  auto schemas = registry::Schemas::load(share.hsds());
  if (!schemas) throw std::runtime_error(schemas.error().message);
  return std::move(*schemas);
}

// The file's registry, or every problem found printed and nullopt.
std::optional<registry::Registry> read_registry(const registry::Schemas& schemas,
                                                const RegistryOptions& o) {
  auto read = o.format == "datapackage" ? registry::read_datapackage(schemas, o.path)
                                        : registry::read_document(schemas, read_file(o.path));
  if (read) return std::move(*read);
  for (const registry::Issue& issue : read.error()) {
    std::cerr << o.path << ": " << issue.to_string() << '\n';
  }
  fail(o.path + ": " + std::to_string(read.error().size()) + " error(s)");
  return std::nullopt;
}

std::string counts(const registry::Schemas& schemas, const registry::Registry& r) {
  std::string out;
  for (const registry::Table& t : schemas.tables()) {
    auto rows = r.tables.find(t.name);
    if (rows == r.tables.end() || rows->second.empty()) continue;
    out += (out.empty() ? "" : ", ") + std::to_string(rows->second.size()) + " " + t.collection();
  }
  return out.empty() ? "nothing" : out;
}

store::Municipality find_municipality(store::Store& store, const std::string& slug) {
  auto m = store.find_municipality(slug);
  if (!m) throw std::runtime_error("no municipality " + slug);
  return *m;
}

bool check_format(const RegistryOptions& o) {
  return o.format == "json" || o.format == "datapackage";
}

int import_registry(const RegistryOptions& o, const collect::ShareDir& share) {
  if (!check_format(o)) return fail("--format must be json or datapackage");
  const registry::Schemas schemas = load_schemas(share);
  auto read = read_registry(schemas, o);
  if (!read) return fail("nothing imported");
  auto store = open_store(o.db);
  const store::Municipality m = find_municipality(*store, o.municipality);
  std::uint64_t total = read->size();
  ProgressBar bar("importing " + o.municipality, total);
  auto stored = registry::replace_registry(*store, m.id, *read, [&] { bar.advance(); });
  if (!stored) return fail(stored.error().message);
  std::cout << o.path << ": imported " << counts(schemas, *read) << " into " << m.slug
            << " (its registry replaced)\n";
  return 0;
}

int export_registry(const RegistryOptions& o, const collect::ShareDir& share) {
  if (!check_format(o)) return fail("--format must be json or datapackage");
  const registry::Schemas schemas = load_schemas(share);
  auto store = open_store(o.db);
  const store::Municipality m = find_municipality(*store, o.municipality);
  const registry::Registry r = registry::load_registry(*store, m.id);
  if (o.format == "datapackage") {
    auto written = registry::write_datapackage(schemas, r, o.path);
    if (!written) return fail(written.error().message);
  } else {
    std::ofstream out(o.path, std::ios::binary | std::ios::trunc);
    out << registry::write_document(schemas, r);
    out.close();
    if (!out) return fail("cannot write " + o.path);
  }
  std::cout << "wrote " << counts(schemas, r) << " of " << m.slug << " to " << o.path << '\n';
  return 0;
}

int validate_registry(const RegistryOptions& o, const collect::ShareDir& share) {
  if (!check_format(o)) return fail("--format must be json or datapackage");
  const registry::Schemas schemas = load_schemas(share);
  auto read = read_registry(schemas, o);
  if (!read) return 1;
  std::cout << o.path << ": valid HSDS 3.0 (needsmap profile), " << counts(schemas, *read) << '\n';
  return 0;
}

}  // namespace

void add_registry_commands(CLI::App& app, Context& context) {
  auto* group = app.add_subcommand(
      "registry", "the registry of providers and services (HSDS 3.0): import, export, validate");
  group->require_subcommand(1);
  const char* format_help =
      "json (an HSDS JSON document) or datapackage (a directory of CSV "
      "files with datapackage.json)";

  auto in = std::make_shared<RegistryOptions>();
  auto* import_cmd = group->add_subcommand(
      "import",
      "replace a municipality's registry by a file's, all or nothing, after checking "
      "it against the HSDS 3.0 schemas");
  import_cmd->add_option("--db", in->db, database_help)->required();
  import_cmd->add_option("--municipality", in->municipality, "the municipality's slug")->required();
  import_cmd->add_option("--format", in->format, format_help);
  import_cmd->add_option("PATH", in->path, "the file (json) or directory (datapackage)")
      ->required();
  on_run(import_cmd, context, [in, &context] { return import_registry(*in, context.share()); });

  auto out = std::make_shared<RegistryOptions>();
  auto* export_cmd = group->add_subcommand("export", "write a municipality's registry");
  export_cmd->add_option("--db", out->db, database_help)->required();
  export_cmd->add_option("--municipality", out->municipality, "the municipality's slug")
      ->required();
  export_cmd->add_option("--format", out->format, format_help);
  export_cmd->add_option("PATH", out->path, "the file (json) or directory (datapackage)")
      ->required();
  on_run(export_cmd, context, [out, &context] { return export_registry(*out, context.share()); });

  auto check = std::make_shared<RegistryOptions>();
  auto* validate_cmd = group->add_subcommand(
      "validate", "check a file against the HSDS 3.0 schemas and the needsmap profile");
  validate_cmd->add_option("--format", check->format, format_help);
  validate_cmd->add_option("PATH", check->path, "the file (json) or directory (datapackage)")
      ->required();
  on_run(validate_cmd, context,
         [check, &context] { return validate_registry(*check, context.share()); });
}

}  // namespace needsmap::cli
