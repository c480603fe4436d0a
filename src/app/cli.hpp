// What every command of the command line shares: where the data files are, how a command fails,
// and how it opens the database. Each command group registers itself on the CLI11 app.
#pragma once

#include <CLI/CLI.hpp>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "collect/campaigns.hpp"
#include "store/store.hpp"

namespace needsmap::cli {

struct Context {
  std::string share_root;  // --share
  int exit_code{0};        // set by the command that ran
  collect::ShareDir share() const { return collect::ShareDir{share_root}; }
};

inline constexpr const char* database_help = "an SQLite database file or a postgresql:// URL";

// Prints "needsmap: message" on standard error; returns the exit code 1.
int fail(const std::string& message);

// The whole of a file; throws a message for the user when it cannot be read.
std::string read_file(const std::filesystem::path& path);

// Opens a database (and creates or upgrades its schema unless `migrate` is false); throws a
// message for the user when it cannot.
std::unique_ptr<store::Store> open_store(const std::string& location, bool migrate = true);

// "demo/citizens" → {"demo", "citizens"}; throws a message for the user otherwise.
std::pair<std::string, std::string> split_campaign(const std::string& value);

// A campaign named on the command line ("demo/citizens"), with its database and questionnaire;
// throws a message for the user when any of them is missing.
struct OpenCampaign {
  std::unique_ptr<store::Store> store;
  store::Campaign campaign;
  std::shared_ptr<const questionnaire::Questionnaire> questionnaire;
};
OpenCampaign open_campaign(const std::string& database, const std::string& name);

// A date (2025-11-10) or time (2025-11-10T08:00Z) option; none when empty.
std::optional<std::int64_t> parse_time_option(const std::string& value, const char* option);

// Runs `command` when the subcommand was given, storing its exit code in the context.
template <typename Command>
void on_run(CLI::App* subcommand, Context& context, Command command) {
  subcommand->callback([&context, command] { context.exit_code = command(); });
}

void add_serve_command(CLI::App& app, Context& context);
void add_campaign_commands(CLI::App& app, Context& context);
void add_export_command(CLI::App& app, Context& context);
void add_analyze_command(CLI::App& app, Context& context);
void add_database_commands(CLI::App& app, Context& context);
void add_user_commands(CLI::App& app, Context& context);
void add_generate_command(CLI::App& app, Context& context);
// Needs the questionnaire group: call after add_campaign_commands.
void add_interop_commands(CLI::App& app, Context& context);
void add_registry_commands(CLI::App& app, Context& context);
void add_report_command(CLI::App& app, Context& context);

}  // namespace needsmap::cli
