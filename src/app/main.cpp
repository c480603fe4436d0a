// needsmap: the command line. Every subcommand is a thin layer over the modules, registered by
// its own file (app/cli.hpp).
#include <spdlog/spdlog.h>

#include "app/cli.hpp"

int main(int argc, char** argv) {
  using namespace needsmap;
  CLI::App app{"needsmap — mapping social-protection needs and resources of a municipality"};
  app.require_subcommand(1);
  cli::Context context{NEEDSMAP_SHARE_DIR};
  app.add_option("--share", context.share_root,
                 "folder holding templates/, i18n/, questionnaires/, data/ and static/");
  cli::add_serve_command(app, context);
  cli::add_campaign_commands(app, context);
  cli::add_interop_commands(app, context);
  cli::add_registry_commands(app, context);
  cli::add_export_command(app, context);
  cli::add_analyze_command(app, context);
  cli::add_report_command(app, context);
  cli::add_database_commands(app, context);
  cli::add_user_commands(app, context);
  cli::add_generate_command(app, context);

  spdlog::set_pattern("%Y-%m-%d %H:%M:%S %l %v");
  try {
    app.parse(argc, argv);  // runs the chosen command
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const std::exception& e) {
    return cli::fail(e.what());
  }
  return context.exit_code;
}
