#include "web/tokens.hpp"

#include <sodium.h>

#include <algorithm>
#include <cctype>

namespace needsmap::web {

std::string hash_token(std::string_view token, std::string_view purpose) {
  unsigned char out[32];
  crypto_generichash_state state;
  crypto_generichash_init(&state, nullptr, 0, sizeof out);
  crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(purpose.data()),
                            purpose.size());
  crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(token.data()),
                            token.size());
  crypto_generichash_final(&state, out, sizeof out);
  char hex[65];
  sodium_bin2hex(hex, sizeof hex, out, sizeof out);
  return hex;
}

bool plausible_token(std::string_view token) {
  return token.size() == 43 && std::all_of(token.begin(), token.end(), [](char c) {
           return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
         });
}

std::string to_string(const DraftTicket& ticket) {
  return ticket.token + "." + std::to_string(ticket.started_minute);
}

std::optional<DraftTicket> parse_ticket(std::string_view value) {
  auto dot = value.find('.');
  std::string_view token = value.substr(0, dot);
  if (!plausible_token(token)) return std::nullopt;
  DraftTicket ticket{std::string(token), 0};
  if (dot == std::string_view::npos) return ticket;
  std::string_view minute = value.substr(dot + 1);
  if (minute.empty() || minute.size() > 12) return std::nullopt;
  for (char c : minute) {
    if (c < '0' || c > '9') return std::nullopt;
    ticket.started_minute = ticket.started_minute * 10 + (c - '0');
  }
  return ticket;
}

bool same_secret(std::string_view a, std::string_view b) {
  return a.size() == b.size() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace needsmap::web
