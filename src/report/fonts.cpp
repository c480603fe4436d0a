#include "report/fonts.hpp"

#include <string>

namespace needsmap::report {

using namespace cairo_handles;

FontDescription dejavu_sans(double points, bool bold, bool italic) {
  FontDescription description(pango_font_description_new());
  pango_font_description_set_family(description.get(), font_family);
  pango_font_description_set_weight(description.get(),
                                    bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_font_description_set_style(description.get(),
                                   italic ? PANGO_STYLE_ITALIC : PANGO_STYLE_NORMAL);
  pango_font_description_set_absolute_size(description.get(), points * PANGO_SCALE);
  return description;
}

Result<void> check_fonts(PangoContext* context, std::string_view document) {
  for (bool bold : {false, true}) {
    FontDescription wanted = dejavu_sans(10, bold);
    Font font(pango_context_load_font(context, wanted.get()));
    if (!font) return std::unexpected(Error::internal("no font at all is installed"));
    FontDescription found(pango_font_describe(font.get()));
    const char* family = pango_font_description_get_family(found.get());
    if (family == nullptr || std::string_view(family) != font_family ||
        pango_font_description_get_weight(found.get()) !=
            pango_font_description_get_weight(wanted.get())) {
      return std::unexpected(Error::internal(std::string(document) + " needs the font " +
                                             font_family + (bold ? " Bold" : "") +
                                             " (Debian package fonts-dejavu-core)"));
    }
  }
  return {};
}

}  // namespace needsmap::report
