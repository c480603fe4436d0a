#include "collect/export_codebook.hpp"

#include <array>

#include "collect/export_csv.hpp"

namespace needsmap::collect {

using questionnaire::Questionnaire;

namespace {

std::string_view column_type(const ExportColumn& c) {
  switch (c.kind) {
    case ColumnKind::response_id:
      return "id";
    case ColumnKind::submitted_on:
      return "date";
    case ColumnKind::mode:
    case ColumnKind::language:
      return "text";
    default:
      return questionnaire::to_string(c.question->type);
  }
}

std::string text_language(const questionnaire::LocalizedText& text, std::string_view language) {
  return std::string(text.has(language) ? language : questionnaire::primary_language);
}

// The texts of the file's own structure are in English, as its column names are.

}  // namespace

std::vector<CodebookEntry> codebook_entries(const ExportColumns& columns,
                                            std::string_view language) {
  const Questionnaire& q = columns.questionnaire();
  std::vector<CodebookEntry> entries;
  entries.reserve(columns.columns().size());
  for (const ExportColumn& c : columns.columns()) {
    CodebookEntry e;
    e.variable = c.name;
    e.spss_variable = c.spss_name;
    e.type = column_type(c);
    e.label = c.label(language);
    e.label_language = c.label_language(language);
    if (c.question) {
      const auto& section = q.sections()[c.question->section];
      e.section = section.name;
      e.section_title = section.title.get(language);
      e.section_title_language = text_language(section.title, language);
    }
    if (c.kind == ColumnKind::selected) {
      e.values.push_back({"0", "0", std::string(not_selected_label), "en"});
      e.values.push_back({"1", "1", std::string(selected_label), "en"});
    }
    const auto choices = c.choices();
    for (std::size_t i = 0; i < choices.size(); ++i) {
      e.values.push_back({choices[i].name, std::to_string(i + 1), choices[i].label.get(language),
                          text_language(choices[i].label, language)});
    }
    entries.push_back(std::move(e));
  }
  return entries;
}

void for_each_codebook_row(const std::vector<CodebookEntry>& entries,
                           const std::function<void(std::span<const std::string_view>)>& row) {
  for (const CodebookEntry& e : entries) {
    std::array<std::string_view, std::size(codebook_header)> fields{
        e.variable, e.spss_variable, e.section, e.section_title, e.type, e.label, "", "", ""};
    if (e.values.empty()) {
      row(fields);
      continue;
    }
    for (const CodebookValue& v : e.values) {
      fields[6] = v.value;
      fields[7] = v.code;
      fields[8] = v.label;
      row(fields);
    }
  }
}

Result<void> write_codebook_csv(const ExportColumns& columns, std::string_view language,
                                std::ostream& out) {
  auto write_row = [&out](std::span<const std::string_view> fields) { write_csv_row(out, fields); };
  out << "\xEF\xBB\xBF";
  write_row(codebook_header);
  for_each_codebook_row(codebook_entries(columns, language), write_row);
  if (!out) return std::unexpected(Error::io("cannot write the codebook"));
  return {};
}

namespace {

// Every text that goes into the page passes through here.
class Html {
 public:
  explicit Html(std::ostream& out) : m_out(out) {}
  Html& raw(std::string_view markup) {
    m_out << markup;
    return *this;
  }
  Html& text(std::string_view s) {
    for (char c : s) {
      switch (c) {
        case '&':
          m_out << "&amp;";
          break;
        case '<':
          m_out << "&lt;";
          break;
        case '>':
          m_out << "&gt;";
          break;
        case '"':
          m_out << "&quot;";
          break;
        case '\'':
          m_out << "&#39;";
          break;
        default:
          m_out.put(c);
      }
    }
    return *this;
  }
  // An element whose content is `content`, in `language` when that differs from the page's.
  Html& element(std::string_view tag, std::string_view content, std::string_view language = {}) {
    m_out << '<' << tag;
    if (!language.empty() && language != "en") {
      m_out << " lang=\"";
      text(language);
      m_out << '"';
    }
    m_out << '>';
    text(content);
    m_out << "</" << tag << '>';
    return *this;
  }

 private:
  std::ostream& m_out;
};

constexpr std::string_view style = R"(<style>
body { font-family: system-ui, sans-serif; line-height: 1.4; margin: 1rem; color: #0b0c0c; }
.scroll { overflow-x: auto; }
.scroll:focus { outline: 3px solid #fd0; }
table { border-collapse: collapse; }
caption { text-align: left; font-weight: bold; padding: 0.5rem 0; }
th, td { border: 1px solid #b1b4b6; padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }
thead th { background: #f3f2f1; }
ul { margin: 0; padding-left: 1.2rem; }
code { font-size: 0.95em; }
dl.about { display: grid; grid-template-columns: max-content auto; gap: 0.25rem 1rem; }
dl.about dd { margin: 0; }
</style>
)";

}  // namespace

Result<void> write_codebook_html(const ExportColumns& columns, const store::Campaign& campaign,
                                 std::string_view language, std::ostream& out) {
  const Questionnaire& q = columns.questionnaire();
  const std::string campaign_name = campaign.municipality_slug + "/" + campaign.slug;
  const std::string& title = q.title().get(language);
  const std::string_view title_language =
      q.title().has(language) ? language : questionnaire::primary_language;
  const auto entries = codebook_entries(columns, language);

  Html h(out);
  h.raw("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
      .raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>")
      .text("Codebook: " + title + " (" + campaign_name + ")")
      .raw("</title>\n")
      .raw(style)
      .raw("</head>\n<body>\n<main>\n<h1>Codebook: ")
      .element("span", title, title_language)
      .raw("</h1>\n<dl class=\"about\">\n<dt>Campaign</dt>")
      .element("dd", campaign_name)
      .raw("\n<dt>Questionnaire</dt>")
      .element("dd", q.name() + ", version " + q.version())
      .raw("\n<dt>Language of the labels</dt>")
      .element("dd", language)
      .raw("\n<dt>Variables</dt>")
      .element("dd", std::to_string(entries.size()))
      .raw(
          "\n</dl>\n<p>Each variable is a column of the CSV and XLSX exports, named as in the "
          "first column, and a variable of the SPSS file, named as in the second. CSV and XLSX "
          "hold a choice by its name (by its label with <code>--labels</code>), SPSS by its "
          "code, with the labels as value labels. A multiple choice is one 0/1 variable per "
          "option. An empty cell (system-missing in SPSS) is a question that was not answered "
          "or did not apply.</p>\n")
      .raw("<div class=\"scroll\" role=\"region\" aria-labelledby=\"variables\" tabindex=\"0\">\n")
      .raw("<table>\n<caption id=\"variables\">Variables in file order</caption>\n<thead>\n<tr>")
      .raw("<th scope=\"col\">Variable</th><th scope=\"col\">SPSS name</th>")
      .raw("<th scope=\"col\">Label</th><th scope=\"col\">Type</th>")
      .raw("<th scope=\"col\">Values (CSV, SPSS: label)</th><th scope=\"col\">Section</th>")
      .raw("</tr>\n</thead>\n<tbody>\n");
  for (const CodebookEntry& e : entries) {
    h.raw("<tr><th scope=\"row\"><code>")
        .text(e.variable)
        .raw("</code></th><td><code>")
        .text(e.spss_variable)
        .raw("</code></td>")
        .element("td", e.label, e.label_language)
        .element("td", e.type)
        .raw("<td>");
    if (!e.values.empty()) {
      h.raw("<ul>");
      for (const CodebookValue& v : e.values) {
        h.raw("<li><code>").text(v.value).raw("</code>, <code>").text(v.code).raw("</code>: ");
        h.element("span", v.label, v.label_language).raw("</li>");
      }
      h.raw("</ul>");
    }
    h.raw("</td>").element("td", e.section_title, e.section_title_language).raw("</tr>\n");
  }
  h.raw("</tbody>\n</table>\n</div>\n</main>\n</body>\n</html>\n");
  if (!out) return std::unexpected(Error::io("cannot write the codebook"));
  return {};
}

}  // namespace needsmap::collect
