// needsmap serve: the respondent pages and the API on one port, until SIGTERM.
#include <spdlog/spdlog.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include <iostream>
#include <thread>

#include "access/demo.hpp"
#include "analysis/population.hpp"
#include "app/cli.hpp"
#include "core/clock.hpp"
#include "registry/hsds_json.hpp"
#include "registry/storage.hpp"
#include "store/accounts.hpp"
#include "store/population.hpp"
#include "web/app.hpp"

namespace needsmap::cli {

namespace {

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

// The demo municipality's made-up population, marked as such, unless it has a table already.
void install_demo_population(store::Store& store, const collect::ShareDir& share) {
  auto demo = store.find_municipality("demo");
  if (!demo || store::load_population(store, demo->id)) return;
  analysis::PopulationRead read = analysis::read_population_csv(
      read_file(share.root / "data" / "analysis" / "demo_population.csv"));
  if (!read.issues.empty()) throw std::runtime_error(analysis::describe(read.issues.front()));
  store::PopulationTable table{.source = "needsmap demo data (made up, not a census)",
                               .reference_year = std::nullopt,
                               .demo = true,
                               .updated_at = clock::now_unix(),
                               .updated_by = "needsmap --demo",
                               .margins = {}};
  for (const auto& r : read.rows) table.margins.push_back({r.variable, r.category, r.population});
  store::Transaction t(store.connection());
  store::save_population(store, demo->id, table);
  t.commit();
}

// The demo municipality's made-up providers and services (data/registry/demo.json), unless it
// has a registry already: a restart keeps what was imported or changed since.
void install_demo_registry(store::Store& store, const collect::ShareDir& share) {
  auto demo = store.find_municipality("demo");
  if (!demo || registry::load_registry(store, demo->id).size() > 0) return;
  auto schemas = registry::Schemas::load(share.hsds());
  if (!schemas) throw std::runtime_error(schemas.error().message);
  auto read =
      registry::read_document(*schemas, read_file(share.root / "data" / "registry" / "demo.json"));
  if (!read)
    throw std::runtime_error("data/registry/demo.json: " + read.error().front().to_string());
  auto stored = registry::replace_registry(store, demo->id, *read);
  if (!stored) throw std::runtime_error(stored.error().message);
}

int serve(const ServeOptions& o, const collect::ShareDir& share) {
  std::vector<access::DemoAccount> demo_accounts;
  {
    auto store = open_store(o.db);
    if (o.demo) {
      auto installed = collect::install_demo(*store, share);
      if (!installed) return fail("cannot set up the demo: " + installed.error().message);
      demo_accounts = access::install_demo_accounts(*store);
      install_demo_population(*store, share);
      install_demo_registry(*store, share);
    }
    std::int64_t now = clock::now_unix();
    store::Transaction purge(store->connection());
    store->purge_expired_drafts(now);
    store::purge_expired_sessions(*store, now);
    purge.commit();
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
    // New passwords at every start, shown once: a demo database keeps none anyone could know.
    std::cout << "  sign in at http://" << o.host << ":" << port << "/admin as:" << std::endl;
    for (const auto& a : demo_accounts) {
      std::cout << "    " << a.role << " (" << a.where << "): " << a.email << " " << a.password
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

}  // namespace

void add_serve_command(CLI::App& app, Context& context) {
  auto options = std::make_shared<ServeOptions>();
  auto* cmd = app.add_subcommand("serve", "serve the respondent pages and the API");
  cmd->add_option("--db", options->db, database_help)->required();
  cmd->add_option("--host", options->host, "address to listen on");
  cmd->add_option("--port", options->port, "port to listen on (0: any free port)");
  cmd->add_flag("--demo", options->demo,
                "create municipality 'demo' with an open campaign per questionnaire and "
                "made-up providers in its registry (when it has none)");
  cmd->add_option("--rate-limit", options->rate_limit,
                  "anonymous submissions per address: e.g. 120/min, 20/s, or off");
  cmd->add_option("--threads", options->threads,
                  "server threads (default: cores - 1, one is left to the writer)");
  cmd->add_flag("--secure-cookies", options->secure_cookies,
                "mark cookies Secure (when served over HTTPS behind a proxy)");
  cmd->add_option("--trusted-proxy", options->trusted_proxies,
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
  on_run(cmd, context, [options, &context] { return serve(*options, context.share()); });
}

}  // namespace needsmap::cli
