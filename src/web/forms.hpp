// Reading what browsers and clients send: URL-encoded forms, query strings, cookies.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "collect/collect.hpp"

namespace needsmap::web {

// Decodes application/x-www-form-urlencoded text. nullopt when it is malformed or not UTF-8.
std::optional<collect::FormFields> parse_form(std::string_view body);

// Percent-decodes; nullopt when malformed or not UTF-8.
std::optional<std::string> url_decode(std::string_view s, bool plus_is_space);

// The first value of a field, or "".
std::string field(const collect::FormFields& fields, std::string_view name);

// The value of one cookie from a Cookie header, or "".
std::string cookie(std::string_view header, std::string_view name);

// A request target split into path segments (percent-decoded) and query parameters (the first
// value of each name).
struct Target {
  std::vector<std::string> segments;
  std::map<std::string, std::string> query;
};
// nullopt when it is malformed or not UTF-8.
std::optional<Target> parse_target(std::string_view target);

// Percent-encodes a value for a URL query.
std::string url_encode(std::string_view value);

}  // namespace needsmap::web
