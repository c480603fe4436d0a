// Reading what browsers and clients send: URL-encoded and multipart forms, query strings, cookies.
#pragma once

#include <cstdint>
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

// A file sent with a multipart/form-data form (RFC 7578).
struct UploadedFile {
  std::string field;
  std::string filename;  // without any folder a browser may send with it
  std::string content_type;
  std::string data;
};

struct MultipartForm {
  collect::FormFields fields;       // the text fields, UTF-8
  std::vector<UploadedFile> files;  // the files chosen (an empty file input sends none)
};

// The boundary a multipart/form-data Content-Type names, or "" when it is not one.
std::string multipart_boundary(std::string_view content_type);

// Decodes a multipart/form-data body. nullopt when it is malformed or a text field is not UTF-8.
std::optional<MultipartForm> parse_multipart(std::string_view body, std::string_view boundary);

// The first value of a field, or "".
std::string field(const collect::FormFields& fields, std::string_view name);

// A whole number written as nothing but its digits (and a leading minus), e.g. a year in a
// query; nullopt for anything else.
std::optional<std::int64_t> whole_number(std::string_view text);

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
