#include "analysis/dataset.hpp"

#include <stdexcept>

namespace needsmap::analysis {

namespace {

using json = nlohmann::json;
using questionnaire::QuestionType;

constexpr double not_a_number = std::numeric_limits<double>::quiet_NaN();

std::uint16_t code_of(const ColumnSpec& spec, const std::string& choice) {
  for (std::size_t i = 0; i < spec.categories.size(); ++i) {
    if (spec.categories[i] == choice) return static_cast<std::uint16_t>(i);
  }
  return ChoiceColumn::missing;
}

std::vector<std::string> names_of(const std::vector<questionnaire::Choice>& choices) {
  std::vector<std::string> names;
  names.reserve(choices.size());
  for (const auto& c : choices) names.push_back(c.name);
  return names;
}

ColumnSpec spec(std::string name, ColumnKind kind, std::vector<std::string> categories,
                std::string question = "", std::string row = "") {
  return ColumnSpec{.name = std::move(name),
                    .kind = kind,
                    .categories = std::move(categories),
                    .question = std::move(question),
                    .row = std::move(row)};
}

std::string_view kind_name(ColumnKind kind) {
  switch (kind) {
    case ColumnKind::choice:
      return "single choice";
    case ColumnKind::multiple:
      return "multiple choice";
    case ColumnKind::number:
      return "number";
  }
  return "?";
}

}  // namespace

void BitVector::push_back(bool bit) {
  if (m_size % 64 == 0) m_words.push_back(0);
  if (bit) m_words.back() |= std::uint64_t{1} << (m_size % 64);
  ++m_size;
}

ChoiceColumn::ChoiceColumn(std::size_t categories)
    : m_wide(categories >= std::numeric_limits<std::uint8_t>::max()) {
  if (categories >= missing) throw std::invalid_argument("too many choices for one column");
}

void ChoiceColumn::push_back(std::uint16_t code) {
  if (m_wide) {
    m_codes16.push_back(code);
  } else {
    m_codes8.push_back(code == missing ? std::numeric_limits<std::uint8_t>::max()
                                       : static_cast<std::uint8_t>(code));
  }
}

void ChoiceColumn::reserve(std::size_t rows) {
  if (m_wide) {
    m_codes16.reserve(rows);
  } else {
    m_codes8.reserve(rows);
  }
}

std::size_t ChoiceColumn::bytes() const {
  return m_codes8.capacity() + m_codes16.capacity() * sizeof(std::uint16_t);
}

std::size_t Column::bytes() const {
  std::size_t n = choice.bytes() + numbers.capacity() * sizeof(double) + multiple.answered.bytes();
  for (const auto& b : multiple.chosen) n += b.bytes();
  return n;
}

Dataset::Dataset(std::vector<ColumnSpec> specs) {
  m_columns.reserve(specs.size());
  for (auto& s : specs) {
    if (s.question.empty()) s.question = s.name;
    Column c{.spec = std::move(s), .choice = ChoiceColumn(0), .multiple = {}, .numbers = {}};
    if (c.spec.kind == ColumnKind::choice) c.choice = ChoiceColumn(c.spec.categories.size());
    if (c.spec.kind == ColumnKind::multiple) c.multiple.chosen.resize(c.spec.categories.size());
    ++(c.spec.kind == ColumnKind::choice     ? m_choice_columns
       : c.spec.kind == ColumnKind::multiple ? m_multiple_columns
                                             : m_number_columns);
    m_columns.push_back(std::move(c));
  }
}

void Dataset::append(const json& answers) {
  for (auto& column : m_columns) {
    const json* value = nullptr;
    if (answers.is_object()) {
      auto found = answers.find(column.spec.question);
      if (found != answers.end()) value = &*found;
    }
    if (value && !column.spec.row.empty()) {
      auto found = value->is_object() ? value->find(column.spec.row) : value->end();
      value = value->is_object() && found != value->end() ? &*found : nullptr;
    }
    append_value(column, value);
  }
  m_weights.push_back(1.0);
}

void Dataset::append(const CodedRow& row) {
  if (row.codes.size() != m_choice_columns || row.chosen.size() != m_multiple_columns ||
      row.numbers.size() != m_number_columns) {
    throw std::invalid_argument("a coded row needs one value for every column");
  }
  const std::uint16_t* code = row.codes.data();
  const std::uint64_t* chosen = row.chosen.data();
  const double* number = row.numbers.data();
  for (auto& column : m_columns) {
    switch (column.spec.kind) {
      case ColumnKind::choice:
        column.choice.push_back(*code < column.spec.categories.size() ? *code
                                                                      : ChoiceColumn::missing);
        ++code;
        break;
      case ColumnKind::multiple:
        column.multiple.answered.push_back(*chosen != 0);
        for (std::size_t i = 0; i < column.multiple.chosen.size(); ++i) {
          column.multiple.chosen[i].push_back(i < 64 && (*chosen >> i) & 1u);
        }
        ++chosen;
        break;
      case ColumnKind::number:
        column.numbers.push_back(*number++);
        break;
    }
  }
  m_weights.push_back(row.weight);
}

void Dataset::reserve(std::size_t rows) {
  for (auto& column : m_columns) {
    column.choice.reserve(column.spec.kind == ColumnKind::choice ? rows : 0);
    column.multiple.answered.reserve(column.spec.kind == ColumnKind::multiple ? rows : 0);
    for (auto& bits : column.multiple.chosen) bits.reserve(rows);
    if (column.spec.kind == ColumnKind::number) column.numbers.reserve(rows);
  }
  m_weights.reserve(rows);
}

void Dataset::append_value(Column& column, const json* value) {
  switch (column.spec.kind) {
    case ColumnKind::choice: {
      std::uint16_t code = ChoiceColumn::missing;
      if (value && value->is_string()) code = code_of(column.spec, value->get<std::string>());
      // A scale's choice may arrive as a number (an API client sending 3 for "3").
      if (value && value->is_number()) code = code_of(column.spec, value->dump());
      column.choice.push_back(code);
      break;
    }
    case ColumnKind::multiple: {
      bool answered = value && value->is_array() && !value->empty();
      column.multiple.answered.push_back(answered);
      for (std::size_t i = 0; i < column.multiple.chosen.size(); ++i) {
        bool chosen = false;
        if (answered) {
          for (const auto& v : *value) {
            if (v.is_string() && v.get_ref<const std::string&>() == column.spec.categories[i]) {
              chosen = true;
            }
          }
        }
        column.multiple.chosen[i].push_back(chosen);
      }
      break;
    }
    case ColumnKind::number:
      column.numbers.push_back(value && value->is_number() ? value->get<double>() : not_a_number);
      break;
  }
}

const Column* Dataset::find(std::string_view name) const {
  for (const auto& c : m_columns) {
    if (c.spec.name == name) return &c;
  }
  return nullptr;
}

const Column& Dataset::require(std::string_view name, ColumnKind kind) const {
  const Column* c = find(name);
  if (!c) throw std::invalid_argument("no question " + std::string(name) + " to analyse");
  if (c->spec.kind != kind) {
    throw std::invalid_argument("question " + std::string(name) + " is not a " +
                                std::string(kind_name(kind)) + " question");
  }
  return *c;
}

Dataset Dataset::select_rows(const std::vector<char>& keep) const {
  std::vector<ColumnSpec> specs;
  for (const auto& c : m_columns) specs.push_back(c.spec);
  Dataset out(std::move(specs));
  for (std::size_t i = 0; i < m_columns.size(); ++i) {
    const Column& from = m_columns[i];
    Column& to = out.m_columns[i];
    for (std::size_t r = 0; r < rows(); ++r) {
      if (!keep[r]) continue;
      switch (from.spec.kind) {
        case ColumnKind::choice:
          to.choice.push_back(from.choice.code(r));
          break;
        case ColumnKind::multiple:
          to.multiple.answered.push_back(from.multiple.answered[r]);
          for (std::size_t k = 0; k < from.multiple.chosen.size(); ++k) {
            to.multiple.chosen[k].push_back(from.multiple.chosen[k][r]);
          }
          break;
        case ColumnKind::number:
          to.numbers.push_back(from.numbers[r]);
          break;
      }
    }
  }
  for (std::size_t r = 0; r < rows(); ++r) {
    if (keep[r]) out.m_weights.push_back(m_weights[r]);
  }
  return out;
}

std::size_t Dataset::bytes() const {
  std::size_t n = m_weights.capacity() * sizeof(double);
  for (const auto& c : m_columns) n += c.bytes();
  return n;
}

std::vector<ColumnSpec> columns_for(const questionnaire::Questionnaire& q) {
  std::vector<ColumnSpec> specs;
  for (const auto& question : q.questions()) {
    if (!question.other_of_question.empty()) continue;  // "other, please specify" text
    switch (question.type) {
      case QuestionType::single:
      case QuestionType::scale:
        specs.push_back(spec(question.name, ColumnKind::choice, names_of(question.choices)));
        break;
      case QuestionType::multiple:
      case QuestionType::ranking:  // the set of choices ranked: "put it among their top three"
        specs.push_back(spec(question.name, ColumnKind::multiple, names_of(question.choices)));
        break;
      case QuestionType::matrix:
        for (const auto& row : question.rows) {
          specs.push_back(spec(question.name + "/" + row.name, ColumnKind::choice,
                               names_of(question.choices), question.name, row.name));
        }
        break;
      case QuestionType::integer:
      case QuestionType::decimal:
      case QuestionType::year:
        specs.push_back(spec(question.name, ColumnKind::number, {}));
        break;
      default:
        break;
    }
  }
  return specs;
}

Dataset build_dataset(store::Store& store, std::int64_t campaign_id,
                      const questionnaire::Questionnaire& q,
                      const std::function<void(const store::ResponseRecord&)>& added) {
  Dataset data(columns_for(q));
  store.for_each_response(campaign_id, [&](const store::ResponseRecord& r) {
    json answers = json::parse(r.answers, nullptr, false);
    if (!answers.is_object()) return;  // stored answers are always an object; skip if not
    data.append(answers);
    if (added) added(r);
  });
  return data;
}

}  // namespace needsmap::analysis
