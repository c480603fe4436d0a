// needsmap report: a campaign's published results as a file (HTML, PDF, DOCX or XLSX), the same
// report the public page /r/{municipality}/{campaign} offers; needsmap programme: the draft
// Programme (in Macedonian the Local Social Plan) made with the municipality's latest published
// results. Only published results are written: what a municipality puts out is what the
// coordinator published, not whatever the answers say today.
#include <filesystem>
#include <fstream>
#include <iostream>

#include "app/cli.hpp"
#include "report/render.hpp"
#include "store/published.hpp"

namespace needsmap::cli {

namespace {

struct ReportOptions {
  std::string db, campaign, format, out, language{"sr-Cyrl"};
};

struct ProgrammeOptions {
  std::string db, municipality, format, out, language{"sr-Cyrl"};
};

// Writes next to the file and renames it into place, so a failure leaves no half-written file.
Result<void> write_whole(const std::string& path, const std::string& bytes) {
  const std::string partial = path + ".partial";
  {
    std::ofstream out(partial, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.close();
    if (!out) {
      std::filesystem::remove(partial);
      return std::unexpected(Error::io("cannot write " + path));
    }
  }
  std::error_code ec;
  std::filesystem::rename(partial, path, ec);
  if (ec) return std::unexpected(Error::io("cannot write " + path + ": " + ec.message()));
  return {};
}

// Writes the published document of `kind` in `language` (or the Serbian Cyrillic one) as `format`.
int write_document(const std::string& documents, std::string_view kind, const std::string& language,
                   const std::string& format, const std::string& out) {
  auto document = report::chosen_document(documents, kind, language);
  if (!document) return fail(document.error().message);
  if (document->language != language) {
    std::cerr << "needsmap: not published in " << language << "; writing " << document->language
              << "\n";
  }
  auto bytes = report::render(*document, format);
  if (!bytes) return fail(bytes.error().message);
  auto written = write_whole(out, *bytes);
  if (!written) return fail(written.error().message);
  std::cerr << "needsmap: wrote " << out << " (" << bytes->size() << " bytes)\n";
  return 0;
}

int write_report(const ReportOptions& o) {
  auto [store, campaign, q] = open_campaign(o.db, o.campaign);
  auto published = store::find_published_results(*store, campaign.id);
  if (!published) {
    return fail("the results of " + o.campaign +
                " are not published: a coordinator publishes them on /admin/m/" +
                campaign.municipality_slug + "/c/" + campaign.slug + "/publish");
  }
  return write_document(published->documents, "results", o.language, o.format, o.out);
}

int write_programme(const ProgrammeOptions& o) {
  auto store = open_store(o.db);
  auto municipality = store->find_municipality(o.municipality);
  if (!municipality) return fail("no municipality " + o.municipality);
  // The latest campaign whose published results carry a draft (a citizens' campaign).
  std::optional<store::PublishedResults> latest;
  for (const auto& campaign : store->list_campaigns(municipality->id)) {
    auto published = store::find_published_results(*store, campaign.id);
    if (published && report::chosen_document(published->documents, "programme", "sr-Cyrl") &&
        (!latest || campaign.id > latest->campaign_id)) {
      latest = std::move(published);
    }
  }
  if (!latest) {
    return fail("no published results of " + o.municipality +
                " carry a draft Programme: publish a citizens' campaign's results first");
  }
  return write_document(latest->documents, "programme", o.language, o.format, o.out);
}
}  // namespace

void add_report_command(CLI::App& app, Context& context) {
  auto o = std::make_shared<ReportOptions>();
  auto* cmd = app.add_subcommand("report", "write a campaign's published results as a file");
  cmd->add_option("--db", o->db, database_help)->required();
  cmd->add_option("--campaign", o->campaign, "MUNICIPALITY/CAMPAIGN")->required();
  cmd->add_option("--format", o->format, "html, pdf, docx or xlsx")
      ->required()
      ->check(CLI::IsMember({"html", "pdf", "docx", "xlsx"}));
  cmd->add_option("--out", o->out, "output file")->required();
  cmd->add_option("--lang", o->language, "sr-Cyrl (default), sr-Latn, en or mk")
      ->check(CLI::IsMember({"sr-Cyrl", "sr-Latn", "en", "mk"}));
  on_run(cmd, context, [o] { return write_report(*o); });

  auto p = std::make_shared<ProgrammeOptions>();
  auto* programme = app.add_subcommand(
      "programme", "write the draft Programme made with a municipality's published results");
  programme->add_option("--db", p->db, database_help)->required();
  programme->add_option("--municipality", p->municipality, "MUNICIPALITY")->required();
  programme->add_option("--format", p->format, "docx or pdf")
      ->required()
      ->check(CLI::IsMember({"docx", "pdf", "html"}));
  programme->add_option("--out", p->out, "output file")->required();
  programme->add_option("--lang", p->language, "sr-Cyrl (default), sr-Latn, en or mk")
      ->check(CLI::IsMember({"sr-Cyrl", "sr-Latn", "en", "mk"}));
  on_run(programme, context, [p] { return write_programme(*p); });
}

}  // namespace needsmap::cli
