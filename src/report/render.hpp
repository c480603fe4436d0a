// The formats a report document (report/document.hpp) is written in. Each shows every section,
// paragraph, list, table and chart of the document in its order, and nothing else.
#pragma once

#include <ostream>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "report/document.hpp"

namespace needsmap::report {

// The document's body as HTML: an <article> with its sections, tables (with <caption> and <th
// scope>) and charts as inline SVG with their text alternative; every text escaped. The web page
// puts it inside the site's layout.
std::string render_html_article(const Document& document);
// A whole HTML page of its own, styles inline (with a print stylesheet), for `needsmap report`.
std::string render_html_page(const Document& document);

// A4 PDF drawn with cairo and pango: DejaVu fonts embedded (Cyrillic and Latin), charts as
// vectors, the headings as the PDF's outline, page numbers in the footer, the title and language
// in the PDF's metadata. Tables longer than a page continue on the next with their header again.
Result<std::string> render_pdf(const Document& document);

// A Word document (ECMA-376) with real heading styles (Heading 1, Heading 2, so Word's navigation
// pane and table of contents work), tables with a repeated header row, and each chart as its
// description in italics (its figures are in the table before it; a chart without such a table
// keeps them as a list); written by our own writer on top of ooxml::ZipWriter, so the
// municipality can edit the report.
Result<void> write_docx(const Document& document, std::ostream& out);

// An Excel workbook with one sheet per table of the document (figures as numbers), and a first
// sheet, named in the document's language, listing the tables with their captions and notes.
// Sheet names come from the tables' ids, made unique and valid for Excel.
Result<void> write_xlsx(const Document& document, std::ostream& out);

// The document in one of the formats above by name: html (a whole page), pdf, docx or xlsx.
Result<std::string> render(const Document& document, std::string_view format);

// From the published documents — a JSON object of kinds ("results", "programme"), each an object
// of documents by language tag — the one of `kind` in `language`, else in Serbian Cyrillic, else
// the first; fails with not_found when none of that kind was published.
Result<Document> chosen_document(const std::string& documents, std::string_view kind,
                                 std::string_view language);

}  // namespace needsmap::report
