// Owning handles of cairo and pango objects, for the PDF writers (the report and the poster).
#pragma once

#include <cairo.h>
#include <pango/pangocairo.h>

#include <memory>

namespace needsmap::report::cairo_handles {

struct SurfaceDeleter {
  void operator()(cairo_surface_t* surface) const { cairo_surface_destroy(surface); }
};
struct CairoDeleter {
  void operator()(cairo_t* cr) const { cairo_destroy(cr); }
};
template <typename T>
struct ObjectDeleter {
  void operator()(T* object) const { g_object_unref(object); }
};
struct FontDescriptionDeleter {
  void operator()(PangoFontDescription* description) const {
    pango_font_description_free(description);
  }
};
struct AttributeListDeleter {
  void operator()(PangoAttrList* list) const { pango_attr_list_unref(list); }
};
struct LayoutIterDeleter {
  void operator()(PangoLayoutIter* iter) const { pango_layout_iter_free(iter); }
};

using Surface = std::unique_ptr<cairo_surface_t, SurfaceDeleter>;
using Cairo = std::unique_ptr<cairo_t, CairoDeleter>;
using Context = std::unique_ptr<PangoContext, ObjectDeleter<PangoContext>>;
using Layout = std::unique_ptr<PangoLayout, ObjectDeleter<PangoLayout>>;
using Font = std::unique_ptr<PangoFont, ObjectDeleter<PangoFont>>;
using FontDescription = std::unique_ptr<PangoFontDescription, FontDescriptionDeleter>;
using AttributeList = std::unique_ptr<PangoAttrList, AttributeListDeleter>;
using LayoutIter = std::unique_ptr<PangoLayoutIter, LayoutIterDeleter>;

}  // namespace needsmap::report::cairo_handles
