// A report as a document model: sections with headings, paragraphs, lists, tables and bar charts,
// every text already in its language and every figure already written out (and suppressed where
// needed). The published results are built once into this model and stored; the web page, the
// PDF, the DOCX and the XLSX are all drawn from it, so every format shows the same figures
// (docs/decisions/0020-one-report-model-many-formats.md).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/error.hpp"

namespace needsmap::report {

struct Paragraph {
  std::string text;
};

struct BulletList {
  std::vector<std::string> items;
};

// A cell: the text every format shows, and for figures the number behind it, which the XLSX
// writes as a number (a share as a percentage, 42.5 for "42.5 %"). Suppressed cells have no value.
struct Cell {
  std::string text;
  std::optional<double> value{};
};

struct Table {
  std::string id;       // short and stable, e.g. "age_band": anchors and sheet names
  std::string caption;  // what the table shows
  std::vector<std::string> columns;
  std::vector<bool> numeric;  // per column: figures, aligned right
  std::vector<std::vector<Cell>> rows;
  std::string note;  // under the table: suppression, sources, unreliable figures
};

// A horizontal bar chart; it always stands beside a table with the same figures, so it is an
// illustration and `description` is its text alternative.
struct Bar {
  std::string label;
  double value{0};              // in the chart's unit; ignored when hidden
  std::optional<double> low{};  // the 95% interval, drawn as a whisker
  std::optional<double> high{};
  std::string text;    // the figure written beside the bar
  bool hidden{false};  // suppressed: no bar, `text` says why
};

struct BarChart {
  std::string caption;
  std::string description;  // the text alternative: what the chart shows, in one sentence
  double scale_max{0};      // the value of a full-length bar; 0: the largest value (or high)
  std::vector<Bar> bars;
};

using Block = std::variant<Paragraph, BulletList, Table, BarChart>;

// A visitor of blocks from one lambda per kind: std::visit(Overloaded{…}, block).
template <class... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

// Whether a table's column holds figures (aligned right).
bool is_numeric(const Table& table, std::size_t column);

struct Section {
  int level{1};    // 1 or 2: headings under the document's title
  std::string id;  // anchor, e.g. "method"
  std::string heading;
  std::vector<Block> blocks;
};

struct Document {
  std::string language;      // sr-Cyrl, sr-Latn, en or mk
  std::string title;         // e.g. "Results of the social protection needs survey"
  std::string subtitle;      // the municipality and the campaign
  std::string municipality;  // the municipality's name
  std::string date;          // publication date as the language writes it
  std::string footer;        // e.g. "needsmap · Municipality of … · published 5 December 2026"
  std::vector<Section> sections;
};

nlohmann::json to_json(const Document& document);
// Fails with a reason when `value` is not a document to_json wrote.
Result<Document> document_from_json(const nlohmann::json& value);

// The same document with every text converted by `convert` (e.g. Serbian Cyrillic to Latin).
Document converted(Document document, const std::function<std::string(std::string_view)>& convert);

// Every text of the document in reading order, one per line: the plain text the tests and the
// search of a page look through.
std::string plain_text(const Document& document);

}  // namespace needsmap::report
