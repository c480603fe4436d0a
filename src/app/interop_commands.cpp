// needsmap questionnaire import|export (XLSForm in and out, LimeSurvey in) and
// needsmap import responses (answers typed into a spreadsheet).
#include <charconv>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "app/cli.hpp"
#include "core/clock.hpp"
#include "interop/questionnaire_import.hpp"
#include "interop/response_import.hpp"
#include "interop/xlsform_export.hpp"
#include "questionnaire/loader.hpp"
#include "web/i18n.hpp"
#include "web/issue_text.hpp"

namespace needsmap::cli {

namespace {

struct ImportOptions {
  std::string file, db, out;
};

int import_questionnaire(const ImportOptions& o, const collect::ShareDir& share) {
  auto catalogs = questionnaire::load_catalogs(share.catalogs());
  if (!catalogs) return fail(collect::describe(catalogs.error()));
  auto imported = interop::import_questionnaire_file(o.file, *catalogs);
  const interop::SheetNotes& skipped = imported ? imported->skipped : imported.error().skipped;
  for (const auto& note : skipped) std::cout << "not imported: " << note.to_string(o.file) << '\n';
  if (!imported) {
    std::cerr << interop::describe(imported.error().errors, o.file) << '\n';
    return fail(o.file + ": not imported, " + std::to_string(imported.error().errors.size()) +
                " error(s)");
  }
  const auto& q = imported->questionnaire;
  std::size_t answerable = 0;
  for (const auto& question : q.questions())
    answerable += questionnaire::takes_answer(question.type);
  std::cout << o.file << ": " << q.name() << " " << q.version() << ", " << q.sections().size()
            << " sections, " << answerable << " questions";
  if (!skipped.empty()) std::cout << ", " << skipped.size() << " thing(s) not imported";
  std::cout << '\n';
  if (!o.out.empty()) {
    std::ofstream out(o.out, std::ios::binary | std::ios::trunc);
    out << imported->document.dump(2) << '\n';
    out.close();
    if (!out) return fail("cannot write " + o.out);
    std::cout << "wrote " << o.out << '\n';
  }
  if (!o.db.empty()) {
    auto store = open_store(o.db);
    auto id = store->store_questionnaire_version(q.name(), q.version(), q.resolved().dump());
    if (!id) return fail(id.error().message);
    std::cout << "stored as questionnaire version " << *id << " in "
              << store::printable_location(o.db) << '\n';
  }
  return 0;
}

struct ExportOptions {
  std::string id, db, format{"xlsform"}, out;
};

// ID: a stored version number (with --db), a bundled questionnaire's name, or a file.
Result<nlohmann::json> find_questionnaire(const ExportOptions& o, const collect::ShareDir& share) {
  if (!o.db.empty()) {
    std::int64_t id = 0;
    auto [end, ec] = std::from_chars(o.id.data(), o.id.data() + o.id.size(), id);
    if (ec != std::errc() || end != o.id.data() + o.id.size()) {
      return std::unexpected(Error::invalid("with --db, ID is a questionnaire version number"));
    }
    auto store = open_store(o.db);
    auto version = store->find_questionnaire_version(id);
    if (!version) return std::unexpected(Error::not_found("no questionnaire version " + o.id));
    return nlohmann::json::parse(version->content);
  }
  std::filesystem::path file = o.id;
  if (!file.has_extension() && !file.has_parent_path()) {
    file = share.questionnaires() / (o.id + ".json");
  }
  auto catalogs = questionnaire::load_catalogs(share.catalogs());
  if (!catalogs) return std::unexpected(Error::invalid(collect::describe(catalogs.error())));
  auto q = questionnaire::load_questionnaire_file(file, *catalogs);
  if (!q) return std::unexpected(Error::invalid(collect::describe(q.error())));
  return q->resolved();
}

int export_questionnaire(const ExportOptions& o, const collect::ShareDir& share) {
  if (o.format != "xlsform") return fail("--format must be xlsform");
  auto resolved = find_questionnaire(o, share);
  if (!resolved) return fail(resolved.error().message);
  auto written = interop::export_xlsform(*resolved, o.out);
  if (!written) {
    std::error_code ignored;
    std::filesystem::remove(o.out, ignored);
    return fail(written.error().message);
  }
  std::cout << "wrote " << resolved->value("name", "") << " " << resolved->value("version", "")
            << " as XLSForm to " << o.out << '\n';
  return 0;
}

struct ResponsesOptions {
  std::string db, campaign, csv, xlsx, language{"en"};
  bool skip_invalid{false};
};

int import_responses(const ResponsesOptions& o, const collect::ShareDir& share) {
  if (o.csv.empty() == o.xlsx.empty()) return fail("give either --csv FILE or --xlsx FILE");
  auto translations = web::Translations::load(share.i18n());
  if (!translations) return fail(translations.error().message);
  if (!translations->supports(o.language))
    return fail("--language must be sr-Cyrl, sr-Latn, en or mk");
  const std::string& file = o.csv.empty() ? o.xlsx : o.csv;
  std::ifstream in(file, std::ios::binary);
  if (!in) return fail("cannot open " + file);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto book = interop::read_response_workbook(bytes, !o.csv.empty());
  if (!book) return fail(file + ": " + book.error().message);
  if (book->sheets.empty()) return fail(file + ": the workbook has no sheet");

  auto [store, campaign, q] = open_campaign(o.db, o.campaign);

  interop::ResponseImportOptions options{.skip_invalid = o.skip_invalid,
                                         .today = clock::today_utc(),
                                         .file_digest = interop::content_digest(bytes)};
  // The first sheet holds the answers (needsmap's own XLSX export puts them there).
  auto report = interop::import_responses(*store, campaign, *q, book->sheets.front(), options);
  for (const auto& note : report.ignored) std::cout << "ignored: " << note.to_string(file) << '\n';
  for (const auto& rejected : report.rejected) {
    for (const auto& issue : rejected.issues) {
      std::cerr << file << ": row " << rejected.row << ": "
                << (issue.question.empty() ? "" : issue.question + ": ")
                << web::answer_issue_text(*translations, o.language, *q, issue) << '\n';
    }
  }
  std::cout << file << ": " << report.rows << " rows, " << report.rejected.size() << " rejected, "
            << report.stored << " stored, " << report.already_stored << " already stored before\n";
  if (!report.rejected.empty() && !report.committed) {
    return fail(
        "nothing stored: fix the rejected rows, or give --skip-invalid to store the others");
  }
  return 0;
}

}  // namespace

void add_interop_commands(CLI::App& app, Context& context) {
  // The questionnaire group is registered by add_campaign_commands.
  auto* q_cmd = app.get_subcommand("questionnaire");

  auto in = std::make_shared<ImportOptions>();
  auto* import_cmd = q_cmd->add_subcommand(
      "import",
      "import an XLSForm (.xlsx, .csv) or a LimeSurvey survey (.lss): check it, write it as "
      "JSON, store it");
  import_cmd->add_option("FILE", in->file, "the XLSForm or .lss file")->required();
  import_cmd->add_option("--db", in->db,
                         std::string("store it as a questionnaire version in ") + database_help);
  import_cmd->add_option("--out", in->out, "write it as a needsmap questionnaire JSON file");
  on_run(import_cmd, context,
         [in, &context] { return import_questionnaire(*in, context.share()); });

  auto out = std::make_shared<ExportOptions>();
  auto* export_cmd = q_cmd->add_subcommand("export", "write a questionnaire as an XLSForm (.xlsx)");
  export_cmd
      ->add_option("ID", out->id,
                   "a bundled questionnaire (citizens, …), a JSON file, or with --db a stored "
                   "version number")
      ->required();
  export_cmd->add_option("--db", out->db, database_help);
  export_cmd->add_option("--format", out->format, "xlsform");
  export_cmd->add_option("--out", out->out, "the .xlsx file to write")->required();
  on_run(export_cmd, context,
         [out, &context] { return export_questionnaire(*out, context.share()); });

  auto* import_group = app.add_subcommand("import", "import data from other tools");
  import_group->require_subcommand(1);
  auto r = std::make_shared<ResponsesOptions>();
  auto* responses_cmd = import_group->add_subcommand(
      "responses", "store responses typed into a spreadsheet (one row per response)");
  responses_cmd->add_option("--db", r->db, database_help)->required();
  responses_cmd->add_option("--campaign", r->campaign, "MUNICIPALITY/CAMPAIGN")->required();
  responses_cmd->add_option("--csv", r->csv, "a CSV file (UTF-8, comma or semicolon)");
  responses_cmd->add_option("--xlsx", r->xlsx, "an .xlsx file (its first sheet)");
  responses_cmd->add_flag("--skip-invalid", r->skip_invalid,
                          "store the valid rows even when others are rejected");
  responses_cmd->add_option("--language", r->language,
                            "the language of the report of rejected rows: en (default), sr-Cyrl, "
                            "sr-Latn or mk");
  on_run(responses_cmd, context, [r, &context] { return import_responses(*r, context.share()); });
}

}  // namespace needsmap::cli
