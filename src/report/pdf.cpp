// The report as an A4 PDF, drawn with cairo and pango. The document is laid out first into pages
// of drawing operations, then drawn: the footer can then say "page N / M", and a heading can be
// kept with the first lines of what follows it.
#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <limits>
#include <memory>
#include <numeric>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "core/text.hpp"
#include "report/cairo_handles.hpp"
#include "report/fonts.hpp"
#include "report/pdf_catalog.hpp"
#include "report/render.hpp"

namespace needsmap::report {

namespace {

using namespace cairo_handles;  // Surface, Cairo, Layout … (report/cairo_handles.hpp)

constexpr double page_width = 595.28;  // A4 portrait, in points
constexpr double page_height = 841.89;
constexpr double margin = 50;
constexpr double text_width = page_width - 2 * margin;
constexpr double body_top = margin;
constexpr double body_bottom = page_height - margin;
// The footer sits in the bottom margin, so it never competes with the body for room.
constexpr double footer_top = page_height - margin + 16;
constexpr double page_number_width = 70;

enum class StyleId {
  title,
  subtitle,
  date,
  heading1,
  heading2,
  body,
  cell,
  header_cell,
  small_cell,  // a table too wide for the page in the regular size
  small_header_cell,
  caption,
  note,
  footer
};
constexpr std::size_t style_count = static_cast<std::size_t>(StyleId::footer) + 1;

struct Style {
  double size;
  bool bold;
  bool italic;
};
constexpr std::array<Style, style_count> styles = {{
    {22, true, false},     // title
    {13, false, false},    // subtitle
    {11, false, false},    // date
    {16, true, false},     // heading1
    {13, true, false},     // heading2
    {10.5, false, false},  // body
    {9, false, false},     // cell
    {9, true, false},      // header_cell
    {7.5, false, false},   // small_cell
    {7.5, true, false},    // small_header_cell
    {10, true, false},     // caption
    {8, false, true},      // note
    {8, false, false},     // footer
}};

// Vertical spacing, in points.
constexpr double space_after_title_block = 22;
constexpr double space_before_heading1 = 18;
constexpr double space_before_heading2 = 12;
constexpr double space_after_heading = 6;
constexpr double space_after_block = 10;
constexpr double space_between_items = 3;
constexpr double space_after_caption = 4;
constexpr double space_before_note = 4;
constexpr double bullet_indent = 14;
constexpr double cell_padding_x = 4;
constexpr double cell_padding_y = 3;
constexpr double bar_thickness = 9;
constexpr double bar_row_gap = 4;
constexpr double chart_column_gap = 8;
// A heading is kept with at least this many lines of the paragraph or list after it.
constexpr int lines_kept_with_heading = 2;

FontDescription font_description(const Style& style) {
  return dejavu_sans(style.size, style.bold, style.italic);
}

// Pango wants lower case BCP 47 tags ("sr-latn"), which choose the letter forms and line breaks.
PangoLanguage* pango_language(std::string_view tag) {
  std::string lower(tag);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return pango_language_from_string(lower.c_str());
}

// One line of laid-out text: its top and bottom, from the top of its layout.
struct LineBox {
  double top;
  double bottom;
};

// One PangoLayout per style, reused for every text of that style: creating layouts and loading
// fonts costs far more than setting a new text. A text with a letter DejaVu Sans lacks is
// remembered and reported once the whole document is laid out.
class Typesetter {
 public:
  static Result<Typesetter> create(cairo_t* cr, std::string_view language) {
    Context context(pango_cairo_create_context(cr));
    pango_context_set_language(context.get(), pango_language(language));
    if (auto fonts = check_fonts(context.get(), "the report"); !fonts)
      return std::unexpected(fonts.error());
    Typesetter typesetter;
    for (std::size_t i = 0; i < style_count; ++i) {
      Layout layout(pango_layout_new(context.get()));
      FontDescription description = font_description(styles[i]);
      pango_layout_set_font_description(layout.get(), description.get());
      pango_layout_set_wrap(layout.get(), PANGO_WRAP_WORD_CHAR);
      AttributeList attributes(pango_attr_list_new());
      // A figure or an address broken inside must not gain a hyphen a reader would take for a
      // minus sign or type; and no other font may stand in for DejaVu Sans, so a missing letter
      // shows up as an unknown glyph instead of a silently different font.
      pango_attr_list_insert(attributes.get(), pango_attr_insert_hyphens_new(FALSE));
      pango_attr_list_insert(attributes.get(), pango_attr_fallback_new(FALSE));
      pango_layout_set_attributes(layout.get(), attributes.get());
      typesetter.m_layouts[i] = std::move(layout);
    }
    pango_layout_set_ellipsize(typesetter.m_layouts[index(StyleId::footer)].get(),
                               PANGO_ELLIPSIZE_END);
    for (std::size_t i = 0; i < style_count; ++i) {
      typesetter.m_line_heights[i] = typesetter.height(static_cast<StyleId>(i), "Ag", -1);
    }
    typesetter.m_context = std::move(context);
    return typesetter;
  }

  // `text` laid out `width` points wide (on one line when width is not positive).
  PangoLayout* layout(StyleId style, std::string_view text, double width,
                      PangoAlignment alignment = PANGO_ALIGN_LEFT) {
    PangoLayout* layout = m_layouts[index(style)].get();
    pango_layout_set_width(layout, width > 0 ? static_cast<int>(width * PANGO_SCALE) : -1);
    pango_layout_set_alignment(layout, alignment);
    pango_layout_set_text(layout, text.data(), static_cast<int>(text.size()));
    if (!m_missing_glyph && pango_layout_get_unknown_glyphs_count(layout) > 0) {
      m_missing_glyph = Error::invalid(std::string(font_family) + " has no letter for some of \"" +
                                       std::string(text) + "\"");
    }
    return layout;
  }

  double natural_width(StyleId style, std::string_view text) {
    return size(layout(style, text, -1)).first;
  }
  double height(StyleId style, std::string_view text, double width) {
    return size(layout(style, text, width)).second;
  }
  double line_height(StyleId style) const { return m_line_heights[index(style)]; }

  std::vector<LineBox> lines(StyleId style, std::string_view text, double width) {
    std::vector<LineBox> boxes;
    LayoutIter iter(pango_layout_get_iter(layout(style, text, width)));
    do {
      PangoRectangle logical;
      pango_layout_iter_get_line_extents(iter.get(), nullptr, &logical);
      boxes.push_back({points(logical.y), points(logical.y + logical.height)});
    } while (pango_layout_iter_next_line(iter.get()));
    return boxes;
  }

  const std::optional<Error>& missing_glyph() const { return m_missing_glyph; }

 private:
  Typesetter() = default;
  static std::size_t index(StyleId style) { return static_cast<std::size_t>(style); }
  static double points(int pango_units) { return static_cast<double>(pango_units) / PANGO_SCALE; }
  static std::pair<double, double> size(PangoLayout* layout) {
    int width = 0;
    int height = 0;
    pango_layout_get_size(layout, &width, &height);
    return {points(width), points(height)};
  }

  Context m_context;
  std::array<Layout, style_count> m_layouts;
  std::array<double, style_count> m_line_heights{};
  std::optional<Error> m_missing_glyph;
};

// Lines [first_line, end_line) of a text, their first line's top at `y`.
struct TextOp {
  StyleId style;
  std::string_view text;
  double x, y, width;
  PangoAlignment alignment;
  int first_line, end_line;
};
struct RectOp {
  double x, y, width, height;
  double red, green, blue;
};
struct LineOp {
  double x1, y1, x2, y2, width;
  double grey;  // 0 black
};
// The start or the end of a cairo tag: a structure element of the tagged PDF (what a screen
// reader reads, in order: "H2", "P", "Table", "TD" …) or a named destination the outline points
// at (CAIRO_TAG_DEST with its attributes).
struct TagOp {
  std::string name;
  std::string attributes;
  bool begin;
};
using Op = std::variant<TextOp, RectOp, LineOp, TagOp>;
using Page = std::vector<Op>;
// The end_line of a text drawn whole.
constexpr int every_line = std::numeric_limits<int>::max();

constexpr double grey_header = 0.9;
constexpr double grey_rule = 0.6;
constexpr std::array<double, 3> bar_colour = {0.30, 0.47, 0.66};

// A table's column widths and row heights, measured before it is placed.
struct TableGeometry {
  StyleId cell_style{StyleId::cell};
  StyleId header_style{StyleId::header_cell};
  std::vector<double> widths;
  double caption_height{0};
  double header_height{0};
  std::vector<double> row_heights;
};

struct ChartGeometry {
  double label_width{0};
  double figure_width{0};
  double bar_width{0};
  double scale{1};
  double caption_height{0};
  std::vector<double> row_heights;
};

std::string_view cell_text(const std::vector<Cell>& row, std::size_t column) {
  return column < row.size() ? std::string_view(row[column].text) : std::string_view();
}

// Lays the document out into pages of drawing operations, adding each heading to the outline.
class Pager {
 public:
  Pager(Typesetter& typesetter, cairo_surface_t* surface)
      : m_typesetter(typesetter), m_surface(surface) {
    new_page();
  }

  void title_block(const Document& document) {
    tagged_text("H1", StyleId::title, document.title);
    space(4);
    tagged_text("P", StyleId::subtitle, document.subtitle);
    space(2);
    tagged_text("P", StyleId::date, document.date);
    space(8);
    current().push_back(LineOp{margin, m_y, margin + text_width, m_y, 1, 0});
    space(space_after_title_block);
  }

  void section(const Section& section, std::size_t number) {
    std::optional<TableGeometry> table;
    std::optional<ChartGeometry> chart;
    double first_lines = 0;
    if (!section.blocks.empty()) {
      const Block& first = section.blocks.front();
      if (const auto* t = std::get_if<Table>(&first)) table = measure_table(*t);
      if (const auto* c = std::get_if<BarChart>(&first)) chart = measure_chart(*c);
      first_lines = start_height(first, table, chart);
    }
    heading(section, number, first_lines);
    for (std::size_t i = 0; i < section.blocks.size(); ++i) {
      const Block& block = section.blocks[i];
      if (const auto* p = std::get_if<Paragraph>(&block)) {
        tagged_text("P", StyleId::body, p->text);
      } else if (const auto* list = std::get_if<BulletList>(&block)) {
        bullet_list(*list);
      } else if (const auto* t = std::get_if<Table>(&block)) {
        place_table(*t, i == 0 && table ? *table : measure_table(*t));
      } else if (const auto* c = std::get_if<BarChart>(&block)) {
        place_chart(*c, i == 0 && chart ? *chart : measure_chart(*c));
      }
      space(space_after_block);
    }
  }

  std::vector<Page> take_pages() { return std::move(m_pages); }

 private:
  Page& current() { return m_pages.back(); }
  double room() const { return body_bottom - m_y; }
  bool page_is_empty() const { return m_pages.back().empty(); }

  // Structure elements begin where their first text is drawn, so that an element is never
  // empty, and none spans a page break: the open ones end at the foot of the page and begin
  // again with the next text on the next. Otherwise the footer, drawn between the two, would be
  // read as part of the paragraph or table it interrupts. A table split so is two tables, each
  // under its own header row, as it is drawn.
  void new_page() {
    for (auto tag = m_open.rbegin(); tag != m_open.rend(); ++tag) {
      if (tag->begun) current().push_back(TagOp{std::string(tag->name), "", false});
      tag->begun = false;
    }
    m_pages.emplace_back();
    m_y = body_top;
  }
  void open(std::string_view tag) { m_open.push_back(OpenTag{tag, false}); }
  void close() {
    if (m_open.back().begun) current().push_back(TagOp{std::string(m_open.back().name), "", false});
    m_open.pop_back();
  }
  // A text to draw, inside the structure elements open.
  void mark(TextOp op) {
    for (OpenTag& tag : m_open) {
      if (!tag.begun) current().push_back(TagOp{std::string(tag.name), "", true});
      tag.begun = true;
    }
    current().push_back(op);
  }
  void tagged_text(std::string_view tag, StyleId style, std::string_view content) {
    open(tag);
    text(style, content, margin, text_width);
    close();
  }
  // Space between blocks; none at the top of a page.
  void space(double points) {
    if (!page_is_empty()) m_y += points;
  }
  // A new page unless `height` fits on this one (or this one is still empty: then nothing would).
  void keep(double height) {
    if (height > room() && !page_is_empty()) new_page();
  }

  // A text wrapped to `width`, split between pages at its lines where it does not fit. A bullet
  // goes `bullet_indent` left of its first line.
  void text(StyleId style, std::string_view content, double x, double width,
            PangoAlignment alignment = PANGO_ALIGN_LEFT, bool bullet = false) {
    const std::vector<LineBox> boxes = m_typesetter.lines(style, content, width);
    const int count = static_cast<int>(boxes.size());
    for (int first = 0; first < count;) {
      int end = first;
      while (end < count && boxes[end].bottom - boxes[first].top <= room()) ++end;
      if (end == first) {
        if (!page_is_empty()) {
          new_page();
          continue;
        }
        end = first + 1;  // a line taller than a page: drawn anyway
      }
      if (bullet && first == 0) {
        open("Lbl");
        mark(TextOp{style, "•", x - bullet_indent, m_y, bullet_indent, PANGO_ALIGN_LEFT, 0, 1});
        close();
        open("LBody");
      }
      // An empty text draws nothing, and its element would be empty.
      if (!content.empty()) mark(TextOp{style, content, x, m_y, width, alignment, first, end});
      m_y += boxes[end - 1].bottom - boxes[first].top;
      first = end;
      if (first < count) new_page();
    }
    if (bullet && count > 0) close();  // LBody
  }

  // The lines a heading must not be parted from: the start of the block after it.
  double start_height(const Block& block, const std::optional<TableGeometry>& table,
                      const std::optional<ChartGeometry>& chart) {
    auto first_lines = [&](std::string_view content, double width) {
      const auto boxes = m_typesetter.lines(StyleId::body, content, width);
      const std::size_t kept = std::min<std::size_t>(boxes.size(), lines_kept_with_heading);
      return boxes[kept - 1].bottom - boxes.front().top;
    };
    if (const auto* p = std::get_if<Paragraph>(&block)) return first_lines(p->text, text_width);
    if (const auto* list = std::get_if<BulletList>(&block)) {
      if (list->items.empty()) return 0.0;
      return first_lines(list->items.front(), text_width - bullet_indent);
    }
    if (table) {
      return table->caption_height + space_after_caption + table->header_height +
             (table->row_heights.empty() ? 0 : table->row_heights.front());
    }
    if (chart) {
      return chart->caption_height + space_after_caption +
             (chart->row_heights.empty() ? 0 : chart->row_heights.front());
    }
    return 0.0;
  }

  void heading(const Section& section, std::size_t number, double kept_with) {
    const bool top_level = section.level <= 1;
    const StyleId style = top_level ? StyleId::heading1 : StyleId::heading2;
    space(top_level ? space_before_heading1 : space_before_heading2);
    const double height = m_typesetter.height(style, section.heading, text_width);
    keep(height + space_after_heading + kept_with);

    const std::string name = "section-" + std::to_string(number);
    current().push_back(TagOp{CAIRO_TAG_DEST, "name='" + name + "'", true});
    // The document's title is the H1.
    tagged_text(top_level ? "H2" : "H3", style, section.heading);
    current().push_back(TagOp{CAIRO_TAG_DEST, "", false});
    space(space_after_heading);

    const std::string link = "dest='" + name + "'";
    const int parent =
        top_level || m_last_top_outline == 0 ? CAIRO_PDF_OUTLINE_ROOT : m_last_top_outline;
    const int id = cairo_pdf_surface_add_outline(m_surface, parent, section.heading.c_str(),
                                                 link.c_str(), CAIRO_PDF_OUTLINE_FLAG_OPEN);
    if (top_level) m_last_top_outline = id;
  }

  void bullet_list(const BulletList& list) {
    if (list.items.empty()) return;
    open("L");
    for (std::size_t i = 0; i < list.items.size(); ++i) {
      if (i > 0) space(space_between_items);
      open("LI");
      text(StyleId::body, list.items[i], margin + bullet_indent, text_width - bullet_indent,
           PANGO_ALIGN_LEFT, true);
      close();
    }
    close();
  }

  // Column widths as a browser lays out an automatic table (CSS 2.1, 17.5.2.2): every column
  // gets at least what it must have, and the room left goes to the columns in proportion to
  // what they still lack of one line each (or, when all fit on one line, in proportion to their
  // width). What a column must have, the first of these that fits the page:
  //   the figures whole on one line (their header may wrap between words);
  //   the longest word of its header and cells, so that no word breaks letter by letter;
  // each in the regular type, then in the small one; then, in the small type, the longest word
  // of its cells (a header word may break); and when even that is too wide, less.
  TableGeometry measure_table(const Table& table) {
    TableGeometry g;
    ColumnNeeds needs = column_needs(table, g);
    std::optional<std::vector<double>> widths = column_widths(needs, false);
    if (!widths) {
      g.cell_style = StyleId::small_cell;
      g.header_style = StyleId::small_header_cell;
      needs = column_needs(table, g);
      widths = column_widths(needs, true);
    }
    g.widths = widths ? std::move(*widths) : squeezed(needs.cell_words);
    const std::size_t columns = table.columns.size();
    auto cell_height = [&](StyleId style, std::string_view content, double natural_width,
                           std::size_t c) {
      const double inner = g.widths[c] - 2 * cell_padding_x;
      // A text that fits on one line needs no second layout.
      if (natural_width <= inner) return m_typesetter.line_height(style);
      return m_typesetter.height(style, content, inner);
    };
    double header = 0;
    for (std::size_t c = 0; c < columns; ++c) {
      header = std::max(header,
                        cell_height(g.header_style, table.columns[c], needs.header_natural[c], c));
    }
    g.header_height = header + 2 * cell_padding_y;
    for (std::size_t r = 0; r < table.rows.size(); ++r) {
      double row = m_typesetter.line_height(g.cell_style);
      for (std::size_t c = 0; c < columns; ++c) {
        row = std::max(row, cell_height(g.cell_style, cell_text(table.rows[r], c),
                                        needs.cell_natural[r][c], c));
      }
      g.row_heights.push_back(row + 2 * cell_padding_y);
    }
    g.caption_height = m_typesetter.height(StyleId::caption, table.caption, text_width);
    return g;
  }

  // What a table's columns need in g's type, one line each and at least.
  struct ColumnNeeds {
    std::vector<double> header_natural;             // each header on one line, unpadded
    std::vector<std::vector<double>> cell_natural;  // each cell on one line, by row, unpadded
    std::vector<double> natural;                    // header and cells each on one line
    std::vector<double> whole_figures;  // the cells on one line (figures), else whole_words
    std::vector<double> whole_words;    // the longest word of header and cells
    std::vector<double> cell_words;     // the longest word of the cells
  };
  ColumnNeeds column_needs(const Table& table, const TableGeometry& g) {
    const std::size_t columns = table.columns.size();
    const double padding = 2 * cell_padding_x + 1;
    ColumnNeeds needs{
        std::vector<double>(columns),
        std::vector<std::vector<double>>(table.rows.size(), std::vector<double>(columns)),
        std::vector<double>(columns),
        std::vector<double>(columns),
        std::vector<double>(columns),
        std::vector<double>(columns)};
    for (std::size_t c = 0; c < columns; ++c) {
      double cells = 0;
      double cell_word = 0;
      for (std::size_t r = 0; r < table.rows.size(); ++r) {
        const std::string_view text = cell_text(table.rows[r], c);
        needs.cell_natural[r][c] = m_typesetter.natural_width(g.cell_style, text);
        cells = std::max(cells, needs.cell_natural[r][c]);
        cell_word = std::max(cell_word, longest_word(g.cell_style, text));
      }
      const double header_word = longest_word(g.header_style, table.columns[c]);
      needs.header_natural[c] = m_typesetter.natural_width(g.header_style, table.columns[c]);
      needs.natural[c] = std::max(cells, needs.header_natural[c]) + padding;
      needs.whole_words[c] = std::max(header_word, cell_word) + padding;
      needs.cell_words[c] = cell_word + padding;
      needs.whole_figures[c] = is_numeric(table, c)
                                   ? std::max(needs.whole_words[c], cells + padding)
                                   : needs.whole_words[c];
    }
    return needs;
  }
  // The widths by the first need that fits; nullopt when none does.
  static std::optional<std::vector<double>> column_widths(const ColumnNeeds& needs,
                                                          bool header_words_may_break) {
    for (const std::vector<double>* least : {&needs.whole_figures, &needs.whole_words}) {
      if (fits(*least)) return spread(*least, needs.natural);
    }
    if (header_words_may_break) {
      // The header words do not all fit whole: a header breaks no further than into pieces of
      // two thirds of its longest word where that fits, and otherwise each column gets its
      // share of the room towards its own, so that no header breaks much more than another.
      std::vector<double> most_of_header_words = needs.cell_words;
      for (std::size_t c = 0; c < most_of_header_words.size(); ++c) {
        most_of_header_words[c] = std::max(needs.cell_words[c], needs.whole_words[c] * 2 / 3);
      }
      if (fits(most_of_header_words)) return spread(most_of_header_words, needs.natural);
      if (fits(needs.cell_words)) return spread(needs.cell_words, needs.whole_words);
    }
    return std::nullopt;
  }
  // Too wide even for the longest words of the small type: those (never 0, being padded),
  // narrowed alike to the page.
  static std::vector<double> squeezed(const std::vector<double>& least) {
    return least.empty() ? least : scaled(least, text_width / sum(least));
  }

  static double sum(const std::vector<double>& widths) {
    return std::accumulate(widths.begin(), widths.end(), 0.0);
  }
  static bool fits(const std::vector<double>& widths) { return sum(widths) <= text_width; }
  static std::vector<double> scaled(std::vector<double> widths, double factor) {
    for (double& w : widths) w *= factor;
    return widths;
  }
  // `least` widened to fill the text width: towards `natural` first, then alike.
  static std::vector<double> spread(std::vector<double> least, const std::vector<double>& natural) {
    const double room = text_width - sum(least);
    double lacking = 0;
    for (std::size_t c = 0; c < least.size(); ++c) lacking += std::max(0.0, natural[c] - least[c]);
    if (lacking >= room && lacking > 0) {
      for (std::size_t c = 0; c < least.size(); ++c) {
        least[c] += room * std::max(0.0, natural[c] - least[c]) / lacking;
      }
      return least;
    }
    for (std::size_t c = 0; c < least.size(); ++c) least[c] = std::max(least[c], natural[c]);
    const double total = sum(least);
    return total > 0 ? scaled(least, text_width / total) : least;
  }
  // The widest run of a text between spaces (pango breaks lines there, and not at a no-break
  // space, so "12.5 %" stays whole).
  double longest_word(StyleId style, std::string_view text) {
    double widest = 0;
    for (std::size_t start = 0; start < text.size();) {
      std::size_t end = text.find(' ', start);
      if (end == std::string_view::npos) end = text.size();
      if (end > start) {
        widest =
            std::max(widest, m_typesetter.natural_width(style, text.substr(start, end - start)));
      }
      start = end + 1;
    }
    return widest;
  }

  void table_row(const Table& table, const TableGeometry& g,
                 const std::vector<std::string_view>& texts, double height, bool header) {
    const StyleId style = header ? g.header_style : g.cell_style;
    if (header) {
      current().push_back(
          RectOp{margin, m_y, text_width, height, grey_header, grey_header, grey_header});
    }
    double x = margin;
    open("TR");
    for (std::size_t c = 0; c < g.widths.size(); ++c) {
      const double inner = g.widths[c] - 2 * cell_padding_x;
      const PangoAlignment alignment = is_numeric(table, c) ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT;
      open(header ? "TH" : "TD");
      mark(TextOp{style, texts[c], x + cell_padding_x, m_y + cell_padding_y, inner, alignment, 0,
                  every_line});
      close();
      x += g.widths[c];
    }
    close();
    m_y += height;
    // A firm rule under the header, faint ones between rows.
    current().push_back(header ? LineOp{margin, m_y, margin + text_width, m_y, 0.8, 0}
                               : LineOp{margin, m_y, margin + text_width, m_y, 0.3, grey_rule});
  }

  void place_table(const Table& table, const TableGeometry& g) {
    std::vector<std::string_view> header(table.columns.begin(), table.columns.end());
    keep(g.caption_height + space_after_caption + g.header_height +
         (g.row_heights.empty() ? 0 : g.row_heights.front()));
    open("Table");
    tagged_text("Caption", StyleId::caption, table.caption);
    m_y += space_after_caption;
    table_row(table, g, header, g.header_height, true);
    std::vector<std::string_view> cells(table.columns.size());
    for (std::size_t r = 0; r < table.rows.size(); ++r) {
      // A row that does not fit continues the table on the next page under its header again;
      // one taller than a whole page is drawn anyway rather than looping.
      if (g.row_heights[r] > room() && m_y > body_top + g.header_height + 0.5) {
        new_page();
        table_row(table, g, header, g.header_height, true);
      }
      for (std::size_t c = 0; c < cells.size(); ++c) cells[c] = cell_text(table.rows[r], c);
      table_row(table, g, cells, g.row_heights[r], false);
    }
    close();  // Table
    if (!table.note.empty()) {
      m_y += space_before_note;
      tagged_text("P", StyleId::note, table.note);
    }
  }

  ChartGeometry measure_chart(const BarChart& chart) {
    ChartGeometry g;
    double widest_label = 0;
    double largest = 0;
    for (const Bar& bar : chart.bars) {
      widest_label = std::max(widest_label, m_typesetter.natural_width(StyleId::cell, bar.label));
      g.figure_width =
          std::max(g.figure_width, m_typesetter.natural_width(StyleId::cell, bar.text));
      if (!bar.hidden) {
        for (double v : {bar.value, bar.high.value_or(0)}) {
          if (std::isfinite(v)) largest = std::max(largest, v);
        }
      }
    }
    g.label_width = std::min(widest_label + 1, 0.35 * text_width);
    g.figure_width = std::min(g.figure_width + 1, 0.25 * text_width);
    g.bar_width = text_width - g.label_width - g.figure_width - 2 * chart_column_gap;
    g.scale = chart.scale_max > 0 ? chart.scale_max : largest;
    if (!(g.scale > 0) || !std::isfinite(g.scale)) g.scale = 1;
    for (const Bar& bar : chart.bars) {
      const double label = m_typesetter.height(StyleId::cell, bar.label, g.label_width);
      const double figure = m_typesetter.height(StyleId::cell, bar.text, g.figure_width);
      g.row_heights.push_back(std::max({label, figure, bar_thickness}) + bar_row_gap);
    }
    g.caption_height = m_typesetter.height(StyleId::caption, chart.caption, text_width);
    return g;
  }

  // Where `value` falls on the bar axis, kept inside it.
  static double bar_x(const ChartGeometry& g, double value) {
    const double start = margin + g.label_width + chart_column_gap;
    if (!std::isfinite(value)) return start;
    return start + std::clamp(value / g.scale, 0.0, 1.0) * g.bar_width;
  }

  // The chart stands beside a table with the same figures: a screen reader reads its caption and
  // its text alternative; the bars and their labels are left out of the structure.
  void place_chart(const BarChart& chart, const ChartGeometry& g) {
    keep(g.caption_height + space_after_caption +
         (g.row_heights.empty() ? 0 : g.row_heights.front()));
    tagged_text("P", StyleId::caption, chart.caption);
    m_y += space_after_caption;
    for (std::size_t i = 0; i < chart.bars.size(); ++i) {
      keep(g.row_heights[i]);
      chart_row(chart.bars[i], g, g.row_heights[i]);
    }
    m_y += space_before_note;
    tagged_text("P", StyleId::note, chart.description);
  }

  void chart_row(const Bar& bar, const ChartGeometry& g, double height) {
    const double inner = height - bar_row_gap;
    text_op(StyleId::cell, bar.label, margin, m_y, g.label_width);
    const double start = bar_x(g, 0);
    const double middle = m_y + inner / 2;
    if (!bar.hidden) {
      const double top = middle - bar_thickness / 2;
      current().push_back(RectOp{start, top, bar_x(g, bar.value) - start, bar_thickness,
                                 bar_colour[0], bar_colour[1], bar_colour[2]});
      if (bar.low && bar.high) whisker(bar_x(g, *bar.low), bar_x(g, *bar.high), middle);
    }
    const double figure_x = start + g.bar_width + chart_column_gap;
    text_op(StyleId::cell, bar.text, figure_x, m_y, g.figure_width);
    m_y += height;
  }

  void whisker(double from, double to, double middle) {
    const double tick = bar_thickness * 0.35;
    current().push_back(LineOp{from, middle, to, middle, 0.8, 0});
    current().push_back(LineOp{from, middle - tick, from, middle + tick, 0.8, 0});
    current().push_back(LineOp{to, middle - tick, to, middle + tick, 0.8, 0});
  }

  // A short text kept whole on this page.
  void text_op(StyleId style, std::string_view content, double x, double y, double width) {
    mark(TextOp{style, content, x, y, width, PANGO_ALIGN_LEFT, 0, every_line});
  }

  Typesetter& m_typesetter;
  cairo_surface_t* m_surface;
  std::vector<Page> m_pages;
  struct OpenTag {
    std::string_view name;
    bool begun;  // on this page
  };
  std::vector<OpenTag> m_open;  // structure elements open, outermost first
  double m_y{body_top};
  int m_last_top_outline{0};
};

void draw_text(cairo_t* cr, Typesetter& typesetter, const TextOp& op) {
  PangoLayout* layout = typesetter.layout(op.style, op.text, op.width, op.alignment);
  LayoutIter iter(pango_layout_get_iter(layout));
  double first_top = 0;
  int line = 0;
  do {
    if (line >= op.first_line && line < op.end_line) {
      PangoRectangle logical;
      pango_layout_iter_get_line_extents(iter.get(), nullptr, &logical);
      if (line == op.first_line) first_top = static_cast<double>(logical.y) / PANGO_SCALE;
      const double baseline =
          static_cast<double>(pango_layout_iter_get_baseline(iter.get())) / PANGO_SCALE;
      // The line's own x carries its alignment within the layout's width.
      cairo_move_to(cr, op.x + static_cast<double>(logical.x) / PANGO_SCALE,
                    op.y + baseline - first_top);
      pango_cairo_show_layout_line(cr, pango_layout_iter_get_line_readonly(iter.get()));
    }
    ++line;
  } while (line < op.end_line && pango_layout_iter_next_line(iter.get()));
}

void draw_op(cairo_t* cr, Typesetter& typesetter, const Op& op) {
  if (const auto* t = std::get_if<TextOp>(&op)) {
    cairo_set_source_rgb(cr, 0, 0, 0);
    draw_text(cr, typesetter, *t);
  } else if (const auto* r = std::get_if<RectOp>(&op)) {
    cairo_set_source_rgb(cr, r->red, r->green, r->blue);
    cairo_rectangle(cr, r->x, r->y, r->width, r->height);
    cairo_fill(cr);
  } else if (const auto* l = std::get_if<LineOp>(&op)) {
    cairo_set_source_rgb(cr, l->grey, l->grey, l->grey);
    cairo_set_line_width(cr, l->width);
    cairo_move_to(cr, l->x1, l->y1);
    cairo_line_to(cr, l->x2, l->y2);
    cairo_stroke(cr);
  } else if (const auto* tag = std::get_if<TagOp>(&op)) {
    if (tag->begin) {
      cairo_tag_begin(cr, tag->name.c_str(), tag->attributes.c_str());
    } else {
      cairo_tag_end(cr, tag->name.c_str());
    }
  }
}

void draw_footer(cairo_t* cr, Typesetter& typesetter, const Document& document, std::size_t page,
                 std::size_t pages) {
  cairo_set_source_rgb(cr, 0, 0, 0);
  cairo_set_line_width(cr, 0.3);
  cairo_move_to(cr, margin, footer_top - 4);
  cairo_line_to(cr, margin + text_width, footer_top - 4);
  cairo_stroke(cr);
  draw_text(cr, typesetter,
            TextOp{StyleId::footer, document.footer, margin, footer_top,
                   text_width - page_number_width, PANGO_ALIGN_LEFT, 0, 1});
  const std::string number = std::to_string(page) + " / " + std::to_string(pages);
  draw_text(cr, typesetter,
            TextOp{StyleId::footer, number, margin + text_width - page_number_width, footer_top,
                   page_number_width, PANGO_ALIGN_RIGHT, 0, 1});
}

// Every text of the document, for the UTF-8 check: pango would draw invalid bytes as boxes.
bool every_text_is_utf8(const Document& document) {
  bool valid = true;
  auto check = [&valid](const std::string& s) { valid = valid && text::is_valid_utf8(s); };
  for (const std::string* s : {&document.language, &document.title, &document.subtitle,
                               &document.date, &document.footer}) {
    check(*s);
  }
  for (const Section& section : document.sections) {
    check(section.heading);
    for (const Block& block : section.blocks) {
      if (const auto* p = std::get_if<Paragraph>(&block)) check(p->text);
      if (const auto* l = std::get_if<BulletList>(&block))
        for (const auto& item : l->items) check(item);
      if (const auto* t = std::get_if<Table>(&block)) {
        check(t->caption);
        check(t->note);
        for (const auto& column : t->columns) check(column);
        for (const auto& row : t->rows)
          for (const auto& cell : row) check(cell.text);
      }
      if (const auto* c = std::get_if<BarChart>(&block)) {
        check(c->caption);
        check(c->description);
        for (const auto& bar : c->bars) {
          check(bar.label);
          check(bar.text);
        }
      }
    }
  }
  return valid;
}

cairo_status_t append_to_string(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

Result<void> cairo_ok(cairo_status_t status) {
  if (status == CAIRO_STATUS_SUCCESS) return {};
  return std::unexpected(Error::internal(std::string("cairo: ") + cairo_status_to_string(status)));
}

// The whole document in pages, each heading added to the surface's outline on the way.
Result<std::vector<Page>> lay_out(const Document& document, Typesetter& typesetter,
                                  cairo_surface_t* surface) {
  Pager pager(typesetter, surface);
  pager.title_block(document);
  for (std::size_t i = 0; i < document.sections.size(); ++i) {
    pager.section(document.sections[i], i);
  }
  typesetter.layout(StyleId::footer, document.footer, text_width - page_number_width);
  if (typesetter.missing_glyph()) return std::unexpected(*typesetter.missing_glyph());
  return pager.take_pages();
}

void draw_pages(cairo_t* cr, Typesetter& typesetter, const Document& document,
                const std::vector<Page>& pages) {
  for (std::size_t p = 0; p < pages.size(); ++p) {
    for (const Op& op : pages[p]) draw_op(cr, typesetter, op);
    draw_footer(cr, typesetter, document, p + 1, pages.size());
    cairo_show_page(cr);
  }
}

}  // namespace

Result<std::string> render_pdf(const Document& document) {
  if (!every_text_is_utf8(document)) {
    return std::unexpected(Error::invalid("a text of the report is not valid UTF-8"));
  }
  std::string pdf;  // outlives the surface, which writes into it until destroyed
  Surface surface(
      cairo_pdf_surface_create_for_stream(append_to_string, &pdf, page_width, page_height));
  if (auto ok = cairo_ok(cairo_surface_status(surface.get())); !ok)
    return std::unexpected(ok.error());
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_TITLE, document.title.c_str());
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_AUTHOR,
                                 document.municipality.c_str());
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATOR, "needsmap");
  Cairo cr(cairo_create(surface.get()));
  {
    auto typesetter = Typesetter::create(cr.get(), document.language);
    if (!typesetter) return std::unexpected(typesetter.error());
    auto pages = lay_out(document, *typesetter, surface.get());
    if (!pages) return std::unexpected(pages.error());
    draw_pages(cr.get(), *typesetter, document, *pages);
    if (auto ok = cairo_ok(cairo_status(cr.get())); !ok) return std::unexpected(ok.error());
  }
  cr.reset();
  cairo_surface_finish(surface.get());
  if (auto ok = cairo_ok(cairo_surface_status(surface.get())); !ok)
    return std::unexpected(ok.error());
  surface.reset();
  return completed_catalog(std::move(pdf), document.language);
}

}  // namespace needsmap::report

#if defined(__SANITIZE_ADDRESS__)
// Fontconfig keeps the patterns it matched in caches for the life of the process, where
// LeakSanitizer cannot follow them (poster.cpp says the same for the poster). Weak, so an
// executable that links the poster's strong definition as well still links.
extern "C" __attribute__((weak)) const char* __lsan_default_suppressions() {
  return "leak:libfontconfig.so\n";
}
#endif
