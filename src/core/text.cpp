#include "core/text.hpp"

#include <unicode/coll.h>
#include <unicode/normalizer2.h>
#include <unicode/translit.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uscript.h>

#include <memory>
#include <mutex>
#include <stdexcept>

namespace needsmap::text {

namespace {

// Decodes one code point at s[i]; returns its length or 0 when the bytes are not valid UTF-8
// (overlong forms, surrogates and values above U+10FFFF included).
std::size_t decode(std::string_view s, std::size_t i, char32_t& out) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char b0 = byte(i);
  if (b0 < 0x80) {
    out = b0;
    return 1;
  }
  std::size_t len = b0 >= 0xF0 ? 4 : b0 >= 0xE0 ? 3 : b0 >= 0xC2 ? 2 : 0;
  if (len == 0 || b0 > 0xF4 || i + len > s.size()) return 0;
  char32_t cp = b0 & (0x7F >> len);
  for (std::size_t k = 1; k < len; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  static constexpr char32_t min_for_length[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < min_for_length[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  out = cp;
  return len;
}

// ICU transliterators are not thread-safe: callers keep one per thread.
std::unique_ptr<icu::Transliterator> create_transliterator(const char* id) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::Transliterator> t(
      icu::Transliterator::createInstance(id, UTRANS_FORWARD, status));
  if (U_FAILURE(status) || !t) {
    throw std::runtime_error(std::string("ICU cannot create transliterator ") + id);
  }
  return t;
}

std::string transliterate(icu::Transliterator& transliterator, std::string_view s) {
  icu::UnicodeString u =
      icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), static_cast<int32_t>(s.size())));
  transliterator.transliterate(u);
  std::string out;
  u.toUTF8String(out);
  return out;
}

}  // namespace

bool is_valid_utf8(std::string_view s) {
  char32_t cp;
  for (std::size_t i = 0; i < s.size();) {
    std::size_t len = decode(s, i, cp);
    if (len == 0) return false;
    i += len;
  }
  return true;
}

std::size_t code_points(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

std::string serbian_to_latin(std::string_view cyrillic) {
  thread_local auto transliterator = create_transliterator("Serbian-Latin/BGN; NFC");
  return transliterate(*transliterator, cyrillic);
}

std::string macedonian_to_latin(std::string_view cyrillic) {
  thread_local auto transliterator = create_transliterator("Macedonian-Latin/BGN; NFC");
  return transliterate(*transliterator, cyrillic);
}

std::string fold_for_search(std::string_view s) {
  // Serbian first (ђ → đ, џ → dž), then Macedonian for the letters Serbian has not (ѓ ќ ѕ).
  static constexpr const char* rules =
      ":: Serbian-Latin/BGN; :: Macedonian-Latin/BGN; :: Any-Lower; :: NFC;"
      "đ > dj;"
      ":: NFD; :: [:Nonspacing Mark:] Remove; :: NFC;";
  thread_local std::unique_ptr<icu::Transliterator> transliterator = [] {
    UErrorCode status = U_ZERO_ERROR;
    UParseError where;
    std::unique_ptr<icu::Transliterator> t(icu::Transliterator::createFromRules(
        "needsmap-search-fold", icu::UnicodeString::fromUTF8(rules), UTRANS_FORWARD, where,
        status));
    if (U_FAILURE(status) || !t) throw std::runtime_error("ICU cannot create the search folding");
    return t;
  }();
  return transliterate(*transliterator, s);
}

int compare_serbian(std::string_view a, std::string_view b) {
  // Collators are not thread-safe for use with changing attributes; one per thread is simplest.
  thread_local std::unique_ptr<icu::Collator> collator = [] {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::Collator> c(
        icu::Collator::createInstance(icu::Locale::forLanguageTag("sr-Latn", status), status));
    const std::int32_t cyrillic_first[] = {USCRIPT_CYRILLIC, USCRIPT_LATIN};
    if (c) c->setReorderCodes(cyrillic_first, 2, status);
    if (U_FAILURE(status) || !c) throw std::runtime_error("ICU cannot create the sr-Latn collator");
    return c;
  }();
  UErrorCode status = U_ZERO_ERROR;
  UCollationResult order = collator->compareUTF8(
      icu::StringPiece(a.data(), static_cast<std::int32_t>(a.size())),
      icu::StringPiece(b.data(), static_cast<std::int32_t>(b.size())), status);
  return U_FAILURE(status) ? a.compare(b) : static_cast<int>(order);
}

std::string clean_user_text(std::string_view s) {
  std::string stripped;
  stripped.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == '\r') {
      if (i + 1 < s.size() && s[i + 1] == '\n') continue;
      stripped.push_back('\n');
    } else if (c < 0x20 && c != '\t' && c != '\n') {
      continue;
    } else if (c == 0x7F) {
      continue;
    } else {
      stripped.push_back(static_cast<char>(c));
    }
  }
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  if (U_FAILURE(status)) return stripped;
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(stripped);
  icu::UnicodeString normalized = nfc->normalize(u, status);
  if (U_FAILURE(status)) return stripped;
  std::string out;
  normalized.toUTF8String(out);
  return out;
}

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::vector<std::string> split_trimmed(std::string_view s, std::string_view separators) {
  std::vector<std::string> out;
  std::size_t from = 0;
  while (from <= s.size()) {
    std::size_t to = s.find_first_of(separators, from);
    if (to == std::string_view::npos) to = s.size();
    std::string piece = trim(s.substr(from, to - from));
    if (!piece.empty()) out.push_back(std::move(piece));
    from = to + 1;
  }
  return out;
}

std::string trim(std::string_view s) {
  auto is_space_at = [&](std::size_t i, std::size_t& len) {
    char32_t cp;
    len = decode(s, i, cp);
    return len != 0 && u_isUWhiteSpace(static_cast<UChar32>(cp));
  };
  std::size_t begin = 0, len = 0;
  while (begin < s.size() && is_space_at(begin, len)) begin += len;
  std::size_t end = s.size();
  while (end > begin) {
    std::size_t start = end - 1;
    while (start > begin && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80) --start;
    if (!is_space_at(start, len)) break;
    end = start;
  }
  return std::string(s.substr(begin, end - begin));
}

}  // namespace needsmap::text
