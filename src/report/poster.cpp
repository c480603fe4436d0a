#include "report/poster.hpp"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#include <qrencode.h>
#include <unicode/datefmt.h>
#include <unicode/timezone.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <memory>
#include <optional>
#include <vector>

#include "core/clock.hpp"
#include "core/text.hpp"
#include "report/cairo_handles.hpp"
#include "report/fonts.hpp"
#include "report/pdf_catalog.hpp"

namespace needsmap::report {

namespace {

using namespace cairo_handles;  // Surface, Cairo, Layout … (report/cairo_handles.hpp)

struct QrCodeDeleter {
  void operator()(QRcode* code) const { QRcode_free(code); }
};
using QrCode = std::unique_ptr<QRcode, QrCodeDeleter>;

constexpr double page_width = 595;  // A4 portrait
constexpr double page_height = 842;
constexpr double margin_x = 40;
constexpr double margin_top = 44;
constexpr double margin_bottom = 40;
constexpr double text_width = page_width - 2 * margin_x;
constexpr double points_per_cm = 72.0 / 2.54;
// Phones read a code of 6 cm from well over a metre; a little more leaves room for a poor print.
constexpr double qr_symbol_size = 6.5 * points_per_cm;
constexpr double qr_minimum_symbol_size = 6.0 * points_per_cm;
constexpr int qr_quiet_modules = 4;

// Type sizes in points. Many readers are elderly: the smallest text is 16 pt, the title 36 pt.
struct Sizes {
  double municipality, title, lead, fact, small, url;
};
constexpr Sizes preferred_sizes{24, 42, 20, 22, 19, 28};
constexpr Sizes minimum_sizes{18, 36, 16, 16, 16, 16};
// The address is bold while it fits on one line at this size, then regular down to its minimum.
constexpr double url_minimum_bold = 20;

Sizes sizes_at(double scale) {
  auto size = [scale](double preferred, double minimum) {
    return std::max(minimum, preferred * scale);
  };
  return {size(preferred_sizes.municipality, minimum_sizes.municipality),
          size(preferred_sizes.title, minimum_sizes.title),
          size(preferred_sizes.lead, minimum_sizes.lead),
          size(preferred_sizes.fact, minimum_sizes.fact),
          size(preferred_sizes.small, minimum_sizes.small),
          size(preferred_sizes.url, minimum_sizes.url)};
}

struct Style {
  double size{16};
  bool bold{false};
};

FontDescription font_description(const Style& style) {
  return dejavu_sans(style.size, style.bold);
}

// A paragraph laid out `width` points wide (or on one line when width is negative).
class Paragraph {
 public:
  static Result<Paragraph> create(cairo_t* cr, PangoLanguage* language, const std::string& text,
                                  const Style& style, double width) {
    Layout layout(pango_cairo_create_layout(cr));
    pango_context_set_language(pango_layout_get_context(layout.get()), language);
    pango_layout_context_changed(layout.get());
    FontDescription description = font_description(style);
    pango_layout_set_font_description(layout.get(), description.get());
    if (width > 0) {
      pango_layout_set_width(layout.get(), static_cast<int>(width * PANGO_SCALE));
      // At spaces; inside a word only when it is longer than the line.
      pango_layout_set_wrap(layout.get(), PANGO_WRAP_WORD_CHAR);
    }
    pango_layout_set_text(layout.get(), text.data(), static_cast<int>(text.size()));
    // A word too long for its line (an address) breaks without an added hyphen, which a reader
    // would type.
    AttributeList attributes(pango_attr_list_new());
    pango_attr_list_insert(attributes.get(), pango_attr_insert_hyphens_new(FALSE));  // takes it
    pango_layout_set_attributes(layout.get(), attributes.get());  // holds its own reference
    if (pango_layout_get_unknown_glyphs_count(layout.get()) > 0) {
      return std::unexpected(
          Error::invalid(std::string(font_family) + " has no letter for some of \"" + text + "\""));
    }
    return Paragraph(std::move(layout));
  }

  double width() const { return extent().first; }
  double height() const { return extent().second; }
  double baseline() const {
    return static_cast<double>(pango_layout_get_baseline(m_layout.get())) / PANGO_SCALE;
  }

  void draw(cairo_t* cr, double x, double y) const {
    cairo_move_to(cr, x, y);
    pango_cairo_show_layout(cr, m_layout.get());
  }

 private:
  explicit Paragraph(Layout layout) : m_layout(std::move(layout)) {}
  std::pair<double, double> extent() const {
    int width = 0;
    int height = 0;
    pango_layout_get_size(m_layout.get(), &width, &height);
    return {static_cast<double>(width) / PANGO_SCALE, static_cast<double>(height) / PANGO_SCALE};
  }
  Layout m_layout;
};

Result<QrCode> encode_qr(const std::string& payload) {
  if (payload.empty()) return std::unexpected(Error::invalid("the QR code has nothing to hold"));
  errno = 0;
  // 8-bit mode keeps the address byte for byte, whatever its characters.
  QrCode code(QRcode_encodeString8bit(payload.c_str(), 0, QR_ECLEVEL_M));
  if (!code) {
    if (errno == ERANGE) {
      return std::unexpected(Error::invalid("the address is too long for a QR code: " + payload));
    }
    return std::unexpected(Error::internal("libqrencode could not encode the address"));
  }
  return code;
}

// Dark modules as one path of horizontal runs: a single fill leaves no hairline seams between
// neighbouring squares in viewers that anti-alias.
void draw_qr(cairo_t* cr, const QRcode& code, double x, double y, double module) {
  const int n = code.width;
  const double side = (n + 2 * qr_quiet_modules) * module;
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_rectangle(cr, x, y, side, side);
  cairo_fill(cr);
  cairo_set_source_rgb(cr, 0, 0, 0);
  const double origin_x = x + qr_quiet_modules * module;
  const double origin_y = y + qr_quiet_modules * module;
  for (int row = 0; row < n; ++row) {
    const unsigned char* line = code.data + static_cast<std::ptrdiff_t>(row) * n;
    for (int column = 0; column < n;) {
      if ((line[column] & 1) == 0) {
        ++column;
        continue;
      }
      int end = column;
      while (end < n && (line[end] & 1) != 0) ++end;
      cairo_rectangle(cr, origin_x + column * module, origin_y + row * module,
                      (end - column) * module, module);
      column = end;
    }
  }
  cairo_fill(cr);
}

cairo_status_t append_to_string(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

// A value for a cairo tag attribute: single-quoted, with quotes and backslashes escaped.
std::string tag_string(std::string_view value) {
  std::string out = "'";
  for (char c : value) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

// The address as large as fits on one line: bold, then regular down to the minimum size. One too
// long even then wraps where a line may break.
Result<Paragraph> address_paragraph(cairo_t* cr, PangoLanguage* language, const std::string& url,
                                    double preferred) {
  for (bool bold : {true, false}) {
    const double minimum = bold ? url_minimum_bold : minimum_sizes.url;
    auto natural = Paragraph::create(cr, language, url, {preferred, bold}, -1);
    if (!natural) return std::unexpected(natural.error());
    // Width grows with size; quarter points keep the search short and the result stable.
    double size =
        std::min(preferred, std::floor(preferred * text_width / natural->width() * 4) / 4);
    for (; size >= minimum; size -= 0.25) {
      auto line = Paragraph::create(cr, language, url, {size, bold}, -1);
      if (!line) return std::unexpected(line.error());
      if (line->width() <= text_width) return line;
    }
  }
  return Paragraph::create(cr, language, url, {minimum_sizes.url, false}, text_width);
}

struct Fact {
  Paragraph paragraph;
  double bullet_size;
};

struct Gaps {
  double after_municipality, after_rule, after_title, after_run_by, between_facts, after_facts,
      after_row, before_bottom, between_bottom;
};

// Space shrinks with the type, but not below half.
Gaps gaps_at(double scale) {
  const double f = std::clamp(scale, 0.5, 1.0);
  return {8 * f, 18 * f, 16 * f, 22 * f, 12 * f, 18 * f, 16 * f, 20 * f, 8 * f};
}

constexpr double rule_width = 3;
constexpr double thin_rule_width = 1.5;

// The poster at one scale: its paragraphs, their spacing and the QR code's size.
struct Composition {
  std::optional<Paragraph> municipality, title, run_by, scan, url, assisted, help;
  std::vector<Fact> facts;
  double facts_indent{0};
  double module{0};  // one square of the QR code
  double qr_box{0};  // the QR code with its quiet zone
  Gaps gaps{};

  double facts_height() const {
    double height = 0;
    for (std::size_t i = 0; i < facts.size(); ++i) {
      height += facts[i].paragraph.height() + (i > 0 ? gaps.between_facts : 0);
    }
    return height;
  }
  // The facts and the call to scan stand beside the QR code.
  double row_height() const {
    return std::max(facts_height() + gaps.after_facts + scan->height(), qr_box);
  }
  double top_height() const {
    return municipality->height() + gaps.after_municipality + rule_width + gaps.after_rule +
           title->height() + gaps.after_title + run_by->height() + gaps.after_run_by +
           row_height() + gaps.after_row + url->height();
  }
  double bottom_height() const {
    return thin_rule_width + gaps.between_bottom + assisted->height() +
           (help ? gaps.between_bottom + help->height() : 0);
  }
  bool fits() const {
    return top_height() + gaps.before_bottom + bottom_height() <=
           page_height - margin_top - margin_bottom;
  }
};

Result<Composition> compose(cairo_t* cr, const PosterContent& content, int qr_width, double scale) {
  PangoLanguage* language = pango_language_from_string(content.language.c_str());
  const Sizes sizes = sizes_at(scale);
  Composition c;
  c.gaps = gaps_at(scale);
  // Past the preferred sizes the code gives up its extra half centimetre before the text shrinks.
  c.module = (scale >= 0.85 ? qr_symbol_size : qr_minimum_symbol_size) / qr_width;
  c.qr_box = (qr_width + 2 * qr_quiet_modules) * c.module;
  // The code's quiet zone is the space between the column and the code.
  const double column_width = text_width - c.qr_box;

  auto paragraph = [&](const std::string& text, Style style, double width,
                       std::optional<Paragraph>& into) -> Result<void> {
    auto p = Paragraph::create(cr, language, text, style, width);
    if (!p) return std::unexpected(p.error());
    into.emplace(std::move(*p));
    return {};
  };
  for (auto step : {
           paragraph(content.municipality, {sizes.municipality, true}, text_width, c.municipality),
           paragraph(content.title, {sizes.title, true}, text_width, c.title),
           paragraph(content.run_by, {sizes.lead, false}, text_width, c.run_by),
           paragraph(content.scan, {sizes.small, false}, column_width, c.scan),
           paragraph(content.assisted, {sizes.small, false}, text_width, c.assisted),
       }) {
    if (!step) return std::unexpected(step.error());
  }
  if (!content.help.empty()) {
    if (auto step = paragraph(content.help, {sizes.small, true}, text_width, c.help); !step)
      return std::unexpected(step.error());
  }

  c.facts_indent = sizes.fact;
  bool first = true;  // the promise of anonymity stands out
  for (const std::string* fact : {&content.anonymous, &content.duration, &content.closes}) {
    if (fact->empty()) continue;
    auto p =
        Paragraph::create(cr, language, *fact, {sizes.fact, first}, column_width - c.facts_indent);
    if (!p) return std::unexpected(p.error());
    c.facts.push_back({std::move(*p), sizes.fact * 0.4});
    first = false;
  }

  auto url = address_paragraph(cr, language, content.url, sizes.url);
  if (!url) return std::unexpected(url.error());
  c.url.emplace(std::move(*url));
  return c;
}

void draw(cairo_t* cr, const Composition& c, const PosterContent& content, const QRcode& code) {
  const Gaps& gaps = c.gaps;
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_paint(cr);
  cairo_set_source_rgb(cr, 0, 0, 0);

  double y = margin_top;
  c.municipality->draw(cr, margin_x, y);
  y += c.municipality->height() + gaps.after_municipality;
  cairo_rectangle(cr, margin_x, y, text_width, rule_width);
  cairo_fill(cr);
  y += rule_width + gaps.after_rule;
  c.title->draw(cr, margin_x, y);
  y += c.title->height() + gaps.after_title;
  c.run_by->draw(cr, margin_x, y);
  y += c.run_by->height() + gaps.after_run_by;

  const double row_top = y;
  for (const auto& fact : c.facts) {
    // A square bullet at the height of the first line's small letters.
    const double centre = y + fact.paragraph.baseline() - fact.bullet_size * 0.9;
    cairo_rectangle(cr, margin_x, centre - fact.bullet_size / 2, fact.bullet_size,
                    fact.bullet_size);
    cairo_fill(cr);
    fact.paragraph.draw(cr, margin_x + c.facts_indent, y);
    y += fact.paragraph.height() + gaps.between_facts;
  }
  // The call to scan ends level with the code's lower edge, just above the address.
  const double code_bottom = row_top + c.qr_box - qr_quiet_modules * c.module;
  const double scan_top =
      std::max(row_top + c.facts_height() + gaps.after_facts, code_bottom - c.scan->height());
  c.scan->draw(cr, margin_x, scan_top);
  draw_qr(cr, code, margin_x + text_width - c.qr_box, row_top, c.module);
  cairo_set_source_rgb(cr, 0, 0, 0);
  y = row_top + c.row_height() + gaps.after_row;

  const std::string link = "uri=" + tag_string(content.qr_payload);
  cairo_tag_begin(cr, CAIRO_TAG_LINK, link.c_str());
  c.url->draw(cr, margin_x, y);
  cairo_tag_end(cr, CAIRO_TAG_LINK);

  double bottom = page_height - margin_bottom - c.bottom_height();
  cairo_rectangle(cr, margin_x, bottom, text_width, thin_rule_width);
  cairo_fill(cr);
  bottom += thin_rule_width + gaps.between_bottom;
  c.assisted->draw(cr, margin_x, bottom);
  if (c.help) {
    bottom += c.assisted->height() + gaps.between_bottom;
    c.help->draw(cr, margin_x, bottom);
  }
}

Result<void> check_texts(const PosterContent& content) {
  const std::array<std::pair<const char*, const std::string*>, 8> required = {{
      {"title", &content.title},
      {"municipality", &content.municipality},
      {"run_by", &content.run_by},
      {"anonymous", &content.anonymous},
      {"scan", &content.scan},
      {"url", &content.url},
      {"assisted", &content.assisted},
      {"qr_payload", &content.qr_payload},
  }};
  for (const auto& [name, value] : required) {
    if (value->empty())
      return std::unexpected(Error::invalid(std::string("the poster has no ") + name));
  }
  for (const std::string* value :
       {&content.language, &content.title, &content.municipality, &content.run_by,
        &content.anonymous, &content.duration, &content.closes, &content.scan, &content.url,
        &content.assisted, &content.help, &content.qr_payload}) {
    if (!text::is_valid_utf8(*value)) {
      return std::unexpected(Error::invalid("a text of the poster is not valid UTF-8"));
    }
  }
  return {};
}

}  // namespace

Result<std::string> render_poster_pdf(const PosterContent& content) {
  if (auto checked = check_texts(content); !checked) return std::unexpected(checked.error());
  auto code = encode_qr(content.qr_payload);
  if (!code) return std::unexpected(code.error());

  std::string pdf;  // outlives the surface, which writes into it until destroyed
  Surface surface(
      cairo_pdf_surface_create_for_stream(append_to_string, &pdf, page_width, page_height));
  if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS) {
    return std::unexpected(Error::internal("cairo could not create a PDF surface"));
  }
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_TITLE, content.title.c_str());
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_AUTHOR,
                                 content.municipality.c_str());
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATOR, "needsmap");
  Cairo cr(cairo_create(surface.get()));
  Layout probe(pango_cairo_create_layout(cr.get()));
  if (auto fonts = check_fonts(pango_layout_get_context(probe.get()), "the poster"); !fonts) {
    return std::unexpected(fonts.error());
  }

  // Large type first; smaller, down to the minimums, until everything fits on the one page.
  std::optional<Composition> fitting;
  for (int step = 0; step <= 10 && !fitting; ++step) {
    auto composition = compose(cr.get(), content, (*code)->width, 1.0 - 0.05 * step);
    if (!composition) return std::unexpected(composition.error());
    if (composition->fits()) fitting.emplace(std::move(*composition));
  }
  if (!fitting) {
    return std::unexpected(
        Error::invalid("the poster's texts do not fit on one A4 page even in the smallest type"));
  }
  draw(cr.get(), *fitting, content, **code);
  cairo_show_page(cr.get());
  if (cairo_status(cr.get()) != CAIRO_STATUS_SUCCESS) {
    return std::unexpected(
        Error::internal(std::string("cairo: ") + cairo_status_to_string(cairo_status(cr.get()))));
  }
  fitting.reset();
  cr.reset();
  cairo_surface_finish(surface.get());
  if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS) {
    return std::unexpected(Error::internal(
        std::string("cairo: ") + cairo_status_to_string(cairo_surface_status(surface.get()))));
  }
  surface.reset();
  return completed_catalog(std::move(pdf), content.language);
}

namespace {

constexpr std::array<std::string_view, 4> poster_languages = {"sr-Cyrl", "sr-Latn", "en", "mk"};

// The name the respondent pages use for the language (web/pages.cpp).
std::string municipality_name(const store::Municipality& m, std::string_view language) {
  if (language == "sr-Latn")
    return m.name_latn.empty() ? text::serbian_to_latin(m.name_cyrl) : m.name_latn;
  if (language == "en" && !m.name_en.empty()) return m.name_en;
  if (language == "mk" && !m.name_mk.empty()) return m.name_mk;
  return m.name_cyrl;
}

std::string percent_encode(std::string_view s) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    const bool unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                            (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

// ICU locales for dates; British English writes the day first, as people here do.
const char* date_locale(std::string_view language) {
  if (language == "sr-Cyrl") return "sr";
  if (language == "sr-Latn") return "sr_Latn";
  if (language == "en") return "en_GB";
  return "mk";
}

// The last day answers are taken, in UTC as campaign windows are kept: a campaign that closes at
// midnight took its last answers the day before, and the poster must not promise one more day.
std::string last_day(std::int64_t closes_at, std::string_view language) {
  const std::int64_t last_second = closes_at - 1;
  std::unique_ptr<icu::DateFormat> format(icu::DateFormat::createDateInstance(
      icu::DateFormat::kLong, icu::Locale(date_locale(language))));
  if (!format) return clock::format_date(last_second);
  format->setTimeZone(*icu::TimeZone::getGMT());
  icu::UnicodeString formatted;
  format->format(static_cast<UDate>(last_second) * 1000.0, formatted);
  // No-break spaces keep "21. новембар 2025." together on one line.
  formatted.findAndReplace(u" ", u"\u00a0");
  std::string out;
  formatted.toUTF8String(out);
  return out;
}

}  // namespace

bool is_poster_language(std::string_view tag) {
  return std::find(poster_languages.begin(), poster_languages.end(), tag) != poster_languages.end();
}

Result<std::string> public_campaign_url(std::string_view base_url, const store::Campaign& campaign,
                                        std::string_view language) {
  auto refuse = [&] {
    return std::unexpected(Error::invalid(
        "the base URL must be an http:// or https:// address such as https://anketa.example.org, "
        "without ?, # or spaces, not \"" +
        std::string(base_url) + "\""));
  };
  std::string base(base_url);
  while (base.ends_with('/')) base.pop_back();
  std::string lower = base;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::size_t scheme = lower.starts_with("https://") ? 8 : lower.starts_with("http://") ? 7 : 0;
  if (scheme == 0) return refuse();
  std::string_view host = std::string_view(base).substr(scheme);
  host = host.substr(0, host.find('/'));
  if (host.empty()) return refuse();
  for (unsigned char c : base) {
    // Printable ASCII only: a non-ASCII host belongs in its xn-- form on a poster.
    if (c <= 0x20 || c >= 0x7f || c == '?' || c == '#' || c == '"' || c == '<' || c == '>' ||
        c == '\\')
      return refuse();
  }
  std::string url = base + "/s/" + percent_encode(campaign.municipality_slug) + "/" +
                    percent_encode(campaign.slug);
  if (language != "sr-Cyrl") url += "?lang=" + std::string(language);
  return url;
}

Result<PosterContent> build_poster_content(const PosterSource& source, std::string_view language,
                                           std::string_view base_url, const TextFormatter& format) {
  if (!is_poster_language(language)) {
    return std::unexpected(
        Error::invalid("posters are printed in sr-Cyrl, sr-Latn, en or mk, not \"" +
                       std::string(language) + "\""));
  }
  const auto& q = source.questionnaire;
  const auto& offered = q.languages();
  // Latin is derived from Cyrillic, so every questionnaire has it.
  std::string_view needed = language == "sr-Latn" ? "sr-Cyrl" : language;
  if (std::find(offered.begin(), offered.end(), needed) == offered.end()) {
    return std::unexpected(
        Error::invalid("the questionnaire of " + source.campaign.municipality_slug + "/" +
                       source.campaign.slug + " is not offered in " + std::string(language)));
  }
  auto url = public_campaign_url(base_url, source.campaign, language);
  if (!url) return std::unexpected(url.error());

  const std::string tag(language);
  std::optional<Error> missing;
  auto text = [&](std::string_view key, const nlohmann::json& arguments) {
    std::string value = format(tag, key, arguments);
    if (value == key) missing = Error::internal("i18n has no text " + std::string(key));
    return value;
  };
  PosterContent c;
  c.language = tag;
  c.title = q.title().get(language);
  c.municipality = municipality_name(source.municipality, language);
  c.run_by = text("poster.run_by", {{"municipality", c.municipality}});
  c.anonymous = text("poster.anonymous", nlohmann::json::object());
  if (q.estimated_minutes() > 0)
    c.duration = text("poster.minutes", {{"minutes", q.estimated_minutes()}});
  if (source.campaign.closes_at)
    c.closes = text("poster.closes", {{"date", last_day(*source.campaign.closes_at, language)}});
  c.scan = text("poster.scan", nlohmann::json::object());
  c.url = *url;
  c.assisted = text("poster.assisted", nlohmann::json::object());
  if (!source.campaign.contact.empty())
    c.help = text("poster.help", {{"contact", source.campaign.contact}});
  c.qr_payload = *url;
  if (missing) return std::unexpected(*missing);
  return c;
}

}  // namespace needsmap::report

#if defined(__SANITIZE_ADDRESS__)
// Fontconfig keeps the patterns it matched for pango and cairo in caches for the life of the
// process and, from pango's font-loading thread, in places LeakSanitizer cannot follow. They are
// allocated once (rendering again leaks nothing more), so only allocations made inside fontconfig
// are passed over; any other leak still fails a sanitized build.
extern "C" const char* __lsan_default_suppressions() {
  return "leak:libfontconfig.so\n";
}
#endif
