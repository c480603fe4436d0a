// What cairo 1.16 leaves out of a PDF's catalog, added afterwards as an incremental update (ISO
// 32000-1, 7.5.6): the document's language, which a screen reader needs to pick its voice; the
// viewer preference to show the document's title rather than its file name; and, for a tagged
// file, the mark that says so (all three asked for by PDF/UA, ISO 14289-1, 7.1 and 7.2).
#pragma once

#include <string>
#include <string_view>

#include "core/error.hpp"

namespace needsmap::report {

// `pdf` (as cairo writes it: a classic cross-reference table, the catalog an uncompressed
// object) with an update appended that gives the catalog /Lang (`language`, a BCP 47 tag such
// as sr-Cyrl), /ViewerPreferences << /DisplayDocTitle true >> and, when it has a structure tree,
// /MarkInfo << /Marked true >>. `pdf` unchanged when its catalog names a language already. Fails
// when `language` is not a plain tag or `pdf` is not laid out so.
Result<std::string> completed_catalog(std::string pdf, std::string_view language);

}  // namespace needsmap::report
