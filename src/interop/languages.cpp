#include "interop/languages.hpp"

#include <array>
#include <utility>
#include <vector>

#include "core/text.hpp"

namespace needsmap::interop {

namespace {

struct KnownLanguage {
  std::string_view tag;
  std::string_view name;  // what needsmap writes
};
constexpr std::array<KnownLanguage, 4> known = {
    {{"sr-Cyrl", "Српски"}, {"sr-Latn", "Srpski"}, {"en", "English"}, {"mk", "Македонски"}}};

// Names people write instead of codes; Serbian without a script is Cyrillic, the official one.
constexpr std::array<std::pair<std::string_view, std::string_view>, 9> names = {{
    {"српски", "sr-Cyrl"},
    {"serbian", "sr-Cyrl"},
    {"srpski", "sr-Latn"},
    {"serbian (latin)", "sr-Latn"},
    {"english", "en"},
    {"енглески", "en"},
    {"engleski", "en"},
    {"македонски", "mk"},
    {"macedonian", "mk"},
}};

// "sr_cyrl_rs" → "sr-Cyrl", "EN-gb" → "en-GB"; none when it is not shaped like a BCP 47 tag.
std::optional<std::string> canonical_tag(std::string_view code) {
  std::string lower = text::ascii_lower(code);
  for (char& c : lower) {
    if (c == '_') c = '-';
  }
  if (lower.empty() || lower.size() > 20) return std::nullopt;
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= lower.size()) {
    std::size_t dash = lower.find('-', start);
    if (dash == std::string::npos) dash = lower.size();
    parts.push_back(lower.substr(start, dash - start));
    start = dash + 1;
  }
  for (const auto& p : parts) {
    if (p.empty() || p.size() > 8) return std::nullopt;
    for (char c : p) {
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) return std::nullopt;
    }
  }
  if (parts[0].size() < 2 || parts[0].size() > 3) return std::nullopt;
  if (parts[0] == "sr") {
    // A region says nothing about the script; only Latn changes it.
    for (const auto& p : parts) {
      if (p == "latn") return "sr-Latn";
    }
    return "sr-Cyrl";
  }
  if (parts[0] == "mk") return "mk";
  std::string out = parts[0];
  for (std::size_t i = 1; i < parts.size(); ++i) {
    std::string p = parts[i];
    if (p.size() == 4) {
      p[0] = static_cast<char>(p[0] - 'a' + 'A');
    } else if (p.size() == 2) {
      for (char& c : p) c = c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
    }
    out += "-" + p;
  }
  return out;
}

}  // namespace

std::optional<std::string> language_from_suffix(std::string_view suffix) {
  std::string s = text::trim(suffix);
  if (s.empty()) return std::nullopt;
  if (s.back() == ')') {
    auto open = s.rfind('(');
    if (open != std::string::npos) {
      return canonical_tag(text::trim(std::string_view(s).substr(open + 1, s.size() - open - 2)));
    }
  }
  std::string lower = text::ascii_lower(s);
  for (const auto& [name, tag] : names) {
    if (lower == name) return std::string(tag);
  }
  // Capitalised Cyrillic names ("Српски", "Македонски").
  if (s == "Српски") return "sr-Cyrl";
  if (s == "Македонски") return "mk";
  if (s == "Енглески") return "en";
  return canonical_tag(s);
}

std::string language_suffix(std::string_view tag) {
  for (const auto& k : known) {
    if (k.tag == tag) return std::string(k.name) + " (" + std::string(tag) + ")";
  }
  return std::string(tag) + " (" + std::string(tag) + ")";
}

}  // namespace needsmap::interop
