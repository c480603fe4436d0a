// needsmap export: a campaign's responses as a file.
#include <fstream>
#include <iostream>

#include "app/cli.hpp"
#include "collect/collect.hpp"
#include "collect/export_csv.hpp"

namespace needsmap::cli {

namespace {

struct ExportOptions {
  std::string db, campaign, format{"csv"}, out, language{"sr-Cyrl"};
  bool labels{false};
};

int export_responses(const ExportOptions& o) {
  auto store = open_store(o.db);
  auto [m, c] = split_campaign(o.campaign);
  auto campaign = store->find_campaign(m, c);
  if (!campaign) return fail("no campaign " + o.campaign);
  collect::QuestionnaireCache cache;
  auto q = cache.get(*store, campaign->questionnaire_version_id);
  if (!q) return fail(q.error().message);
  std::ofstream out(o.out, std::ios::binary | std::ios::trunc);
  if (!out) return fail("cannot write " + o.out);
  collect::CsvOptions options{o.labels, o.language, true};
  auto count = collect::export_csv(*store, *campaign, **q, options, out);
  if (!count) return fail(count.error().message);
  std::cout << "exported " << *count << " responses to " << o.out << "\n";
  return 0;
}

}  // namespace

void add_export_command(CLI::App& app, Context& context) {
  auto o = std::make_shared<ExportOptions>();
  auto* cmd = app.add_subcommand("export", "export a campaign's responses");
  cmd->add_option("--db", o->db, database_help)->required();
  cmd->add_option("--campaign", o->campaign, "MUNICIPALITY/CAMPAIGN")->required();
  cmd->add_option("--format", o->format, "csv")->check(CLI::IsMember({"csv"}));
  cmd->add_option("--out", o->out, "output file")->required();
  cmd->add_flag("--labels", o->labels, "choice labels instead of choice names");
  cmd->add_option("--language", o->language, "language of the labels");
  on_run(cmd, context, [o] { return export_responses(*o); });
}

}  // namespace needsmap::cli
