#include "collect/json_body.hpp"

#include <gtest/gtest.h>

using needsmap::collect::JsonBodyError;
using needsmap::collect::parse_json_body;
using nlohmann::json;

TEST(JsonBody, reads_the_same_document_as_nlohmann_json) {
  const std::string text = R"({"submission_id":"5f1c0a52-0d55-4b8e-9a33-2f6a1b7c9d10",
    "answers":{"age_band":"65_79","household_size":3,"income":-12,"weight":1.5,"big":18446744073709551615,
    "risk_factors":["poverty","old_age_alone"],"services_known":{"home_care":"used"},
    "consent":true,"empty":null,"suggestions":"Више кућне неге у селима \"и\" \u0161umama."}})";
  auto parsed = parse_json_body(text);
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(*parsed, json::parse(text));
  const json& answers = (*parsed)["answers"];
  EXPECT_TRUE(answers["household_size"].is_number_integer());
  EXPECT_TRUE(answers["weight"].is_number_float());
  EXPECT_TRUE(answers["big"].is_number_unsigned());
  EXPECT_EQ(answers["suggestions"], "Више кућне неге у селима \"и\" šumama.");
}

TEST(JsonBody, refuses_a_key_given_twice_and_names_it) {
  auto parsed = parse_json_body(R"({"answers":{"sex":"male","age_band":"18_29","sex":"female"}})");
  ASSERT_FALSE(parsed.has_value());
  EXPECT_EQ(parsed.error().kind, JsonBodyError::Kind::repeated_key);
  EXPECT_EQ(parsed.error().key, "sex");
  // The same key in two different objects is not a repetition.
  EXPECT_TRUE(parse_json_body(R"({"a":{"x":1},"b":{"x":2}})").has_value());
}

TEST(JsonBody, refuses_what_is_not_json_or_not_text) {
  for (std::string bad : {"", "{", "{\"a\":}", "[1,2,]", "{\"a\":1} trailing", "{'a':1}",
                          "{\"a\":\"\\ud800\"}", "{\"a\":1e400}", "NaN"}) {
    auto parsed = parse_json_body(bad);
    ASSERT_FALSE(parsed.has_value()) << bad;
    EXPECT_EQ(parsed.error().kind, JsonBodyError::Kind::malformed) << bad;
  }
  std::string invalid_utf8 = "{\"a\":\"";
  invalid_utf8 += "\xff\xfe\xc3";
  invalid_utf8 += "\"}";
  EXPECT_FALSE(parse_json_body(invalid_utf8).has_value());
}

TEST(JsonBody, a_body_larger_than_the_last_one_still_reads_whole) {
  // The padded buffer is kept per thread between requests: it must grow, not truncate.
  ASSERT_TRUE(parse_json_body(R"({"a":1})").has_value());
  json big = json::object();
  for (int i = 0; i < 5000; ++i) big["q" + std::to_string(i)] = std::string(20, 'x');
  auto parsed = parse_json_body(big.dump());
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(*parsed, big);
}

TEST(JsonBody, nesting_is_bounded_by_the_parser_not_by_the_stack) {
  auto nested = [](int depth) { return std::string(depth, '[') + std::string(depth, ']'); };
  EXPECT_TRUE(parse_json_body(nested(1000)).has_value());
  auto deep = parse_json_body(nested(100000));
  ASSERT_FALSE(deep.has_value());
  EXPECT_EQ(deep.error().kind, JsonBodyError::Kind::malformed);
}
