#include "access/password.hpp"

#include <sodium.h>

#include <stdexcept>

#include "core/text.hpp"

namespace needsmap::access {

std::string hash_password(std::string_view password) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium cannot start");
  char out[crypto_pwhash_STRBYTES];
  // INTERACTIVE: about 0.1 s and 64 MiB per sign-in; enough for a web login, as libsodium
  // recommends for it.
  if (crypto_pwhash_str_alg(out, password.data(), password.size(),
                            crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    throw std::runtime_error("out of memory while hashing a password");
  }
  return out;
}

bool verify_password(const std::string& hash, std::string_view password) {
  if (sodium_init() < 0) return false;
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

std::optional<std::string> password_problem(std::string_view password, std::string_view email) {
  if (!text::is_valid_utf8(password)) return "admin.password.invalid";
  std::size_t characters = text::code_points(password);
  if (characters < 10) return "admin.password.too_short";
  if (characters > 128) return "admin.password.too_long";
  if (password == email) return "admin.password.is_email";
  return std::nullopt;
}

std::string random_password() {
  static constexpr std::string_view alphabet =
      "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  if (sodium_init() < 0) throw std::runtime_error("libsodium cannot start");
  std::string out;
  for (int i = 0; i < 16; ++i) {
    out += alphabet[randombytes_uniform(static_cast<std::uint32_t>(alphabet.size()))];
  }
  return out;
}

}  // namespace needsmap::access
