// The report as HTML: semantic markup that reads well to a screen reader (headings in order,
// tables with captions and header scopes, charts as images with a title and a description) and
// that the site's stylesheet (static/app.css) or the page's own inline styles lay out.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <string_view>

#include "report/render.hpp"

namespace needsmap::report {

namespace {

void append_html_escaped(std::string& out, std::string_view text) {
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
}

std::string html_escaped(std::string_view text) {
  std::string out;
  append_html_escaped(out, text);
  return out;
}

std::string number(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f", value);
  return buffer;
}

// The chart's geometry in SVG user units; the SVG scales to the width it is given.
constexpr double chart_width = 600;
constexpr double bar_area = 420;  // the rest holds the figure beside the longest bar
constexpr double row_height = 44;
constexpr double label_baseline = 14;
constexpr double bar_top = 20;
constexpr double bar_height = 16;

double chart_scale(const BarChart& chart) {
  if (chart.scale_max > 0) return chart.scale_max;
  double largest = 0;
  for (const auto& bar : chart.bars) {
    if (bar.hidden) continue;
    largest = std::max({largest, bar.value, bar.high.value_or(0)});
  }
  return largest;
}

class ArticleWriter {
 public:
  std::string take() { return std::move(m_out); }

  void header(const Document& d) {
    m_out += "<header class=\"report-header\">\n<h1>";
    append_html_escaped(m_out, d.title);
    m_out += "</h1>\n";
    paragraph_with_class("report-subtitle", d.subtitle);
    paragraph_with_class("report-date", d.date);
    m_out += "</header>\n";
  }

  void section(const Section& s) {
    const std::string heading = s.level <= 1 ? "h2" : "h3";
    const std::string id = anchor(s.id);
    m_out += "<section class=\"report-section\" aria-labelledby=\"" + id + "\">\n<" + heading +
             " id=\"" + id + "\">";
    append_html_escaped(m_out, s.heading);
    m_out += "</" + heading + ">\n";
    for (const auto& block : s.blocks) {
      std::visit(
          Overloaded{[&](const Paragraph& p) { paragraph_with_class("", p.text); },
                     [&](const BulletList& l) { list(l); }, [&](const Table& t) { table(t); },
                     [&](const BarChart& c) { chart(c); }},
          block);
    }
    m_out += "</section>\n";
  }

 private:
  // Ids are unique in the page however often a table's or section's id repeats.
  std::string anchor(std::string_view base) {
    std::string id = "r-";
    for (char c : base) {
      const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                         (c >= '0' && c <= '9') || c == '-' || c == '_';
      id += plain ? c : '-';
    }
    const int seen = m_ids[id]++;
    return seen == 0 ? id : id + "-" + std::to_string(seen + 1);
  }

  void paragraph_with_class(std::string_view css_class, std::string_view text) {
    if (text.empty()) return;
    m_out += css_class.empty() ? "<p>" : "<p class=\"" + std::string(css_class) + "\">";
    append_html_escaped(m_out, text);
    m_out += "</p>\n";
  }

  void list(const BulletList& l) {
    m_out += "<ul class=\"list list-bullet\">\n";
    for (const auto& item : l.items) {
      m_out += "<li>";
      append_html_escaped(m_out, item);
      m_out += "</li>\n";
    }
    m_out += "</ul>\n";
  }

  void table(const Table& t) {
    const std::string id = anchor("table-" + t.id);
    // A wide table scrolls on its own on a phone; the region is named by the caption and can
    // take the keyboard's focus to scroll (WCAG 2.1.1).
    m_out += "<div class=\"table-scroll\" role=\"region\" aria-labelledby=\"" + id +
             "\" tabindex=\"0\">\n<table class=\"table\">\n<caption id=\"" + id + "\">";
    append_html_escaped(m_out, t.caption);
    m_out += "</caption>\n<thead><tr>";
    for (std::size_t i = 0; i < t.columns.size(); ++i) {
      m_out += numeric(t, i) ? "<th scope=\"col\" class=\"numeric\">" : "<th scope=\"col\">";
      append_html_escaped(m_out, t.columns[i]);
      m_out += "</th>";
    }
    m_out += "</tr></thead>\n<tbody>\n";
    for (const auto& row : t.rows) {
      m_out += "<tr>";
      for (std::size_t i = 0; i < row.size(); ++i) {
        // The first column names the row.
        const char* open = i == 0          ? "<th scope=\"row\">"
                           : numeric(t, i) ? "<td class=\"numeric\">"
                                           : "<td>";
        m_out += open;
        append_html_escaped(m_out, row[i].text);
        m_out += i == 0 ? "</th>" : "</td>";
      }
      m_out += "</tr>\n";
    }
    m_out += "</tbody>\n</table>\n</div>\n";
    paragraph_with_class("table-note", t.note);
  }

  static bool numeric(const Table& t, std::size_t column) {
    return column < t.numeric.size() && t.numeric[column];
  }

  void chart(const BarChart& c) {
    const std::string id = anchor("chart");
    const double scale = chart_scale(c);
    const double height = std::max(1.0, row_height * static_cast<double>(c.bars.size()));
    m_out += "<figure class=\"report-chart\">\n<svg class=\"chart\" viewBox=\"0 0 " +
             number(chart_width) + " " + number(height) + "\" role=\"img\" aria-labelledby=\"" +
             id + "-title " + id +
             "-desc\" focusable=\"false\" xmlns=\"http://www.w3.org/2000/svg\">\n<title id=\"" +
             id + "-title\">";
    append_html_escaped(m_out, c.caption);
    m_out += "</title>\n<desc id=\"" + id + "-desc\">";
    append_html_escaped(m_out, c.description);
    m_out += "</desc>\n";
    double y = 0;
    for (const auto& bar : c.bars) {
      auto x_of = [&](double value) {
        return scale > 0 ? std::clamp(value / scale, 0.0, 1.0) * bar_area : 0.0;
      };
      double width = bar.hidden ? 0 : x_of(bar.value);
      if (!bar.hidden && bar.value > 0) width = std::max(width, 2.0);  // a small figure shows
      m_out += "<text x=\"0\" y=\"" + number(y + label_baseline) + "\" class=\"chart-label\">";
      append_html_escaped(m_out, bar.label);
      m_out += "</text>\n<rect x=\"0\" y=\"" + number(y + bar_top) + "\" width=\"" + number(width) +
               "\" height=\"" + number(bar_height) + "\" class=\"chart-bar\"/>\n";
      double text_x = width + 6;
      if (!bar.hidden && bar.low && bar.high) {
        const double low = x_of(*bar.low), high = x_of(*bar.high);
        const double middle = y + bar_top + bar_height / 2;
        m_out += "<path class=\"chart-interval\" d=\"M" + number(low) + " " + number(middle - 5) +
                 "v10M" + number(low) + " " + number(middle) + "H" + number(high) + "M" +
                 number(high) + " " + number(middle - 5) + "v10\"/>\n";
        text_x = std::max(text_x, high + 6);
      }
      m_out += "<text x=\"" + number(text_x) + "\" y=\"" + number(y + bar_top + bar_height - 3) +
               "\" class=\"chart-value\">";
      append_html_escaped(m_out, bar.text);
      m_out += "</text>\n";
      y += row_height;
    }
    m_out += "</svg>\n<figcaption>";
    append_html_escaped(m_out, c.caption);
    m_out += "</figcaption>\n</figure>\n";
  }

  std::string m_out;
  std::map<std::string, int> m_ids;
};

// The page's own styles: readable type, tables that scroll on a phone, and for print no
// scrolling, no breaks inside a row or a chart, headings kept with what follows.
constexpr std::string_view page_styles = R"(
body { font-family: "DejaVu Sans", Arial, sans-serif; color: #0b0c0c; line-height: 1.45;
  margin: 0 auto; max-width: 960px; padding: 16px; font-size: 17px; }
h1 { font-size: 32px; margin: 0 0 8px; } h2 { font-size: 24px; margin-top: 40px; }
h3 { font-size: 19px; margin-top: 28px; }
.report-subtitle { font-size: 19px; margin: 0; } .report-date { color: #505a5f; }
.table-scroll { overflow-x: auto; margin: 16px 0 4px; }
.table-scroll:focus { outline: 3px solid #fd0; }
table { border-collapse: collapse; min-width: 50%; }
caption { text-align: left; font-weight: bold; padding-bottom: 8px; }
th, td { border-bottom: 1px solid #b1b4b6; padding: 6px 12px 6px 0; text-align: left;
  vertical-align: top; }
th.numeric, td.numeric { text-align: right; font-variant-numeric: tabular-nums; }
.table-note { font-size: 15px; color: #505a5f; }
.report-chart { margin: 12px 0 24px; } .report-chart figcaption { font-size: 15px; color: #505a5f; }
.chart { width: 100%; height: auto; max-width: 600px; }
.chart-label, .chart-value { font-size: 13px; fill: #0b0c0c; }
.chart-bar { fill: #1d70b8; } .chart-interval { stroke: #0b0c0c; stroke-width: 1.5; fill: none; }
@media print {
  body { max-width: none; font-size: 11pt; padding: 0; }
  .table-scroll { overflow: visible; }
  h2, h3, caption { break-after: avoid; }
  tr, .report-chart { break-inside: avoid; }
  thead { display: table-header-group; }
}
)";

}  // namespace

std::string render_html_article(const Document& document) {
  ArticleWriter writer;
  writer.header(document);
  for (const auto& section : document.sections) writer.section(section);
  return "<article class=\"report\">\n" + writer.take() + "</article>\n";
}

std::string render_html_page(const Document& document) {
  std::string page = "<!DOCTYPE html>\n<html lang=\"" + html_escaped(document.language) +
                     "\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" "
                     "content=\"width=device-width, initial-scale=1\">\n<title>" +
                     html_escaped(document.title + " · " + document.municipality) +
                     "</title>\n<style>" + std::string(page_styles) +
                     "</style>\n</head>\n<body>\n<main>\n";
  page += render_html_article(document);
  page +=
      "</main>\n<footer><p>" + html_escaped(document.footer) + "</p></footer>\n</body>\n</html>\n";
  return page;
}

}  // namespace needsmap::report
