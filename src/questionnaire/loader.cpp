#include "questionnaire/loader.hpp"

#include <algorithm>
#include <fstream>
#include <queue>
#include <set>
#include <sstream>

#include "core/clock.hpp"
#include "core/text.hpp"

namespace needsmap::questionnaire {

std::string LoadError::to_string() const {
  std::ostringstream out;
  out << file << ':';
  if (!question.empty()) out << " \"" << question << '"';
  if (!where.empty()) out << " (" << where << ')';
  out << ": " << message;
  if (position > 0) out << " at " << position;
  return out.str();
}

namespace {

using json = nlohmann::json;

constexpr std::string_view format_tag = "needsmap-questionnaire/1";
constexpr std::string_view catalog_format_tag = "needsmap-catalog/1";
constexpr std::string_view catalog_prefix = "catalog:";

bool is_identifier(std::string_view s) {
  if (s.empty() || s.size() > 64 || s[0] < 'a' || s[0] > 'z') return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

bool is_choice_name(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

// Collects errors while walking one document, remembering where it is.
class Builder {
 public:
  Builder(const Catalogs& catalogs, std::string file)
      : m_catalogs(catalogs), m_file(std::move(file)) {}

  LoadErrors& errors() { return m_errors; }

  void error(const std::string& where, const std::string& message, std::size_t position = 0) {
    m_errors.push_back({m_file, where, m_current_name, position, message});
  }

  void set_current(std::string name) { m_current_name = std::move(name); }

  // A text object (or a plain string taken as sr-Cyrl). Returns the normalised JSON as well.
  LocalizedText text(const json& node, const std::string& where, bool required) {
    if (node.is_null()) {
      if (required) error(where, "missing text");
      return {};
    }
    std::map<std::string, std::string, std::less<>> by_language;
    if (node.is_string()) {
      by_language.emplace(std::string(primary_language), node.get<std::string>());
    } else if (node.is_object()) {
      for (const auto& [language, value] : node.items()) {
        if (!value.is_string()) {
          error(where + "/" + language, "a text must be a string");
          continue;
        }
        by_language.emplace(language, value.get<std::string>());
      }
    } else {
      error(where, "a text must be a string or an object of language → string");
      return {};
    }
    auto primary = by_language.find(primary_language);
    if (primary == by_language.end() || text::trim(primary->second).empty()) {
      error(where, "missing sr-Cyrl text");
    }
    LocalizedText result(std::move(by_language));
    result.derive_latin();
    return result;
  }

  std::optional<Expression> expression(const json& node, const std::string& where) {
    if (node.is_null()) return std::nullopt;
    if (node.is_boolean()) {
      return *Expression::parse(node.get<bool>() ? "true()" : "false()");
    }
    if (!node.is_string()) {
      error(where, "an expression must be a string");
      return std::nullopt;
    }
    auto parsed = Expression::parse(node.get<std::string>());
    if (!parsed) {
      error(where, parsed.error().message, parsed.error().position);
      return std::nullopt;
    }
    return std::move(*parsed);
  }

  // Resolves `choices` (inline array, local list name or catalog:NAME) to choices, and returns
  // the resolved JSON array through `resolved`.
  std::vector<Choice> choices(const json& node, const json& local_lists, const std::string& where,
                              json& resolved) {
    const json* list = &node;
    if (node.is_string()) {
      std::string ref = node.get<std::string>();
      if (ref.starts_with(catalog_prefix)) {
        auto it = m_catalogs.find(std::string_view(ref).substr(catalog_prefix.size()));
        if (it == m_catalogs.end()) {
          error(where, "unknown catalog '" + ref.substr(catalog_prefix.size()) + "'");
          return {};
        }
        list = &it->second["choices"];
      } else if (local_lists.is_object() && local_lists.contains(ref)) {
        list = &local_lists[ref];
      } else {
        error(where, "unknown choice list '" + ref + "'");
        return {};
      }
    }
    if (!list->is_array() || list->empty()) {
      error(where, "choices must be a non-empty array or the name of a list");
      return {};
    }
    std::vector<Choice> out;
    std::set<std::string, std::less<>> seen;
    resolved = json::array();
    for (std::size_t i = 0; i < list->size(); ++i) {
      const json& item = (*list)[i];
      std::string item_where = where + "/" + std::to_string(i);
      if (!item.is_object() || !item.contains("name") || !item["name"].is_string()) {
        error(item_where, "a choice needs a name");
        continue;
      }
      Choice choice;
      choice.name = item["name"].get<std::string>();
      if (!is_choice_name(choice.name)) {
        error(item_where + "/name",
              "choice name '" + choice.name + "' must be lowercase letters, digits and _");
      }
      if (!seen.insert(choice.name).second) {
        error(item_where + "/name", "duplicate choice name '" + choice.name + "'");
      }
      choice.label = text(item.value("label", json()), item_where + "/label", true);
      choice.exclusive = item.value("exclusive", false);
      choice.other = item.value("other", false);
      json resolved_item = {{"name", choice.name}, {"label", choice.label.to_json()}};
      if (choice.exclusive) resolved_item["exclusive"] = true;
      if (choice.other) resolved_item["other"] = true;
      resolved.push_back(std::move(resolved_item));
      out.push_back(std::move(choice));
    }
    return out;
  }

 private:
  const Catalogs& m_catalogs;
  std::string m_file;
  std::string m_current_name;
  LoadErrors m_errors;
};

std::optional<double> number_field(Builder& b, const json& q, const char* key,
                                   const std::string& where) {
  if (!q.contains(key)) return std::nullopt;
  if (!q[key].is_number()) {
    b.error(where + "/" + key, std::string(key) + " must be a number");
    return std::nullopt;
  }
  return q[key].get<double>();
}

int int_field(Builder& b, const json& q, const char* key, const std::string& where, int fallback) {
  if (!q.contains(key)) return fallback;
  if (!q[key].is_number_integer() || q[key].get<long long>() < 0 ||
      q[key].get<long long>() > 1'000'000) {
    b.error(where + "/" + key, std::string(key) + " must be a whole number ≥ 0");
    return fallback;
  }
  return q[key].get<int>();
}

// 1-based code point position of ${ref} in the expression's source.
std::size_t position_of(const Expression& e, const std::string& ref) {
  std::size_t byte = e.source().find("${" + ref);
  if (byte == std::string::npos) return 0;
  return text::code_points(std::string_view(e.source()).substr(0, byte)) + 1;
}

// Known keys per element, so a typo ("requried") is reported instead of silently ignored.
const std::set<std::string, std::less<>> question_keys = {"name",
                                                          "type",
                                                          "label",
                                                          "hint",
                                                          "required",
                                                          "required_message",
                                                          "relevant",
                                                          "constraint",
                                                          "constraint_message",
                                                          "calculation",
                                                          "choices",
                                                          "rows",
                                                          "min",
                                                          "max",
                                                          "min_selections",
                                                          "max_selections",
                                                          "max_rank",
                                                          "min_rank",
                                                          "max_length",
                                                          "appearance"};

}  // namespace

class QuestionnaireBuilder {
 public:
  static std::expected<Questionnaire, LoadErrors> build(const json& doc, const Catalogs& catalogs,
                                                        const std::string& file);
};

std::expected<Questionnaire, LoadErrors> QuestionnaireBuilder::build(const json& doc,
                                                                     const Catalogs& catalogs,
                                                                     const std::string& file) {
  Builder b(catalogs, file);
  Questionnaire q;
  if (!doc.is_object()) {
    b.error("", "a questionnaire must be a JSON object");
    return std::unexpected(b.errors());
  }
  if (doc.value("format", "") != format_tag) {
    b.error("/format", "format must be \"" + std::string(format_tag) + "\"");
  }
  q.m_name = doc.value("name", "");
  if (!is_identifier(q.m_name)) b.error("/name", "name must match [a-z][a-z0-9_]*");
  if (!doc.contains("version") || !doc["version"].is_string() ||
      doc["version"].get<std::string>().empty()) {
    b.error("/version", "version must be a non-empty string");
  } else {
    q.m_version = doc["version"].get<std::string>();
  }
  q.m_title = b.text(doc.value("title", json()), "/title", true);
  q.m_description = b.text(doc.value("description", json()), "/description", false);
  q.m_estimated_minutes = int_field(b, doc, "estimated_minutes", "", 0);
  if (doc.contains("languages")) {
    if (!doc["languages"].is_array()) b.error("/languages", "languages must be an array");
    for (const auto& l : doc["languages"]) {
      if (l.is_string()) q.m_languages.push_back(l.get<std::string>());
    }
  }
  if (q.m_languages.empty()) q.m_languages = {"sr-Cyrl", "sr-Latn", "en", "mk"};
  if (std::find(q.m_languages.begin(), q.m_languages.end(), "sr-Cyrl") == q.m_languages.end()) {
    b.error("/languages", "languages must include sr-Cyrl");
  }
  const json local_lists = doc.value("choice_lists", json::object());

  json resolved = {{"format", format_tag},       {"name", q.m_name},
                   {"version", q.m_version},     {"title", q.m_title.to_json()},
                   {"languages", q.m_languages}, {"sections", json::array()}};
  if (!q.m_description.empty()) resolved["description"] = q.m_description.to_json();
  if (q.m_estimated_minutes > 0) resolved["estimated_minutes"] = q.m_estimated_minutes;

  std::set<std::string, std::less<>> names;
  std::vector<std::string> question_where;  // JSON pointer of each question, for errors
  auto claim_name = [&](const std::string& name, const std::string& where) {
    if (!names.insert(name).second) b.error(where, "duplicate name '" + name + "'");
  };

  const json sections = doc.value("sections", json());
  if (!sections.is_array() || sections.empty()) {
    b.error("/sections", "sections must be a non-empty array");
    return std::unexpected(b.errors());
  }
  for (std::size_t si = 0; si < sections.size(); ++si) {
    const json& s = sections[si];
    std::string swhere = "/sections/" + std::to_string(si);
    Section section;
    section.name = s.is_object() ? s.value("name", "") : "";
    b.set_current(section.name);
    if (!is_identifier(section.name)) b.error(swhere + "/name", "name must match [a-z][a-z0-9_]*");
    claim_name(section.name, swhere + "/name");
    section.title = b.text(s.value("title", json()), swhere + "/title", true);
    section.description = b.text(s.value("description", json()), swhere + "/description", false);
    section.relevant = b.expression(s.value("relevant", json()), swhere + "/relevant");
    json rsection = {
        {"name", section.name}, {"title", section.title.to_json()}, {"questions", json::array()}};
    if (!section.description.empty()) rsection["description"] = section.description.to_json();
    if (section.relevant) rsection["relevant"] = section.relevant->source();

    const json questions = s.value("questions", json());
    if (!questions.is_array() || questions.empty()) {
      b.error(swhere + "/questions", "questions must be a non-empty array");
    }
    for (std::size_t qi = 0; questions.is_array() && qi < questions.size(); ++qi) {
      const json& jq = questions[qi];
      std::string where = swhere + "/questions/" + std::to_string(qi);
      if (!jq.is_object()) {
        b.error(where, "a question must be an object");
        continue;
      }
      Question question;
      question.section = si;
      question.name = jq.value("name", "");
      b.set_current(question.name);
      if (!is_identifier(question.name)) {
        b.error(where + "/name", "name must match [a-z][a-z0-9_]*");
      }
      claim_name(question.name, where + "/name");
      for (const auto& [key, _] : jq.items()) {
        if (!question_keys.contains(key)) b.error(where + "/" + key, "unknown key '" + key + "'");
      }
      auto type = question_type_from_string(jq.value("type", ""));
      if (!type) {
        b.error(where + "/type", "unknown type '" + jq.value("type", "") + "'");
        continue;
      }
      question.type = *type;
      json rq = jq;
      question.label = b.text(jq.value("label", json()), where + "/label",
                              question.type != QuestionType::calculate);
      question.hint = b.text(jq.value("hint", json()), where + "/hint", false);
      question.required_message =
          b.text(jq.value("required_message", json()), where + "/required_message", false);
      question.constraint_message =
          b.text(jq.value("constraint_message", json()), where + "/constraint_message", false);
      for (const char* key : {"label", "hint", "required_message", "constraint_message"}) {
        rq.erase(key);
      }
      if (!question.label.empty()) rq["label"] = question.label.to_json();
      if (!question.hint.empty()) rq["hint"] = question.hint.to_json();
      if (!question.required_message.empty()) {
        rq["required_message"] = question.required_message.to_json();
      }
      if (!question.constraint_message.empty()) {
        rq["constraint_message"] = question.constraint_message.to_json();
      }
      if (jq.contains("required")) {
        if (jq["required"].is_boolean()) {
          question.required = jq["required"].get<bool>();
        } else {
          question.required_when = b.expression(jq["required"], where + "/required");
        }
      }
      question.relevant = b.expression(jq.value("relevant", json()), where + "/relevant");
      question.constraint = b.expression(jq.value("constraint", json()), where + "/constraint");
      question.calculation = b.expression(jq.value("calculation", json()), where + "/calculation");
      if (question.type == QuestionType::calculate && !question.calculation) {
        b.error(where + "/calculation", "a calculate question needs a calculation");
      }
      if (question.type != QuestionType::calculate && jq.contains("calculation")) {
        b.error(where + "/calculation", "only calculate questions have a calculation");
      }
      if (!takes_answer(question.type) && (question.required || question.required_when)) {
        b.error(where + "/required",
                "a " + std::string(to_string(question.type)) + " question cannot be required");
      }
      if (has_choices(question.type)) {
        json resolved_choices;
        question.choices = b.choices(jq.value("choices", json()), local_lists, where + "/choices",
                                     resolved_choices);
        rq["choices"] = resolved_choices;
      } else if (jq.contains("choices")) {
        b.error(where + "/choices", "only choice questions have choices");
      }
      if (question.type == QuestionType::matrix) {
        json resolved_rows;
        question.rows =
            b.choices(jq.value("rows", json()), local_lists, where + "/rows", resolved_rows);
        rq["rows"] = resolved_rows;
        for (const auto& c : question.choices) {
          if (c.other) b.error(where + "/choices", "a matrix cannot have an 'other' choice");
        }
      }
      if (question.type == QuestionType::date) {
        for (const char* key : {"min", "max"}) {
          if (!jq.contains(key)) continue;
          std::string value = jq[key].is_string() ? jq[key].get<std::string>() : "";
          if (!clock::is_valid_date(value)) {
            b.error(where + "/" + key, std::string(key) + " of a date must be YYYY-MM-DD");
          }
          (std::string_view(key) == "min" ? question.min_date : question.max_date) = value;
        }
      } else {
        question.min = number_field(b, jq, "min", where);
        question.max = number_field(b, jq, "max", where);
        if (question.min && question.max && *question.min > *question.max) {
          b.error(where + "/min", "min is greater than max");
        }
      }
      if (question.type == QuestionType::ranking) {
        question.max_selections =
            int_field(b, jq, "max_rank", where, static_cast<int>(question.choices.size()));
        question.min_selections = int_field(b, jq, "min_rank", where, 0);
      } else {
        question.max_selections = int_field(b, jq, "max_selections", where, 0);
        question.min_selections = int_field(b, jq, "min_selections", where, 0);
      }
      std::size_t default_length = question.type == QuestionType::long_text ? 4000 : 500;
      question.max_length = static_cast<std::size_t>(
          int_field(b, jq, "max_length", where, static_cast<int>(default_length)));

      std::size_t index = q.m_questions.size();
      section.questions.push_back(index);
      q.m_questions.push_back(std::move(question));
      question_where.push_back(where);
      rsection["questions"].push_back(std::move(rq));

      // "Other, please specify": an implicit text question right after its parent.
      const Question& parent = q.m_questions[index];
      for (const auto& choice : parent.choices) {
        if (!choice.other || parent.type == QuestionType::matrix) continue;
        Question other;
        other.name = parent.name + "_other";
        other.type = QuestionType::text;
        other.section = si;
        other.label = choice.label;
        other.required = true;
        other.max_length = 200;
        other.other_of_question = parent.name;
        other.other_of_choice = choice.name;
        other.relevant =
            *Expression::parse("selected(${" + parent.name + "}, '" + choice.name + "')");
        claim_name(other.name, where + "/choices");
        section.questions.push_back(q.m_questions.size());
        q.m_questions.push_back(std::move(other));
        question_where.push_back(where + "/choices");
        break;
      }
    }
    q.m_sections.push_back(std::move(section));
    resolved["sections"].push_back(std::move(rsection));
  }

  for (std::size_t i = 0; i < q.m_questions.size(); ++i)
    q.m_index.emplace(q.m_questions[i].name, i);

  // References must name a question (or a matrix row); collect dependencies for ordering.
  std::vector<std::set<std::size_t>> depends_on(q.m_questions.size());
  auto check_refs = [&](const Expression& e, const std::string& owner, const std::string& field,
                        std::set<std::size_t>* deps) {
    b.set_current(owner);
    for (const auto& ref : e.references()) {
      std::string_view base = ref;
      std::string_view row;
      if (auto slash = base.find('/'); slash != std::string_view::npos) {
        row = base.substr(slash + 1);
        base = base.substr(0, slash);
      }
      const Question* target = q.find(base);
      if (!target) {
        b.error(field, "unknown question ${" + ref + "}", position_of(e, ref));
        continue;
      }
      if (!row.empty() && (target->type != QuestionType::matrix || !target->find_row(row))) {
        b.error(field, "${" + ref + "} is not a row of a matrix question", position_of(e, ref));
        continue;
      }
      if (deps) deps->insert(q.m_index.at(std::string(base)));
    }
    if (e.uses_current() && field.ends_with("/relevant")) {
      b.error(field, "'.' means this answer and can be used only in a constraint");
    }
  };
  for (std::size_t si = 0; si < q.m_sections.size(); ++si) {
    const Section& section = q.m_sections[si];
    std::string swhere = "/sections/" + std::to_string(si);
    if (section.relevant) {
      for (std::size_t qi : section.questions) {
        check_refs(*section.relevant, section.name, swhere + "/relevant", &depends_on[qi]);
      }
    }
  }
  for (std::size_t i = 0; i < q.m_questions.size(); ++i) {
    const Question& question = q.m_questions[i];
    if (!question.other_of_question.empty()) {
      depends_on[i].insert(q.m_index.at(question.other_of_question));
      continue;
    }
    const std::string& where = question_where[i];
    if (question.relevant)
      check_refs(*question.relevant, question.name, where + "/relevant", &depends_on[i]);
    if (question.calculation) {
      check_refs(*question.calculation, question.name, where + "/calculation", &depends_on[i]);
    }
    if (question.required_when) {
      check_refs(*question.required_when, question.name, where + "/required", &depends_on[i]);
    }
    if (question.constraint)
      check_refs(*question.constraint, question.name, where + "/constraint", nullptr);
    depends_on[i].erase(i);
  }

  // Evaluation order: Kahn's algorithm, taking the earliest question first so that the order
  // follows the document wherever dependencies allow.
  std::vector<std::size_t> waiting(q.m_questions.size(), 0);
  std::vector<std::vector<std::size_t>> dependents(q.m_questions.size());
  for (std::size_t i = 0; i < depends_on.size(); ++i) {
    waiting[i] = depends_on[i].size();
    for (std::size_t d : depends_on[i]) dependents[d].push_back(i);
  }
  std::priority_queue<std::size_t, std::vector<std::size_t>, std::greater<>> ready;
  for (std::size_t i = 0; i < waiting.size(); ++i) {
    if (waiting[i] == 0) ready.push(i);
  }
  while (!ready.empty()) {
    std::size_t i = ready.top();
    ready.pop();
    q.m_evaluation_order.push_back(i);
    for (std::size_t d : dependents[i]) {
      if (--waiting[d] == 0) ready.push(d);
    }
  }
  if (q.m_evaluation_order.size() != q.m_questions.size() && b.errors().empty()) {
    std::string cycle;
    for (std::size_t i = 0; i < waiting.size(); ++i) {
      if (waiting[i] > 0) cycle += (cycle.empty() ? "" : ", ") + q.m_questions[i].name;
    }
    b.set_current("");
    b.error("/sections", "cycle in relevance or calculations between: " + cycle);
  }

  if (!b.errors().empty()) return std::unexpected(std::move(b.errors()));
  q.m_resolved = std::move(resolved);
  return q;
}

std::expected<Questionnaire, LoadErrors> load_questionnaire(const json& document,
                                                            const Catalogs& catalogs,
                                                            const std::string& file) {
  return QuestionnaireBuilder::build(document, catalogs, file);
}

namespace {
std::expected<json, LoadError> read_json_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::unexpected(LoadError{path.string(), "", "", 0, "cannot open file"});
  std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  try {
    return json::parse(content);
  } catch (const json::parse_error& e) {
    return std::unexpected(
        LoadError{path.string(), "", "", e.byte, std::string("invalid JSON: ") + e.what()});
  }
}
}  // namespace

std::expected<Catalogs, LoadErrors> load_catalogs(const std::filesystem::path& directory) {
  Catalogs catalogs;
  LoadErrors errors;
  std::error_code ec;
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(directory, ec)) {
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  }
  if (ec) return std::unexpected(LoadErrors{{directory.string(), "", "", 0, ec.message()}});
  std::sort(files.begin(), files.end());
  for (const auto& path : files) {
    auto doc = read_json_file(path);
    if (!doc) {
      errors.push_back(doc.error());
      continue;
    }
    if (!doc->is_object() || doc->value("format", "") != catalog_format_tag ||
        !(*doc)["choices"].is_array()) {
      errors.push_back({path.string(), "/format", "", 0,
                        "a catalog needs format \"needsmap-catalog/1\" and a choices array"});
      continue;
    }
    catalogs.emplace(path.stem().string(), std::move(*doc));
  }
  if (!errors.empty()) return std::unexpected(std::move(errors));
  return catalogs;
}

std::expected<Questionnaire, LoadErrors> load_questionnaire_file(const std::filesystem::path& path,
                                                                 const Catalogs& catalogs) {
  auto doc = read_json_file(path);
  if (!doc) return std::unexpected(LoadErrors{doc.error()});
  return load_questionnaire(*doc, catalogs, path.string());
}

}  // namespace needsmap::questionnaire
