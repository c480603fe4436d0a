// needsmap migrate, needsmap db copy, needsmap backup, needsmap restore: whole databases.
#include <iostream>

#include "app/cli.hpp"
#include "store/backup.hpp"
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

void print_tables(const std::vector<store::CopiedTable>& tables) {
  for (const auto& table : tables) std::cout << "  " << table.name << "\t" << table.rows << "\n";
}

int copy_database(const std::string& from, const std::string& to) {
  auto source = open_store(from, false);
  auto target = open_store(to, false);
  auto copied = store::copy_database(*source, *target);
  if (!copied) return fail(copied.error().message);
  std::cout << "copied " << store::printable_location(from) << " to "
            << store::printable_location(to) << ":\n";
  print_tables(*copied);
  return 0;
}

struct BackupArguments {
  std::string db, out;
  bool force{false};
};

int backup(const BackupArguments& o) {
  auto report = store::backup_database(o.db, o.out, {o.force});
  if (!report) return fail(report.error().message);
  std::cout << "backed up " << store::printable_location(o.db) << " to " << o.out
            << " (schema version " << report->schema_version << "):\n";
  print_tables(report->tables);
  return 0;
}

int restore(const std::string& from, const std::string& db) {
  auto report = store::restore_database(from, db);
  if (!report) return fail(report.error().message);
  std::cout << "restored " << from << " into " << store::printable_location(db) << ":\n";
  print_tables(report->tables);
  if (report->schema.from != report->schema.to) {
    std::cout << "the backup was made by an older needsmap: schema version " << report->schema.from
              << " → " << report->schema.to << "\n";
  }
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

  auto b = std::make_shared<BackupArguments>();
  auto* backup_cmd = app.add_subcommand(
      "backup", "write a consistent backup of a database to one file, while servers run");
  backup_cmd->add_option("--db", b->db, "the database to back up: " + std::string(database_help))
      ->required();
  backup_cmd->add_option("--out", b->out, "the backup file to write (an SQLite file)")->required();
  backup_cmd->add_flag("--force", b->force, "replace an existing backup file");
  on_run(backup_cmd, context, [b] { return backup(*b); });

  auto r = std::make_shared<std::pair<std::string, std::string>>();  // from, db
  auto* restore_cmd = app.add_subcommand("restore", "restore a backup into an empty database");
  restore_cmd->add_option("--from", r->first, "a backup file made by `needsmap backup`")
      ->required();
  restore_cmd
      ->add_option("--db", r->second,
                   "the empty database to restore into: a new file or a postgresql:// URL")
      ->required();
  on_run(restore_cmd, context, [r] { return restore(r->first, r->second); });
}

}  // namespace needsmap::cli
