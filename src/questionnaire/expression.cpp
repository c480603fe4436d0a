// The questionnaire expression language: a hand-written lexer and recursive-descent parser that
// build an immutable tree once, and a tree-walking evaluator that runs per request.

// GCC 12 to 14 report a false -Wmaybe-uninitialized inside <regex> under ASan (GCC bug 105616);
// it points into <functional>, which the header includes, so it is silenced for the whole file.
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 12
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

#include "questionnaire/expression.hpp"

#include "core/clock.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <limits>
#include <optional>
#include <regex>
#include <system_error>
#include <utility>

namespace needsmap::questionnaire {

struct ValueAccess {
  static const std::string& text(const Value& value) { return value.m_string; }
};

namespace {

// Guards both parser recursion and tree depth, so neither parsing nor evaluating can overflow
// the stack.
constexpr std::size_t kMaxDepth = 200;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// BFS matching (a libstdc++ extension) keeps matching linear in the input and off the call stack;
// the default backtracking executor recurses per character and overflows on long answers.
#if defined(__GLIBCXX__)
constexpr auto kRegexFlags = std::regex_constants::ECMAScript | std::regex_constants::__polynomial;
#else
constexpr auto kRegexFlags = std::regex_constants::ECMAScript;
#endif

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_letter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_continuation(char c) {
  return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

std::size_t count_code_points(std::string_view s) {
  return static_cast<std::size_t>(
      std::ranges::count_if(s, [](char c) { return !is_continuation(c); }));
}

// libstdc++'s regex compiler reads the numbers of `{n,m}` and `\n` into a long without checking
// for overflow (undefined behaviour; found by tests/fuzz): patterns with such numbers longer than
// six digits are refused before it sees them. No questionnaire needs a count of a million.
bool has_oversized_count(std::wstring_view pattern) {
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    const wchar_t c = pattern[i];
    if (c != L'{' && c != L'\\') continue;
    std::size_t digits = 0;
    for (std::size_t k = i + 1; k < pattern.size(); ++k) {
      const wchar_t d = pattern[k];
      if (d >= L'0' && d <= L'9') {
        if (++digits > 6) return true;
      } else if (c == L'{' && d == L',') {
        digits = 0;
      } else {
        break;
      }
    }
    if (c == L'\\') ++i;  // an escaped character starts nothing
  }
  return false;
}

// UTF-8 to UTF-32 (wchar_t is 32 bits with glibc) so that regex classes and `.` see characters,
// not bytes. Malformed sequences become U+FFFD.
std::wstring decode_utf8(std::string_view s) {
  std::wstring out;
  out.reserve(s.size());
  std::size_t i = 0;
  while (i < s.size()) {
    const auto lead = static_cast<unsigned char>(s[i]);
    std::size_t length = lead < 0x80    ? 1
                         : lead >= 0xF0 ? 4
                         : lead >= 0xE0 ? 3
                         : lead >= 0xC0 ? 2
                                        : 0;
    char32_t code = length == 1   ? lead
                    : length == 2 ? (lead & 0x1F)
                    : length == 3 ? (lead & 0x0F)
                                  : (lead & 0x07);
    bool valid = length != 0 && lead < 0xF8 && i + length <= s.size();
    for (std::size_t k = 1; valid && k < length; ++k) {
      if (!is_continuation(s[i + k])) {
        valid = false;
      } else {
        code = (code << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
      }
    }
    if (!valid) {
      out.push_back(static_cast<wchar_t>(0xFFFD));
      ++i;
      continue;
    }
    out.push_back(static_cast<wchar_t>(code));
    i += length;
  }
  return out;
}

// XPath number(): optional '-', digits with an optional '.', surrounded by whitespace; else NaN.
double parse_number(std::string_view text) {
  const std::string_view s = trim(text);
  std::size_t i = s.starts_with('-') ? 1 : 0;
  std::size_t digits = 0;
  while (i < s.size() && is_digit(s[i])) ++i, ++digits;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && is_digit(s[i])) ++i, ++digits;
  }
  if (digits == 0 || i != s.size()) return kNaN;
  double value = 0;
  const auto [end, error] =
      std::from_chars(s.data(), s.data() + s.size(), value, std::chars_format::fixed);
  if (error == std::errc::result_out_of_range) {
    // from_chars leaves the value alone; decide between overflow and underflow ourselves.
    const bool huge =
        std::ranges::any_of(s.substr(0, s.find('.')), [](char c) { return c >= '1' && c <= '9'; });
    const double magnitude = huge ? std::numeric_limits<double>::infinity() : 0.0;
    return s.starts_with('-') ? -magnitude : magnitude;
  }
  return value;
}

// XPath string(number): no exponent, integers without a fraction, at most 15 significant digits
// otherwise so that 0.1 + 0.2 reads "0.3".
std::string format_number(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
  if (d == 0) return "0";  // also -0
  std::array<char, 400> buffer{};
  if (std::trunc(d) == d && std::fabs(d) < 1e21) {
    const auto result =
        std::to_chars(buffer.data(), buffer.data() + buffer.size(), d, std::chars_format::fixed, 0);
    return std::string(buffer.data(), result.ptr);
  }
  const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), d,
                                    std::chars_format::scientific, 14);
  std::string_view text(buffer.data(), result.ptr);  // "-d.dddddddddddddde-05"
  const bool negative = text.starts_with('-');
  if (negative) text.remove_prefix(1);
  const std::size_t e = text.find('e');
  std::string digits(1, text[0]);
  digits.append(text.substr(2, e - 2));
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
  std::string_view exponent_text = text.substr(e + 1);
  const bool negative_exponent = exponent_text.starts_with('-');
  exponent_text.remove_prefix(1);  // the sign, always present
  int exponent = 0;
  std::from_chars(exponent_text.data(), exponent_text.data() + exponent_text.size(), exponent);
  if (negative_exponent) exponent = -exponent;

  std::string out = negative ? "-" : "";
  if (exponent >= 0) {
    const auto integer_digits = static_cast<std::size_t>(exponent) + 1;
    if (digits.size() <= integer_digits) {
      out += digits;
      out.append(integer_digits - digits.size(), '0');
    } else {
      out += digits.substr(0, integer_digits);
      out += '.';
      out += digits.substr(integer_digits);
    }
  } else {
    out += "0.";
    out.append(static_cast<std::size_t>(-exponent - 1), '0');
    out += digits;
  }
  return out;
}

// Rounds half away from zero on the shortest decimal form, so round(2.675, 2) is 2.68 as the
// author reads it, not 2.67 as the binary value would give.
double round_to(double x, double places) {
  if (std::isnan(places)) return kNaN;
  if (std::isnan(x) || std::isinf(x) || x == 0) return x;
  const long long p = static_cast<long long>(std::clamp(std::trunc(places), -1000.0, 1000.0));
  std::array<char, 64> buffer{};
  const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), std::fabs(x),
                                    std::chars_format::scientific);
  const std::string_view text(buffer.data(), result.ptr);  // shortest, e.g. "2.675e+00"
  const std::size_t e = text.find('e');
  std::string digits(1, text[0]);
  if (e > 1) digits.append(text.substr(2, e - 2));
  int exponent = 0;
  std::string_view exponent_text = text.substr(e + 1);
  const bool negative_exponent = exponent_text.starts_with('-');
  exponent_text.remove_prefix(1);
  std::from_chars(exponent_text.data(), exponent_text.data() + exponent_text.size(), exponent);
  if (negative_exponent) exponent = -exponent;

  // Digits to keep: those left of the decimal point plus `p` after it.
  const long long keep = static_cast<long long>(exponent) + 1 + p;
  if (keep >= static_cast<long long>(digits.size())) return x;
  double magnitude = 0;
  if (keep >= 0) {
    // At most 17 digits, so the mantissa fits in 64 bits.
    std::uint64_t mantissa = 0;
    for (long long i = 0; i < keep; ++i)
      mantissa = mantissa * 10 + static_cast<std::uint64_t>(digits[i] - '0');
    if (digits[static_cast<std::size_t>(keep)] >= '5') ++mantissa;
    const std::string decimal = std::to_string(mantissa) + "e" + std::to_string(-p);
    const auto parsed = std::from_chars(decimal.data(), decimal.data() + decimal.size(), magnitude);
    // Rounding the largest doubles up can leave the range.
    if (parsed.ec == std::errc::result_out_of_range)
      magnitude = std::numeric_limits<double>::infinity();
  }
  return std::copysign(magnitude, x);
}

// Calls `visit` with each space-separated name of a multiple-choice answer until it returns true.
template <typename Visit>
bool for_each_name(std::string_view list, Visit visit) {
  std::size_t i = 0;
  while (i < list.size()) {
    while (i < list.size() && is_space(list[i])) ++i;
    const std::size_t start = i;
    while (i < list.size() && !is_space(list[i])) ++i;
    if (i > start && visit(list.substr(start, i - start))) return true;
  }
  return false;
}

enum class Function {
  selected,
  count_selected,
  selected_at,
  not_,
  if_,
  coalesce,
  string_length,
  concat,
  contains,
  starts_with,
  regex,
  number,
  int_,
  round,
  today,
  true_,
  false_,
};

constexpr std::size_t kAnyArity = std::numeric_limits<std::size_t>::max();

struct FunctionInfo {
  std::string_view name;
  Function function;
  std::size_t min_arguments;
  std::size_t max_arguments;
};

constexpr std::array kFunctions{
    FunctionInfo{"selected", Function::selected, 2, 2},
    FunctionInfo{"count-selected", Function::count_selected, 1, 1},
    FunctionInfo{"selected-at", Function::selected_at, 2, 2},
    FunctionInfo{"not", Function::not_, 1, 1},
    FunctionInfo{"if", Function::if_, 3, 3},
    FunctionInfo{"coalesce", Function::coalesce, 2, 2},
    FunctionInfo{"string-length", Function::string_length, 1, 1},
    FunctionInfo{"concat", Function::concat, 0, kAnyArity},
    FunctionInfo{"contains", Function::contains, 2, 2},
    FunctionInfo{"starts-with", Function::starts_with, 2, 2},
    FunctionInfo{"regex", Function::regex, 2, 2},
    FunctionInfo{"number", Function::number, 1, 1},
    FunctionInfo{"int", Function::int_, 1, 1},
    FunctionInfo{"round", Function::round, 2, 2},
    FunctionInfo{"today", Function::today, 0, 0},
    FunctionInfo{"true", Function::true_, 0, 0},
    FunctionInfo{"false", Function::false_, 0, 0},
};

const FunctionInfo* find_function(std::string_view name) {
  const auto it = std::ranges::find(kFunctions, name, &FunctionInfo::name);
  return it == kFunctions.end() ? nullptr : &*it;
}

std::string arity_message(const FunctionInfo& info, std::size_t got) {
  std::string expected;
  if (info.max_arguments == 0) {
    expected = "no arguments";
  } else if (info.min_arguments == info.max_arguments) {
    expected =
        std::to_string(info.min_arguments) + (info.min_arguments == 1 ? " argument" : " arguments");
  } else {
    expected = std::to_string(info.min_arguments) + " to " + std::to_string(info.max_arguments) +
               " arguments";
  }
  return "'" + std::string(info.name) + "' takes " + expected + ", got " + std::to_string(got);
}

enum class Op { plus, minus, times, div, mod, eq, ne, lt, le, gt, ge };

enum class Tok {
  end,
  number,
  string,
  reference,
  current,
  identifier,
  lparen,
  rparen,
  comma,
  op,  // binary operator; see `Token::op`
  and_,
  or_,
};

struct Token {
  Tok kind{Tok::end};
  std::string_view text;   // as written, for messages
  std::string_view value;  // string contents or reference name
  double number{0};
  Op op{Op::plus};
  std::size_t position{1};
};

// Thrown inside the parser only; parse() turns it into ExpressionError.
struct ParseFailure {
  ExpressionError error;
};

}  // namespace

struct Expression::Node {
  enum class Kind { literal, reference, current, negate, chain, and_, or_, call };
  Kind kind{Kind::literal};
  std::size_t position{1};
  std::size_t depth{1};
  Value literal;
  std::string name;                                   // reference
  std::vector<std::unique_ptr<const Node>> operands;  // chain, and/or, negate, call arguments
  std::vector<Op> ops;                                // chain: ops[i] joins operands[i] and [i + 1]
  Function function{Function::true_};
  std::optional<std::wregex> regex;  // regex() with a literal pattern, compiled once
};

namespace {

using Node = Expression::Node;
using NodePtr = std::unique_ptr<const Node>;

class Parser {
 public:
  explicit Parser(std::string_view source) : m_source(source) {}

  NodePtr parse_all(std::vector<std::string>& references, bool& uses_current) {
    m_references = &references;
    m_uses_current = &uses_current;
    advance();
    if (m_token.kind == Tok::end) fail("empty expression", 1);
    NodePtr root = parse_or();
    if (m_token.kind != Tok::end) fail_unexpected_after_operand("");
    return root;
  }

 private:
  [[noreturn]] void fail(std::string message, std::size_t position) {
    throw ParseFailure{ExpressionError{std::move(message), position}};
  }

  // 1-based code point position of a byte offset; offsets arrive in increasing order.
  std::size_t position_at(std::size_t offset) {
    if (offset < m_counted_offset) m_counted_offset = 0, m_counted_positions = 0;
    m_counted_positions +=
        count_code_points(m_source.substr(m_counted_offset, offset - m_counted_offset));
    m_counted_offset = offset;
    return m_counted_positions + 1;
  }

  std::string describe(const Token& token) {
    switch (token.kind) {
      case Tok::end:
        return "end of expression";
      case Tok::number:
        return "number " + std::string(token.text);
      case Tok::string:
        return "string " + std::string(token.text);
      default:
        return "'" + std::string(token.text) + "'";
    }
  }

  [[noreturn]] void fail_unexpected(const Token& token) {
    fail("unexpected " + describe(token), token.position);
  }

  // A complete operand was followed by something that is not an operator.
  [[noreturn]] void fail_unexpected_after_operand(const std::string& expected) {
    if (m_token.kind == Tok::identifier)
      fail("unknown operator '" + std::string(m_token.text) + "'", m_token.position);
    if (!expected.empty()) fail(expected, m_token.position);
    fail_unexpected(m_token);
  }

  // After an operand or ')', names are operators (XPath's disambiguation rule).
  bool operator_position() const {
    switch (m_previous) {
      case Tok::number:
      case Tok::string:
      case Tok::reference:
      case Tok::current:
      case Tok::identifier:
      case Tok::rparen:
        return true;
      default:
        return false;
    }
  }

  void advance() {
    m_token = lex();
    m_previous = m_token.kind;
  }

  Token lex() {
    while (m_offset < m_source.size() && is_space(m_source[m_offset])) ++m_offset;
    Token token;
    const std::size_t start = m_offset;
    token.position = position_at(start);
    if (start == m_source.size()) return token;

    const char c = m_source[start];
    const char next = start + 1 < m_source.size() ? m_source[start + 1] : '\0';
    auto simple = [&](Tok kind, std::size_t length) {
      m_offset = start + length;
      token.kind = kind;
      token.text = m_source.substr(start, length);
      return token;
    };
    auto op = [&](Op o, std::size_t length) {
      token.op = o;
      return simple(Tok::op, length);
    };

    switch (c) {
      case '(':
        return simple(Tok::lparen, 1);
      case ')':
        return simple(Tok::rparen, 1);
      case ',':
        return simple(Tok::comma, 1);
      case '+':
        return op(Op::plus, 1);
      case '-':
        return op(Op::minus, 1);
      case '*':
        return op(Op::times, 1);
      case '=':
        if (next == '=') fail("'==' is not an operator; use '='", token.position);
        return op(Op::eq, 1);
      case '!':
        if (next == '=') return op(Op::ne, 2);
        fail("unexpected character '!'; use not(...) or '!='", token.position);
      case '<':
        return next == '=' ? op(Op::le, 2) : op(Op::lt, 1);
      case '>':
        return next == '=' ? op(Op::ge, 2) : op(Op::gt, 1);
      case '&':
        fail("unexpected character '&'; use 'and'", token.position);
      case '|':
        fail("unexpected character '|'; use 'or'", token.position);
      case '\'':
      case '"': {
        // XPath string literals have no escapes: the other quote kind is the only way to embed one.
        const std::size_t close = m_source.find(c, start + 1);
        if (close == std::string_view::npos) fail("unterminated string", token.position);
        token.value = m_source.substr(start + 1, close - start - 1);
        return simple(Tok::string, close + 1 - start);
      }
      case '$':
        return lex_reference(token);
      default:
        break;
    }

    if (is_digit(c) || (c == '.' && is_digit(next))) {
      std::size_t i = start;
      while (i < m_source.size() && is_digit(m_source[i])) ++i;
      if (i < m_source.size() && m_source[i] == '.') {
        ++i;
        while (i < m_source.size() && is_digit(m_source[i])) ++i;
      }
      token.number = parse_number(m_source.substr(start, i - start));
      return simple(Tok::number, i - start);
    }
    if (c == '.') return simple(Tok::current, 1);

    if (is_letter(c) || c == '_') {
      auto is_name_char = [](char ch) {
        return is_letter(ch) || is_digit(ch) || ch == '_' || ch == '-' || ch == ':';
      };
      if (operator_position()) {
        // Only letters, so that "div-1" reads as "div -1".
        std::size_t i = start;
        while (i < m_source.size() && is_letter(m_source[i])) ++i;
        const std::string_view word = m_source.substr(start, i - start);
        const bool word_ends =
            i == m_source.size() || m_source[i] == '-' || !is_name_char(m_source[i]);
        if (word_ends) {
          if (word == "and") return simple(Tok::and_, 3);
          if (word == "or") return simple(Tok::or_, 2);
          if (word == "div") return op(Op::div, 3);
          if (word == "mod") return op(Op::mod, 3);
        }
      }
      std::size_t i = start;
      while (i < m_source.size() && is_name_char(m_source[i])) ++i;
      return simple(Tok::identifier, i - start);
    }

    // Show the whole character, even when it takes several bytes.
    std::size_t end = start + 1;
    while (end < m_source.size() && is_continuation(m_source[end])) ++end;
    fail("unexpected character '" + std::string(m_source.substr(start, end - start)) + "'",
         token.position);
  }

  Token lex_reference(Token& token) {
    const std::size_t start = m_offset;
    if (start + 1 >= m_source.size() || m_source[start + 1] != '{')
      fail("expected '{' after '$'", token.position);
    std::size_t i = start + 2;
    auto is_ref_char = [](char ch) {
      return is_letter(ch) || is_digit(ch) || ch == '_' || ch == '-' || ch == '/';
    };
    while (i < m_source.size() && is_ref_char(m_source[i])) ++i;
    const std::string_view name = m_source.substr(start + 2, i - start - 2);
    if (i == m_source.size() || is_space(m_source[i])) {
      fail("expected '}' to close '${' at " + std::to_string(token.position), position_at(i));
    }
    if (m_source[i] != '}') {
      std::size_t end = i + 1;
      while (end < m_source.size() && is_continuation(m_source[end])) ++end;
      fail(
          "invalid character '" + std::string(m_source.substr(i, end - i)) + "' in a question name",
          position_at(i));
    }
    if (name.empty()) fail("empty question name in '${}'", token.position);
    if (name.front() == '/' || name.back() == '/' || name.find("//") != std::string_view::npos) {
      fail("invalid question name '" + std::string(name) + "'", token.position);
    }
    m_offset = i + 1;
    token.kind = Tok::reference;
    token.text = m_source.substr(start, m_offset - start);
    token.value = name;
    return token;
  }

  // Counts parser recursion (parentheses, calls, unary minus).
  class Nesting {
   public:
    Nesting(Parser& parser, std::size_t position) : m_parser(parser) {
      if (++m_parser.m_nesting > kMaxDepth) m_parser.fail_too_deep(position);
    }
    ~Nesting() { --m_parser.m_nesting; }
    Nesting(const Nesting&) = delete;
    Nesting& operator=(const Nesting&) = delete;

   private:
    Parser& m_parser;
  };

  [[noreturn]] void fail_too_deep(std::size_t position) {
    fail("expression is nested too deeply (more than " + std::to_string(kMaxDepth) + " levels)",
         position);
  }

  std::unique_ptr<Node> make_node(Node::Kind kind, std::size_t position) {
    auto node = std::make_unique<Node>();
    node->kind = kind;
    node->position = position;
    return node;
  }

  // Call once a node's operands are in place: bounds the tree depth for evaluation.
  NodePtr finish(std::unique_ptr<Node> node) {
    for (const auto& operand : node->operands)
      node->depth = std::max(node->depth, operand->depth + 1);
    if (node->depth > kMaxDepth) fail_too_deep(node->position);
    return node;
  }

  // `a or b or c` becomes one node with three operands: long chains stay shallow.
  template <typename Next>
  NodePtr parse_logical(Tok keyword, Node::Kind kind, Next next) {
    NodePtr first = (this->*next)();
    if (m_token.kind != keyword) return first;
    auto node = make_node(kind, m_token.position);
    node->operands.push_back(std::move(first));
    while (m_token.kind == keyword) {
      advance();
      node->operands.push_back((this->*next)());
    }
    return finish(std::move(node));
  }

  NodePtr parse_or() { return parse_logical(Tok::or_, Node::Kind::or_, &Parser::parse_and); }
  NodePtr parse_and() {
    return parse_logical(Tok::and_, Node::Kind::and_, &Parser::parse_equality);
  }

  // A left-associative run of operators of one precedence level, kept flat.
  template <typename Next>
  NodePtr parse_chain(std::initializer_list<Op> level, Next next) {
    NodePtr first = (this->*next)();
    auto at_level = [&] {
      return m_token.kind == Tok::op && std::ranges::find(level, m_token.op) != level.end();
    };
    if (!at_level()) return first;
    auto node = make_node(Node::Kind::chain, m_token.position);
    node->operands.push_back(std::move(first));
    while (at_level()) {
      node->ops.push_back(m_token.op);
      advance();
      node->operands.push_back((this->*next)());
    }
    return finish(std::move(node));
  }

  NodePtr parse_equality() { return parse_chain({Op::eq, Op::ne}, &Parser::parse_relational); }
  NodePtr parse_relational() {
    return parse_chain({Op::lt, Op::le, Op::gt, Op::ge}, &Parser::parse_additive);
  }
  NodePtr parse_additive() {
    return parse_chain({Op::plus, Op::minus}, &Parser::parse_multiplicative);
  }
  NodePtr parse_multiplicative() {
    return parse_chain({Op::times, Op::div, Op::mod}, &Parser::parse_unary);
  }

  NodePtr parse_unary() {
    if (m_token.kind != Tok::op || m_token.op != Op::minus) return parse_primary();
    const Nesting nesting(*this, m_token.position);
    auto node = make_node(Node::Kind::negate, m_token.position);
    advance();
    node->operands.push_back(parse_unary());
    return finish(std::move(node));
  }

  NodePtr parse_primary() {
    const Token token = m_token;
    switch (token.kind) {
      case Tok::number: {
        auto node = make_node(Node::Kind::literal, token.position);
        node->literal = Value::of_number(token.number);
        advance();
        return finish(std::move(node));
      }
      case Tok::string: {
        auto node = make_node(Node::Kind::literal, token.position);
        node->literal = Value::of_string(std::string(token.value));
        advance();
        return finish(std::move(node));
      }
      case Tok::reference: {
        auto node = make_node(Node::Kind::reference, token.position);
        node->name = std::string(token.value);
        if (std::ranges::find(*m_references, node->name) == m_references->end())
          m_references->push_back(node->name);
        advance();
        return finish(std::move(node));
      }
      case Tok::current: {
        *m_uses_current = true;
        advance();
        return finish(make_node(Node::Kind::current, token.position));
      }
      case Tok::lparen: {
        const Nesting nesting(*this, token.position);
        advance();
        NodePtr inner = parse_or();
        if (m_token.kind != Tok::rparen) {
          fail_unexpected_after_operand("expected ')' to close '(' at " +
                                        std::to_string(token.position));
        }
        advance();
        return inner;
      }
      case Tok::identifier:
        return parse_call(token);
      case Tok::end:
        fail("unexpected end of expression", token.position);
      default:
        fail_unexpected(token);
    }
  }

  bool next_char_is(char c) const {
    std::size_t i = m_offset;
    while (i < m_source.size() && is_space(m_source[i])) ++i;
    return i < m_source.size() && m_source[i] == c;
  }

  NodePtr parse_call(const Token& name) {
    const std::string text(name.text);
    const FunctionInfo* info = find_function(text);
    // Peek rather than lex, so that this error wins over any later lexical one.
    if (!next_char_is('(')) {
      if (text == "and" || text == "or" || text == "div" || text == "mod") fail_unexpected(name);
      if (info != nullptr)
        fail("'" + text + "' is a function; write " + text + "()", name.position);
      fail("unknown name '" + text + "'; write ${" + text + "} for a question's answer",
           name.position);
    }
    if (info == nullptr) fail("unknown function '" + text + "'", name.position);
    advance();  // onto '('

    const Nesting nesting(*this, name.position);
    auto node = make_node(Node::Kind::call, name.position);
    node->function = info->function;
    advance();
    if (m_token.kind != Tok::rparen) {
      while (true) {
        node->operands.push_back(parse_or());
        if (m_token.kind == Tok::comma) {
          advance();
          continue;
        }
        if (m_token.kind == Tok::rparen) break;
        fail_unexpected_after_operand("expected ',' or ')' to close '" + std::string(name.text) +
                                      "(' at " + std::to_string(name.position));
      }
    }
    advance();

    const std::size_t count = node->operands.size();
    if (count < info->min_arguments || count > info->max_arguments)
      fail(arity_message(*info, count), name.position);

    if (info->function == Function::regex && node->operands[1]->kind == Node::Kind::literal) {
      const Node& pattern = *node->operands[1];
      const std::wstring source = decode_utf8(pattern.literal.as_string());
      if (has_oversized_count(source)) {
        fail("invalid regular expression: a repetition count is too large", pattern.position);
      }
      try {
        node->regex.emplace(source, kRegexFlags);
      } catch (const std::regex_error& error) {
        fail(std::string("invalid regular expression: ") + error.what(), pattern.position);
      }
    }
    return finish(std::move(node));
  }

  std::string_view m_source;
  std::size_t m_offset{0};
  std::size_t m_counted_offset{0};
  std::size_t m_counted_positions{0};
  Token m_token;
  Tok m_previous{Tok::end};
  std::size_t m_nesting{0};
  std::vector<std::string>* m_references{nullptr};
  bool* m_uses_current{nullptr};
};

// A string view of any value; `scratch` holds the text of numbers and booleans.
std::string_view text_of(const Value& value, std::string& scratch) {
  if (value.kind() == Value::Kind::string) return ValueAccess::text(value);
  scratch = value.as_string();
  return scratch;
}

bool equals(const Value& a, const Value& b) {
  using Kind = Value::Kind;
  if (a.kind() == Kind::boolean || b.kind() == Kind::boolean)
    return a.as_boolean() == b.as_boolean();
  if (a.kind() == Kind::number || b.kind() == Kind::number) return a.as_number() == b.as_number();
  return ValueAccess::text(a) == ValueAccess::text(b);
}

// Dates (YYYY-MM-DD) compare by their text, which orders them in time, as ODK compares dates
// by day count; everything else compares as numbers, as XPath does.
template <typename Compare>
bool relational(const Value& a, const Value& b, Compare compare) {
  if (a.kind() == Value::Kind::string && b.kind() == Value::Kind::string &&
      clock::is_valid_date(ValueAccess::text(a)) && clock::is_valid_date(ValueAccess::text(b))) {
    return compare(ValueAccess::text(a).compare(ValueAccess::text(b)), 0);
  }
  return compare(a.as_number(), b.as_number());
}

Value apply(Op op, const Value& a, const Value& b) {
  switch (op) {
    case Op::plus:
      return Value::of_number(a.as_number() + b.as_number());
    case Op::minus:
      return Value::of_number(a.as_number() - b.as_number());
    case Op::times:
      return Value::of_number(a.as_number() * b.as_number());
    case Op::div:
      return Value::of_number(a.as_number() / b.as_number());
    case Op::mod:
      return Value::of_number(std::fmod(a.as_number(), b.as_number()));
    case Op::eq:
      return Value::of_boolean(equals(a, b));
    case Op::ne:
      return Value::of_boolean(!equals(a, b));
    case Op::lt:
      return Value::of_boolean(relational(a, b, std::less<>()));
    case Op::le:
      return Value::of_boolean(relational(a, b, std::less_equal<>()));
    case Op::gt:
      return Value::of_boolean(relational(a, b, std::greater<>()));
    case Op::ge:
      return Value::of_boolean(relational(a, b, std::greater_equal<>()));
  }
  return Value::of_number(kNaN);
}

Value evaluate_node(const Node& node, const EvaluationContext& context);

Value call(const Node& node, const EvaluationContext& context) {
  const auto& args = node.operands;
  auto arg = [&](std::size_t i) { return evaluate_node(*args[i], context); };
  std::string scratch_a;
  std::string scratch_b;

  switch (node.function) {
    case Function::selected: {
      const Value list = arg(0);
      const Value wanted = arg(1);
      const std::string_view name = trim(text_of(wanted, scratch_b));
      return Value::of_boolean(for_each_name(text_of(list, scratch_a),
                                             [&](std::string_view item) { return item == name; }));
    }
    case Function::count_selected: {
      const Value list = arg(0);
      double count = 0;
      for_each_name(text_of(list, scratch_a), [&](std::string_view) {
        ++count;
        return false;
      });
      return Value::of_number(count);
    }
    case Function::selected_at: {
      const Value list = arg(0);
      const double index = std::trunc(arg(1).as_number());
      std::string found;
      if (index >= 0 && index < 1e9) {
        auto remaining = static_cast<std::size_t>(index);
        for_each_name(text_of(list, scratch_a), [&](std::string_view item) {
          if (remaining-- != 0) return false;
          found = item;
          return true;
        });
      }
      return Value::of_string(std::move(found));
    }
    case Function::not_:
      return Value::of_boolean(!arg(0).as_boolean());
    case Function::if_:
      // Only the chosen branch runs.
      return arg(0).as_boolean() ? arg(1) : arg(2);
    case Function::coalesce: {
      Value first = arg(0);
      if (!text_of(first, scratch_a).empty()) return first;
      return arg(1);
    }
    case Function::string_length: {
      const Value s = arg(0);
      return Value::of_number(static_cast<double>(count_code_points(text_of(s, scratch_a))));
    }
    case Function::concat: {
      std::string out;
      for (std::size_t i = 0; i < args.size(); ++i) {
        const Value part = arg(i);
        out += text_of(part, scratch_a);
      }
      return Value::of_string(std::move(out));
    }
    case Function::contains: {
      const Value s = arg(0);
      const Value t = arg(1);
      return Value::of_boolean(text_of(s, scratch_a).find(text_of(t, scratch_b)) !=
                               std::string_view::npos);
    }
    case Function::starts_with: {
      const Value s = arg(0);
      const Value t = arg(1);
      return Value::of_boolean(text_of(s, scratch_a).starts_with(text_of(t, scratch_b)));
    }
    case Function::regex: {
      const Value s = arg(0);
      const std::wstring subject = decode_utf8(text_of(s, scratch_a));
      try {
        if (node.regex) return Value::of_boolean(std::regex_match(subject, *node.regex));
        // A computed pattern: an invalid one is simply no match.
        const Value pattern = arg(1);
        const std::wstring source = decode_utf8(text_of(pattern, scratch_b));
        if (has_oversized_count(source)) return Value::of_boolean(false);
        const std::wregex compiled(source, kRegexFlags);
        return Value::of_boolean(std::regex_match(subject, compiled));
      } catch (const std::regex_error&) {
        return Value::of_boolean(false);
      }
    }
    case Function::number:
      return Value::of_number(arg(0).as_number());
    case Function::int_:
      return Value::of_number(std::trunc(arg(0).as_number()));
    case Function::round: {
      const double x = arg(0).as_number();
      return Value::of_number(round_to(x, arg(1).as_number()));
    }
    case Function::today:
      return Value::of_string(context.today);
    case Function::true_:
      return Value::of_boolean(true);
    case Function::false_:
      return Value::of_boolean(false);
  }
  return Value::of_string("");
}

Value evaluate_node(const Node& node, const EvaluationContext& context) {
  switch (node.kind) {
    case Node::Kind::literal:
      return node.literal;
    case Node::Kind::reference:
      return Value::of_string(context.lookup ? context.lookup(node.name) : std::string());
    case Node::Kind::current:
      return Value::of_string(std::string(context.current));
    case Node::Kind::negate:
      return Value::of_number(-evaluate_node(*node.operands[0], context).as_number());
    case Node::Kind::chain: {
      Value result = evaluate_node(*node.operands[0], context);
      for (std::size_t i = 0; i < node.ops.size(); ++i) {
        result = apply(node.ops[i], result, evaluate_node(*node.operands[i + 1], context));
      }
      return result;
    }
    case Node::Kind::and_:
    case Node::Kind::or_: {
      // Short-circuits: `or` stops at the first true operand, `and` at the first false one.
      const bool stop_on = node.kind == Node::Kind::or_;
      for (const auto& operand : node.operands) {
        if (evaluate_node(*operand, context).as_boolean() == stop_on)
          return Value::of_boolean(stop_on);
      }
      return Value::of_boolean(!stop_on);
    }
    case Node::Kind::call:
      return call(node, context);
  }
  return Value::of_string("");
}

}  // namespace

Value Value::of_string(std::string s) {
  Value value;
  value.m_kind = Kind::string;
  value.m_string = std::move(s);
  return value;
}

Value Value::of_number(double d) {
  Value value;
  value.m_kind = Kind::number;
  value.m_number = d;
  return value;
}

Value Value::of_boolean(bool b) {
  Value value;
  value.m_kind = Kind::boolean;
  value.m_boolean = b;
  return value;
}

bool Value::as_boolean() const {
  switch (m_kind) {
    case Kind::string:
      return !m_string.empty();
    case Kind::number:
      return m_number != 0 && !std::isnan(m_number);
    case Kind::boolean:
      return m_boolean;
  }
  return false;
}

double Value::as_number() const {
  switch (m_kind) {
    case Kind::string:
      return parse_number(m_string);
    case Kind::number:
      return m_number;
    case Kind::boolean:
      return m_boolean ? 1 : 0;
  }
  return kNaN;
}

std::string Value::as_string() const {
  switch (m_kind) {
    case Kind::string:
      return m_string;
    case Kind::number:
      return format_number(m_number);
    case Kind::boolean:
      return m_boolean ? "true" : "false";
  }
  return {};
}

std::expected<Expression, ExpressionError> Expression::parse(std::string_view source) {
  Expression expression;
  expression.m_source = std::string(source);
  try {
    Parser parser(expression.m_source);
    expression.m_root = parser.parse_all(expression.m_references, expression.m_uses_current);
  } catch (ParseFailure& failure) {
    return std::unexpected(std::move(failure.error));
  }
  return expression;
}

Value Expression::evaluate(const EvaluationContext& context) const {
  return evaluate_node(*m_root, context);
}

}  // namespace needsmap::questionnaire
