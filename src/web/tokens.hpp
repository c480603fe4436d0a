// Random tokens that browsers hold (draft and session cookies) and how the server keeps them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace needsmap::web {

// Tokens are looked up by a hash of the token (with a purpose, so a draft token never matches a
// session), so the database never holds a token that would let someone who reads it continue
// another person's questionnaire or session.
std::string hash_token(std::string_view token, std::string_view purpose);

// Whether a value has the shape of core/random's token(32): 43 URL-safe characters.
bool plausible_token(std::string_view token);

// What a respondent's browser holds for a questionnaire in progress: the draft's random token and
// the minute it was started. The start stays with the browser, so the server never stores when a
// person answered; on sending it only adds the duration to a count (store/progress).
struct DraftTicket {
  std::string token;
  std::int64_t started_minute{0};  // unix minutes; 0 when not known
};
// "TOKEN.MINUTE", the form the cookie and the hidden field carry.
std::string to_string(const DraftTicket& ticket);
// A ticket, or a bare token (started unknown); nullopt for anything else.
std::optional<DraftTicket> parse_ticket(std::string_view value);

// Compares two secrets in time that does not depend on where they differ.
bool same_secret(std::string_view a, std::string_view b);

}  // namespace needsmap::web
