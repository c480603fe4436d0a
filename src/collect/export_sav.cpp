#include "collect/export_sav.hpp"

#include <readstat.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <unordered_map>

#include "collect/export_snapshot.hpp"

namespace needsmap::collect {

using questionnaire::QuestionType;

namespace {

struct WriterFree {
  void operator()(readstat_writer_t* w) const { readstat_writer_free(w); }
};
using Writer = std::unique_ptr<readstat_writer_t, WriterFree>;

ssize_t write_bytes(const void* data, size_t length, void* context) {
  auto* out = static_cast<std::ostream*>(context);
  out->write(static_cast<const char*>(data), static_cast<std::streamsize>(length));
  return *out ? static_cast<ssize_t>(length) : -1;
}

Error sav_error(readstat_error_t e, std::string_view what) {
  return Error::io("cannot write the SPSS file (" + std::string(what) +
                   "): " + readstat_error_message(e));
}

// What the first pass learns about a column's values.
struct Shape {
  std::size_t bytes{0};  // the longest text, in bytes
  bool numeric{true};    // every calculated value is a plain number
  bool integral{true};   // … and a whole one
};

bool is_string_variable(const ExportColumn& c, const Shape& shape) {
  switch (c.kind) {
    case ColumnKind::response_id:
    case ColumnKind::mode:
    case ColumnKind::language:
    case ColumnKind::text:
      return true;
    case ColumnKind::calculated:
      return !shape.numeric;
    default:
      return false;
  }
}

// SPSS counts time in seconds from the start of the Gregorian calendar, 14 October 1582.
double spss_seconds(std::chrono::year_month_day date) {
  using namespace std::chrono;
  constexpr sys_days spss_epoch = year(1582) / October / 14;
  return static_cast<double>((sys_days(date) - spss_epoch).count()) * 86400.0;
}

std::string label_text(std::string_view text, std::size_t limit) {
  return std::string(utf8_prefix(text, limit));
}

std::string numeric_format(std::size_t digits, int decimals = 0) {
  return "F" + std::to_string(std::max<std::size_t>(digits, 1)) + "." + std::to_string(decimals);
}

std::size_t digits_of(std::size_t n) {
  return std::to_string(n).size();
}

// The texts of the file's own structure are in English, as in the codebook.

class SavVariables {
 public:
  SavVariables(readstat_writer_t* writer, const ExportColumns& columns, std::string_view language)
      : m_writer(writer), m_columns(columns), m_language(language) {}

  Result<void> define(const std::vector<Shape>& shapes) {
    const auto& cols = m_columns.columns();
    for (std::size_t i = 0; i < cols.size(); ++i) {
      auto v = define(cols[i], shapes[i]);
      if (!v) return std::unexpected(v.error());
      m_variables.push_back(*v);
    }
    return {};
  }
  const std::vector<readstat_variable_t*>& variables() const { return m_variables; }

 private:
  Result<readstat_variable_t*> define(const ExportColumn& c, const Shape& shape) {
    if (shape.bytes > spss_string_limit) {
      return std::unexpected(Error::invalid("an answer to " + c.name + " is " +
                                            std::to_string(shape.bytes) +
                                            " bytes long, more than an SPSS string holds"));
    }
    const bool string = is_string_variable(c, shape);
    readstat_variable_t* v = readstat_add_variable(
        m_writer, c.spss_name.c_str(), string ? READSTAT_TYPE_STRING : READSTAT_TYPE_DOUBLE,
        string ? std::max<std::size_t>(shape.bytes, 1) : 0);
    if (!v) return std::unexpected(Error::internal("cannot add the SPSS variable " + c.spss_name));
    const std::string label = label_text(c.label(m_language), spss_variable_label_limit);
    readstat_variable_set_label(v, label.c_str());
    readstat_variable_set_alignment(v, string ? READSTAT_ALIGNMENT_LEFT : READSTAT_ALIGNMENT_RIGHT);
    if (string) {
      readstat_variable_set_measure(v, READSTAT_MEASURE_NOMINAL);
      readstat_variable_set_display_width(
          v, static_cast<int>(std::clamp<std::size_t>(shape.bytes, 8, 40)));
      return v;
    }
    readstat_variable_set_display_width(v, 10);
    switch (c.kind) {
      case ColumnKind::submitted_on:
      case ColumnKind::date:
        readstat_variable_set_format(v, "SDATE10");
        readstat_variable_set_measure(v, READSTAT_MEASURE_SCALE);
        break;
      case ColumnKind::choice:
        readstat_variable_set_format(v, numeric_format(digits_of(c.choices().size())).c_str());
        readstat_variable_set_measure(v, c.question->type == QuestionType::scale
                                             ? READSTAT_MEASURE_ORDINAL
                                             : READSTAT_MEASURE_NOMINAL);
        readstat_variable_set_label_set(v, choice_labels(*c.question));
        break;
      case ColumnKind::selected:
        readstat_variable_set_format(v, "F1.0");
        readstat_variable_set_measure(v, READSTAT_MEASURE_NOMINAL);
        readstat_variable_set_label_set(v, selected_labels());
        break;
      case ColumnKind::number:
        readstat_variable_set_format(v, c.question->type == QuestionType::decimal ? "F10.2"
                                        : c.question->type == QuestionType::year  ? "F4.0"
                                                                                  : "F8.0");
        readstat_variable_set_measure(v, READSTAT_MEASURE_SCALE);
        break;
      default:  // a calculated value that is always a number
        readstat_variable_set_format(v, shape.integral ? "F8.0" : "F10.2");
        readstat_variable_set_measure(v, READSTAT_MEASURE_SCALE);
    }
    return v;
  }

  // One set per question: a matrix's rows and a ranking's places share their choices' labels.
  readstat_label_set_t* choice_labels(const questionnaire::Question& q) {
    auto [it, added] = m_choice_sets.try_emplace(&q, nullptr);
    if (!added) return it->second;
    const std::string name = "choices" + std::to_string(m_choice_sets.size());
    it->second = readstat_add_label_set(m_writer, READSTAT_TYPE_DOUBLE, name.c_str());
    for (std::size_t i = 0; i < q.choices.size(); ++i) {
      const std::string label =
          label_text(q.choices[i].label.get(m_language), spss_value_label_limit);
      readstat_label_double_value(it->second, static_cast<double>(i + 1), label.c_str());
    }
    return it->second;
  }

  readstat_label_set_t* selected_labels() {
    if (!m_selected_set) {
      m_selected_set = readstat_add_label_set(m_writer, READSTAT_TYPE_DOUBLE, "selected");
      readstat_label_double_value(m_selected_set, 0, not_selected_label.data());
      readstat_label_double_value(m_selected_set, 1, selected_label.data());
    }
    return m_selected_set;
  }

  readstat_writer_t* m_writer;
  const ExportColumns& m_columns;
  std::string m_language;
  std::vector<readstat_variable_t*> m_variables;
  std::unordered_map<const questionnaire::Question*, readstat_label_set_t*> m_choice_sets;
  readstat_label_set_t* m_selected_set{nullptr};
};

Error unexpected_value(const ExportColumn& c, const Cell& cell) {
  return Error::internal("the answer \"" + cell.text + "\" to " + c.name +
                         " is not a value that question takes");
}

}  // namespace

Result<std::size_t> export_sav(store::Store& store, const store::Campaign& campaign,
                               const questionnaire::Questionnaire& q, const ExportOptions& options,
                               std::ostream& out) {
  ExportColumns columns(q);
  const auto& cols = columns.columns();
  ExportSnapshot snapshot(store.connection());

  std::vector<Shape> shapes(cols.size());
  auto counted = for_each_row(store, campaign, columns, [&](const std::vector<Cell>& row) {
    for (std::size_t i = 0; i < row.size(); ++i) {
      if (row[i].type != Cell::Type::text) continue;
      Shape& shape = shapes[i];
      shape.bytes = std::max(shape.bytes, row[i].text.size());
      if (cols[i].kind == ColumnKind::calculated && shape.numeric) {
        auto n = plain_number(row[i].text);
        shape.numeric = n.has_value();
        shape.integral = shape.integral && n && std::trunc(*n) == *n;
      }
    }
    return Result<void>{};
  });
  if (!counted) return counted;

  Writer writer(readstat_writer_init());
  if (!writer) return std::unexpected(Error::internal("cannot start the SPSS writer"));
  readstat_set_data_writer(writer.get(), write_bytes);
  readstat_writer_set_compression(writer.get(), READSTAT_COMPRESS_ROWS);
  const std::string file_label = label_text(q.title().get(options.language), spss_file_label_limit);
  readstat_writer_set_file_label(writer.get(), file_label.c_str());
  const std::string notes[] = {
      "needsmap export of campaign " + campaign.municipality_slug + "/" + campaign.slug,
      "questionnaire " + q.name() + ", version " + q.version(),
      "Variable names, labels and values in full: see the codebook."};
  for (const auto& note : notes) readstat_add_note(writer.get(), label_text(note, 80).c_str());

  SavVariables variables(writer.get(), columns, options.language);
  if (auto defined = variables.define(shapes); !defined) return std::unexpected(defined.error());
  const auto& vars = variables.variables();

  readstat_error_t e = readstat_begin_writing_sav(writer.get(), &out, static_cast<long>(*counted));
  if (e != READSTAT_OK) return std::unexpected(sav_error(e, "header"));

  auto written = for_each_row(store, campaign, columns, [&](const std::vector<Cell>& row) {
    readstat_error_t e = readstat_begin_row(writer.get());
    for (std::size_t i = 0; i < row.size() && e == READSTAT_OK; ++i) {
      const Cell& cell = row[i];
      readstat_variable_t* v = vars[i];
      const bool string = readstat_variable_get_type(v) == READSTAT_TYPE_STRING;
      if (cell.type == Cell::Type::missing) {
        e = readstat_insert_missing_value(writer.get(), v);
      } else if (string) {
        e = readstat_insert_string_value(writer.get(), v, cell.text.c_str());
      } else if (cell.type == Cell::Type::number || cell.type == Cell::Type::choice) {
        e = readstat_insert_double_value(writer.get(), v, cell.number);
      } else if (auto date = parse_date(cell.text);
                 date &&
                 (cols[i].kind == ColumnKind::date || cols[i].kind == ColumnKind::submitted_on)) {
        e = readstat_insert_double_value(writer.get(), v, spss_seconds(*date));
      } else if (auto n = plain_number(cell.text); n && cols[i].kind == ColumnKind::calculated) {
        e = readstat_insert_double_value(writer.get(), v, *n);
      } else {
        return Result<void>(std::unexpected(unexpected_value(cols[i], cell)));
      }
    }
    if (e == READSTAT_OK) e = readstat_end_row(writer.get());
    if (e != READSTAT_OK) return Result<void>(std::unexpected(sav_error(e, "data")));
    return Result<void>{};
  });
  if (!written) return written;
  e = readstat_end_writing(writer.get());
  if (e != READSTAT_OK) return std::unexpected(sav_error(e, "end"));
  if (!out) return std::unexpected(Error::io("cannot write the export"));
  return written;
}

}  // namespace needsmap::collect
