// needsmap: the command line. Every subcommand is a thin layer over the modules.
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include <fstream>
#include <iostream>
#include <thread>

#include "collect/campaigns.hpp"
#include "collect/export_csv.hpp"
#include "core/clock.hpp"
#include "store/copy.hpp"
#include "web/app.hpp"

namespace {

using namespace needsmap;

int fail(const std::string& message) {
  std::cerr << "needsmap: " << message << '\n';
  return 1;
}

std::unique_ptr<store::Store> open_store(const std::string& location, bool migrate = true) {
  auto store = store::Store::open(location);
  if (!store) throw std::runtime_error(store.error().message);
  if (migrate) {
    auto migrated = (*store)->migrate();
    if (!migrated) throw std::runtime_error(migrated.error().message);
  }
  return std::move(*store);
}

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

std::optional<std::int64_t> parse_time_option(const std::string& value, const char* option) {
  if (value.empty()) return std::nullopt;
  auto parsed = clock::parse_utc(value);
  if (!parsed) {
    throw std::runtime_error(std::string(option) +
                             " must be a date (2025-11-10) or a time (2025-11-10T08:00Z)");
  }
  return parsed;
}

struct ServeOptions {
  std::string db;
  std::string host{"127.0.0.1"};
  unsigned short port{8080};
  bool demo{false};
  std::string rate_limit{"120/min"};
  unsigned threads{0};
  bool secure_cookies{false};
  std::vector<std::string> trusted_proxies;
};

// Expired drafts are deleted every ten minutes, through the writer like every other write.
void schedule_draft_cleanup(boost::asio::io_context& io, web::App& app,
                            std::shared_ptr<boost::asio::steady_timer> timer) {
  timer->expires_after(std::chrono::minutes(10));
  timer->async_wait([&io, &app, timer](const boost::system::error_code& ec) {
    if (ec) return;
    app.writer().post([](store::Store& s) { s.purge_expired_drafts(clock::now_unix()); },
                      [](bool) {});
    schedule_draft_cleanup(io, app, timer);
  });
}

int serve(const ServeOptions& o, const collect::ShareDir& share) {
  {
    auto store = open_store(o.db);
    if (o.demo) {
      auto installed = collect::install_demo(*store, share);
      if (!installed) return fail("cannot set up the demo: " + installed.error().message);
    }
    store->purge_expired_drafts(clock::now_unix());
  }
  // The io_context outlives the App: the App's writer completes its last jobs by posting to it.
  boost::asio::io_context io;
  web::AppConfig config{share, o.db, o.rate_limit, o.secure_cookies};
  auto app = web::App::create(config);
  if (!app) return fail(app.error().message);

  std::shared_ptr<web::Server> server;
  try {
    web::ServerOptions options;
    options.trusted_proxies = o.trusted_proxies;
    server = web::listen(
        io, o.host, o.port,
        [&app](web::Request& r, const std::string& address) { return (*app)->handle(r, address); },
        [&app](unsigned status, const web::Request* r) { return (*app)->error_page(status, r); },
        options);
  } catch (const std::exception& e) {
    return fail("cannot listen on " + o.host + ":" + std::to_string(o.port) + ": " + e.what());
  }
  unsigned short port = server->port();
  // SIGTERM (systemd, a rolling restart) and Ctrl-C: stop taking connections, answer the requests
  // already being handled, then stop. A second signal stops at once.
  boost::asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&io, &signals, server](const boost::system::error_code& ec, int) {
    if (ec) return;
    server->shutdown(std::chrono::seconds(10), [&io] { io.stop(); });
    signals.async_wait([&io](const boost::system::error_code& again, int) {
      if (!again) io.stop();
    });
  });
  schedule_draft_cleanup(io, **app, std::make_shared<boost::asio::steady_timer>(io));

  std::cout << "needsmap is serving http://" << o.host << ":" << port << "/" << std::endl;
  if (o.demo) {
    for (const char* c : {"citizens", "users", "stakeholders", "providers"}) {
      std::cout << "  demo survey: http://" << o.host << ":" << port << "/s/demo/" << c
                << std::endl;
    }
  }
  // One core is left to the writer thread, which does every commit (bench/ingest: ~10% more
  // durable submissions per second on 2 cores than with a server thread on each core).
  unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  unsigned threads = o.threads ? o.threads : std::max(1u, cores - 1);
  std::vector<std::thread> workers;
  for (unsigned i = 1; i < threads; ++i) workers.emplace_back([&io] { io.run(); });
  io.run();
  for (auto& w : workers) w.join();
  auto stats = (*app)->writer().stats();
  std::cout << "needsmap stopped; the writer committed " << stats.jobs << " writes in "
            << stats.batches << " transactions" << std::endl;
  return 0;  // the App's destructor lets the writer finish what it has queued
}

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

}  // namespace

int main(int argc, char** argv) {
  CLI::App cli{"needsmap — mapping social-protection needs and resources of a municipality"};
  cli.require_subcommand(1);
  std::string share_root = NEEDSMAP_SHARE_DIR;
  cli.add_option("--share", share_root,
                 "folder holding templates/, i18n/, questionnaires/, data/ and static/");

  constexpr const char* database_help = "an SQLite database file or a postgresql:// URL";
  ServeOptions serve_options;
  auto* serve_cmd = cli.add_subcommand("serve", "serve the respondent pages and the API");
  serve_cmd->add_option("--db", serve_options.db, database_help)->required();
  serve_cmd->add_option("--host", serve_options.host, "address to listen on");
  serve_cmd->add_option("--port", serve_options.port, "port to listen on (0: any free port)");
  serve_cmd->add_flag("--demo", serve_options.demo,
                      "create municipality 'demo' with an open campaign per questionnaire");
  serve_cmd->add_option("--rate-limit", serve_options.rate_limit,
                        "anonymous submissions per address: e.g. 120/min, 20/s, or off");
  serve_cmd->add_option("--threads", serve_options.threads,
                        "server threads (default: cores - 1, one is left to the writer)");
  serve_cmd->add_flag("--secure-cookies", serve_options.secure_cookies,
                      "mark cookies Secure (when served over HTTPS behind a proxy)");
  serve_cmd
      ->add_option("--trusted-proxy", serve_options.trusted_proxies,
                   "address of a reverse proxy whose X-Real-IP header names the client "
                   "(for rate limiting; repeatable)")
      ->check(CLI::Validator(
          [](std::string& value) {
            boost::system::error_code ec;
            auto address = boost::asio::ip::make_address(value, ec);
            if (ec) return "not an IP address: " + value;
            value = address.to_string();  // the spelling peers are compared in
            return std::string();
          },
          "IP"));

  auto* q_cmd = cli.add_subcommand("questionnaire", "work with questionnaire files");
  q_cmd->require_subcommand(1);
  std::vector<std::string> check_files;
  auto* check_cmd = q_cmd->add_subcommand("check", "check questionnaire files for errors");
  check_cmd->add_option("FILE", check_files, "questionnaire JSON files")->required();

  auto* c_cmd = cli.add_subcommand("campaign", "create, open, close and list campaigns");
  c_cmd->require_subcommand(1);
  std::string c_db, c_municipality, c_slug, c_questionnaire, c_opens, c_closes, c_contact;
  std::string m_name, m_name_en, m_name_mk, m_code;
  auto* create_cmd = c_cmd->add_subcommand("create", "create a campaign (as a draft)");
  create_cmd->add_option("--db", c_db, database_help)->required();
  create_cmd->add_option("--municipality", c_municipality, "municipality slug")->required();
  create_cmd->add_option("--municipality-name", m_name,
                         "the municipality's name in Cyrillic (creates the municipality)");
  create_cmd->add_option("--municipality-name-en", m_name_en, "its name in English");
  create_cmd->add_option("--municipality-name-mk", m_name_mk, "its name in Macedonian");
  create_cmd->add_option("--statistical-code", m_code, "its statistical code");
  create_cmd->add_option("--campaign", c_slug, "campaign slug, e.g. needs-2025")->required();
  create_cmd
      ->add_option("--questionnaire", c_questionnaire,
                   "a bundled questionnaire name (citizens, users, …) or a file")
      ->required();
  create_cmd->add_option("--opens", c_opens, "when it opens (2025-11-10 or 2025-11-10T08:00Z)");
  create_cmd->add_option("--closes", c_closes, "when it closes");
  create_cmd->add_option("--contact", c_contact, "whom respondents may ask (e-mail, phone)");
  std::string status_db, status_campaign;
  auto* open_cmd = c_cmd->add_subcommand("open", "open a campaign for answers");
  auto* close_cmd = c_cmd->add_subcommand("close", "close a campaign");
  for (auto* cmd : {open_cmd, close_cmd}) {
    cmd->add_option("--db", status_db, database_help)->required();
    cmd->add_option("--campaign", status_campaign, "MUNICIPALITY/CAMPAIGN")->required();
  }
  auto* list_cmd = c_cmd->add_subcommand("list", "list campaigns");
  list_cmd->add_option("--db", status_db, database_help)->required();

  std::string e_db, e_campaign, e_format{"csv"}, e_out, e_language{"sr-Cyrl"};
  bool e_labels = false;
  auto* export_cmd = cli.add_subcommand("export", "export a campaign's responses");
  export_cmd->add_option("--db", e_db, database_help)->required();
  export_cmd->add_option("--campaign", e_campaign, "MUNICIPALITY/CAMPAIGN")->required();
  export_cmd->add_option("--format", e_format, "csv")->check(CLI::IsMember({"csv"}));
  export_cmd->add_option("--out", e_out, "output file")->required();
  export_cmd->add_flag("--labels", e_labels, "choice labels instead of choice names");
  export_cmd->add_option("--language", e_language, "language of the labels");

  std::string migrate_db;
  auto* migrate_cmd = cli.add_subcommand("migrate", "create or upgrade a database's schema");
  migrate_cmd->add_option("--db", migrate_db, database_help)->required();

  std::string copy_from, copy_to;
  auto* db_cmd = cli.add_subcommand("db", "work with whole databases");
  db_cmd->require_subcommand(1);
  auto* copy_cmd = db_cmd->add_subcommand("copy", "copy everything into an empty database");
  copy_cmd->add_option("--from", copy_from, "the database to copy: " + std::string(database_help))
      ->required();
  copy_cmd->add_option("--to", copy_to, "the empty database to fill: " + std::string(database_help))
      ->required();

  CLI11_PARSE(cli, argc, argv);
  collect::ShareDir share{share_root};
  spdlog::set_pattern("%Y-%m-%d %H:%M:%S %l %v");

  auto split_campaign = [](const std::string& value) {
    auto slash = value.find('/');
    if (slash == std::string::npos || slash == 0 || slash + 1 == value.size()) {
      throw std::runtime_error("--campaign must be MUNICIPALITY/CAMPAIGN, e.g. demo/citizens");
    }
    return std::pair(value.substr(0, slash), value.substr(slash + 1));
  };

  try {
    if (*serve_cmd) return serve(serve_options, share);
    if (*check_cmd) return questionnaire_check(check_files, share);
    if (*migrate_cmd) return migrate(migrate_db);
    if (*copy_cmd) return copy_database(copy_from, copy_to);
    if (*create_cmd) {
      auto store = open_store(c_db);
      if (!m_name.empty()) {
        store->upsert_municipality({0, c_municipality, m_name, "", m_name_en, m_name_mk, m_code});
      }
      collect::CampaignSpec spec{c_municipality,
                                 c_slug,
                                 c_questionnaire,
                                 parse_time_option(c_opens, "--opens"),
                                 parse_time_option(c_closes, "--closes"),
                                 store::CampaignStatus::draft,
                                 c_contact};
      auto created = collect::create_campaign(*store, share, spec);
      if (!created) return fail(created.error().message);
      std::cout << "created campaign " << c_municipality << "/" << c_slug
                << " (draft); open it with: needsmap campaign open --db " << c_db << " --campaign "
                << c_municipality << "/" << c_slug << "\n";
      return 0;
    }
    if (*open_cmd || *close_cmd) {
      auto store = open_store(status_db);
      auto [m, c] = split_campaign(status_campaign);
      auto campaign = store->find_campaign(m, c);
      if (!campaign) return fail("no campaign " + status_campaign);
      campaign->status = *open_cmd ? store::CampaignStatus::open : store::CampaignStatus::closed;
      store->update_campaign(*campaign);
      std::cout << status_campaign << " is now " << store::to_string(campaign->status) << "\n";
      return 0;
    }
    if (*list_cmd) {
      auto store = open_store(status_db);
      for (const auto& c : store->list_campaigns()) {
        std::cout << c.municipality_slug << "/" << c.slug << "\t" << store::to_string(c.status)
                  << "\t" << store->count_responses(c.id) << " responses\n";
      }
      return 0;
    }
    if (*export_cmd) {
      auto store = open_store(e_db);
      auto [m, c] = split_campaign(e_campaign);
      auto campaign = store->find_campaign(m, c);
      if (!campaign) return fail("no campaign " + e_campaign);
      collect::QuestionnaireCache cache;
      auto q = cache.get(*store, campaign->questionnaire_version_id);
      if (!q) return fail(q.error().message);
      std::ofstream out(e_out, std::ios::binary | std::ios::trunc);
      if (!out) return fail("cannot write " + e_out);
      collect::CsvOptions options{e_labels, e_language, true};
      auto count = collect::export_csv(*store, *campaign, **q, options, out);
      if (!count) return fail(count.error().message);
      std::cout << "exported " << *count << " responses to " << e_out << "\n";
      return 0;
    }
  } catch (const std::exception& e) {
    return fail(e.what());
  }
  return 0;
}
