// The printable A4 poster of a campaign, for notice boards and waiting rooms: what the survey is,
// that it is anonymous, until when it runs, its public address in large type and as a QR code.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "questionnaire/model.hpp"
#include "store/store.hpp"

namespace needsmap::report {

// Every text of a poster, already in its language and script. Empty optional texts are left out.
struct PosterContent {
  std::string language;      // sr-Cyrl, sr-Latn, en or mk: the language pango shapes the text for
  std::string title;         // the questionnaire's title; also the PDF's title
  std::string municipality;  // the municipality's name
  std::string run_by;        // who runs the survey and why, one or two sentences
  std::string anonymous;     // "The questionnaire is completely anonymous …"
  std::string duration;      // "It takes about 10 minutes." (optional)
  std::string closes;        // "Last day to answer: 21 November 2025" (optional)
  std::string scan;          // "Scan the code … or type the address:"
  std::string url;           // the public address, printed in large type
  std::string assisted;    // "You can also answer with the help of … the Centre for Social Work."
  std::string help;        // "Questions and help: …" (optional)
  std::string qr_payload;  // what the QR code holds: the public address
};

// A one-page A4 portrait PDF (595 × 842 pt) in DejaVu Sans, fonts embedded, the QR code drawn as
// vector squares (error correction M, quiet zone of 4 modules, at least 6 cm wide). Fails when a
// text does not fit on the page, the font is missing or lacks a glyph, or the payload is too long
// for a QR code.
Result<std::string> render_poster_pdf(const PosterContent& content);

// The languages a poster is printed in.
bool is_poster_language(std::string_view tag);

// A campaign's public address: `base_url` + /s/{municipality}/{campaign}, with ?lang= for every
// language but the default sr-Cyrl. `base_url` must be an http(s) address without query or
// fragment; a trailing slash is dropped.
Result<std::string> public_campaign_url(std::string_view base_url, const store::Campaign& campaign,
                                        std::string_view language);

// Fills in an interface text (i18n/) as web::Translations::format does: the pattern of `key` in
// `language` with named arguments. Passed in because this module does not know the web module.
using TextFormatter = std::function<std::string(std::string_view language, std::string_view key,
                                                const nlohmann::json& arguments)>;

struct PosterSource {
  const store::Campaign& campaign;
  const store::Municipality& municipality;
  const questionnaire::Questionnaire& questionnaire;
};

// The poster's texts for a campaign in `language` (the keys poster.* of i18n/). Fails for a
// language posters are not printed in, one the questionnaire does not offer, or a bad base URL.
Result<PosterContent> build_poster_content(const PosterSource& source, std::string_view language,
                                           std::string_view base_url, const TextFormatter& format);

}  // namespace needsmap::report
