#include "questionnaire/text.hpp"

#include <nlohmann/json.hpp>

#include "core/text.hpp"

namespace needsmap::questionnaire {

const std::string& LocalizedText::get(std::string_view language) const {
  static const std::string empty_text;
  if (auto it = m_by_language.find(language); it != m_by_language.end()) return it->second;
  if (language == "sr-Latn") {
    // derive_latin() normally fills this in; a text built in code may lack it.
    if (auto it = m_by_language.find(primary_language); it != m_by_language.end()) {
      return it->second;
    }
  }
  if (auto it = m_by_language.find(primary_language); it != m_by_language.end()) return it->second;
  return empty_text;
}

void LocalizedText::derive_latin() {
  auto cyrillic = m_by_language.find(primary_language);
  if (cyrillic != m_by_language.end() && !m_by_language.contains("sr-Latn")) {
    m_by_language.emplace("sr-Latn", text::serbian_to_latin(cyrillic->second));
  }
}

nlohmann::json LocalizedText::to_json() const {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [language, value] : m_by_language) out[language] = value;
  return out;
}

}  // namespace needsmap::questionnaire
