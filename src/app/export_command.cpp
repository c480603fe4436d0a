// needsmap export: a campaign's responses, or its codebook, as a file.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "app/cli.hpp"
#include "collect/collect.hpp"
#include "collect/export_codebook.hpp"
#include "collect/export_csv.hpp"
#include "collect/export_sav.hpp"
#include "collect/export_xlsx.hpp"

namespace needsmap::cli {

namespace {

struct ExportOptions {
  std::string db, campaign, format{"csv"}, out, language{"sr-Cyrl"};
  bool labels{false};
};

// Runs `write` on the output file opened as a stream, and checks the stream once it is closed.
template <typename Write>
auto to_stream(const std::string& path, Write write)
    -> decltype(write(std::declval<std::ostream&>())) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return std::unexpected(Error::io("cannot write " + path));
  auto result = write(out);
  out.close();
  if (result && !out) return std::unexpected(Error::io("cannot write " + path));
  return result;
}

int export_responses(const ExportOptions& o) {
  auto [store, campaign, q] = open_campaign(o.db, o.campaign);
  const auto& languages = q->languages();
  if (std::ranges::find(languages, o.language) == languages.end()) {
    std::string known;
    for (const auto& l : languages) known += (known.empty() ? "" : ", ") + l;
    return fail("the questionnaire has no language " + o.language + " (it has " + known + ")");
  }
  collect::ExportOptions options{o.labels, o.language};

  Result<std::size_t> count = 0;
  if (o.format == "csv") {
    count = to_stream(o.out, [&](std::ostream& out) {
      return collect::export_csv(*store, campaign, *q, {o.labels, o.language, true}, out);
    });
  } else if (o.format == "xlsx") {
    count = to_stream(o.out, [&](std::ostream& out) {
      return collect::export_xlsx(*store, campaign, *q, options, out);
    });
  } else if (o.format == "sav") {
    count = to_stream(o.out, [&](std::ostream& out) {
      return collect::export_sav(*store, campaign, *q, options, out);
    });
  } else {
    collect::ExportColumns columns(*q);
    auto written = to_stream(o.out, [&](std::ostream& out) {
      return o.format == "codebook-html"
                 ? collect::write_codebook_html(columns, campaign, o.language, out)
                 : collect::write_codebook_csv(columns, o.language, out);
    });
    if (!written) {
      std::filesystem::remove(o.out);
      return fail(written.error().message);
    }
    std::cout << "wrote the codebook of " << o.campaign << " (" << columns.columns().size()
              << " variables) to " << o.out << "\n";
    return 0;
  }
  if (!count) {
    // Never leave half a file behind that could pass for a whole one.
    std::error_code ignored;
    std::filesystem::remove(o.out, ignored);
    return fail(count.error().message);
  }
  std::cout << "exported " << *count << " responses to " << o.out << "\n";
  return 0;
}

}  // namespace

void add_export_command(CLI::App& app, Context& context) {
  auto o = std::make_shared<ExportOptions>();
  auto* cmd = app.add_subcommand("export", "export a campaign's responses or its codebook");
  cmd->add_option("--db", o->db, database_help)->required();
  cmd->add_option("--campaign", o->campaign, "MUNICIPALITY/CAMPAIGN")->required();
  cmd->add_option("--format", o->format, "csv, xlsx, sav, codebook-html or codebook-csv")
      ->check(CLI::IsMember({"csv", "xlsx", "sav", "codebook-html", "codebook-csv"}));
  cmd->add_option("--out", o->out, "output file")->required();
  cmd->add_flag("--labels", o->labels, "CSV and XLSX: choice labels instead of choice names");
  cmd->add_option("--language", o->language,
                  "language of the labels (sr-Cyrl, sr-Latn, en, mk, … as the questionnaire has)");
  on_run(cmd, context, [o] { return export_responses(*o); });
}

}  // namespace needsmap::cli
