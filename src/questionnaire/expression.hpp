// The questionnaire expression language: the XLSForm (ODK XPath) subset documented in
// docs/questionnaire-format.md, parsed once and evaluated many times.
#pragma once

#include <cstddef>
#include <expected>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace needsmap::questionnaire {

struct ExpressionError {
  std::string message;   // English, for authors: "unknown function foo()"
  std::size_t position;  // 1-based character (code point) position in the source
};

// What an expression sees of the answers. Every answer is a string; "" is unanswered.
struct EvaluationContext {
  std::function<std::string(std::string_view name)> lookup;  // ${name}
  std::string_view current;                                  // `.`
  std::string today;                                         // today() as YYYY-MM-DD
};

// The result of evaluating: XPath's three scalar types.
class Value {
 public:
  enum class Kind { string, number, boolean };
  static Value of_string(std::string s);
  static Value of_number(double d);
  static Value of_boolean(bool b);

  Kind kind() const { return m_kind; }
  bool as_boolean() const;        // "" false, NaN and 0 false
  double as_number() const;       // "" and non-numeric strings are NaN
  std::string as_string() const;  // integers without ".0", true/false as "true"/"false"

 private:
  // Lets expression.cpp read a string value without copying it.
  friend struct ValueAccess;

  Kind m_kind{Kind::string};
  std::string m_string;
  double m_number{0};
  bool m_boolean{false};
};

class Expression {
 public:
  static std::expected<Expression, ExpressionError> parse(std::string_view source);

  Value evaluate(const EvaluationContext& context) const;
  bool evaluate_boolean(const EvaluationContext& context) const {
    return evaluate(context).as_boolean();
  }

  const std::string& source() const { return m_source; }
  // Names inside ${...}, each once, in order of first appearance.
  const std::vector<std::string>& references() const { return m_references; }
  // Whether `.` appears.
  bool uses_current() const { return m_uses_current; }

  struct Node;

 private:
  Expression() = default;
  std::string m_source;
  std::vector<std::string> m_references;
  bool m_uses_current{false};
  std::shared_ptr<const Node> m_root;  // immutable tree, shared by copies
};

}  // namespace needsmap::questionnaire
