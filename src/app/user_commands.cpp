// needsmap user add: the first accounts, from the command line. The password is read from
// standard input, never from the command line (where `ps` and the shell history would keep it).
#include <termios.h>
#include <unistd.h>

#include <iostream>

#include "access/password.hpp"
#include "access/roles.hpp"
#include "app/cli.hpp"
#include "core/clock.hpp"
#include "store/accounts.hpp"
#include "web/admin_session.hpp"

namespace needsmap::cli {

namespace {

struct UserOptions {
  std::string db, email, role, name, area;
  std::vector<std::string> municipalities, campaigns;
};

// One line from standard input; without echo when it is a terminal.
std::string read_password() {
  bool terminal = isatty(STDIN_FILENO) == 1;
  termios saved{};
  if (terminal) {
    std::cerr << "password: " << std::flush;
    tcgetattr(STDIN_FILENO, &saved);
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  }
  std::string password;
  std::getline(std::cin, password);
  if (terminal) {
    tcsetattr(STDIN_FILENO, TCSANOW, &saved);
    std::cerr << '\n';
  }
  if (!password.empty() && password.back() == '\r') password.pop_back();
  return password;
}

int add_user(const UserOptions& o) {
  std::string email = web::admin::normalized_email(o.email);
  if (email.empty()) return fail("--email is not an e-mail address: " + o.email);
  auto role = access::role_from_string(o.role);
  if (!role) {
    return fail(
        "--role must be national_admin, coordinator, analyst, interviewer or "
        "provider_contact");
  }
  auto store = open_store(o.db);
  std::vector<store::RoleGrant> grants;
  auto grant = [&](std::optional<std::int64_t> area, std::optional<std::int64_t> municipality,
                   std::optional<std::int64_t> campaign) {
    grants.push_back({0, 0, o.role, area, municipality, campaign, ""});
  };
  if (*role == access::Role::interviewer) {
    if (o.campaigns.empty()) return fail("an interviewer needs --campaign MUNICIPALITY/CAMPAIGN");
    for (const auto& name : o.campaigns) {
      auto [m, c] = split_campaign(name);
      auto campaign = store->find_campaign(m, c);
      if (!campaign) return fail("no campaign " + name);
      grant(std::nullopt, std::nullopt, campaign->id);
    }
  } else if (!o.area.empty()) {
    auto area = store::find_area(*store, o.area);
    if (!area) return fail("no area " + o.area);
    grant(area->id, std::nullopt, std::nullopt);
  } else if (!o.municipalities.empty()) {
    for (const auto& slug : o.municipalities) {
      auto m = store->find_municipality(slug);
      if (!m) return fail("no municipality " + slug);
      grant(std::nullopt, m->id, std::nullopt);
    }
  } else if (*role == access::Role::national_admin) {
    grant(std::nullopt, std::nullopt, std::nullopt);  // everywhere
  } else {
    return fail("a " + o.role + " needs --municipality SLUG (or --area SLUG)");
  }
  std::string password = read_password();
  if (auto problem = access::password_problem(password, email)) {
    const std::map<std::string, std::string> reasons = {
        {"admin.password.too_short", "the password must have at least 10 characters"},
        {"admin.password.too_long", "the password may have at most 128 characters"},
        {"admin.password.is_email", "the password must not be the e-mail address"},
        {"admin.password.invalid", "the password is not valid UTF-8"}};
    return fail(reasons.at(*problem));
  }
  std::int64_t now = clock::now_unix();
  store::Transaction transaction(store->connection());
  auto id = store::create_user(
      *store, {0, email, access::hash_password(password), o.name, false, now, now});
  if (!id) return fail(id.error().message);
  for (auto& g : grants) {
    g.user_id = *id;
    store::add_role(*store, g);
  }
  store::audit(*store,
               {0, now, std::nullopt, "command line", "user_add", std::nullopt, email, o.role});
  transaction.commit();
  std::cout << "added " << email << " as " << o.role << "\n";
  return 0;
}

}  // namespace

void add_user_commands(CLI::App& app, Context& context) {
  auto o = std::make_shared<UserOptions>();
  auto* user_cmd = app.add_subcommand("user", "administration accounts");
  user_cmd->require_subcommand(1);
  auto* add_cmd =
      user_cmd->add_subcommand("add", "add an account; its password is read from standard input");
  add_cmd->add_option("--db", o->db, database_help)->required();
  add_cmd->add_option("--email", o->email, "the e-mail address to sign in with")->required();
  add_cmd
      ->add_option("--role", o->role,
                   "national_admin, coordinator, analyst, interviewer or provider_contact")
      ->required();
  add_cmd->add_option("--municipality", o->municipalities,
                      "where the role applies (repeatable; analysts may have several)");
  add_cmd->add_option("--area", o->area, "a district or republic: every municipality in it");
  add_cmd->add_option("--campaign", o->campaigns,
                      "an interviewer's campaign, MUNICIPALITY/CAMPAIGN (repeatable)");
  add_cmd->add_option("--name", o->name, "the person's name, as shown to other coordinators");
  on_run(add_cmd, context, [o] { return add_user(*o); });
}

}  // namespace needsmap::cli
