// A text the respondent reads, in several languages.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

namespace needsmap::questionnaire {

inline constexpr std::string_view primary_language = "sr-Cyrl";

class LocalizedText {
 public:
  LocalizedText() = default;
  explicit LocalizedText(std::map<std::string, std::string, std::less<>> by_language)
      : m_by_language(std::move(by_language)) {}

  // The text in `language`, falling back to sr-Cyrl; "" when there is no text at all.
  const std::string& get(std::string_view language) const;
  bool empty() const { return m_by_language.empty(); }
  bool has(std::string_view language) const { return m_by_language.contains(language); }
  // Adds sr-Latn transliterated from sr-Cyrl where it is missing.
  void derive_latin();
  nlohmann::json to_json() const;
  const auto& all() const { return m_by_language; }

 private:
  std::map<std::string, std::string, std::less<>> m_by_language;
};

}  // namespace needsmap::questionnaire
