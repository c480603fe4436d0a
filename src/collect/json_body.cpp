#include "collect/json_body.hpp"

#include <simdjson.h>

namespace needsmap::collect {

namespace {

using json = nlohmann::json;

std::expected<json, JsonBodyError> build(simdjson::dom::element e) {
  using Type = simdjson::dom::element_type;
  switch (e.type()) {
    case Type::OBJECT: {
      json object = json::object();
      for (auto field : simdjson::dom::object(e)) {
        auto value = build(field.value);
        if (!value) return value;
        if (!object.emplace(std::string(field.key), std::move(*value)).second) {
          return std::unexpected(
              JsonBodyError{JsonBodyError::Kind::repeated_key, std::string(field.key)});
        }
      }
      return object;
    }
    case Type::ARRAY: {
      json array = json::array();
      for (auto item : simdjson::dom::array(e)) {
        auto value = build(item);
        if (!value) return value;
        array.push_back(std::move(*value));
      }
      return array;
    }
    case Type::STRING:
      return json(std::string(std::string_view(e)));
    case Type::INT64:
      return json(std::int64_t(e));
    case Type::UINT64:
      return json(std::uint64_t(e));
    case Type::DOUBLE:
      return json(double(e));
    case Type::BOOL:
      return json(bool(e));
    case Type::NULL_VALUE:
      return json(nullptr);
  }
  return std::unexpected(JsonBodyError{});
}

}  // namespace

std::expected<nlohmann::json, JsonBodyError> parse_json_body(std::string_view text) {
  // One parser per thread keeps its buffers between requests.
  thread_local simdjson::dom::parser parser;
  // simdjson reads up to SIMDJSON_PADDING bytes past the end: copy into a padded buffer.
  thread_local std::string padded;
  padded.assign(text);
  padded.resize(text.size() + simdjson::SIMDJSON_PADDING);
  simdjson::dom::element root;
  if (parser.parse(padded.data(), text.size(), false).get(root) != simdjson::SUCCESS) {
    return std::unexpected(JsonBodyError{});
  }
  return build(root);
}

}  // namespace needsmap::collect
