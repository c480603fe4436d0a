#include "collect/export_columns.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <optional>
#include <unordered_set>

#include <simdjson.h>
#include <nlohmann/json.hpp>

#include "questionnaire/answers.hpp"
#include "questionnaire/expression.hpp"

namespace needsmap::collect {

using json = nlohmann::json;
using questionnaire::Choice;
using questionnaire::Question;
using questionnaire::QuestionType;

namespace {

std::string_view meta_label(ColumnKind kind) {
  // The response's own fields are part of the file's structure, described in English as the
  // column names are.
  switch (kind) {
    case ColumnKind::response_id:
      return "Response id";
    case ColumnKind::submitted_on:
      return "Date sent";
    case ColumnKind::mode:
      return "Mode (web, api, interview, paper)";
    case ColumnKind::language:
      return "Language of the answers";
    default:
      return "";
  }
}

void set_text(Cell& cell, std::string_view text) {
  cell.type = Cell::Type::text;
  cell.text.assign(text);
}

}  // namespace

std::string ExportColumn::label(std::string_view language) const {
  if (!question) return std::string(meta_label(kind));
  if (other_of) return other_of->label.get(language) + " — " + question->label.get(language);
  if (kind == ColumnKind::calculated && question->label.empty() && question->calculation) {
    return "Calculated: " + question->calculation->source();
  }
  std::string text = question->label.get(language);
  if (part) {
    text += " — ";
    text += part->label.get(language);
  } else if (place > 0) {
    text += " — ";
    text += std::to_string(place);
  }
  return text;
}

std::string_view ExportColumn::label_language(std::string_view language) const {
  if (!question || (kind == ColumnKind::calculated && question->label.empty())) return "en";
  bool has = question->label.has(language) && (!part || part->label.has(language)) &&
             (!other_of || other_of->label.has(language));
  return has ? language : questionnaire::primary_language;
}

std::span<const Choice> ExportColumn::choices() const {
  if (kind != ColumnKind::choice || !question) return {};
  return question->choices;
}

std::size_t ExportColumn::max_bytes() const {
  if (kind != ColumnKind::text || !question) return 0;
  return question->max_length * 4;
}

ExportColumns::ExportColumns(const questionnaire::Questionnaire& q) : m_questionnaire(q) {
  add("response_id", ColumnKind::response_id);
  add("submitted_on", ColumnKind::submitted_on);
  add("mode", ColumnKind::mode);
  add("language", ColumnKind::language);

  for (const Question& question : q.questions()) {
    if (question.type == QuestionType::note) continue;
    Group group{&question, m_columns.size(), 0};
    Index codes, parts;
    for (std::size_t i = 0; i < question.choices.size(); ++i) {
      codes.emplace(question.choices[i].name, i);
    }
    const std::string& name = question.name;
    switch (question.type) {
      case QuestionType::multiple:
        for (const Choice& option : question.choices) {
          parts.emplace(option.name, m_columns.size() - group.first);
          add(name + "/" + option.name, ColumnKind::selected, &question, &option);
        }
        break;
      case QuestionType::matrix:
        for (const Choice& row : question.rows) {
          parts.emplace(row.name, m_columns.size() - group.first);
          add(name + "/" + row.name, ColumnKind::choice, &question, &row);
        }
        break;
      case QuestionType::ranking:
        for (int place = 1; place <= question.max_selections; ++place) {
          add(name + "/" + std::to_string(place), ColumnKind::choice, &question, nullptr, place);
        }
        break;
      case QuestionType::single:
      case QuestionType::scale:
        add(name, ColumnKind::choice, &question);
        break;
      case QuestionType::integer:
      case QuestionType::decimal:
      case QuestionType::year:
        add(name, ColumnKind::number, &question);
        break;
      case QuestionType::date:
        add(name, ColumnKind::date, &question);
        break;
      case QuestionType::calculate:
        add(name, ColumnKind::calculated, &question);
        break;
      case QuestionType::text:
      case QuestionType::long_text:
      case QuestionType::note:
        add(name, ColumnKind::text, &question, nullptr, 0,
            question.other_of_question.empty() ? nullptr : q.find(question.other_of_question));
        break;
    }
    group.count = m_columns.size() - group.first;
    m_group_of.emplace(name, m_groups.size());
    m_groups.push_back(group);
    m_choice_codes.push_back(std::move(codes));
    m_part_offsets.push_back(std::move(parts));
  }

  std::vector<std::string> names;
  names.reserve(m_columns.size());
  for (const auto& c : m_columns) names.push_back(c.name);
  auto spss = spss_variable_names(names);
  for (std::size_t i = 0; i < m_columns.size(); ++i) m_columns[i].spss_name = std::move(spss[i]);
}

void ExportColumns::add(std::string name, ColumnKind kind, const Question* question,
                        const Choice* part, int place, const Question* other_of) {
  ExportColumn c;
  c.name = std::move(name);
  c.kind = kind;
  c.question = question;
  c.part = part;
  c.place = place;
  c.other_of = other_of;
  m_columns.push_back(std::move(c));
}

void ExportColumns::fill_choice(const Group& g, const Index& codes, std::size_t column,
                                std::string_view name, std::vector<Cell>& row) const {
  Cell& cell = row[column];
  auto it = codes.find(name);
  if (it == codes.end()) {
    set_text(cell, name);
    return;
  }
  cell.type = Cell::Type::choice;
  cell.choice = &g.question->choices[it->second];
  cell.number = static_cast<double>(it->second + 1);
}

// simdjson reads answers several times faster than nlohmann::json builds them as a document,
// which an export of 100,000 responses feels. Its buffers are reused from one response to the next.
struct ExportColumns::Parser {
  simdjson::dom::parser parser;
  std::string buffer;  // the answers and the padding simdjson may read past their end
};

namespace {

bool string_of(const simdjson::dom::element& e, std::string_view& out) {
  return e.get_string().get(out) == simdjson::SUCCESS;
}

// A value that is not what its column expects: kept as the text an expression would see.
void set_other(Cell& cell, const Question& q, const simdjson::dom::element& value) {
  cell.type = Cell::Type::text;
  cell.text = questionnaire::expression_value(q, json::parse(simdjson::to_string(value)));
}

}  // namespace

ExportColumns::~ExportColumns() = default;

Result<void> ExportColumns::read(const store::ResponseRecord& response,
                                 std::vector<Cell>& row) const {
  if (!m_parser) m_parser = std::make_unique<Parser>();
  std::string& buffer = m_parser->buffer;
  buffer.reserve(response.answers.size() + simdjson::SIMDJSON_PADDING);
  buffer.assign(response.answers);
  simdjson::dom::object answers;
  if (m_parser->parser.parse(buffer.data(), buffer.size(), false).get_object().get(answers) !=
      simdjson::SUCCESS) {
    return std::unexpected(Error::internal("response " + response.id + " is not readable"));
  }
  row.resize(m_columns.size());
  for (Cell& cell : row) cell.type = Cell::Type::missing;
  set_text(row[0], response.id);
  set_text(row[1], response.submitted_on);
  set_text(row[2], response.mode);
  set_text(row[3], response.language);

  for (auto [key, value] : answers) {
    auto found = m_group_of.find(key);
    if (found == m_group_of.end()) continue;
    const std::size_t index = found->second;
    const Group& g = m_groups[index];
    const Question& q = *g.question;
    const Index& codes = m_choice_codes[index];
    const Index& parts = m_part_offsets[index];
    std::string_view text;
    switch (q.type) {
      case QuestionType::single:
      case QuestionType::scale:
        if (string_of(value, text)) {
          fill_choice(g, codes, g.first, text, row);
        } else {
          set_other(row[g.first], q, value);
        }
        break;
      case QuestionType::multiple: {
        simdjson::dom::array items;
        if (value.get_array().get(items) != simdjson::SUCCESS) break;
        for (std::size_t i = 0; i < g.count; ++i) {
          row[g.first + i].type = Cell::Type::number;
          row[g.first + i].number = 0;
        }
        for (simdjson::dom::element item : items) {
          if (!string_of(item, text)) continue;
          if (auto part = parts.find(text); part != parts.end()) {
            row[g.first + part->second].number = 1;
          }
        }
        break;
      }
      case QuestionType::matrix: {
        simdjson::dom::object cells;
        if (value.get_object().get(cells) != simdjson::SUCCESS) break;
        for (auto [row_name, choice] : cells) {
          auto part = parts.find(row_name);
          if (part == parts.end()) continue;
          if (string_of(choice, text)) {
            fill_choice(g, codes, g.first + part->second, text, row);
          } else {
            set_other(row[g.first + part->second], q, choice);
          }
        }
        break;
      }
      case QuestionType::ranking: {
        simdjson::dom::array items;
        if (value.get_array().get(items) != simdjson::SUCCESS) break;
        std::size_t place = 0;
        for (simdjson::dom::element item : items) {
          if (place >= g.count) break;
          if (string_of(item, text)) fill_choice(g, codes, g.first + place, text, row);
          ++place;
        }
        break;
      }
      case QuestionType::integer:
      case QuestionType::decimal:
      case QuestionType::year: {
        double number = 0;
        if (value.get_double().get(number) == simdjson::SUCCESS) {
          row[g.first].type = Cell::Type::number;
          row[g.first].number = number;
        } else {
          set_other(row[g.first], q, value);
        }
        break;
      }
      default:
        if (string_of(value, text)) {
          set_text(row[g.first], text);
        } else {
          set_other(row[g.first], q, value);
        }
    }
  }
  return {};
}

Result<std::size_t> for_each_row(
    store::Store& store, const store::Campaign& campaign, const ExportColumns& columns,
    const std::function<Result<void>(const std::vector<Cell>&)>& visit) {
  std::vector<Cell> row;
  std::size_t count = 0;
  std::optional<Error> failure;
  // The store visits every row; after a failure the rest are only stepped over.
  store.for_each_response(campaign.id, [&](const store::ResponseRecord& response) {
    if (failure) return;
    auto read = columns.read(response, row);
    if (read) read = visit(row);
    if (!read) {
      failure = std::move(read.error());
      return;
    }
    ++count;
  });
  if (failure) return std::unexpected(std::move(*failure));
  return count;
}

namespace {

bool is_ascii_letter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool is_spss_name_char(char c) {
  return is_ascii_letter(c) || (c >= '0' && c <= '9') || c == '_';
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

constexpr std::size_t spss_name_limit = 64;

std::string spss_candidate(std::string_view name) {
  std::string out;
  for (std::size_t i = 0; i < name.size(); ++i) {
    auto byte = static_cast<unsigned char>(name[i]);
    if (byte >= 0x80 && byte < 0xC0) continue;  // a UTF-8 continuation: one `_` per character
    out.push_back(is_spss_name_char(name[i]) ? name[i] : '_');
  }
  if (out.empty() || !is_ascii_letter(out[0])) out.insert(out.begin(), 'v');
  static constexpr std::array<std::string_view, 13> reserved{
      "all", "and", "by", "eq", "ge", "gt", "le", "lt", "ne", "not", "or", "to", "with"};
  if (std::ranges::find(reserved, lower(out)) != reserved.end()) out.push_back('_');
  if (out.size() > spss_name_limit) out.resize(spss_name_limit);
  return out;
}

}  // namespace

std::vector<std::string> spss_variable_names(std::span<const std::string> names) {
  std::vector<std::string> out(names.size());
  std::vector<bool> done(names.size(), false);
  std::unordered_set<std::string> taken;  // lower case: SPSS ignores case in names
  for (std::size_t i = 0; i < names.size(); ++i) {
    std::string candidate = spss_candidate(names[i]);
    if (candidate == names[i] && taken.insert(lower(candidate)).second) {
      out[i] = std::move(candidate);
      done[i] = true;
    }
  }
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (done[i]) continue;
    std::string base = spss_candidate(names[i]);
    std::string candidate = base;
    for (int n = 2; !taken.insert(lower(candidate)).second; ++n) {
      std::string suffix = "_" + std::to_string(n);
      candidate = base.substr(0, spss_name_limit - suffix.size()) + suffix;
    }
    out[i] = std::move(candidate);
  }
  return out;
}

std::string_view utf8_prefix(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  std::size_t end = max_bytes;
  // Step back over continuation bytes to the start of the character that does not fit.
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end);
}

std::string format_number(double value) {
  return questionnaire::Value::of_number(value).as_string();
}

std::optional<double> plain_number(std::string_view text) {
  if (text.empty() || text.front() == '+') return std::nullopt;
  double value = 0;
  auto r = std::from_chars(text.data(), text.data() + text.size(), value, std::chars_format::fixed);
  if (r.ec != std::errc() || r.ptr != text.data() + text.size()) return std::nullopt;
  return value;
}

std::optional<std::chrono::year_month_day> parse_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  auto number = [&text](std::size_t at, std::size_t length) -> std::optional<int> {
    int out = 0;
    auto r = std::from_chars(text.data() + at, text.data() + at + length, out);
    if (r.ec != std::errc() || r.ptr != text.data() + at + length) return std::nullopt;
    return out;
  };
  auto year = number(0, 4), month = number(5, 2), day = number(8, 2);
  if (!year || !month || !day) return std::nullopt;
  std::chrono::year_month_day date{std::chrono::year(*year),
                                   std::chrono::month(static_cast<unsigned>(*month)),
                                   std::chrono::day(static_cast<unsigned>(*day))};
  if (!date.ok()) return std::nullopt;
  return date;
}

}  // namespace needsmap::collect
