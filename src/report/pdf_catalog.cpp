#include "report/pdf_catalog.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <optional>

namespace needsmap::report {
namespace {

Error malformed(std::string_view what) {
  return Error::internal("the PDF cairo wrote has no " + std::string(what));
}

bool is_plain_tag(std::string_view tag) {
  return !tag.empty() && tag.size() <= 35 && tag.front() != '-' && tag.back() != '-' &&
         std::all_of(tag.begin(), tag.end(),
                     [](unsigned char c) { return std::isalnum(c) != 0 || c == '-'; });
}

// The number after `key` (followed by white space) in `text` from `from` on.
std::optional<long long> number_after(std::string_view text, std::string_view key,
                                      std::size_t from = 0) {
  const std::size_t at = text.find(key, from);
  if (at == std::string_view::npos) return std::nullopt;
  std::size_t p = at + key.size();
  while (p < text.size() && std::isspace(static_cast<unsigned char>(text[p])) != 0) ++p;
  long long value = 0;
  const auto [end, error] = std::from_chars(text.data() + p, text.data() + text.size(), value);
  if (error != std::errc() || end == text.data() + p) return std::nullopt;
  return value;
}

// The text from `key` up to the end of its line (for the trailer's /Info and /ID entries).
std::string entry_line(std::string_view trailer, std::string_view key) {
  const std::size_t at = trailer.find(key);
  if (at == std::string_view::npos) return {};
  const std::size_t end = trailer.find('\n', at);
  return std::string(trailer.substr(at, end == std::string_view::npos ? end : end - at));
}

}  // namespace

Result<std::string> completed_catalog(std::string pdf, std::string_view language) {
  if (!is_plain_tag(language)) {
    return std::unexpected(Error::invalid("not a language tag: " + std::string(language)));
  }
  const std::string_view text(pdf);
  const std::size_t startxref = text.rfind("startxref");
  const std::size_t trailer_at = text.rfind("trailer", startxref);
  if (startxref == std::string_view::npos || trailer_at == std::string_view::npos) {
    return std::unexpected(malformed("trailer"));
  }
  const std::string_view trailer = text.substr(trailer_at, startxref - trailer_at);
  const auto previous_xref = number_after(text, "startxref", startxref);
  const auto size = number_after(trailer, "/Size");
  const auto root = number_after(trailer, "/Root");
  if (!previous_xref || !size || !root) return std::unexpected(malformed("/Size or /Root"));

  // The catalog's last definition: "N 0 obj\n<< … >>\nendobj".
  const std::string header = std::to_string(*root) + " 0 obj";
  std::size_t object = text.rfind("\n" + header, trailer_at);
  if (object == std::string_view::npos) return std::unexpected(malformed("catalog"));
  object += 1;
  const std::size_t open = text.find("<<", object);
  const std::size_t end = text.find("endobj", object);
  const std::size_t close = text.rfind(">>", end);
  if (open == std::string_view::npos || end == std::string_view::npos || close < open) {
    return std::unexpected(malformed("catalog dictionary"));
  }
  const std::string_view entries = text.substr(open + 2, close - open - 2);
  if (entries.find("/Type /Catalog") == std::string_view::npos) {
    return std::unexpected(malformed("/Type /Catalog in the root object"));
  }
  if (entries.find("/Lang") != std::string_view::npos) return pdf;  // a later cairo says it
  const bool has_preferences = entries.find("/ViewerPreferences") != std::string_view::npos;
  // cairo 1.16 marks the content of its structure elements but leaves /MarkInfo out when the
  // text is drawn by pango: without it readers take the file for untagged.
  const bool needs_mark_info = entries.find("/StructTreeRoot") != std::string_view::npos &&
                               entries.find("/MarkInfo") == std::string_view::npos;

  std::string update = "\n";
  const std::size_t object_offset = pdf.size() + update.size();
  update += header + "\n<< /Lang (" + std::string(language) + ")\n";
  if (!has_preferences) update += "   /ViewerPreferences << /DisplayDocTitle true >>\n";
  if (needs_mark_info) update += "   /MarkInfo << /Marked true >>\n";
  update += std::string(entries) + ">>\nendobj\n";
  const std::size_t xref_offset = pdf.size() + update.size();
  char entry[21];
  std::snprintf(entry, sizeof entry, "%010zu 00000 n \n", object_offset);
  update += "xref\n" + std::to_string(*root) + " 1\n" + entry;
  update += "trailer\n<< /Size " + std::to_string(*size) + "\n   /Root " + std::to_string(*root) +
            " 0 R\n";
  for (std::string_view key : {"/Info", "/ID"}) {
    if (std::string line = entry_line(trailer, key); !line.empty()) update += "   " + line + "\n";
  }
  update += "   /Prev " + std::to_string(*previous_xref) + "\n>>\nstartxref\n" +
            std::to_string(xref_offset) + "\n%%EOF\n";
  pdf += update;
  return pdf;
}

}  // namespace needsmap::report
