// Signing in to the administration: sessions in the database (so any server can answer), their
// cookie, CSRF tokens, and throttling of failed sign-ins per account and per source.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "access/roles.hpp"
#include "store/accounts.hpp"
#include "web/http_server.hpp"

namespace needsmap::web::admin {

inline constexpr const char* session_cookie = "nm_admin";
inline constexpr const char* login_cookie = "nm_login";  // double-submit CSRF of the sign-in form
inline constexpr std::int64_t session_idle_seconds = 2 * 3600;
inline constexpr std::int64_t session_max_seconds = 10 * 3600;
inline constexpr std::int64_t failure_window_seconds = 15 * 60;
inline constexpr std::int64_t max_account_failures = 5;
inline constexpr std::int64_t max_source_failures = 20;

// Who is signed in on a request, with what they may reach.
struct SignedIn {
  access::Principal who;
  store::Session session;
  access::AreaTree areas;
};

// The signed-in user of a request, or none (no cookie, an unknown or expired session, a
// disabled account).
std::optional<SignedIn> signed_in(store::Store& store, const Request& request, std::int64_t now);

// The session's new expiry when it should be extended now (at most every ten minutes), else none.
std::optional<std::int64_t> extended_expiry(const store::Session& session, std::int64_t now);

std::string session_token_hash(std::string_view token);
std::string cookie_header(const char* name, const std::string& value, bool secure,
                          std::int64_t max_age);

// Lower-case, trimmed; empty when it does not look like an address.
std::string normalized_email(std::string_view input);

// The throttling keys: an account, and a source address hashed with the database's key (the
// address itself is never stored).
std::string account_key(const std::string& email);
std::string source_key(const std::string& address, const std::string& key);

}  // namespace needsmap::web::admin
