#include "report/document.hpp"

#include <type_traits>

namespace needsmap::report {

using json = nlohmann::json;

namespace {

json optional_number(const std::optional<double>& value) {
  return value ? json(*value) : json(nullptr);
}

std::optional<double> number_or_none(const json& value) {
  if (value.is_number()) return value.get<double>();
  return std::nullopt;
}

json block_json(const Block& block) {
  return std::visit(
      Overloaded{[](const Paragraph& p) -> json {
                   return {{"type", "paragraph"}, {"text", p.text}};
                 },
                 [](const BulletList& l) -> json {
                   return {{"type", "list"}, {"items", l.items}};
                 },
                 [](const Table& t) -> json {
                   json rows = json::array();
                   for (const auto& row : t.rows) {
                     json cells = json::array();
                     for (const auto& cell : row) {
                       cells.push_back(json::array({cell.text, optional_number(cell.value)}));
                     }
                     rows.push_back(std::move(cells));
                   }
                   return {{"type", "table"},      {"id", t.id},           {"caption", t.caption},
                           {"columns", t.columns}, {"numeric", t.numeric}, {"rows", rows},
                           {"note", t.note}};
                 },
                 [](const BarChart& c) -> json {
                   json bars = json::array();
                   for (const auto& b : c.bars) {
                     bars.push_back({{"label", b.label},
                                     {"value", b.value},
                                     {"low", optional_number(b.low)},
                                     {"high", optional_number(b.high)},
                                     {"text", b.text},
                                     {"hidden", b.hidden}});
                   }
                   return {{"type", "chart"},
                           {"caption", c.caption},
                           {"description", c.description},
                           {"scale_max", c.scale_max},
                           {"bars", bars}};
                 }},
      block);
}

Block block_from(const json& b) {
  const std::string type = b.at("type").get<std::string>();
  if (type == "paragraph") return Paragraph{b.at("text").get<std::string>()};
  if (type == "list") return BulletList{b.at("items").get<std::vector<std::string>>()};
  if (type == "table") {
    Table t{.id = b.at("id").get<std::string>(),
            .caption = b.at("caption").get<std::string>(),
            .columns = b.at("columns").get<std::vector<std::string>>(),
            .numeric = b.at("numeric").get<std::vector<bool>>(),
            .rows = {},
            .note = b.at("note").get<std::string>()};
    for (const auto& row : b.at("rows")) {
      std::vector<Cell> cells;
      for (const auto& cell : row) {
        cells.push_back({cell.at(0).get<std::string>(), number_or_none(cell.at(1))});
      }
      if (cells.size() != t.columns.size()) throw std::invalid_argument("a row's cells");
      t.rows.push_back(std::move(cells));
    }
    if (t.numeric.size() != t.columns.size()) throw std::invalid_argument("numeric columns");
    return t;
  }
  if (type == "chart") {
    BarChart c{.caption = b.at("caption").get<std::string>(),
               .description = b.at("description").get<std::string>(),
               .scale_max = b.at("scale_max").get<double>(),
               .bars = {}};
    for (const auto& bar : b.at("bars")) {
      c.bars.push_back({.label = bar.at("label").get<std::string>(),
                        .value = bar.at("value").get<double>(),
                        .low = number_or_none(bar.at("low")),
                        .high = number_or_none(bar.at("high")),
                        .text = bar.at("text").get<std::string>(),
                        .hidden = bar.at("hidden").get<bool>()});
    }
    return c;
  }
  throw std::invalid_argument("unknown block type " + type);
}

}  // namespace

bool is_numeric(const Table& table, std::size_t column) {
  return column < table.numeric.size() && table.numeric[column];
}

json to_json(const Document& document) {
  json sections = json::array();
  for (const auto& s : document.sections) {
    json blocks = json::array();
    for (const auto& b : s.blocks) blocks.push_back(block_json(b));
    sections.push_back(
        {{"level", s.level}, {"id", s.id}, {"heading", s.heading}, {"blocks", blocks}});
  }
  return {{"language", document.language}, {"title", document.title},
          {"subtitle", document.subtitle}, {"municipality", document.municipality},
          {"date", document.date},         {"footer", document.footer},
          {"sections", sections}};
}

Result<Document> document_from_json(const json& value) {
  try {
    Document d{.language = value.at("language").get<std::string>(),
               .title = value.at("title").get<std::string>(),
               .subtitle = value.at("subtitle").get<std::string>(),
               .municipality = value.at("municipality").get<std::string>(),
               .date = value.at("date").get<std::string>(),
               .footer = value.at("footer").get<std::string>(),
               .sections = {}};
    for (const auto& s : value.at("sections")) {
      Section section{.level = s.at("level").get<int>(),
                      .id = s.at("id").get<std::string>(),
                      .heading = s.at("heading").get<std::string>(),
                      .blocks = {}};
      for (const auto& b : s.at("blocks")) section.blocks.push_back(block_from(b));
      d.sections.push_back(std::move(section));
    }
    return d;
  } catch (const std::exception& e) {
    return std::unexpected(Error::invalid(std::string("not a report document: ") + e.what()));
  }
}

Document converted(Document d, const std::function<std::string(std::string_view)>& convert) {
  auto all = [&](std::string& text) { text = convert(text); };
  all(d.title);
  all(d.subtitle);
  all(d.municipality);
  all(d.date);
  all(d.footer);
  for (auto& s : d.sections) {
    all(s.heading);
    for (auto& block : s.blocks) {
      std::visit(Overloaded{[&](Paragraph& p) { all(p.text); },
                            [&](BulletList& l) {
                              for (auto& item : l.items) all(item);
                            },
                            [&](Table& t) {
                              all(t.caption);
                              all(t.note);
                              for (auto& column : t.columns) all(column);
                              for (auto& row : t.rows) {
                                for (auto& cell : row) all(cell.text);
                              }
                            },
                            [&](BarChart& c) {
                              all(c.caption);
                              all(c.description);
                              for (auto& bar : c.bars) {
                                all(bar.label);
                                all(bar.text);
                              }
                            }},
                 block);
    }
  }
  return d;
}

std::string plain_text(const Document& d) {
  std::string out;
  auto line = [&](const std::string& text) {
    if (text.empty()) return;
    out += text;
    out += '\n';
  };
  line(d.title);
  line(d.subtitle);
  line(d.date);
  for (const auto& s : d.sections) {
    line(s.heading);
    for (const auto& block : s.blocks) {
      std::visit(Overloaded{[&](const Paragraph& p) { line(p.text); },
                            [&](const BulletList& l) {
                              for (const auto& item : l.items) line(item);
                            },
                            [&](const Table& t) {
                              line(t.caption);
                              std::string head;
                              for (const auto& column : t.columns) head += column + '\t';
                              line(head);
                              for (const auto& row : t.rows) {
                                std::string cells;
                                for (const auto& cell : row) cells += cell.text + '\t';
                                line(cells);
                              }
                              line(t.note);
                            },
                            [&](const BarChart& c) { line(c.description); }},
                 block);
    }
  }
  return out;
}

}  // namespace needsmap::report
