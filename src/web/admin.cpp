#include "web/admin.hpp"

#include <boost/beast/http/field.hpp>

#include <algorithm>

#include <kainjow/mustache.hpp>

#include "access/password.hpp"
#include "collect/campaigns.hpp"
#include "core/clock.hpp"
#include "core/random.hpp"
#include "core/text.hpp"
#include "registry/storage.hpp"
#include "report/poster.hpp"
#include "web/admin_context.hpp"
#include "web/app.hpp"
#include "web/export_download.hpp"
#include "web/pages.hpp"
#include "web/plan_analysis.hpp"
#include "web/responses.hpp"
#include "web/tokens.hpp"

namespace needsmap::web {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using json = nlohmann::json;
using access::Action;
using access::Role;

namespace {

const std::vector<std::string> bundled_questionnaires = {"citizens", "users", "stakeholders",
                                                         "providers"};

// Lower-case letters, digits and inner hyphens, up to 40: safe in a URL and a file name.
bool valid_slug(const std::string& s) {
  auto allowed = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  };
  return !s.empty() && s.size() <= 40 && s.front() != '-' && s.back() != '-' &&
         std::all_of(s.begin(), s.end(), allowed);
}

std::optional<std::int64_t> optional_date(const std::string& value, bool& ok) {
  ok = true;
  if (value.empty()) return std::nullopt;
  auto parsed = clock::parse_utc(value);
  if (!parsed) ok = false;
  return parsed;
}

std::string date_or_empty(const std::optional<std::int64_t>& t) {
  return t ? clock::format_date(*t) : std::string();
}

// The fields the new-survey and the settings forms share, read and checked.
struct CampaignFields {
  std::optional<std::int64_t> opens;
  std::optional<std::int64_t> closes;
  std::string contact;
  std::int64_t min_cell_size{5};
  std::string date_precision{"day"};
  std::string min_cell_size_text;  // as typed, to show again
};

CampaignFields read_campaign_fields(const collect::FormFields& form, const Translations& t,
                                    const std::string& language, std::int64_t min_cell_size,
                                    const std::string& date_precision, json& errors) {
  CampaignFields f;
  bool opens_ok = true, closes_ok = true;
  f.opens = optional_date(text::trim(field(form, "opens")), opens_ok);
  f.closes = optional_date(text::trim(field(form, "closes")), closes_ok);
  if (!opens_ok) errors.push_back(error_item("opens", t.text(language, "admin_error_date")));
  if (!closes_ok) errors.push_back(error_item("closes", t.text(language, "admin_error_date")));
  if (f.opens && f.closes && *f.closes <= *f.opens) {
    errors.push_back(error_item("closes", t.text(language, "admin_error_window")));
  }
  f.contact = text::clean_user_text(field(form, "contact"));
  if (f.contact.size() > 300) f.contact.resize(300);
  f.min_cell_size = min_cell_size;
  f.date_precision = date_precision;
  f.min_cell_size_text = std::to_string(min_cell_size);
  if (!form.contains("min_cell_size")) return f;  // a form without the anonymity settings
  f.min_cell_size_text = text::trim(field(form, "min_cell_size"));
  try {
    std::size_t used = 0;
    f.min_cell_size = std::stoll(f.min_cell_size_text, &used);
    if (used != f.min_cell_size_text.size() || f.min_cell_size < 3 || f.min_cell_size > 100) {
      throw std::out_of_range("min_cell_size");
    }
  } catch (const std::exception&) {
    errors.push_back(error_item("min_cell_size", t.text(language, "admin_error_min_cell_size")));
  }
  f.date_precision = field(form, "date_precision") == "month" ? "month" : "day";
  return f;
}

}  // namespace

json Admin::frame(Context& c, const std::string& title) {
  std::string path = "/" + [&] {
    std::string joined;
    for (const auto& s : c.target.segments) joined += (joined.empty() ? "" : "/") + url_encode(s);
    return joined;
  }();
  json page = page_frame(m_app.m_translations, c.language, title, path);
  page["lang_query"] = "?lang=" + c.language;
  page["home_href"] = c.href("/admin");
  page["password_href"] = c.href("/admin/password");
  page["sign_out_action"] = c.href("/admin/logout");
  if (c.user) {
    page["signed_in"] = true;
    page["user_email"] = c.user->who.user.email;
    page["csrf"] = c.user->session.csrf_token;
  }
  return page;
}

std::shared_ptr<const questionnaire::Questionnaire> Admin::questionnaire_of(
    const store::Campaign& campaign) {
  auto loaded = m_app.m_questionnaires.get(m_app.reader(), campaign.questionnaire_version_id);
  return loaded ? *loaded : nullptr;
}

json Admin::campaign_frame(Context& c, const store::Municipality& m,
                           const store::Campaign& campaign, const questionnaire::Questionnaire& q,
                           const std::string& title) {
  json page = frame(c, title);
  page["campaign_title"] = q.title().get(c.language);
  page["campaign_href"] = c.href(campaign_admin_path(m, campaign));
  page["municipality"] = municipality_name(m, c.language);
  page["municipality_href"] = c.href(municipality_admin_path(m));
  return page;
}

Response Admin::render(Context&, unsigned status, const std::string& name, json page) {
  return html_response(status, m_app.m_templates->render(name, to_template_data(page)));
}

Response Admin::message(Context& c, unsigned status, const std::string& key) {
  const std::string& text = m_app.m_translations.text(c.language, key);
  json page = frame(c, text);
  page["message"] = text;
  return render(c, status, "admin_message", page);
}

Response Admin::forbidden(Context& c) {
  return message(c, 403, "http.403");
}

store::AuditEntry Admin::audit_entry(Context& c, std::string action,
                                     std::optional<std::int64_t> municipality_id,
                                     std::string object, std::string details) {
  return {0,
          c.now,
          c.user_id(),
          c.actor(),
          std::move(action),
          municipality_id,
          std::move(object),
          std::move(details)};
}

asio::awaitable<std::string> Admin::login_source_key() {
  {
    std::lock_guard lock(m_key_mutex);
    if (!m_login_source_key.empty()) co_return m_login_source_key;
  }
  auto key = std::make_shared<std::string>();
  std::string initial = random::token(32);
  store::Writer::Work read_or_create = [key, initial](store::Store& s) {
    *key = store::shared_setting(s, "login_source_key", initial);
  };
  bool done = co_await m_app.write(std::move(read_or_create));
  if (!done || key->empty()) throw std::runtime_error("the sign-in key could not be read");
  std::lock_guard lock(m_key_mutex);
  m_login_source_key = *key;
  co_return *key;
}

Admin::Admin(App& app)
    : m_app(app),
      m_responsibilities(load_responsibilities(app.m_config.share)),
      m_users_needs(load_users_needs(app.m_config.share)) {}

asio::awaitable<Response> Admin::handle(Request& request, const Target& target,
                                        const std::string& language,
                                        const std::string& client_address) {
  const auto& s = target.segments;
  const bool get = request.method() == http::verb::get || request.method() == http::verb::head;
  const bool post = request.method() == http::verb::post;
  if (!get && !post) co_return m_app.method_not_allowed(request, "GET, HEAD, POST");
  store::Store& store = m_app.reader();
  Context c{request, target, language, std::nullopt, {}, clock::now_unix(), {}};
  c.user = admin::signed_in(store, request, c.now);
  if (post) {
    const std::string boundary = multipart_boundary(request[http::field::content_type]);
    if (!boundary.empty()) {
      auto multipart = parse_multipart(request.body(), boundary);
      if (!multipart) co_return message(c, 400, "http.400");
      c.form = std::move(multipart->fields);
      c.files = std::move(multipart->files);
    } else {
      auto form = parse_form(request.body());
      if (!form) co_return message(c, 400, "http.400");
      c.form = std::move(*form);
    }
  }

  if (s.size() == 2 && s[1] == "login") {
    if (get) {
      Response r = co_await sign_in_page(c);
      co_return r;
    }
    Response r = co_await sign_in(c, client_address);
    co_return r;
  }
  if (!c.user) {
    if (get) co_return redirect_response(c.href("/admin/login"));
    co_return forbidden(c);
  }
  // Every form of a signed-in user carries the session's CSRF token. The questionnaire pages an
  // interviewer fills in are the respondent's; their draft token, a secret of the same kind in
  // every form, plays its part (and the SameSite=Strict cookie is not sent cross-site anyway).
  const bool entry = s.size() >= 7 && s[1] == "m" && s[3] == "c" && s[5] == "entry";
  if (post && !entry && !same_secret(field(c.form, "_csrf"), c.user->session.csrf_token)) {
    co_return message(c, 403, "admin_form_expired");
  }
  if (auto extended = admin::extended_expiry(c.user->session, c.now)) {
    std::string hash = c.user->session.token_hash;
    std::int64_t until = *extended;
    m_app.writer().post([hash, until](store::Store& st) { store::extend_session(st, hash, until); },
                        [](bool) {});
  }

  if (s.size() == 1) co_return get ? home(c) : m_app.method_not_allowed(request, "GET, HEAD");
  if (s.size() == 2 && s[1] == "logout") {
    if (!post) co_return m_app.method_not_allowed(request, "POST");
    Response r = co_await sign_out(c);
    co_return r;
  }
  if (s.size() == 2 && s[1] == "password") {
    Response r = co_await password(c);
    co_return r;
  }
  if (s.size() >= 3 && s[1] == "m") {
    auto m = store.find_municipality(s[2]);
    if (!m) co_return message(c, 404, "http.404");
    if (s.size() == 3) {
      if (!c.may(Action::view_campaigns, m->id)) co_return forbidden(c);
      co_return get ? municipality(c, *m) : m_app.method_not_allowed(request, "GET, HEAD");
    }
    if (s.size() == 4 && s[3] == "new") {
      if (!c.may(Action::manage_campaigns, m->id)) co_return forbidden(c);
      Response r = co_await new_campaign(c, *m);
      co_return r;
    }
    if (s.size() == 4 && s[3] == "questionnaires") {
      if (!c.may(Action::manage_campaigns, m->id)) co_return forbidden(c);
      Response r = co_await questionnaires(c, *m);
      co_return r;
    }
    if (s.size() == 4 && s[3] == "population") {
      if (!c.may(Action::manage_analysis, m->id)) co_return forbidden(c);
      Response r = co_await population(c, *m);
      co_return r;
    }
    if (s.size() == 5 && s[3] == "registry" && s[4] == "summary") {
      if (!c.may(Action::view_registry, m->id)) co_return forbidden(c);
      co_return get ? resources(c, *m) : m_app.method_not_allowed(request, "GET, HEAD");
    }
    if (s.size() == 4 && s[3] == "groups") {
      if (!c.may(Action::manage_analysis, m->id)) co_return forbidden(c);
      Response r = co_await groups(c, *m);
      co_return r;
    }
    if (s.size() == 4 && s[3] == "users") {
      if (!c.may(Action::manage_users, m->id)) co_return forbidden(c);
      Response r = co_await users(c, *m);
      co_return r;
    }
    if (s.size() >= 4 && s[3] == "registry") {
      std::span<const std::string> rest = std::span(s).subspan(4);
      Response r = co_await registry(c, *m, rest);
      co_return r;
    }
    if (s.size() == 4 && s[3] == "audit") {
      if (!c.may(Action::view_audit, m->id)) co_return forbidden(c);
      co_return get ? audit_log(c, *m) : m_app.method_not_allowed(request, "GET, HEAD");
    }
    if (s.size() >= 5 && s[3] == "c") {
      auto campaign = store.find_campaign(m->slug, s[4]);
      if (!campaign) co_return message(c, 404, "http.404");
      if (s.size() == 5) {
        if (!c.may(Action::view_campaigns, m->id)) co_return forbidden(c);
        co_return get ? this->campaign(c, *m, *campaign)
                      : m_app.method_not_allowed(request, "GET, HEAD");
      }
      if (entry && (s[6] == "interview" || s[6] == "paper") && s.size() <= 8) {
        if (!c.may(Action::enter_responses, m->id, campaign->id)) co_return forbidden(c);
        auto q = m_app.m_questionnaires.get(store, campaign->questionnaire_version_id);
        if (!q) co_return message(c, 500, "http.500");
        std::string base = campaign_admin_path(*m, *campaign) + "/entry/" + s[6];
        CampaignContext context{*m, *campaign, *q, language, base, s[6]};
        if (s.size() == 8) {
          if (s[7] != "thanks" || !get) co_return message(c, 404, "http.404");
          co_return entry_saved(c, context);
        }
        if (get) {
          Response r = co_await m_app.respondent_get(request, context, target.query);
          co_return r;
        }
        Response r = co_await m_app.respondent_post(request, context, client_address);
        co_return r;
      }
      // A provider contact answers the providers' questionnaire about its organisation (or one
      // of its services, by id): the answer is stored and proposed as an update of the registry.
      if (entry && s[6] == "provider" && (s.size() == 8 || s.size() == 9)) {
        auto q = m_app.m_questionnaires.get(store, campaign->questionnaire_version_id);
        if (!q) co_return message(c, 500, "http.500");
        registry::Registry r = registry::load_registry(store, m->id);
        const json* service = r.find("service", s[7]);
        const std::string organization_id =
            service ? registry::field_text(*service, "organization_id") : s[7];
        if ((*q)->name() != "providers" || !r.find("organization", organization_id)) {
          co_return message(c, 404, "http.404");
        }
        if (!access::allowed_on_organization(c.user->who, Action::edit_own_organisation, m->id,
                                             organization_id, c.user->areas)) {
          co_return forbidden(c);
        }
        std::string base = campaign_admin_path(*m, *campaign) + "/entry/provider/" + s[7];
        CampaignContext context{*m, *campaign, *q, language, base, "web"};
        if (s.size() == 9) {
          if (s[8] != "thanks" || !get) co_return message(c, 404, "http.404");
          co_return message(c, 200, "admin_provider_answer_sent");
        }
        if (get) {
          Response page = co_await m_app.respondent_get(request, context, target.query);
          co_return page;
        }
        context.with_response =
            proposal_with_answer(c, *m, organization_id, service ? s[7] : std::string());
        Response sent = co_await m_app.respondent_post(request, context, client_address);
        co_return sent;
      }
      if (s.size() == 6 && s[5] == "status") {
        if (!c.may(Action::manage_campaigns, m->id)) co_return forbidden(c);
        if (!post) co_return m_app.method_not_allowed(request, "POST");
        Response r = co_await campaign_status(c, *m, *campaign);
        co_return r;
      }
      if (s.size() == 6 && s[5] == "groups") {
        if (!c.may(Action::view_results, m->id)) co_return forbidden(c);
        if (!get) co_return m_app.method_not_allowed(request, "GET, HEAD");
        Response r = co_await group_profiles(c, *m, *campaign);
        co_return r;
      }
      if (s.size() == 6 && s[5] == "plan") {
        if (!c.may(Action::view_results, m->id)) co_return forbidden(c);
        if (!get) co_return m_app.method_not_allowed(request, "GET, HEAD");
        Response r = co_await plan(c, *m, *campaign);
        co_return r;
      }
      if (s.size() == 6 && s[5] == "publish") {
        if (!c.may(Action::manage_campaigns, m->id)) co_return forbidden(c);
        if (!get && !post) co_return m_app.method_not_allowed(request, "GET, HEAD, POST");
        Response r = co_await publish(c, *m, *campaign);
        co_return r;
      }
      if (s.size() == 7 && s[5] == "publish") {
        if (!c.may(Action::manage_campaigns, m->id)) co_return forbidden(c);
        if (!get) co_return m_app.method_not_allowed(request, "GET, HEAD");
        Response r = co_await programme_file(c, *m, *campaign, s[6]);
        co_return r;
      }
      if (s.size() == 6 && s[5] == "analysis") {
        if (!c.may(Action::view_results, m->id)) co_return forbidden(c);
        if (!get) co_return m_app.method_not_allowed(request, "GET, HEAD");
        Response r = co_await analysis(c, *m, *campaign);
        co_return r;
      }
      if ((s.size() == 6 || s.size() == 7) && s[5] == "answers") {
        // Everyone who sees results reads the answers; tagging and reviewing is analysis.
        if (!c.may(post ? Action::manage_analysis : Action::view_results, m->id)) {
          co_return forbidden(c);
        }
        if (s.size() == 6) {
          if (!get) co_return m_app.method_not_allowed(request, "GET, HEAD");
          Response r = co_await open_answers(c, *m, *campaign);
          co_return r;
        }
        Response r = co_await open_question(c, *m, *campaign, s[6]);
        co_return r;
      }
      if (s.size() == 6 && s[5] == "import") {
        if (!c.may(Action::manage_campaigns, m->id)) co_return forbidden(c);
        Response r = co_await import_responses(c, *m, *campaign);
        co_return r;
      }
      if (s.size() == 6 && s[5] == "settings") {
        if (!c.may(Action::manage_campaigns, m->id)) co_return forbidden(c);
        if (!post) co_return m_app.method_not_allowed(request, "POST");
        Response r = co_await campaign_settings(c, *m, *campaign);
        co_return r;
      }
      if (s.size() == 6 && (s[5] == "results" || s[5] == "preview" || s[5] == "poster")) {
        Action needed = s[5] == "results" ? Action::view_results : Action::view_campaigns;
        if (!c.may(needed, m->id)) co_return forbidden(c);
        if (!get) co_return m_app.method_not_allowed(request, "GET, HEAD");
        if (s[5] == "results") {
          Response r = co_await results(c, *m, *campaign);
          co_return r;
        }
        if (s[5] == "preview") co_return preview(c, *m, *campaign);
        co_return poster(c, *m, *campaign);
      }
      if (s.size() == 6 && s[5] == "export") {
        if (!c.may(Action::export_responses, m->id)) co_return forbidden(c);
        if (!get) co_return m_app.method_not_allowed(request, "GET, HEAD");
        Response r = co_await export_responses(c, *m, *campaign);
        if (r.result_int() == 200) {
          std::string format =
              c.target.query.contains("format") ? c.target.query.at("format") : "csv";
          if (c.target.query.contains("labels")) format += " labels";
          store::AuditEntry entry =
              audit_entry(c, "export", m->id, m->slug + "/" + campaign->slug, "format=" + format);
          store::Writer::Work log = [entry](store::Store& st) { store::audit(st, entry); };
          bool logged = co_await m_app.write(std::move(log));
          if (!logged) co_return message(c, 503, "http.503");
        }
        co_return r;
      }
    }
  }
  co_return message(c, 404, "http.404");
}

asio::awaitable<Response> Admin::sign_in_page(Context& c) {
  if (c.user) co_return redirect_response(c.href("/admin"));
  std::string token = random::token(32);
  json page = frame(c, m_app.m_translations.text(c.language, "admin_sign_in"));
  page["action"] = c.href("/admin/login");
  page["login_csrf"] = token;
  Response r = render(c, 200, "admin_login", page);
  r.set(http::field::set_cookie,
        admin::cookie_header(admin::login_cookie, token, m_app.m_config.secure_cookies, 3600));
  co_return r;
}

asio::awaitable<Response> Admin::sign_in(Context& c, const std::string& client_address) {
  const Translations& t = m_app.m_translations;
  std::string expected = cookie(c.request[http::field::cookie], admin::login_cookie);
  auto again = [&](unsigned status, const std::string& key, const std::string& email) {
    std::string token = random::token(32);
    json page = frame(c, t.text(c.language, "admin_sign_in"));
    page["action"] = c.href("/admin/login");
    page["login_csrf"] = token;
    page["email"] = email;
    page["errors"] = json::array({error_item("email", t.text(c.language, key))});
    page["has_errors"] = true;
    Response r = render(c, status, "admin_login", page);
    r.set(http::field::set_cookie,
          admin::cookie_header(admin::login_cookie, token, m_app.m_config.secure_cookies, 3600));
    return r;
  };
  if (!plausible_token(expected) || !same_secret(field(c.form, "_csrf"), expected)) {
    co_return again(403, "admin_form_expired", "");
  }
  std::string email = admin::normalized_email(field(c.form, "email"));
  std::string password = field(c.form, "password");
  std::string key = co_await login_source_key();
  std::string source = admin::source_key(client_address, key);
  std::string account = admin::account_key(email);
  store::Store& store = m_app.reader();
  if (store::login_failures(store, account, c.now, admin::failure_window_seconds) >=
          admin::max_account_failures ||
      store::login_failures(store, source, c.now, admin::failure_window_seconds) >=
          admin::max_source_failures) {
    co_return again(429, "admin_sign_in_throttled", email);
  }
  auto user = email.empty() ? std::nullopt : store::find_user_by_email(store, email);
  // An unknown address costs a hash too, so the time taken does not tell which addresses exist.
  static const std::string dummy = access::hash_password(random::token(16));
  bool ok = access::verify_password(user ? user->password_hash : dummy, password) && user &&
            !user->disabled;
  if (!ok) {
    std::int64_t now = c.now;
    std::string actor = email.empty() ? std::string("?") : email;
    store::Writer::Work count = [account, source, now, actor](store::Store& s) {
      store::record_login_failure(s, account, now, admin::failure_window_seconds);
      store::record_login_failure(s, source, now, admin::failure_window_seconds);
      store::audit(s, {0, now, std::nullopt, actor, "sign_in_failed", std::nullopt, "", ""});
    };
    co_await m_app.write(std::move(count));
    co_return again(401, "admin_sign_in_failed", email);
  }
  std::string token = random::token(32);
  store::Session session{admin::session_token_hash(token), user->id, random::token(32), c.now,
                         c.now + admin::session_idle_seconds};
  std::int64_t user_id = user->id;
  std::int64_t now = c.now;
  store::Writer::Work start = [session, account, user_id, email, now](store::Store& s) {
    store::create_session(s, session);
    store::clear_login_failures(s, account);
    store::audit(s, {0, now, user_id, email, "sign_in", std::nullopt, "", ""});
  };
  bool stored = co_await m_app.write(std::move(start));
  if (!stored) co_return message(c, 503, "http.503");
  Response r = redirect_response(c.href("/admin"));
  r.set(http::field::set_cookie,
        admin::cookie_header(admin::session_cookie, token, m_app.m_config.secure_cookies,
                             admin::session_max_seconds));
  r.insert(http::field::set_cookie,
           admin::cookie_header(admin::login_cookie, "", m_app.m_config.secure_cookies, 0));
  co_return r;
}

asio::awaitable<Response> Admin::sign_out(Context& c) {
  std::string hash = c.user->session.token_hash;
  store::AuditEntry entry = audit_entry(c, "sign_out", std::nullopt, "");
  store::Writer::Work end = [hash, entry](store::Store& s) {
    store::delete_session(s, hash);
    store::audit(s, entry);
  };
  bool done = co_await m_app.write(std::move(end));
  if (!done) co_return message(c, 503, "http.503");
  Response r = redirect_response(c.href("/admin/login"));
  r.set(http::field::set_cookie,
        admin::cookie_header(admin::session_cookie, "", m_app.m_config.secure_cookies, 0));
  co_return r;
}

asio::awaitable<Response> Admin::password(Context& c) {
  const Translations& t = m_app.m_translations;
  json page = frame(c, t.text(c.language, "admin_nav_password"));
  page["action"] = c.href("/admin/password");
  if (c.request.method() != http::verb::post) co_return render(c, 200, "admin_password", page);
  const store::User& user = c.user->who.user;
  std::string current = field(c.form, "current");
  std::string next = field(c.form, "new");
  json errors = json::array();
  if (!access::verify_password(user.password_hash, current)) {
    errors.push_back(error_item("current", t.text(c.language, "admin_password_wrong")));
  } else if (auto problem = access::password_problem(next, user.email)) {
    errors.push_back(error_item("new", t.text(c.language, *problem)));
  }
  if (!errors.empty()) {
    show_errors(page, errors);
    co_return render(c, 422, "admin_password", page);
  }
  std::string hash = access::hash_password(next);
  std::int64_t id = user.id;
  std::int64_t now = c.now;
  store::AuditEntry entry = audit_entry(c, "password_change", std::nullopt, user.email);
  store::Writer::Work change = [id, hash, now, entry](store::Store& s) {
    store::set_password_hash(s, id, hash, now);
    store::delete_sessions_of(s, id);  // every other signed-in browser must sign in again
    store::audit(s, entry);
  };
  bool stored = co_await m_app.write(std::move(change));
  if (!stored) co_return message(c, 503, "http.503");
  c.user.reset();
  Response r = message(c, 200, "admin_password_changed");
  r.set(http::field::set_cookie,
        admin::cookie_header(admin::session_cookie, "", m_app.m_config.secure_cookies, 0));
  co_return r;
}

Response Admin::entry_saved(Context& c, const CampaignContext& context) {
  const Translations& t = m_app.m_translations;
  json page = frame(c, t.text(c.language, "admin_entry_saved"));
  page["message"] = t.text(c.language, "admin_entry_saved");
  page["next_href"] = c.href(context.path());
  page["next_text"] = t.text(c.language, "admin_entry_next");
  return render(c, 200, "admin_message", page);
}

Response Admin::home(Context& c) {
  const Translations& t = m_app.m_translations;
  store::Store& store = m_app.reader();
  json page = frame(c, t.text(c.language, "admin_title"));
  json municipalities = json::array();
  const auto all_municipalities = store.list_municipalities();
  for (const auto& m : all_municipalities) {
    if (!c.may(Action::view_campaigns, m.id)) continue;
    municipalities.push_back(
        {{"name", municipality_name(m, c.language)}, {"href", c.href(municipality_admin_path(m))}});
  }
  page["municipalities"] = municipalities;
  page["has_municipalities"] = !municipalities.empty();
  // Campaigns this user may enter interviews and paper forms for.
  json entries = json::array();
  for (const auto& campaign : store.list_campaigns()) {
    auto m =
        std::ranges::find(all_municipalities, campaign.municipality_id, &store::Municipality::id);
    if (m == all_municipalities.end() || campaign.status != store::CampaignStatus::open) continue;
    if (!c.may(Action::enter_responses, m->id, campaign.id)) continue;
    auto q = m_app.m_questionnaires.get(store, campaign.questionnaire_version_id);
    std::string base = campaign_admin_path(*m, campaign) + "/entry/";
    entries.push_back({{"title", q ? (*q)->title().get(c.language) : campaign.slug},
                       {"municipality", municipality_name(*m, c.language)},
                       {"interview_href", c.href(base + "interview")},
                       {"paper_href", c.href(base + "paper")}});
  }
  page["entries"] = entries;
  page["has_entries"] = !entries.empty();
  // The organisations this user is a provider contact of, each with its update form.
  json own = json::array();
  for (const auto& m : all_municipalities) {
    for (const std::string& id : access::contact_organizations(c.user->who, m.id)) {
      registry::Registry r = registry::load_registry(store, m.id);
      const json* o = r.find("organization", id);
      if (!o) continue;
      // The open providers' surveys, to answer about the organisation or one of its services.
      json questionnaires = json::array();
      for (const auto& campaign : store.list_campaigns(m.id)) {
        auto q = m_app.m_questionnaires.get(store, campaign.questionnaire_version_id);
        if (!q || (*q)->name() != "providers" || campaign.status != store::CampaignStatus::open) {
          continue;
        }
        const std::string base = campaign_admin_path(m, campaign) + "/entry/provider/";
        auto about = [&](const std::string& target, const std::string& name) {
          questionnaires.push_back(
              {{"href", c.href(base + url_encode(target))},
               {"label", t.format(c.language, "admin_provider_answer_about",
                                  {{"questionnaire", (*q)->title().get(c.language)},
                                   {"name", in_page_script(name, c.language)}})}});
        };
        bool has_services = false;
        for (const auto& [sid, service] : r.tables["service"]) {
          if (registry::field_text(service, "organization_id") != id) continue;
          has_services = true;
          about(sid, registry::field_text(service, "name"));
        }
        if (!has_services) about(id, o->value("name", id));
      }
      own.push_back({{"name", o->value("name", id)},
                     {"municipality", municipality_name(m, c.language)},
                     {"href", c.href(municipality_admin_path(m) + "/registry/o/" + url_encode(id))},
                     {"propose_href", c.href(municipality_admin_path(m) + "/registry/o/" +
                                             url_encode(id) + "/propose")},
                     {"questionnaires", questionnaires},
                     {"has_questionnaires", !questionnaires.empty()}});
    }
  }
  page["organizations"] = own;
  page["has_organizations"] = !own.empty();
  return render(c, 200, "admin_home", page);
}

Response Admin::municipality(Context& c, const store::Municipality& m) {
  const Translations& t = m_app.m_translations;
  store::Store& store = m_app.reader();
  json page = frame(c, municipality_name(m, c.language));
  page["municipality"] = municipality_name(m, c.language);
  json campaigns = json::array();
  for (const auto& campaign : store.list_campaigns(m.id)) {
    auto q = m_app.m_questionnaires.get(store, campaign.questionnaire_version_id);
    campaigns.push_back(
        {{"href", c.href(campaign_admin_path(m, campaign))},
         {"slug", campaign.slug},
         {"title", q ? (*q)->title().get(c.language) : campaign.slug},
         {"status", t.text(c.language, "admin_status_" + std::string(to_string(campaign.status)))},
         {"responses", std::to_string(store.count_responses(campaign.id))}});
  }
  page["campaigns"] = campaigns;
  page["has_campaigns"] = !campaigns.empty();
  if (c.may(Action::manage_campaigns, m.id)) {
    page["new_href"] = c.href(municipality_admin_path(m) + "/new");
    page["questionnaires_href"] = c.href(municipality_admin_path(m) + "/questionnaires");
  }
  if (c.may(Action::manage_analysis, m.id)) {
    page["population_href"] = c.href(municipality_admin_path(m) + "/population");
    page["groups_href"] = c.href(municipality_admin_path(m) + "/groups");
  }
  if (c.may(Action::view_registry, m.id)) {
    page["resources_href"] = c.href(municipality_admin_path(m) + "/registry/summary");
  }
  if (c.may(Action::manage_users, m.id)) {
    page["users_href"] = c.href(municipality_admin_path(m) + "/users");
  }
  if (c.may(Action::manage_registry, m.id)) {
    page["registry_href"] = c.href(municipality_admin_path(m) + "/registry");
  }
  if (c.may(Action::view_audit, m.id)) {
    page["audit_href"] = c.href(municipality_admin_path(m) + "/audit");
  }
  return render(c, 200, "admin_municipality", page);
}

Response Admin::campaign(Context& c, const store::Municipality& m, const store::Campaign& campaign,
                         const json& errors) {
  const Translations& t = m_app.m_translations;
  store::Store& store = m_app.reader();
  auto q = m_app.m_questionnaires.get(store, campaign.questionnaire_version_id);
  std::string title = q ? (*q)->title().get(c.language) : campaign.slug;
  json page = frame(c, title);
  std::string base = campaign_admin_path(m, campaign);
  std::int64_t responses = store.count_responses(campaign.id);
  std::string scheme = m_app.m_config.secure_cookies ? "https://" : "http://";
  std::string host(c.request[http::field::host]);
  std::string public_path = "/s/" + url_encode(m.slug) + "/" + url_encode(campaign.slug);
  page["title_text"] = title;
  page["municipality"] = municipality_name(m, c.language);
  page["municipality_href"] = c.href(municipality_admin_path(m));
  page["slug"] = campaign.slug;
  page["status"] = t.text(c.language, "admin_status_" + std::string(to_string(campaign.status)));
  page["responses"] = std::to_string(responses);
  page["public_link"] = host.empty() ? public_path : scheme + host + public_path;
  page["opens"] = date_or_empty(campaign.opens_at);
  page["closes"] = date_or_empty(campaign.closes_at);
  page["contact"] = campaign.contact;
  page["min_cell_size"] = std::to_string(campaign.min_cell_size);
  page["date_precision_text"] =
      t.text(c.language, "admin_date_precision_" + campaign.date_precision);
  page["date_precision_day"] = campaign.date_precision == "day";
  page["date_precision_month"] = campaign.date_precision == "month";
  page["anonymity_fixed"] = responses > 0;
  if (c.may(Action::manage_campaigns, m.id)) {
    page["manage"] = true;
    page["status_action"] = c.href(base + "/status");
    page["settings_action"] = c.href(base + "/settings");
    page["can_open"] = campaign.status != store::CampaignStatus::open;
    page["can_close"] = campaign.status == store::CampaignStatus::open;
  }
  if (c.may(Action::view_results, m.id)) {
    page["results_href"] = c.href(base + "/results");
    page["analysis_href"] = c.href(base + "/analysis");
    page["profiles_href"] = c.href(base + "/groups");
    if (q && (*q)->find("unmet_need_what")) page["plan_href"] = c.href(base + "/plan");
    page["answers_href"] = c.href(base + "/answers");
  }
  if (c.may(Action::manage_campaigns, m.id)) {
    page["import_href"] = c.href(base + "/import");
    page["publish_href"] = c.href(base + "/publish");
  }
  page["preview_href"] = c.href(base + "/preview");
  json posters = json::array();
  for (const auto& language : t.languages()) {
    bool offered =
        q && std::ranges::find((*q)->languages(), language.tag) != (*q)->languages().end();
    if (!report::is_poster_language(language.tag) || !offered) continue;
    posters.push_back({{"href", base + "/poster?lang=" + language.tag},
                       {"language", language.name},
                       {"tag", language.tag}});
  }
  page["has_posters"] = !posters.empty();
  page["posters"] = posters;
  if (c.may(Action::export_responses, m.id)) {
    page["export_csv_href"] = c.href(base + "/export") + "&format=csv";
    page["export_labels_href"] = c.href(base + "/export") + "&format=csv&labels=1";
    page["export_xlsx_href"] = c.href(base + "/export") + "&format=xlsx";
    page["export_sav_href"] = c.href(base + "/export") + "&format=sav";
  }
  if (!errors.empty()) {
    show_errors(page, errors);
  }
  return render(c, errors.empty() ? 200 : 422, "admin_campaign", page);
}

asio::awaitable<Response> Admin::campaign_status(Context& c, const store::Municipality& m,
                                                 store::Campaign campaign) {
  std::string wanted = field(c.form, "status");
  auto status = store::campaign_status_from_string(wanted);
  if (!status || *status == store::CampaignStatus::draft) co_return message(c, 400, "http.400");
  campaign.status = *status;
  store::AuditEntry entry =
      audit_entry(c, "campaign_" + wanted, m.id, m.slug + "/" + campaign.slug);
  store::Writer::Work update = [campaign, entry](store::Store& s) {
    s.update_campaign(campaign);
    store::audit(s, entry);
  };
  bool stored = co_await m_app.write(std::move(update));
  if (!stored) co_return message(c, 503, "http.503");
  m_app.forget_campaign(m.slug, campaign.slug);
  co_return redirect_response(c.href(campaign_admin_path(m, campaign)));
}

asio::awaitable<Response> Admin::campaign_settings(Context& c, const store::Municipality& m,
                                                   store::Campaign campaign) {
  const Translations& t = m_app.m_translations;
  json errors = json::array();
  CampaignFields f = read_campaign_fields(c.form, t, c.language, campaign.min_cell_size,
                                          campaign.date_precision, errors);
  auto opens = f.opens;
  auto closes = f.closes;
  std::string contact = f.contact;
  std::int64_t min_cell = f.min_cell_size;
  std::string precision = f.date_precision;
  bool anonymity_changed =
      min_cell != campaign.min_cell_size || precision != campaign.date_precision;
  if (errors.empty() && anonymity_changed && m_app.reader().count_responses(campaign.id) > 0) {
    errors.push_back(error_item("min_cell_size", t.text(c.language, "admin_anonymity_fixed")));
  }
  if (!errors.empty()) co_return this->campaign(c, m, campaign, errors);
  campaign.opens_at = opens;
  campaign.closes_at = closes;
  campaign.contact = contact;
  auto refused = std::make_shared<bool>(false);
  store::AuditEntry entry =
      audit_entry(c, "campaign_settings", m.id, m.slug + "/" + campaign.slug,
                  "opens=" + date_or_empty(opens) + " closes=" + date_or_empty(closes) +
                      " min_cell_size=" + std::to_string(min_cell) + " date=" + precision);
  store::Writer::Work update = [campaign, min_cell, precision, anonymity_changed, refused,
                                entry](store::Store& s) {
    s.update_campaign(campaign);
    if (anonymity_changed && !s.update_anonymity(campaign.id, min_cell, precision)) {
      *refused = true;  // answers arrived meanwhile; the rest is still saved
    }
    store::audit(s, entry);
  };
  bool stored = co_await m_app.write(std::move(update));
  if (!stored) co_return message(c, 503, "http.503");
  m_app.forget_campaign(m.slug, campaign.slug);
  if (*refused) {
    auto fresh = m_app.reader().find_campaign(m.slug, campaign.slug);
    co_return this->campaign(
        c, m, fresh.value_or(campaign),
        json::array({error_item("min_cell_size", t.text(c.language, "admin_anonymity_fixed"))}));
  }
  co_return redirect_response(c.href(campaign_admin_path(m, campaign)));
}

asio::awaitable<Response> Admin::new_campaign(Context& c, const store::Municipality& m) {
  const Translations& t = m_app.m_translations;
  json page = frame(c, t.text(c.language, "admin_new_campaign"));
  page["municipality"] = municipality_name(m, c.language);
  page["municipality_href"] = c.href(municipality_admin_path(m));
  page["action"] = c.href(municipality_admin_path(m) + "/new");
  const bool posted = c.request.method() == http::verb::post;
  std::string chosen = posted ? field(c.form, "questionnaire")
                       : c.target.query.contains("questionnaire")
                           ? c.target.query.at("questionnaire")
                           : "";
  json options = json::array();
  for (const auto& name : bundled_questionnaires) {
    options.push_back({{"value", name},
                       {"label", t.text(c.language, "admin_questionnaire_" + name)},
                       {"selected", name == chosen}});
  }
  page["questionnaires"] = options;
  // Imported questionnaires (and other stored versions) by their stored version: "v12".
  std::optional<std::int64_t> stored_version;
  json imported = json::array();
  for (auto& row : stored_questionnaire_rows(c, m)) {
    const std::string value = "v" + std::to_string(row["id"].get<std::int64_t>());
    if (value == chosen) stored_version = row["id"].get<std::int64_t>();
    imported.push_back(
        {{"value", value},
         {"label", row["title"].get<std::string>() + " (" + row["name"].get<std::string>() + " " +
                       row["version"].get<std::string>() + ")"},
         {"selected", value == chosen}});
  }
  page["stored_questionnaires"] = imported;
  page["has_stored_questionnaires"] = !imported.empty();
  page["min_cell_size"] = std::to_string(m.min_cell_size);
  page["date_precision_day"] = true;
  if (!posted) co_return render(c, 200, "admin_campaign_new", page);

  json errors = json::array();
  std::string slug = text::trim(field(c.form, "slug"));
  if (!valid_slug(slug))
    errors.push_back(error_item("slug", t.text(c.language, "admin_error_slug")));
  if (!stored_version && std::find(bundled_questionnaires.begin(), bundled_questionnaires.end(),
                                   chosen) == bundled_questionnaires.end()) {
    errors.push_back(error_item("questionnaire", t.text(c.language, "admin_error_questionnaire")));
  }
  CampaignFields f = read_campaign_fields(c.form, t, c.language, m.min_cell_size, "day", errors);
  auto opens = f.opens;
  auto closes = f.closes;
  std::string contact = f.contact;
  std::int64_t min_cell = f.min_cell_size;
  std::string precision = f.date_precision;
  std::string value = f.min_cell_size_text;
  if (errors.empty() && m_app.reader().find_campaign(m.slug, slug)) {
    errors.push_back(error_item("slug", t.text(c.language, "admin_error_exists")));
  }
  if (!errors.empty()) {
    show_errors(page, errors);
    page["slug"] = slug;
    page["opens"] = field(c.form, "opens");
    page["closes"] = field(c.form, "closes");
    page["contact"] = contact;
    page["min_cell_size"] = value;
    page["date_precision_day"] = precision == "day";
    page["date_precision_month"] = precision == "month";
    co_return render(c, 422, "admin_campaign_new", page);
  }
  collect::CampaignSpec spec{.municipality = m.slug,
                             .slug = slug,
                             .questionnaire = stored_version ? "" : chosen,
                             .opens_at = opens,
                             .closes_at = closes,
                             .status = store::CampaignStatus::draft,
                             .contact = contact,
                             .questionnaire_version = stored_version};
  collect::ShareDir share = m_app.m_config.share;
  auto outcome = std::make_shared<Result<store::Campaign>>(std::unexpected(Error::internal("")));
  store::AuditEntry entry =
      audit_entry(c, "campaign_create", m.id, m.slug + "/" + slug, "questionnaire=" + chosen);
  store::Writer::Work create = [spec, share, outcome, min_cell, precision, entry](store::Store& s) {
    *outcome = collect::create_campaign(s, share, spec);
    if (!*outcome) return;
    auto set = s.update_anonymity((*outcome)->id, min_cell, precision);
    if (!set) throw std::runtime_error(set.error().message);
    store::audit(s, entry);
  };
  bool stored = co_await m_app.write(std::move(create));
  if (!stored) co_return message(c, 503, "http.503");
  if (!*outcome) co_return message(c, 409, "admin_error_exists");
  co_return redirect_response(c.href(campaign_admin_path(m, **outcome)));
}

asio::awaitable<Response> Admin::export_responses(Context& c, const store::Municipality& m,
                                                  const store::Campaign& campaign) {
  const auto& query = c.target.query;
  auto format = export_format(query.contains("format") ? query.at("format") : "csv");
  if (!format) co_return message(c, 400, "http.400");
  auto q = m_app.m_questionnaires.get(m_app.reader(), campaign.questionnaire_version_id);
  if (!q) co_return message(c, 500, "http.500");
  // Made off the io threads and streamed as it is made (export_download.hpp).
  ExportJob job{
      m_app.m_config.database, campaign, *q, *format, {query.contains("labels"), c.language}};
  std::shared_ptr<PipeReader> body = start_export(m_app.m_background, std::move(job));
  if (!body) co_return message(c, 503, "export.busy");
  co_await body->ready();
  if (auto failed = body->failure()) {
    if (failed->kind == Error::Kind::invalid_input) co_return message(c, 422, "export.too_large");
    co_return message(c, 500, "http.500");
  }
  co_return download_response(*format, m.slug + "-" + campaign.slug, std::move(body));
}

asio::awaitable<Response> Admin::users(Context& c, const store::Municipality& m) {
  const Translations& t = m_app.m_translations;
  store::Store& store = m_app.reader();
  json page = frame(c, t.text(c.language, "admin_users"));
  page["municipality"] = municipality_name(m, c.language);
  page["municipality_href"] = c.href(municipality_admin_path(m));
  page["action"] = c.href(municipality_admin_path(m) + "/users");
  auto campaigns = store.list_campaigns(m.id);
  json roles = json::array();
  for (Role role : access::all_roles()) {
    if (!access::may_grant(c.user->who, role, m.id, c.user->areas)) continue;
    std::string name(access::to_string(role));
    roles.push_back({{"value", name},
                     {"label", t.text(c.language, "admin_role_" + name)},
                     {"selected", field(c.form, "role") == name}});
  }
  page["roles"] = roles;
  json campaign_options = json::array();
  for (const auto& campaign : campaigns) {
    campaign_options.push_back({{"value", campaign.slug}, {"label", campaign.slug}});
  }
  page["campaigns"] = campaign_options;
  registry::Registry registry_records = registry::load_registry(store, m.id);
  json organization_options = json::array();
  for (const auto& [id, o] : registry_records.tables["organization"]) {
    organization_options.push_back({{"value", id},
                                    {"label", o.value("name", id)},
                                    {"selected", field(c.form, "organization") == id}});
  }
  page["organizations"] = organization_options;

  json errors = json::array();
  if (c.request.method() == http::verb::post) {
    std::string email = admin::normalized_email(field(c.form, "email"));
    auto role = access::role_from_string(field(c.form, "role"));
    if (email.empty())
      errors.push_back(error_item("email", t.text(c.language, "admin_error_email")));
    if (!role || !access::may_grant(c.user->who, *role, m.id, c.user->areas)) {
      errors.push_back(error_item("role", t.text(c.language, "admin_error_role")));
    }
    std::optional<std::int64_t> campaign_id;
    if (role == Role::interviewer) {
      auto found = store.find_campaign(m.slug, field(c.form, "campaign"));
      if (!found) {
        errors.push_back(error_item("campaign", t.text(c.language, "admin_error_campaign")));
      } else {
        campaign_id = found->id;
      }
    }
    // A provider contact is granted one organisation of the registry.
    std::string organization_id;
    if (role == Role::provider_contact) {
      organization_id = field(c.form, "organization");
      if (!registry_records.find("organization", organization_id)) {
        errors.push_back(
            error_item("organization", t.text(c.language, "admin_error_organization")));
      }
    }
    if (errors.empty()) {
      auto existing = store::find_user_by_email(store, email);
      std::string password = existing ? std::string() : access::random_password();
      std::string hash = existing ? std::string() : access::hash_password(password);
      store::RoleGrant grant{0,
                             0,
                             std::string(access::to_string(*role)),
                             std::nullopt,
                             role == Role::interviewer ? std::nullopt : std::optional(m.id),
                             campaign_id,
                             organization_id};
      std::string name = text::clean_user_text(field(c.form, "display_name"));
      std::int64_t now = c.now;
      store::AuditEntry entry =
          audit_entry(c, "user_role_add", m.id, email, std::string(access::to_string(*role)));
      store::Writer::Work add = [email, hash, name, now, grant, entry](store::Store& s) mutable {
        auto user = store::find_user_by_email(s, email);
        if (user) {
          grant.user_id = user->id;
        } else {
          grant.user_id = store::create_user(s, {0, email, hash, name, false, now, now}).value();
        }
        store::add_role(s, grant);
        store::audit(s, entry);
      };
      bool stored = co_await m_app.write(std::move(add));
      if (!stored) co_return message(c, 503, "http.503");
      if (!password.empty()) {
        page["created_email"] = email;
        page["created_password"] = password;
      }
    }
  }
  // Everyone with a role in this municipality, or on one of its campaigns.
  json people = json::array();
  const auto grants = store::all_roles(store);  // one query, not one per user
  for (const auto& user : store::list_users(store)) {
    json held = json::array();
    for (const auto& g : grants) {
      if (g.user_id != user.id) continue;
      bool here = g.municipality_id == m.id ||
                  std::any_of(campaigns.begin(), campaigns.end(),
                              [&](const auto& x) { return g.campaign_id == x.id; });
      if (!here) continue;
      std::string label = t.text(c.language, "admin_role_" + g.role);
      for (const auto& x : campaigns) {
        if (g.campaign_id == x.id) label += " (" + x.slug + ")";
      }
      held.push_back(label);
    }
    if (held.empty()) continue;
    std::string roles_text;
    for (const auto& h : held)
      roles_text += (roles_text.empty() ? "" : ", ") + h.get<std::string>();
    people.push_back({{"email", user.email}, {"name", user.display_name}, {"roles", roles_text}});
  }
  page["users"] = people;
  if (!errors.empty()) {
    show_errors(page, errors);
    page["email"] = field(c.form, "email");
  }
  co_return render(c, errors.empty() ? 200 : 422, "admin_users", page);
}

Response Admin::audit_log(Context& c, const store::Municipality& m) {
  const Translations& t = m_app.m_translations;
  json page = frame(c, t.text(c.language, "admin_audit"));
  page["municipality"] = municipality_name(m, c.language);
  page["municipality_href"] = c.href(municipality_admin_path(m));
  json entries = json::array();
  for (const auto& e : store::audit_entries(m_app.reader(), m.id, 200)) {
    entries.push_back({{"when", clock::format_utc(e.at)},
                       {"who", e.actor},
                       {"what", e.action},
                       {"object", e.object},
                       {"details", e.details}});
  }
  page["entries"] = entries;
  return render(c, 200, "admin_audit", page);
}

}  // namespace needsmap::web
