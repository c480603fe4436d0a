// LimeSurvey ExpressionScript → needsmap (XLSForm) expressions, for the simple relevance
// equations LimeSurvey writes from conditions: comparisons of a question with a value joined
// by and/or, and is_empty(). Anything else is not translated.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace needsmap::interop {

// What a LimeSurvey variable name stands for in needsmap.
struct LssVariable {
  enum class Kind { answer, choice_of_multiple, matrix_row } kind{Kind::answer};
  std::string question;       // needsmap question name
  std::string choice_or_row;  // needsmap choice or row name, for the last two kinds
  bool coded{false};          // its values are answer codes (lowercased in needsmap)
};
using LssLookup = std::function<std::optional<LssVariable>(std::string_view variable)>;

std::optional<std::string> translate_lss_expression(std::string_view source,
                                                    const LssLookup& lookup);

}  // namespace needsmap::interop
