// libFuzzer target: any text given to the expression parser is refused with a position or parses,
// and a parsed expression evaluates without crashing.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "questionnaire/expression.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view source(reinterpret_cast<const char*>(data), size);
  auto parsed = needsmap::questionnaire::Expression::parse(source);
  if (!parsed) return 0;
  needsmap::questionnaire::EvaluationContext context{
      .lookup = [](std::string_view name) { return std::string(name.size() % 2 ? "3" : "a b"); },
      .current = "7",
      .today = "2025-11-15"};
  (void)parsed->evaluate(context).as_string();
  return 0;
}
