// needsmap migrate, needsmap db copy: whole databases.
#include <iostream>

#include "app/cli.hpp"
#include "store/copy.hpp"

namespace needsmap::cli {

namespace {

int migrate(const std::string& location) {
  auto store = open_store(location, false);
  auto change = store->migrate();
  if (!change) return fail(change.error().message);
  std::cout << store::printable_location(location) << ": ";
  if (change->from == change->to) {
    std::cout << "schema version " << change->to << ", up to date\n";
  } else {
    std::cout << "schema version " << change->from << " → " << change->to << "\n";
  }
  return 0;
}

int copy_database(const std::string& from, const std::string& to) {
  auto source = open_store(from, false);
  auto target = open_store(to, false);
  auto copied = store::copy_database(*source, *target);
  if (!copied) return fail(copied.error().message);
  std::cout << "copied " << store::printable_location(from) << " to "
            << store::printable_location(to) << ":\n";
  for (const auto& table : *copied) std::cout << "  " << table.name << "\t" << table.rows << "\n";
  return 0;
}

}  // namespace

void add_database_commands(CLI::App& app, Context& context) {
  auto migrate_db = std::make_shared<std::string>();
  auto* migrate_cmd = app.add_subcommand("migrate", "create or upgrade a database's schema");
  migrate_cmd->add_option("--db", *migrate_db, database_help)->required();
  on_run(migrate_cmd, context, [migrate_db] { return migrate(*migrate_db); });

  auto copy = std::make_shared<std::pair<std::string, std::string>>();  // from, to
  auto* db_cmd = app.add_subcommand("db", "work with whole databases");
  db_cmd->require_subcommand(1);
  auto* copy_cmd = db_cmd->add_subcommand("copy", "copy everything into an empty database");
  copy_cmd->add_option("--from", copy->first, "the database to copy: " + std::string(database_help))
      ->required();
  copy_cmd
      ->add_option("--to", copy->second,
                   "the empty database to fill: " + std::string(database_help))
      ->required();
  on_run(copy_cmd, context, [copy] { return copy_database(copy->first, copy->second); });
}

}  // namespace needsmap::cli
