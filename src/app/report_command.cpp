// needsmap report: a campaign's published results as a file (HTML, PDF, DOCX or XLSX), the same
// report the public page /r/{municipality}/{campaign} offers. Only published results are
// written: what a municipality puts out is what the coordinator published, not whatever the
// answers say today.
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

int write_report(const ReportOptions& o) {
  auto [store, campaign, q] = open_campaign(o.db, o.campaign);
  auto published = store::find_published_results(*store, campaign.id);
  if (!published) {
    return fail("the results of " + o.campaign +
                " are not published: a coordinator publishes them on /admin/m/" +
                campaign.municipality_slug + "/c/" + campaign.slug + "/publish");
  }
  auto document = report::chosen_document(published->documents, o.language);
  if (!document) return fail(document.error().message);
  if (document->language != o.language) {
    std::cerr << "needsmap: the results are not published in " << o.language << "; writing "
              << document->language << "\n";
  }
  auto bytes = report::render(*document, o.format);
  if (!bytes) return fail(bytes.error().message);
  auto written = write_whole(o.out, *bytes);
  if (!written) return fail(written.error().message);
  std::cerr << "needsmap: wrote " << o.out << " (" << bytes->size() << " bytes, published "
            << published->published_on << ")\n";
  return 0;
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
}

}  // namespace needsmap::cli
