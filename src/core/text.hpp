// UTF-8 and script handling: validation, code point counts, Cyrillic → Latin for Serbian and
// Macedonian, and folding for script- and diacritic-insensitive comparison.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace needsmap::text {

bool is_valid_utf8(std::string_view s);
std::size_t code_points(std::string_view s);  // s must be valid UTF-8

// Serbian Cyrillic to Serbian Latin with ICU's "Serbian-Latin/BGN; NFC". Thread-safe.
std::string serbian_to_latin(std::string_view cyrillic);

// Macedonian Cyrillic to Latin with ICU's "Macedonian-Latin/BGN; NFC" (ѓ ќ as ǵ ḱ). Thread-safe.
std::string macedonian_to_latin(std::string_view cyrillic);

// Removes C0 control characters other than tab and newline, normalises line ends to \n, NFC.
std::string clean_user_text(std::string_view s);

// Trims ASCII and Unicode whitespace at both ends.
std::string trim(std::string_view s);

// A-Z as a-z, every other byte as it is: for names that compare case-insensitively in ASCII
// (HTTP headers, XLSForm column names).
std::string ascii_lower(std::string_view s);

}  // namespace needsmap::text
