// Errors that a caller is expected to handle: validation, parsing, I/O.
#pragma once

#include <expected>
#include <string>

namespace needsmap {

struct Error {
  enum class Kind { invalid_input, not_found, conflict, io, internal };
  Kind kind{Kind::internal};
  std::string message;  // English, for logs and authors; user-facing text comes from i18n

  static Error invalid(std::string message) { return {Kind::invalid_input, std::move(message)}; }
  static Error not_found(std::string message) { return {Kind::not_found, std::move(message)}; }
  static Error conflict(std::string message) { return {Kind::conflict, std::move(message)}; }
  static Error io(std::string message) { return {Kind::io, std::move(message)}; }
  static Error internal(std::string message) { return {Kind::internal, std::move(message)}; }
};

template <typename T>
using Result = std::expected<T, Error>;

}  // namespace needsmap
