// needsmap questionnaire check, needsmap campaign create|open|close|list|poster.
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "app/cli.hpp"
#include "collect/collect.hpp"
#include "questionnaire/loader.hpp"
#include "report/poster.hpp"
#include "web/i18n.hpp"

namespace needsmap::cli {

namespace {

int questionnaire_check(const std::vector<std::string>& files, const collect::ShareDir& share) {
  auto catalogs = questionnaire::load_catalogs(share.catalogs());
  if (!catalogs) return fail(collect::describe(catalogs.error()));
  int failures = 0;
  for (const auto& file : files) {
    auto q = questionnaire::load_questionnaire_file(file, *catalogs);
    if (!q) {
      std::cerr << collect::describe(q.error()) << '\n';
      ++failures;
      continue;
    }
    std::size_t answerable = 0;
    for (const auto& question : q->questions())
      answerable += questionnaire::takes_answer(question.type);
    std::cout << file << ": ok — " << q->name() << " " << q->version() << ", "
              << q->sections().size() << " sections, " << answerable << " questions\n";
  }
  return failures == 0 ? 0 : 1;
}

struct CreateOptions {
  std::string db, municipality, campaign, questionnaire, opens, closes, contact;
  std::string municipality_name, municipality_name_en, municipality_name_mk, statistical_code;
};

int create_campaign(const CreateOptions& o, const collect::ShareDir& share) {
  auto store = open_store(o.db);
  if (!o.municipality_name.empty()) {
    store::Municipality m;
    m.slug = o.municipality;
    m.name_cyrl = o.municipality_name;
    m.name_en = o.municipality_name_en;
    m.name_mk = o.municipality_name_mk;
    m.statistical_code = o.statistical_code;
    store->upsert_municipality(m);
  }
  collect::CampaignSpec spec{o.municipality,
                             o.campaign,
                             o.questionnaire,
                             parse_time_option(o.opens, "--opens"),
                             parse_time_option(o.closes, "--closes"),
                             store::CampaignStatus::draft,
                             o.contact,
                             std::nullopt};
  auto created = collect::create_campaign(*store, share, spec);
  if (!created) return fail(created.error().message);
  std::cout << "created campaign " << o.municipality << "/" << o.campaign
            << " (draft); open it with: needsmap campaign open --db "
            << store::printable_location(o.db) << " --campaign " << o.municipality << "/"
            << o.campaign << "\n";
  return 0;
}

int set_status(const std::string& db, const std::string& name, store::CampaignStatus status) {
  auto store = open_store(db);
  auto [m, c] = split_campaign(name);
  auto campaign = store->find_campaign(m, c);
  if (!campaign) return fail("no campaign " + name);
  campaign->status = status;
  store->update_campaign(*campaign);
  std::cout << name << " is now " << store::to_string(campaign->status) << "\n";
  return 0;
}

int list_campaigns(const std::string& db) {
  auto store = open_store(db);
  for (const auto& c : store->list_campaigns()) {
    std::cout << c.municipality_slug << "/" << c.slug << "\t" << store::to_string(c.status) << "\t"
              << store->count_responses(c.id) << " responses\n";
  }
  return 0;
}

struct PosterOptions {
  std::string db, campaign, base_url, language{"sr-Cyrl"}, out;
};

int write_poster(const PosterOptions& o, const collect::ShareDir& share) {
  if (!report::is_poster_language(o.language)) {
    return fail("--language must be sr-Cyrl, sr-Latn, en or mk, not \"" + o.language + "\"");
  }
  auto translations = web::Translations::load(share.i18n());
  if (!translations) return fail(translations.error().message);
  auto [store, campaign, q] = open_campaign(o.db, o.campaign);
  auto municipality = store->find_municipality(campaign.municipality_slug);
  if (!municipality) return fail("no municipality " + campaign.municipality_slug);
  auto content = report::build_poster_content(
      {campaign, *municipality, *q}, o.language, o.base_url,
      [&t = *translations](std::string_view language, std::string_view key,
                           const nlohmann::json& arguments) {
        return t.format(language, key, arguments);
      });
  if (!content) return fail(content.error().message);
  auto pdf = report::render_poster_pdf(*content);
  if (!pdf) return fail(pdf.error().message);

  std::ofstream out(o.out, std::ios::binary | std::ios::trunc);
  if (!out) return fail("cannot write " + o.out + ": " + std::strerror(errno));
  out.write(pdf->data(), static_cast<std::streamsize>(pdf->size()));
  out.close();
  if (!out) {
    std::error_code ignored;
    std::filesystem::remove(o.out, ignored);
    return fail("cannot write " + o.out);
  }
  std::cout << "wrote the poster of " << o.campaign << " (" << o.language << ") to " << o.out
            << ": " << content->url << "\n";
  return 0;
}

}  // namespace

void add_campaign_commands(CLI::App& app, Context& context) {
  auto* q_cmd = app.add_subcommand("questionnaire", "work with questionnaire files");
  q_cmd->require_subcommand(1);
  auto files = std::make_shared<std::vector<std::string>>();
  auto* check_cmd = q_cmd->add_subcommand("check", "check questionnaire files for errors");
  check_cmd->add_option("FILE", *files, "questionnaire JSON files")->required();
  on_run(check_cmd, context,
         [files, &context] { return questionnaire_check(*files, context.share()); });

  auto* c_cmd = app.add_subcommand("campaign", "create, open, close and list campaigns");
  c_cmd->require_subcommand(1);
  auto o = std::make_shared<CreateOptions>();
  auto* create_cmd = c_cmd->add_subcommand("create", "create a campaign (as a draft)");
  create_cmd->add_option("--db", o->db, database_help)->required();
  create_cmd->add_option("--municipality", o->municipality, "municipality slug")->required();
  create_cmd->add_option("--municipality-name", o->municipality_name,
                         "the municipality's name in Cyrillic (creates the municipality)");
  create_cmd->add_option("--municipality-name-en", o->municipality_name_en, "its name in English");
  create_cmd->add_option("--municipality-name-mk", o->municipality_name_mk,
                         "its name in Macedonian");
  create_cmd->add_option("--statistical-code", o->statistical_code, "its statistical code");
  create_cmd->add_option("--campaign", o->campaign, "campaign slug, e.g. needs-2025")->required();
  create_cmd
      ->add_option("--questionnaire", o->questionnaire,
                   "a bundled questionnaire name (citizens, users, …) or a file")
      ->required();
  create_cmd->add_option("--opens", o->opens, "when it opens (2025-11-10 or 2025-11-10T08:00Z)");
  create_cmd->add_option("--closes", o->closes, "when it closes");
  create_cmd->add_option("--contact", o->contact, "whom respondents may ask (e-mail, phone)");
  on_run(create_cmd, context, [o, &context] { return create_campaign(*o, context.share()); });

  auto status = std::make_shared<std::pair<std::string, std::string>>();  // db, campaign
  auto* open_cmd = c_cmd->add_subcommand("open", "open a campaign for answers");
  auto* close_cmd = c_cmd->add_subcommand("close", "close a campaign");
  for (auto* cmd : {open_cmd, close_cmd}) {
    cmd->add_option("--db", status->first, database_help)->required();
    cmd->add_option("--campaign", status->second, "MUNICIPALITY/CAMPAIGN")->required();
  }
  on_run(open_cmd, context, [status] {
    return set_status(status->first, status->second, store::CampaignStatus::open);
  });
  on_run(close_cmd, context, [status] {
    return set_status(status->first, status->second, store::CampaignStatus::closed);
  });
  auto* list_cmd = c_cmd->add_subcommand("list", "list campaigns");
  list_cmd->add_option("--db", status->first, database_help)->required();
  on_run(list_cmd, context, [status] { return list_campaigns(status->first); });

  auto poster = std::make_shared<PosterOptions>();
  auto* poster_cmd = c_cmd->add_subcommand(
      "poster", "write a campaign's printable A4 poster with a QR code (PDF)");
  poster_cmd->add_option("--db", poster->db, database_help)->required();
  poster_cmd->add_option("--campaign", poster->campaign, "MUNICIPALITY/CAMPAIGN")->required();
  poster_cmd
      ->add_option("--base-url", poster->base_url,
                   "the server's public address, e.g. https://anketa.example.org")
      ->required();
  poster_cmd->add_option("--language", poster->language, "sr-Cyrl (default), sr-Latn, en or mk");
  poster_cmd->add_option("--out", poster->out, "the PDF file to write")->required();
  on_run(poster_cmd, context,
         [poster, &context] { return write_poster(*poster, context.share()); });
}

}  // namespace needsmap::cli
