// Reading a JSON request body: simdjson parses (several times faster than nlohmann::json's own
// parser, bench/ingest_path), and the result is built as the nlohmann::json the rest of the code
// works with. Stricter than JSON's letter where that protects answers: a key repeated in one
// object is refused instead of one of its values being silently dropped.
#pragma once

#include <expected>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace needsmap::collect {

struct JsonBodyError {
  enum class Kind { malformed, repeated_key } kind{Kind::malformed};
  std::string key;  // the repeated key
};

std::expected<nlohmann::json, JsonBodyError> parse_json_body(std::string_view text);

}  // namespace needsmap::collect
