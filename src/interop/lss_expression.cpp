#include "interop/lss_expression.hpp"
#include "core/text.hpp"

#include <vector>

namespace needsmap::interop {

namespace {

struct Token {
  enum class Kind { name, string, number, op, open, close, comma, end } kind{Kind::end};
  std::string text;
};

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

std::optional<std::vector<Token>> tokenize(std::string_view s) {
  std::vector<Token> out;
  std::size_t i = 0;
  while (i < s.size()) {
    char c = s[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      ++i;
    } else if (c == '"' || c == '\'') {
      auto end = s.find(c, i + 1);
      if (end == std::string_view::npos) return std::nullopt;
      out.push_back({Token::Kind::string, std::string(s.substr(i + 1, end - i - 1))});
      i = end + 1;
    } else if ((c >= '0' && c <= '9') ||
               (c == '-' && i + 1 < s.size() && s[i + 1] >= '0' && s[i + 1] <= '9' &&
                (out.empty() || out.back().kind == Token::Kind::op ||
                 out.back().kind == Token::Kind::open))) {
      std::size_t start = i++;
      while (i < s.size() && ((s[i] >= '0' && s[i] <= '9') || s[i] == '.')) ++i;
      out.push_back({Token::Kind::number, std::string(s.substr(start, i - start))});
    } else if (is_name_char(c)) {
      std::size_t start = i;
      while (i < s.size() && (is_name_char(s[i]) || s[i] == '.')) ++i;
      std::string name(s.substr(start, i - start));
      std::string l = text::ascii_lower(name);
      static const std::vector<std::pair<std::string_view, std::string_view>> words = {
          {"and", "and"}, {"or", "or"}, {"not", "!"}, {"eq", "=="}, {"ne", "!="},
          {"lt", "<"},    {"le", "<="}, {"gt", ">"},  {"ge", ">="}};
      bool word = false;
      for (auto [w, op] : words) {
        if (l == w) {
          out.push_back({Token::Kind::op, std::string(op)});
          word = true;
        }
      }
      if (!word) out.push_back({Token::Kind::name, name});
    } else if (c == '(') {
      out.push_back({Token::Kind::open, "("});
      ++i;
    } else if (c == ')') {
      out.push_back({Token::Kind::close, ")"});
      ++i;
    } else if (c == ',') {
      out.push_back({Token::Kind::comma, ","});
      ++i;
    } else {
      static const std::vector<std::pair<std::string_view, std::string_view>> ops = {
          {"==", "=="}, {"!=", "!="}, {"<=", "<="}, {">=", ">="}, {"&&", "and"},
          {"||", "or"}, {"<", "<"},   {">", ">"},   {"!", "!"}};
      bool found = false;
      for (auto [text, op] : ops) {
        if (s.substr(i).starts_with(text)) {
          out.push_back({Token::Kind::op, std::string(op)});
          i += text.size();
          found = true;
          break;
        }
      }
      if (!found) return std::nullopt;
    }
  }
  out.push_back({Token::Kind::end, ""});
  return out;
}

std::string quote(std::string_view s) {
  char q = s.find('\'') == std::string_view::npos ? '\'' : '"';
  return q + std::string(s) + q;
}

// Precedence of what an expression's text is, so that an "or" inside an "and" gets parentheses.
struct Part {
  std::string text;
  int precedence{3};  // 1 or, 2 and, 3 anything tighter
};

class Translator {
 public:
  Translator(std::vector<Token> tokens, const LssLookup& lookup)
      : m_tokens(std::move(tokens)), m_lookup(lookup) {}

  std::optional<std::string> run() {
    auto e = disjunction();
    if (!e || peek().kind != Token::Kind::end) return std::nullopt;
    return e->text;
  }

 private:
  const Token& peek() const { return m_tokens[m_pos]; }
  bool accept_op(std::string_view op) {
    if (peek().kind == Token::Kind::op && peek().text == op) {
      ++m_pos;
      return true;
    }
    return false;
  }

  std::optional<Part> disjunction() {
    auto left = conjunction();
    while (left && accept_op("or")) {
      auto right = conjunction();
      if (!right) return std::nullopt;
      left = Part{left->text + " or " + right->text, 1};
    }
    return left;
  }
  std::optional<Part> conjunction() {
    auto left = unary();
    while (left && accept_op("and")) {
      auto right = unary();
      if (!right) return std::nullopt;
      left = Part{wrap(*left, 2) + " and " + wrap(*right, 2), 2};
    }
    return left;
  }
  static std::string wrap(const Part& p, int precedence) {
    return p.precedence < precedence ? "(" + p.text + ")" : p.text;
  }
  std::optional<Part> unary() {
    if (accept_op("!")) {
      auto inner = unary();
      if (!inner) return std::nullopt;
      return Part{"not(" + inner->text + ")", 3};
    }
    if (peek().kind == Token::Kind::open) {
      ++m_pos;
      auto inner = disjunction();
      if (!inner || peek().kind != Token::Kind::close) return std::nullopt;
      ++m_pos;
      return Part{"(" + inner->text + ")", 3};
    }
    return comparison();
  }

  // A variable name without LimeSurvey's suffixes (Q1.NAOK, Q1.value).
  std::optional<LssVariable> variable(const Token& t) {
    if (t.kind != Token::Kind::name) return std::nullopt;
    std::string name = t.text;
    if (auto dot = name.find('.'); dot != std::string::npos) {
      std::string suffix = text::ascii_lower(name.substr(dot + 1));
      if (suffix != "naok" && suffix != "value" && suffix != "code") return std::nullopt;
      name.resize(dot);
    }
    return m_lookup(name);
  }

  std::optional<Part> comparison() {
    if (peek().kind == Token::Kind::name && text::ascii_lower(peek().text) == "is_empty") {
      ++m_pos;
      if (peek().kind != Token::Kind::open) return std::nullopt;
      ++m_pos;
      auto v = variable(peek());
      if (!v || v->kind == LssVariable::Kind::choice_of_multiple) return std::nullopt;
      ++m_pos;
      if (peek().kind != Token::Kind::close) return std::nullopt;
      ++m_pos;
      return Part{reference(*v) + " = ''", 3};
    }
    Token left = peek();
    ++m_pos;
    if (peek().kind != Token::Kind::op) return std::nullopt;
    std::string op = peek().text;
    if (op != "==" && op != "!=" && op != "<" && op != "<=" && op != ">" && op != ">=") {
      return std::nullopt;
    }
    ++m_pos;
    Token right = peek();
    ++m_pos;
    if (left.kind != Token::Kind::name) {
      std::swap(left, right);
      static const std::vector<std::pair<std::string, std::string>> mirrored = {
          {"<", ">"}, {">", "<"}, {"<=", ">="}, {">=", "<="}};
      for (const auto& [from, to] : mirrored) {
        if (op == from) {
          op = to;
          break;
        }
      }
    }
    auto v = variable(left);
    if (!v || (right.kind != Token::Kind::string && right.kind != Token::Kind::number)) {
      return std::nullopt;
    }
    std::string xop = op == "==" ? "=" : op;
    if (v->kind == LssVariable::Kind::choice_of_multiple) {
      // A multiple choice's option is "Y" when chosen and empty when not.
      bool chosen = right.text == "Y";
      if (!(chosen || right.text.empty()) || (op != "==" && op != "!=")) return std::nullopt;
      std::string selected = "selected(${" + v->question + "}, " + quote(v->choice_or_row) + ")";
      return Part{(chosen == (op == "==")) ? selected : "not(" + selected + ")", 3};
    }
    std::string value = right.kind == Token::Kind::number ? right.text
                        : v->coded                        ? quote(text::ascii_lower(right.text))
                                                          : quote(right.text);
    return Part{reference(*v) + " " + xop + " " + value, 3};
  }

  static std::string reference(const LssVariable& v) {
    if (v.kind == LssVariable::Kind::matrix_row) {
      return "${" + v.question + "/" + v.choice_or_row + "}";
    }
    return "${" + v.question + "}";
  }

  std::vector<Token> m_tokens;
  std::size_t m_pos{0};
  const LssLookup& m_lookup;
};

}  // namespace

std::optional<std::string> translate_lss_expression(std::string_view source,
                                                    const LssLookup& lookup) {
  auto tokens = tokenize(source);
  if (!tokens) return std::nullopt;
  return Translator(std::move(*tokens), lookup).run();
}

}  // namespace needsmap::interop
