// The one font of the PDF writers (the report and the poster), and the check that fontconfig
// gives that font and not another.
#pragma once

#include <string_view>

#include "core/error.hpp"
#include "report/cairo_handles.hpp"

namespace needsmap::report {

// DejaVu Sans (fonts-dejavu-core) has every letter of Serbian and Macedonian Cyrillic and Latin.
inline constexpr const char* font_family = "DejaVu Sans";

// DejaVu Sans at `points`, absolute: in user space, which is points on a PDF surface (pango's
// own default is 96 dpi).
cairo_handles::FontDescription dejavu_sans(double points, bool bold, bool italic = false);

// Fontconfig quietly substitutes another font for a missing one, which may lack Cyrillic or
// differ in size: refuse instead, naming `document` ("the report") in the error. The italic may
// be DejaVu Sans slanted by cairo when fonts-dejavu-extra is not installed, so it is not checked.
Result<void> check_fonts(PangoContext* context, std::string_view document);

}  // namespace needsmap::report
