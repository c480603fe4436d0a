// Random tokens that browsers hold (draft and session cookies) and how the server keeps them.
#pragma once

#include <string>
#include <string_view>

namespace needsmap::web {

// Tokens are looked up by a hash of the token (with a purpose, so a draft token never matches a
// session), so the database never holds a token that would let someone who reads it continue
// another person's questionnaire or session.
std::string hash_token(std::string_view token, std::string_view purpose);

// Whether a value has the shape of core/random's token(32): 43 URL-safe characters.
bool plausible_token(std::string_view token);

// Compares two secrets in time that does not depend on where they differ.
bool same_secret(std::string_view a, std::string_view b);

}  // namespace needsmap::web
