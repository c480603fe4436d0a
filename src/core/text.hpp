// UTF-8 and script handling: validation, code point counts, Cyrillic → Latin for Serbian and
// Macedonian, and folding for script- and diacritic-insensitive comparison.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace needsmap::text {

bool is_valid_utf8(std::string_view s);
std::size_t code_points(std::string_view s);  // s must be valid UTF-8

// Serbian Cyrillic to Serbian Latin with ICU's "Serbian-Latin/BGN; NFC". Thread-safe.
std::string serbian_to_latin(std::string_view cyrillic);

// Macedonian Cyrillic to Latin with ICU's "Macedonian-Latin/BGN; NFC" (ѓ ќ as ǵ ḱ). Thread-safe.
std::string macedonian_to_latin(std::string_view cyrillic);

// A text folded for search that ignores script, case and diacritics: Serbian and Macedonian
// Cyrillic transliterated to Latin, lower case, đ written "dj" (as Serbian is written without
// diacritics: "Djordje"), then every other diacritic dropped (č ć → c, š → s, ž → z, ǵ → g,
// á → a). "Дневни боравак", "DNEVNI borávak" and "dnevni boravak" all fold to "dnevni boravak".
// Thread-safe.
std::string fold_for_search(std::string_view s);

// Orders texts as Serbian does, with ICU's sr-Latn collation: Latin in the abeceda's order
// (c č ć d dž đ e), Cyrillic in the azbuka's (д ђ е, ц ч џ ш), Cyrillic before Latin. Negative,
// zero or positive as a is before, level with or after b. Thread-safe.
int compare_serbian(std::string_view a, std::string_view b);

// Removes C0 control characters other than tab and newline, normalises line ends to \n, NFC.
std::string clean_user_text(std::string_view s);

// Trims ASCII and Unicode whitespace at both ends.
std::string trim(std::string_view s);

// The non-empty trimmed pieces of `s` between any of `separators` (ASCII).
std::vector<std::string> split_trimmed(std::string_view s, std::string_view separators);

// A-Z as a-z, every other byte as it is: for names that compare case-insensitively in ASCII
// (HTTP headers, XLSForm column names).
std::string ascii_lower(std::string_view s);

}  // namespace needsmap::text
