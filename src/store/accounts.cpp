#include "store/accounts.hpp"

#include "core/text.hpp"

namespace needsmap::store {

namespace {

Area read_area(Statement& s) {
  return Area{s.integer(0), s.optional_integer(1), s.text(2), s.text(3), s.text(4), s.text(5)};
}

User read_user(Statement& s) {
  return User{s.integer(0),      s.text(1),    s.text(2),   s.text(3),
              s.integer(4) != 0, s.integer(5), s.integer(6)};
}

RoleGrant read_grant(Statement& s) {
  return RoleGrant{s.integer(0),          s.integer(1),          s.text(2), s.optional_integer(3),
                   s.optional_integer(4), s.optional_integer(5), s.text(6)};
}

constexpr const char* area_columns =
    "SELECT id, parent_id, level, slug, name_cyrl, name_latn FROM areas";
constexpr const char* user_columns =
    "SELECT id, email, password_hash, display_name, disabled, created_at, password_changed_at"
    " FROM users";
constexpr const char* grant_columns =
    "SELECT id, user_id, role, area_id, municipality_id, campaign_id,"
    " coalesce(organization_id, '') FROM user_roles";

template <typename T, typename Read>
std::vector<T> read_all(Statement& s, Read read) {
  std::vector<T> out;
  while (s.step()) out.push_back(read(s));
  return out;
}

template <typename T, typename Read>
std::optional<T> read_one(Statement& s, Read read) {
  if (!s.step()) return std::nullopt;
  T value = read(s);
  s.run();
  return value;
}

}  // namespace

void lock_for_setup(Store& store) {
  if (store.connection().dialect() == Dialect::postgres) {
    store.connection().exec("SELECT pg_advisory_xact_lock(7283516391)");
  }
}

std::int64_t upsert_area(Store& store, const Area& a) {
  std::string latin = a.name_latn.empty() ? text::serbian_to_latin(a.name_cyrl) : a.name_latn;
  Statement& s = store.connection().prepare(
      "INSERT INTO areas (parent_id, level, slug, name_cyrl, name_latn) VALUES ($1, $2, $3, $4, $5)"
      " ON CONFLICT (slug) DO UPDATE SET parent_id = excluded.parent_id, level = excluded.level,"
      " name_cyrl = excluded.name_cyrl, name_latn = excluded.name_latn RETURNING id");
  s.bind(1, a.parent_id).bind(2, a.level).bind(3, a.slug).bind(4, a.name_cyrl).bind(5, latin);
  s.step();
  std::int64_t id = s.integer(0);
  s.run();
  return id;
}

std::vector<Area> list_areas(Store& store) {
  Statement& s = store.connection().prepare(std::string(area_columns) + " ORDER BY id");
  return read_all<Area>(s, read_area);
}

std::optional<Area> find_area(Store& store, std::string_view slug) {
  Statement& s = store.connection().prepare(std::string(area_columns) + " WHERE slug = $1");
  s.bind(1, slug);
  return read_one<Area>(s, read_area);
}

Result<std::int64_t> create_user(Store& store, const User& u) {
  Statement& s = store.connection().prepare(
      "INSERT INTO users (email, password_hash, display_name, disabled, created_at,"
      " password_changed_at) VALUES ($1, $2, $3, $4, $5, $6)"
      " ON CONFLICT (email) DO NOTHING RETURNING id");
  s.bind(1, u.email).bind(2, u.password_hash).bind(3, u.display_name);
  s.bind(4, u.disabled ? 1 : 0).bind(5, u.created_at).bind(6, u.password_changed_at);
  if (!s.step()) return std::unexpected(Error::conflict("a user " + u.email + " exists already"));
  std::int64_t id = s.integer(0);
  s.run();
  return id;
}

std::optional<User> find_user(Store& store, std::int64_t id) {
  Statement& s = store.connection().prepare(std::string(user_columns) + " WHERE id = $1");
  s.bind(1, id);
  return read_one<User>(s, read_user);
}

std::optional<User> find_user_by_email(Store& store, std::string_view email) {
  Statement& s = store.connection().prepare(std::string(user_columns) + " WHERE email = $1");
  s.bind(1, email);
  return read_one<User>(s, read_user);
}

std::vector<User> list_users(Store& store) {
  Statement& s = store.connection().prepare(std::string(user_columns) + " ORDER BY email");
  return read_all<User>(s, read_user);
}

void set_password_hash(Store& store, std::int64_t user_id, const std::string& hash,
                       std::int64_t now) {
  Statement& s = store.connection().prepare(
      "UPDATE users SET password_hash = $1, password_changed_at = $2 WHERE id = $3");
  s.bind(1, hash).bind(2, now).bind(3, user_id);
  s.run();
}

void set_user_disabled(Store& store, std::int64_t user_id, bool disabled) {
  Statement& s = store.connection().prepare("UPDATE users SET disabled = $1 WHERE id = $2");
  s.bind(1, disabled ? 1 : 0).bind(2, user_id);
  s.run();
}

std::int64_t add_role(Store& store, const RoleGrant& g) {
  Statement& s = store.connection().prepare(
      "INSERT INTO user_roles (user_id, role, area_id, municipality_id, campaign_id,"
      " organization_id) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id");
  s.bind(1, g.user_id).bind(2, g.role).bind(3, g.area_id).bind(4, g.municipality_id);
  s.bind(5, g.campaign_id);
  if (g.organization_id.empty()) {
    s.bind_null(6);
  } else {
    s.bind(6, g.organization_id);
  }
  s.step();
  std::int64_t id = s.integer(0);
  s.run();
  return id;
}

void remove_role(Store& store, std::int64_t grant_id) {
  Statement& s = store.connection().prepare("DELETE FROM user_roles WHERE id = $1");
  s.bind(1, grant_id);
  s.run();
}

std::vector<RoleGrant> roles_of(Store& store, std::int64_t user_id) {
  Statement& s =
      store.connection().prepare(std::string(grant_columns) + " WHERE user_id = $1 ORDER BY id");
  s.bind(1, user_id);
  return read_all<RoleGrant>(s, read_grant);
}

std::vector<RoleGrant> all_roles(Store& store) {
  Statement& s = store.connection().prepare(std::string(grant_columns) + " ORDER BY user_id, id");
  return read_all<RoleGrant>(s, read_grant);
}

void create_session(Store& store, const Session& x) {
  Statement& s = store.connection().prepare(
      "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at)"
      " VALUES ($1, $2, $3, $4, $5)");
  s.bind(1, x.token_hash).bind(2, x.user_id).bind(3, x.csrf_token).bind(4, x.created_at);
  s.bind(5, x.expires_at);
  s.run();
}

std::optional<Session> find_session(Store& store, const std::string& token_hash, std::int64_t now) {
  Statement& s = store.connection().prepare(
      "SELECT token_hash, user_id, csrf_token, created_at, expires_at FROM sessions"
      " WHERE token_hash = $1 AND expires_at > $2");
  s.bind(1, token_hash).bind(2, now);
  return read_one<Session>(s, [](Statement& r) {
    return Session{r.text(0), r.integer(1), r.text(2), r.integer(3), r.integer(4)};
  });
}

void extend_session(Store& store, const std::string& token_hash, std::int64_t expires_at) {
  Statement& s =
      store.connection().prepare("UPDATE sessions SET expires_at = $1 WHERE token_hash = $2");
  s.bind(1, expires_at).bind(2, token_hash);
  s.run();
}

void delete_session(Store& store, const std::string& token_hash) {
  Statement& s = store.connection().prepare("DELETE FROM sessions WHERE token_hash = $1");
  s.bind(1, token_hash);
  s.run();
}

void delete_sessions_of(Store& store, std::int64_t user_id) {
  Statement& s = store.connection().prepare("DELETE FROM sessions WHERE user_id = $1");
  s.bind(1, user_id);
  s.run();
}

std::int64_t purge_expired_sessions(Store& store, std::int64_t now) {
  Statement& s =
      store.connection().prepare("DELETE FROM sessions WHERE expires_at <= $1 RETURNING 1");
  s.bind(1, now);
  std::int64_t purged = 0;
  while (s.step()) ++purged;
  return purged;
}

std::int64_t record_login_failure(Store& store, const std::string& key, std::int64_t now,
                                  std::int64_t window) {
  // A count older than the window starts again at one.
  Statement& s = store.connection().prepare(
      "INSERT INTO login_failures (key, failures, window_start) VALUES ($1, 1, $2)"
      " ON CONFLICT (key) DO UPDATE SET"
      " failures = CASE WHEN login_failures.window_start <= $3 THEN 1"
      " ELSE login_failures.failures + 1 END,"
      " window_start = CASE WHEN login_failures.window_start <= $3 THEN $2"
      " ELSE login_failures.window_start END RETURNING failures");
  s.bind(1, key).bind(2, now).bind(3, now - window);
  s.step();
  std::int64_t failures = s.integer(0);
  s.run();
  return failures;
}

std::int64_t login_failures(Store& store, const std::string& key, std::int64_t now,
                            std::int64_t window) {
  Statement& s = store.connection().prepare(
      "SELECT failures FROM login_failures WHERE key = $1 AND window_start > $2");
  s.bind(1, key).bind(2, now - window);
  return read_one<std::int64_t>(s, [](Statement& r) { return r.integer(0); }).value_or(0);
}

void clear_login_failures(Store& store, const std::string& key) {
  Statement& s = store.connection().prepare("DELETE FROM login_failures WHERE key = $1");
  s.bind(1, key);
  s.run();
}

void audit(Store& store, const AuditEntry& e) {
  Statement& s = store.connection().prepare(
      "INSERT INTO audit_log (at, user_id, actor, action, municipality_id, object, details)"
      " VALUES ($1, $2, $3, $4, $5, $6, $7)");
  s.bind(1, e.at).bind(2, e.user_id).bind(3, e.actor).bind(4, e.action);
  s.bind(5, e.municipality_id).bind(6, e.object).bind(7, e.details);
  s.run();
}

std::vector<AuditEntry> audit_entries(Store& store, std::optional<std::int64_t> municipality_id,
                                      std::size_t limit) {
  Statement& s = store.connection().prepare(
      "SELECT id, at, user_id, actor, action, municipality_id, object, details FROM audit_log"
      " WHERE CAST($1 AS BIGINT) IS NULL OR municipality_id = $1 ORDER BY id DESC LIMIT $2");
  s.bind(1, municipality_id).bind(2, static_cast<std::int64_t>(limit));
  return read_all<AuditEntry>(s, [](Statement& r) {
    return AuditEntry{r.integer(0), r.integer(1), r.optional_integer(2),
                      r.text(3),    r.text(4),    r.optional_integer(5),
                      r.text(6),    r.text(7)};
  });
}

std::string shared_setting(Store& store, const std::string& name, const std::string& initial) {
  Statement& insert = store.connection().prepare(
      "INSERT INTO settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING");
  insert.bind(1, name).bind(2, initial);
  insert.run();
  Statement& s = store.connection().prepare("SELECT value FROM settings WHERE name = $1");
  s.bind(1, name);
  return read_one<std::string>(s, [](Statement& r) { return r.text(0); }).value_or(initial);
}

}  // namespace needsmap::store
