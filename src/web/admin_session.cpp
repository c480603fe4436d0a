#include "web/admin_session.hpp"

#include <boost/beast/http/field.hpp>

#include "core/text.hpp"
#include "web/forms.hpp"
#include "web/tokens.hpp"

namespace needsmap::web::admin {

std::string session_token_hash(std::string_view token) {
  return hash_token(token, "needsmap admin session");
}

std::optional<SignedIn> signed_in(store::Store& store, const Request& request, std::int64_t now) {
  std::string token = cookie(request[boost::beast::http::field::cookie], session_cookie);
  if (!plausible_token(token)) return std::nullopt;
  auto session = store::find_session(store, session_token_hash(token), now);
  if (!session) return std::nullopt;
  auto user = store::find_user(store, session->user_id);
  if (!user || user->disabled) return std::nullopt;
  SignedIn s{access::Principal{*user, store::roles_of(store, user->id)}, *session,
             access::AreaTree(store::list_areas(store), store.list_municipalities())};
  return s;
}

std::optional<std::int64_t> extended_expiry(const store::Session& session, std::int64_t now) {
  std::int64_t wanted =
      std::min(now + session_idle_seconds, session.created_at + session_max_seconds);
  if (wanted - session.expires_at < 600) return std::nullopt;
  return wanted;
}

std::string cookie_header(const char* name, const std::string& value, bool secure,
                          std::int64_t max_age) {
  std::string header =
      std::string(name) + "=" + value +
      "; Path=/admin; HttpOnly; SameSite=Strict; Max-Age=" + std::to_string(max_age);
  if (secure) header += "; Secure";
  return header;
}

std::string normalized_email(std::string_view input) {
  std::string email = text::trim(input);
  for (char& c : email) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto at = email.find('@');
  bool plausible = email.size() <= 254 && at != std::string::npos && at > 0 &&
                   email.find('.', at) != std::string::npos && email.back() != '.' &&
                   email.find_first_of(" \t\r\n<>\"',;") == std::string::npos &&
                   text::is_valid_utf8(email);
  return plausible ? email : std::string();
}

std::string account_key(const std::string& email) {
  return "account:" + email;
}

std::string source_key(const std::string& address, const std::string& key) {
  return "source:" + hash_token(address, key);
}

}  // namespace needsmap::web::admin
