// Language tags in XLSForm column headers: "label::English (en)" (the XLSForm convention of a
// name with the code in parentheses), and the plainer "label::en" or "label::English".
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace needsmap::interop {

// The needsmap language tag of a header suffix ("Српски (sr)" → "sr-Cyrl", "English" → "en");
// none when the suffix names no language needsmap can tell.
std::optional<std::string> language_from_suffix(std::string_view suffix);

// The suffix needsmap writes for a tag: "Српски (sr-Cyrl)", "English (en)".
std::string language_suffix(std::string_view tag);

}  // namespace needsmap::interop
