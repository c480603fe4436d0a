// Passwords: argon2id hashes (libsodium crypto_pwhash_str) and the rules a new password follows.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace needsmap::access {

// An encoded argon2id hash with its own salt and cost parameters.
std::string hash_password(std::string_view password);
bool verify_password(const std::string& hash, std::string_view password);

// Why a password is not acceptable (an i18n message key), or none. As NIST SP 800-63B advises:
// a minimum length, a maximum, no composition rules.
std::optional<std::string> password_problem(std::string_view password, std::string_view email);

// A random password for demo accounts and first sign-ins: 16 letters and digits without the
// ones people confuse (0/O, 1/l/I).
std::string random_password();

}  // namespace needsmap::access
