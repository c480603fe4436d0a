// The interface's own words (buttons, messages, page furniture) in every language, from i18n/.
// Patterns are ICU MessageFormat, so plurals follow each language's rules (sr: one/few/other).
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/error.hpp"

namespace needsmap::web {

struct Language {
  std::string tag;  // sr-Cyrl, sr-Latn, en, mk
  std::string name;  // the language's own name for itself: Ћирилица, Latinica, English, Македонски
  std::string html_lang;  // for <html lang>: sr-Cyrl, sr-Latn, en, mk
};

class Translations {
 public:
  // Loads i18n/<tag>.json for every language; sr-Latn is derived from sr-Cyrl.
  static Result<Translations> load(const std::filesystem::path& directory);

  const std::vector<Language>& languages() const { return m_languages; }
  bool supports(std::string_view tag) const;
  // The tag to use for a request: `requested` if supported, else sr-Cyrl.
  std::string resolve(std::string_view requested) const;
  // The best supported tag for an Accept-Language header; sr-Cyrl when nothing matches.
  std::string from_accept_language(std::string_view header) const;

  // The plain text of a key; the key itself when missing everywhere (visible in tests).
  const std::string& text(std::string_view language, std::string_view key) const;
  // The pattern with named arguments filled in.
  std::string format(std::string_view language, std::string_view key,
                     const nlohmann::json& arguments) const;
  // Every key of a language as mustache-ready data ("t" in templates).
  const std::map<std::string, std::string, std::less<>>& all(std::string_view language) const;

 private:
  std::vector<Language> m_languages;
  std::map<std::string, std::map<std::string, std::string, std::less<>>, std::less<>> m_texts;
};

}  // namespace needsmap::web
