#include "collect/export_csv.hpp"

#include <nlohmann/json.hpp>

#include "questionnaire/answers.hpp"

namespace needsmap::collect {

using json = nlohmann::json;
using questionnaire::Question;
using questionnaire::QuestionType;

namespace {

bool is_plain_number(std::string_view value) {
  std::size_t i = value[0] == '-' ? 1 : 0;
  bool digits = false, dot = false;
  for (; i < value.size(); ++i) {
    if (std::isdigit(static_cast<unsigned char>(value[i]))) {
      digits = true;
    } else if (value[i] == '.' && !dot) {
      dot = true;
    } else {
      return false;
    }
  }
  return digits;
}

std::string csv_field(std::string_view value) {
  bool quote = value.find_first_of(",\"\n\r") != std::string_view::npos;
  // Text starting with = + - @ (or a tab or CR) is run as a formula by spreadsheets: keep such
  // text as text with a leading apostrophe. Negative numbers stay numbers.
  bool formula = !value.empty() &&
                 std::string_view("=+-@\t\r").find(value[0]) != std::string_view::npos &&
                 !is_plain_number(value);
  std::string out;
  if (quote || formula) out.push_back('"');
  if (formula) out.push_back('\'');
  for (char c : value) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  if (quote || formula) out.push_back('"');
  return out;
}

// One column of the export: its header and how to read its cell from a response.
struct Column {
  std::string header;
  std::function<std::string(const json& answers)> cell;
};

std::string choice_text(const Question& q, const std::string& name, const CsvOptions& o) {
  if (!o.labels) return name;
  const auto* choice = q.find_choice(name);
  return choice ? choice->label.get(o.language) : name;
}

std::vector<Column> columns_for(const questionnaire::Questionnaire& q, const CsvOptions& o) {
  std::vector<Column> columns;
  for (const auto& question : q.questions()) {
    const Question* qp = &question;
    const std::string name = question.name;
    switch (question.type) {
      case QuestionType::note:
        break;
      case QuestionType::multiple:
        for (const auto& choice : question.choices) {
          std::string option = choice.name;
          columns.push_back({name + "/" + option, [name, option](const json& a) -> std::string {
                               auto it = a.find(name);
                               if (it == a.end() || !it->is_array()) return "";
                               for (const auto& v : *it) {
                                 if (v == option) return "1";
                               }
                               return "0";
                             }});
        }
        break;
      case QuestionType::matrix:
        for (const auto& row : question.rows) {
          std::string r = row.name;
          columns.push_back({name + "/" + r, [name, r, qp, &o](const json& a) -> std::string {
                               auto it = a.find(name);
                               if (it == a.end() || !it->is_object() || !it->contains(r)) return "";
                               return choice_text(*qp, (*it)[r].get<std::string>(), o);
                             }});
        }
        break;
      case QuestionType::ranking:
        for (int rank = 1; rank <= question.max_selections; ++rank) {
          columns.push_back({name + "/" + std::to_string(rank),
                             [name, rank, qp, &o](const json& a) -> std::string {
                               auto it = a.find(name);
                               if (it == a.end() || !it->is_array() ||
                                   static_cast<int>(it->size()) < rank) {
                                 return "";
                               }
                               return choice_text(*qp, (*it)[rank - 1].get<std::string>(), o);
                             }});
        }
        break;
      case QuestionType::single:
      case QuestionType::scale:
        columns.push_back({name, [name, qp, &o](const json& a) -> std::string {
                             auto it = a.find(name);
                             if (it == a.end() || !it->is_string()) return "";
                             return choice_text(*qp, it->get<std::string>(), o);
                           }});
        break;
      default:
        columns.push_back({name, [name, qp](const json& a) -> std::string {
                             auto it = a.find(name);
                             if (it == a.end()) return "";
                             return questionnaire::expression_value(*qp, *it);
                           }});
    }
  }
  return columns;
}

}  // namespace

Result<std::size_t> export_csv(store::Store& store, const store::Campaign& campaign,
                               const questionnaire::Questionnaire& q, const CsvOptions& options,
                               std::ostream& out) {
  auto columns = columns_for(q, options);
  if (options.byte_order_mark) out << "\xEF\xBB\xBF";
  out << "response_id,submitted_on,mode,language";
  for (const auto& c : columns) out << ',' << csv_field(c.header);
  out << "\r\n";
  std::size_t count = 0;
  std::string failure;
  store.for_each_response(campaign.id, [&](const store::ResponseRecord& r) {
    json answers = json::parse(r.answers, nullptr, false);
    if (!answers.is_object()) {
      failure = "response " + r.id + " is not readable";
      return;
    }
    out << csv_field(r.id) << ',' << r.submitted_on << ',' << r.mode << ',' << r.language;
    for (const auto& c : columns) out << ',' << csv_field(c.cell(answers));
    out << "\r\n";
    ++count;
  });
  if (!failure.empty()) return std::unexpected(Error::internal(failure));
  if (!out) return std::unexpected(Error::io("cannot write the export"));
  return count;
}

}  // namespace needsmap::collect
