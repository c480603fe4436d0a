// The administration's data: areas above municipalities, user accounts and their roles, signed-in
// sessions, failed sign-ins, the audit log and shared settings. Plain rows; what they allow is
// decided in the access module.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "store/store.hpp"

namespace needsmap::store {

struct Area {
  std::int64_t id{0};
  std::optional<std::int64_t> parent_id;
  std::string level;  // republic, district
  std::string slug;
  std::string name_cyrl;
  std::string name_latn;  // derived when empty
};

struct User {
  std::int64_t id{0};
  std::string email;  // lower case
  std::string password_hash;
  std::string display_name;
  bool disabled{false};
  std::int64_t created_at{0};
  std::int64_t password_changed_at{0};
};

struct RoleGrant {
  std::int64_t id{0};
  std::int64_t user_id{0};
  std::string role;
  std::optional<std::int64_t> area_id;
  std::optional<std::int64_t> municipality_id;
  std::optional<std::int64_t> campaign_id;
  std::string organization_id;
};

struct Session {
  std::string token_hash;
  std::int64_t user_id{0};
  std::string csrf_token;
  std::int64_t created_at{0};
  std::int64_t expires_at{0};
};

struct AuditEntry {
  std::int64_t id{0};
  std::int64_t at{0};
  std::optional<std::int64_t> user_id;
  std::string actor;   // the e-mail, or "command line"
  std::string action;  // e.g. sign_in, campaign_open, export
  std::optional<std::int64_t> municipality_id;
  std::string object;   // what it was done to, e.g. "demo/citizens"
  std::string details;  // a short free text, never answers
};

// Inside a transaction: waits while another server sets up the same database (several servers
// started at once with --demo). SQLite's write lock already does this; PostgreSQL needs a lock.
void lock_for_setup(Store& store);

// Areas
std::int64_t upsert_area(Store& store, const Area& area);
std::vector<Area> list_areas(Store& store);
std::optional<Area> find_area(Store& store, std::string_view slug);

// Users and roles
Result<std::int64_t> create_user(Store& store, const User& user);  // conflict if the e-mail exists
std::optional<User> find_user(Store& store, std::int64_t id);
std::optional<User> find_user_by_email(Store& store, std::string_view email);
std::vector<User> list_users(Store& store);
void set_password_hash(Store& store, std::int64_t user_id, const std::string& hash,
                       std::int64_t now);
void set_user_disabled(Store& store, std::int64_t user_id, bool disabled);
std::int64_t add_role(Store& store, const RoleGrant& grant);
void remove_role(Store& store, std::int64_t grant_id);
std::vector<RoleGrant> roles_of(Store& store, std::int64_t user_id);
std::vector<RoleGrant> all_roles(Store& store);

// Sessions
void create_session(Store& store, const Session& session);
std::optional<Session> find_session(Store& store, const std::string& token_hash, std::int64_t now);
void extend_session(Store& store, const std::string& token_hash, std::int64_t expires_at);
void delete_session(Store& store, const std::string& token_hash);
void delete_sessions_of(Store& store, std::int64_t user_id);
std::int64_t purge_expired_sessions(Store& store, std::int64_t now);

// Failed sign-ins: `key` names an account or a source. Failures older than `window` seconds
// start a new count.
std::int64_t record_login_failure(Store& store, const std::string& key, std::int64_t now,
                                  std::int64_t window);
std::int64_t login_failures(Store& store, const std::string& key, std::int64_t now,
                            std::int64_t window);
void clear_login_failures(Store& store, const std::string& key);

// Audit log, newest first.
void audit(Store& store, const AuditEntry& entry);
std::vector<AuditEntry> audit_entries(Store& store, std::optional<std::int64_t> municipality_id,
                                      std::size_t limit);

// A setting every server of the database shares; `initial` is stored when there is none yet
// (the first server to ask wins a race).
std::string shared_setting(Store& store, const std::string& name, const std::string& initial);

}  // namespace needsmap::store
