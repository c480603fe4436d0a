// Tests for the questionnaire expression language. Most cases are data: tests/data/expressions.json
// holds expressions with their answers and the expected result or error position.
#include "questionnaire/expression.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#ifndef NEEDSMAP_TEST_DATA_DIR
#define NEEDSMAP_TEST_DATA_DIR "tests/data"
#endif

namespace needsmap::questionnaire {
namespace {

using nlohmann::json;

constexpr const char* kDefaultToday = "2024-05-17";

// NEEDSMAP_TEST_DATA may name the data directory or the file itself.
std::filesystem::path data_file() {
  if (const char* env = std::getenv("NEEDSMAP_TEST_DATA"); env != nullptr && *env != '\0') {
    const std::filesystem::path path(env);
    return std::filesystem::is_directory(path) ? path / "expressions.json" : path;
  }
  return std::filesystem::path(NEEDSMAP_TEST_DATA_DIR) / "expressions.json";
}

struct DataCase {
  std::size_t index;
  json data;
};

// Shows the case itself when a test fails, not its bytes.
void PrintTo(const DataCase& data_case, std::ostream* out) {
  *out << data_case.data.dump();
}

// Read once at registration; a read failure becomes one failing case instead of a crash.
std::vector<DataCase> load_cases() {
  const std::filesystem::path path = data_file();
  std::ifstream in(path);
  json cases = json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (!cases.is_array()) {
    return {{0, json{{"name", "data file is readable"},
                     {"load_error", "cannot read " + path.string()}}}};
  }
  std::vector<DataCase> result;
  for (std::size_t i = 0; i < cases.size(); ++i) result.push_back({i, cases[i]});
  return result;
}

const std::vector<DataCase>& all_cases() {
  static const std::vector<DataCase> cases = load_cases();
  return cases;
}

// "an unanswered question is false" -> "c042_an_unanswered_question_is_false"
std::string case_name(const testing::TestParamInfo<DataCase>& info) {
  std::string name = "c";
  const std::string index = std::to_string(info.param.index);
  name += std::string(index.size() < 3 ? 3 - index.size() : 0, '0') + index + "_";
  for (const char c : info.param.data.value("name", std::string("unnamed"))) {
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (alnum) {
      name += c;
    } else if (name.back() != '_') {
      name += '_';
    }
  }
  while (name.back() == '_') name.pop_back();
  return name;
}

std::string kind_name(Value::Kind kind) {
  switch (kind) {
    case Value::Kind::string:
      return "string";
    case Value::Kind::number:
      return "number";
    case Value::Kind::boolean:
      return "boolean";
  }
  return "?";
}

EvaluationContext context_for(const std::map<std::string, std::string>& answers,
                              std::string_view current = "", std::string today = kDefaultToday) {
  EvaluationContext context;
  context.lookup = [&answers](std::string_view name) {
    const auto it = answers.find(std::string(name));
    return it == answers.end() ? std::string() : it->second;
  };
  context.current = current;
  context.today = std::move(today);
  return context;
}

std::string evaluate(std::string_view source,
                     const std::map<std::string, std::string>& answers = {},
                     std::string_view current = "") {
  const auto expression = Expression::parse(source);
  if (!expression) return "parse error: " + expression.error().message;
  return expression->evaluate(context_for(answers, current)).as_string();
}

class ExpressionDataCase : public testing::TestWithParam<DataCase> {};

TEST_P(ExpressionDataCase, EvaluatesOrFailsAsTheDataFileSays) {
  const json& data = GetParam().data;
  ASSERT_FALSE(data.contains("load_error")) << data["load_error"].get<std::string>();
  const std::string source = data.at("expr").get<std::string>();
  SCOPED_TRACE("expression: " + source);
  const auto expression = Expression::parse(source);

  if (data.contains("error_at")) {
    ASSERT_FALSE(expression.has_value()) << "parsed, but should fail";
    EXPECT_EQ(expression.error().position, data["error_at"].get<std::size_t>())
        << expression.error().message;
    if (data.contains("error")) {
      EXPECT_EQ(expression.error().message, data["error"].get<std::string>());
    }
    EXPECT_FALSE(expression.error().message.empty());
    return;
  }

  ASSERT_TRUE(expression.has_value())
      << expression.error().message << " at " << expression.error().position;
  const auto answers = data.value("answers", std::map<std::string, std::string>{});
  const std::string current = data.value("current", std::string());
  const Value value =
      expression->evaluate(context_for(answers, current, data.value("today", kDefaultToday)));
  EXPECT_EQ(value.as_string(), data.at("expect").get<std::string>());
  if (data.contains("kind")) {
    EXPECT_EQ(kind_name(value.kind()), data["kind"].get<std::string>());
  }
}

INSTANTIATE_TEST_SUITE_P(DataFile, ExpressionDataCase, testing::ValuesIn(all_cases()), case_name);

TEST(ExpressionDataFile, HoldsAtLeastEightyCases) {
  EXPECT_GE(all_cases().size(), 80U);
}

TEST(Expression, ListsEachReferenceOnceInOrderOfFirstAppearance) {
  const auto expression = Expression::parse("${b} + ${a} * ${b} + count-selected(${q/row}) + ${a}");
  ASSERT_TRUE(expression.has_value());
  EXPECT_EQ(expression->references(), (std::vector<std::string>{"b", "a", "q/row"}));
}

TEST(Expression, ReportsWhetherTheCurrentAnswerIsUsed) {
  const std::vector<std::pair<std::string, bool>> cases{
      {". > 3", true},     {"regex(., '[0-9]+')", true}, {".5 > 3", false},
      {"${a} > 3", false}, {"'.' = ${a}", false},        {"string-length(.)", true},
  };
  for (const auto& [source, uses_current] : cases) {
    const auto expression = Expression::parse(source);
    ASSERT_TRUE(expression.has_value()) << source;
    EXPECT_EQ(expression->uses_current(), uses_current) << source;
  }
}

TEST(Expression, KeepsItsSourceText) {
  const auto expression = Expression::parse("  ${a} = 'так' ");
  ASSERT_TRUE(expression.has_value());
  EXPECT_EQ(expression->source(), "  ${a} = 'так' ");
}

TEST(Expression, CopiesEvaluateLikeTheOriginal) {
  auto original = Expression::parse("if(selected(${m}, 'x'), 'yes', 'no')");
  ASSERT_TRUE(original.has_value());
  const Expression copy = *original;
  const std::map<std::string, std::string> answers{{"m", "x y"}};
  EXPECT_EQ(copy.evaluate(context_for(answers)).as_string(), "yes");
  EXPECT_EQ(original->evaluate(context_for(answers)).as_string(), "yes");
  EXPECT_TRUE(copy.evaluate_boolean(context_for(answers)));
}

TEST(Expression, TreatsAMissingLookupAsUnanswered) {
  const auto expression = Expression::parse("${a} = ''");
  ASSERT_TRUE(expression.has_value());
  EXPECT_TRUE(expression->evaluate_boolean(EvaluationContext{}));
}

TEST(Expression, LooksUpOnlyWhatShortCircuitingNeeds) {
  struct Case {
    std::string source;
    std::vector<std::string> looked_up;
  };
  const std::vector<Case> cases{
      {"${a} = 'x' or ${b} = 'y'", {"a"}},         {"${a} = 'no' and ${b} = 'y'", {"a"}},
      {"${a} = 'no' or ${b} = 'y'", {"a", "b"}},   {"if(${a} = 'x', ${b}, ${c})", {"a", "b"}},
      {"if(${a} = 'no', ${b}, ${c})", {"a", "c"}}, {"coalesce(${a}, ${b})", {"a"}},
  };
  for (const auto& [source, expected] : cases) {
    std::vector<std::string> looked_up;
    EvaluationContext context;
    context.lookup = [&looked_up](std::string_view name) {
      looked_up.emplace_back(name);
      return name == "a" ? std::string("x") : std::string();
    };
    const auto expression = Expression::parse(source);
    ASSERT_TRUE(expression.has_value()) << source;
    expression->evaluate(context);
    EXPECT_EQ(looked_up, expected) << source;
  }
}

std::string repeat(std::string_view part, std::size_t times) {
  std::string out;
  for (std::size_t i = 0; i < times; ++i) out += part;
  return out;
}

TEST(Expression, AcceptsTwoHundredNestedParentheses) {
  EXPECT_EQ(evaluate(repeat("(", 200) + "1" + repeat(")", 200)), "1");
}

TEST(Expression, RefusesNestingDeeperThanTwoHundredLevels) {
  struct Case {
    std::string source;
    std::size_t position;
  };
  const std::vector<Case> cases{
      {repeat("(", 201) + "1" + repeat(")", 201), 201},
      {repeat("(", 100000) + "1", 201},  // fails early instead of overflowing the stack
      {repeat("-", 201) + "1", 201},
      {repeat("not(", 201) + "1" + repeat(")", 201), 801},
      {repeat("concat(1, ", 300) + "1" + repeat(")", 300), 2001},
  };
  for (const auto& [source, position] : cases) {
    const auto expression = Expression::parse(source);
    ASSERT_FALSE(expression.has_value()) << source.substr(0, 40);
    EXPECT_EQ(expression.error().message, "expression is nested too deeply (more than 200 levels)");
    EXPECT_EQ(expression.error().position, position) << source.substr(0, 40);
  }
}

TEST(Expression, RefusesATreeDeeperThanTwoHundredLevelsEvenWithFewParentheses) {
  // Every level adds a sum and a product inside one pair of parentheses.
  const auto expression = Expression::parse(repeat("1 + 2 * (", 150) + "1" + repeat(")", 150));
  ASSERT_FALSE(expression.has_value());
  EXPECT_EQ(expression.error().message, "expression is nested too deeply (more than 200 levels)");
}

TEST(Expression, EvaluatesLongFlatChainsOfOperators) {
  EXPECT_EQ(evaluate("1" + repeat(" + 1", 9999)), "10000");
  EXPECT_EQ(evaluate(repeat("false() or ", 5000) + "true()"), "true");
  EXPECT_EQ(evaluate(repeat("true() and ", 5000) + "false()"), "false");
}

TEST(Expression, MatchesLongAnswersAgainstARegexWithoutExhaustingTheStack) {
  const std::map<std::string, std::string> answers{{"a", std::string(200000, 'a')}};
  EXPECT_EQ(evaluate("regex(${a}, '(a|b)*')", answers), "true");
  EXPECT_EQ(evaluate("regex(${a}, '(a*)*b')", answers), "false");  // no catastrophic backtracking
}

TEST(Expression, RefusesRegexCountsTooLargeForTheRegexCompiler) {
  // Found by tests/fuzz: libstdc++ overflows reading such a count (undefined behaviour).
  EXPECT_FALSE(Expression::parse("regex(., 'a{1000000000000000000000}')"));
  EXPECT_FALSE(Expression::parse("regex(., 'a{2,99999999999999999999}')"));
  EXPECT_TRUE(Expression::parse("regex(., '^[0-9]{13}$')"));
  EXPECT_TRUE(Expression::parse("regex(., '^\\{1234567890123\\}$')")) << "escaped braces are text";
  const std::map<std::string, std::string> answers{{"a", "aaa"}, {"p", "a{99999999999999999999}"}};
  EXPECT_EQ(evaluate("regex(${a}, ${p})", answers), "false");
}

TEST(Value, ConvertsNumbersToStringsAsXPathDoes) {
  const double inf = std::numeric_limits<double>::infinity();
  const std::vector<std::pair<double, std::string>> cases{
      {3, "3"},
      {-2, "-2"},
      {0.5, "0.5"},
      {-0.0, "0"},
      {1e21, "1000000000000000000000"},
      {1e-7, "0.0000001"},
      {123456789.123456789, "123456789.123457"},
      {1.0 / 3, "0.333333333333333"},
      {9007199254740993.0, "9007199254740992"},
      {std::nan(""), "NaN"},
      {inf, "Infinity"},
      {-inf, "-Infinity"},
  };
  for (const auto& [number, text] : cases)
    EXPECT_EQ(Value::of_number(number).as_string(), text) << number;
}

TEST(Expression, RoundsExtremeNumbersWithoutLosingThem) {
  const std::vector<std::pair<std::string, std::string>> cases{
      {"round(1 div 0, 2)", "Infinity"},
      {"round(0 div 0, 2)", "NaN"},
      {"round(1.5, 0 div 0)", "NaN"},
      {"round(0.000123456, 5)", "0.00012"},
      {"round(1.005, 2)", "1.01"},
      {"round(5, -1)", "10"},
      {"round(4, -1)", "0"},
      {"round(-0.4, 0)", "0"},
      {"round(123.456, 1000000)", "123.456"},
      {"round(123.456, -1000000)", "0"},
      {"round(1.5, 0.9)", "2"},
  };
  for (const auto& [source, expected] : cases) EXPECT_EQ(evaluate(source), expected) << source;
  // The largest double written out in full: 309 digits.
  const std::map<std::string, std::string> answers{
      {"max", "17976931348623157" + std::string(292, '0')}};
  EXPECT_EQ(evaluate("round(${max}, -308)", answers), "Infinity");
  EXPECT_EQ(evaluate("round(${max}, -309)", answers), "0");
}

TEST(Value, ConvertsStringsToNumbersAsXPathDoes) {
  const std::vector<std::pair<std::string, double>> numeric{
      {"42", 42}, {" 42\t", 42}, {"-1.5", -1.5}, {".5", 0.5}, {"5.", 5}, {"007", 7},
  };
  for (const auto& [text, number] : numeric)
    EXPECT_EQ(Value::of_string(text).as_number(), number) << text;

  const std::vector<std::string> not_numeric{"",     " ",   "-",   ".",   "+1", "1e3",
                                             "0x10", "1 2", "1,5", "--1", "NaN"};
  for (const auto& text : not_numeric)
    EXPECT_TRUE(std::isnan(Value::of_string(text).as_number())) << text;

  EXPECT_EQ(Value::of_string("1" + std::string(400, '0')).as_number(),
            std::numeric_limits<double>::infinity());
  EXPECT_EQ(Value::of_string("0." + std::string(400, '0') + "1").as_number(), 0.0);
}

TEST(Value, ConvertsToBooleansAsXPathDoes) {
  EXPECT_FALSE(Value::of_string("").as_boolean());
  EXPECT_TRUE(Value::of_string("0").as_boolean());
  EXPECT_TRUE(Value::of_string("false").as_boolean());
  EXPECT_FALSE(Value::of_number(0).as_boolean());
  EXPECT_FALSE(Value::of_number(std::nan("")).as_boolean());
  EXPECT_TRUE(Value::of_number(-0.1).as_boolean());
  EXPECT_TRUE(Value::of_boolean(true).as_boolean());
}

TEST(Value, PrintsBooleansAsTrueAndFalse) {
  EXPECT_EQ(Value::of_boolean(true).as_string(), "true");
  EXPECT_EQ(Value::of_boolean(false).as_string(), "false");
  EXPECT_EQ(Value::of_boolean(true).as_number(), 1);
  EXPECT_EQ(Value::of_boolean(false).as_number(), 0);
}

}  // namespace
}  // namespace needsmap::questionnaire
