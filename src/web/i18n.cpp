#include "web/i18n.hpp"

#include <unicode/fmtable.h>
#include <unicode/msgfmt.h>

#include <fstream>

#include "core/text.hpp"

namespace needsmap::web {

namespace {
const std::vector<Language> known_languages = {
    {"sr-Cyrl", "Ћирилица", "sr-Cyrl"},
    {"sr-Latn", "Latinica", "sr-Latn"},
    {"en", "English", "en"},
    {"mk", "Македонски", "mk"},
};

std::string icu_locale(std::string_view tag) {
  if (tag == "sr-Cyrl") return "sr";
  if (tag == "sr-Latn") return "sr_Latn";
  return std::string(tag);
}
}  // namespace

Result<Translations> Translations::load(const std::filesystem::path& directory) {
  Translations t;
  for (const auto& language : known_languages) {
    if (language.tag == "sr-Latn") continue;
    // The respondent's texts, then the administration's (i18n/admin/), which respondents never
    // need translated first.
    for (const auto& file :
         {directory / (language.tag + ".json"), directory / "admin" / (language.tag + ".json")}) {
      std::ifstream in(file);
      if (!in) return std::unexpected(Error::io("missing translation " + file.string()));
      nlohmann::json doc;
      try {
        doc = nlohmann::json::parse(in);
      } catch (const nlohmann::json::exception& e) {
        return std::unexpected(Error::invalid(file.string() + ": " + e.what()));
      }
      auto& texts = t.m_texts[language.tag];
      for (const auto& [key, value] : doc.items()) {
        if (value.is_string()) texts.emplace(key, value.get<std::string>());
      }
    }
  }
  auto& latin = t.m_texts["sr-Latn"];
  for (const auto& [key, value] : t.m_texts["sr-Cyrl"]) {
    latin.emplace(key, text::serbian_to_latin(value));
  }
  t.m_languages = known_languages;
  return t;
}

bool Translations::supports(std::string_view tag) const {
  return m_texts.contains(tag);
}

std::string Translations::resolve(std::string_view requested) const {
  return supports(requested) ? std::string(requested) : std::string("sr-Cyrl");
}

std::string Translations::from_accept_language(std::string_view header) const {
  // Takes the first listed language we have; quality values rarely reorder in practice.
  std::size_t start = 0;
  while (start < header.size()) {
    std::size_t end = header.find(',', start);
    std::string item = text::trim(header.substr(start, end - start));
    item = item.substr(0, item.find(';'));
    for (char& c : item) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (item == "sr-latn" || item.starts_with("sr-latn-")) return "sr-Latn";
    if (item == "sr" || item.starts_with("sr-")) return "sr-Cyrl";
    if (item == "mk" || item.starts_with("mk-")) return "mk";
    if (item == "en" || item.starts_with("en-")) return "en";
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return "sr-Cyrl";
}

const std::string& Translations::text(std::string_view language, std::string_view key) const {
  for (std::string_view tag : {language, std::string_view("sr-Cyrl")}) {
    auto texts = m_texts.find(tag);
    if (texts == m_texts.end()) continue;
    if (auto it = texts->second.find(key); it != texts->second.end()) return it->second;
  }
  static thread_local std::string missing;
  missing = key;
  return missing;
}

std::string Translations::format(std::string_view language, std::string_view key,
                                 const nlohmann::json& arguments) const {
  const std::string& pattern = text(language, key);
  std::vector<icu::UnicodeString> names;
  std::vector<icu::Formattable> values;
  for (const auto& [name, value] : arguments.items()) {
    names.push_back(icu::UnicodeString::fromUTF8(name));
    if (value.is_number_integer()) {
      values.emplace_back(static_cast<int64_t>(value.get<long long>()));
    } else if (value.is_number()) {
      values.emplace_back(value.get<double>());
    } else {
      values.emplace_back(icu::UnicodeString::fromUTF8(value.is_string() ? value.get<std::string>()
                                                                         : value.dump()));
    }
  }
  UErrorCode status = U_ZERO_ERROR;
  icu::MessageFormat message(icu::UnicodeString::fromUTF8(pattern),
                             icu::Locale(icu_locale(language).c_str()), status);
  if (U_FAILURE(status)) return pattern;
  icu::UnicodeString result;
  message.format(names.data(), values.data(), static_cast<int32_t>(values.size()), result, status);
  if (U_FAILURE(status)) return pattern;
  std::string out;
  result.toUTF8String(out);
  return out;
}

const std::map<std::string, std::string, std::less<>>& Translations::all(
    std::string_view language) const {
  auto it = m_texts.find(language);
  return it != m_texts.end() ? it->second : m_texts.find("sr-Cyrl")->second;
}

}  // namespace needsmap::web
