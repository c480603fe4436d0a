#include "interop/lss_import.hpp"

#include <algorithm>
#include <charconv>
#include <map>
#include <pugixml.hpp>
#include <set>
#include <vector>

#include "core/text.hpp"
#include "interop/languages.hpp"
#include "interop/lss_expression.hpp"

namespace needsmap::interop {

namespace {

using json = nlohmann::json;
using Row = std::map<std::string, std::string, std::less<>>;

std::vector<Row> table(const pugi::xml_node& document, const char* name) {
  std::vector<Row> rows;
  for (auto row : document.child(name).child("rows").children("row")) {
    Row r;
    for (auto field : row.children()) {
      if (field.type() == pugi::node_element) r[field.name()] = field.child_value();
    }
    rows.push_back(std::move(r));
  }
  return rows;
}

std::string field(const Row& row, std::string_view name) {
  auto it = row.find(name);
  return it == row.end() ? "" : it->second;
}

int number(const Row& row, std::string_view name) {
  std::string v = field(row, name);
  int n = 0;
  std::from_chars(v.data(), v.data() + v.size(), n);
  return n;
}

// LimeSurvey texts are HTML from its editor; needsmap texts are plain.
std::string plain_text(std::string_view html) {
  std::string out;
  bool in_tag = false;
  for (std::size_t i = 0; i < html.size(); ++i) {
    char c = html[i];
    if (in_tag) {
      if (c == '>') in_tag = false;
      continue;
    }
    if (c == '<') {
      in_tag = true;
      std::string_view tag = html.substr(i + 1, 4);
      if (tag.starts_with("br") || tag.starts_with("/p") || tag.starts_with("/li")) out += ' ';
      continue;
    }
    if (c == '&') {
      static const std::vector<std::pair<std::string_view, std::string_view>> entities = {
          {"&amp;", "&"},   {"&lt;", "<"},    {"&gt;", ">"},    {"&quot;", "\""},
          {"&#39;", "'"},   {"&nbsp;", " "},  {"&apos;", "'"},  {"&bdquo;", "„"},
          {"&ldquo;", "“"}, {"&rdquo;", "”"}, {"&ndash;", "–"}, {"&mdash;", "—"}};
      bool replaced = false;
      for (auto [entity, text] : entities) {
        if (html.substr(i).starts_with(entity)) {
          out += text;
          i += entity.size() - 1;
          replaced = true;
          break;
        }
      }
      if (replaced) continue;
    }
    out += c;
  }
  // Collapse runs of white space that HTML would not show.
  std::string collapsed;
  bool space = false;
  for (char c : out) {
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
      space = true;
      continue;
    }
    if (space && !collapsed.empty()) collapsed += ' ';
    space = false;
    collapsed += c;
  }
  return collapsed;
}

using Texts = std::map<std::string, std::string>;  // LimeSurvey language code → text

struct Answer {
  std::string aid, code;
  int order{0};
  int scale{0};
  Texts text;
};

struct LssQuestion {
  std::string qid, parent, gid, type, title, other, mandatory, relevance;
  int order{0};
  int scale{0};
  Texts text, help;
  std::vector<Answer> answers;
  std::vector<const LssQuestion*> subquestions;
  std::map<std::string, std::string> attributes;
};

struct Group {
  std::string gid, relevance;
  int order{0};
  Texts name, description;
  std::vector<const LssQuestion*> questions;
};

const json other_label = {{"sr-Cyrl", "Друго"}, {"en", "Other"}, {"mk", "Друго"}};

class LssImporter {
 public:
  LssImporter(const std::string& file) : m_file(file) {}
  std::expected<ImportedQuestionnaire, ImportFailure> run(std::string_view xml,
                                                          const questionnaire::Catalogs& catalogs);

 private:
  void note(std::string kind, std::string name, std::string message) {
    m_skipped.push_back({.sheet = std::move(kind),
                         .row = 0,
                         .column = "",
                         .name = std::move(name),
                         .message = std::move(message),
                         .position = 0});
  }
  json text(const Texts& texts) const;
  void read(const pugi::xml_node& doc);
  std::optional<json> question(const LssQuestion& q);
  json choices_from_answers(const LssQuestion& q) const;
  json choices_from_subquestions(const LssQuestion& q) const;
  struct Conditions {
    bool present{false};
    std::optional<std::string> expression;  // none when needsmap cannot say them
  };
  Conditions conditions_of(const LssQuestion& q);
  std::optional<std::string> relevance(const std::string& equation);
  std::optional<LssVariable> variable(std::string_view name) const;

  std::string m_file;
  std::vector<std::string> m_ls_languages;               // LimeSurvey codes, base first
  std::string m_primary;                                 // the code whose texts are sr-Cyrl
  std::map<std::string, LssQuestion> m_questions;        // by qid
  std::map<std::string, Group> m_groups;                 // by gid
  std::map<std::string, std::vector<Row>> m_conditions;  // by qid
  std::map<std::string, const LssQuestion*> m_by_title;  // lowercased title → question
  Texts m_title, m_description;
  std::string m_sid;
  SheetNotes m_skipped, m_errors;
  SourcePlaces m_places;
};

json LssImporter::text(const Texts& texts) const {
  json out = json::object();
  for (const auto& [code, value] : texts) {
    std::string t = plain_text(value);
    if (t.empty()) continue;
    if (code == m_primary) out["sr-Cyrl"] = t;
    if (auto tag = language_from_suffix(code); tag && *tag != "sr-Cyrl") out[*tag] = t;
  }
  return out.empty() ? json() : out;
}

void LssImporter::read(const pugi::xml_node& doc) {
  for (auto l : doc.child("languages").children("language"))
    m_ls_languages.push_back(l.child_value());
  for (const auto& row : table(doc, "surveys")) {
    m_sid = field(row, "sid");
    if (m_ls_languages.empty()) {
      // Older files list the languages only here: the base language and the additional ones.
      std::string all = field(row, "language") + " " + field(row, "additional_languages");
      std::size_t start = 0;
      while (start < all.size()) {
        std::size_t end = all.find(' ', start);
        if (end == std::string::npos) end = all.size();
        if (end > start) m_ls_languages.push_back(all.substr(start, end - start));
        start = end + 1;
      }
    }
  }
  for (const auto& row : table(doc, "surveys_languagesettings")) {
    std::string language = field(row, "surveyls_language");
    m_title[language] = field(row, "surveyls_title");
    m_description[language] = field(row, "surveyls_description");
  }

  for (const auto& row : table(doc, "groups")) {
    Group& g = m_groups[field(row, "gid")];
    g.gid = field(row, "gid");
    g.order = number(row, "group_order");
    g.relevance = field(row, "grelevance");
    if (m_sid.empty()) m_sid = field(row, "sid");  // files without a surveys table
    if (row.contains("language")) {
      g.name[field(row, "language")] = field(row, "group_name");
      g.description[field(row, "language")] = field(row, "description");
    }
  }
  for (const auto& row : table(doc, "group_l10ns")) {
    Group& g = m_groups[field(row, "gid")];
    g.name[field(row, "language")] = field(row, "group_name");
    g.description[field(row, "language")] = field(row, "description");
  }

  for (const char* name : {"questions", "subquestions"}) {
    for (const auto& row : table(doc, name)) {
      LssQuestion& q = m_questions[field(row, "qid")];
      q.qid = field(row, "qid");
      q.parent = field(row, "parent_qid");
      q.gid = field(row, "gid");
      q.type = field(row, "type");
      q.title = field(row, "title");
      q.other = field(row, "other");
      q.mandatory = field(row, "mandatory");
      q.relevance = field(row, "relevance");
      q.order = number(row, "question_order");
      q.scale = number(row, "scale_id");
      if (row.contains("language")) {
        q.text[field(row, "language")] = field(row, "question");
        q.help[field(row, "language")] = field(row, "help");
      }
    }
  }
  for (const auto& row : table(doc, "question_l10ns")) {
    LssQuestion& q = m_questions[field(row, "qid")];
    q.text[field(row, "language")] = field(row, "question");
    q.help[field(row, "language")] = field(row, "help");
  }

  std::map<std::string, std::pair<std::string, std::size_t>> answer_by_aid;  // aid → qid, index
  for (const auto& row : table(doc, "answers")) {
    auto it = m_questions.find(field(row, "qid"));
    if (it == m_questions.end()) continue;
    auto& answers = it->second.answers;
    std::string code = field(row, "code");
    int scale = number(row, "scale_id");
    auto same = std::find_if(answers.begin(), answers.end(),
                             [&](const Answer& a) { return a.code == code && a.scale == scale; });
    if (same == answers.end()) {
      answers.push_back({.aid = field(row, "aid"),
                         .code = code,
                         .order = number(row, "sortorder"),
                         .scale = scale,
                         .text = {}});
      same = answers.end() - 1;
    }
    if (row.contains("language")) same->text[field(row, "language")] = field(row, "answer");
    if (row.contains("aid")) {
      answer_by_aid[field(row, "aid")] = {it->first,
                                          static_cast<std::size_t>(same - answers.begin())};
    }
  }
  for (const auto& row : table(doc, "answer_l10ns")) {
    auto it = answer_by_aid.find(field(row, "aid"));
    if (it == answer_by_aid.end()) continue;
    m_questions[it->second.first].answers[it->second.second].text[field(row, "language")] =
        field(row, "answer");
  }
  for (const auto& row : table(doc, "question_attributes")) {
    auto it = m_questions.find(field(row, "qid"));
    if (it != m_questions.end())
      it->second.attributes[field(row, "attribute")] = field(row, "value");
  }
  for (const auto& row : table(doc, "conditions")) m_conditions[field(row, "qid")].push_back(row);

  for (auto& [qid, q] : m_questions) {
    std::sort(q.answers.begin(), q.answers.end(),
              [](const Answer& a, const Answer& b) { return a.order < b.order; });
    if (q.parent.empty() || q.parent == "0") {
      m_groups[q.gid].questions.push_back(&q);
      m_by_title[text::ascii_lower(q.title)] = &q;
    } else if (auto parent = m_questions.find(q.parent); parent != m_questions.end()) {
      parent->second.subquestions.push_back(&q);
    }
  }
  auto by_order = [](const LssQuestion* a, const LssQuestion* b) { return a->order < b->order; };
  for (auto& [qid, q] : m_questions)
    std::sort(q.subquestions.begin(), q.subquestions.end(), by_order);
  for (auto& [gid, g] : m_groups) std::sort(g.questions.begin(), g.questions.end(), by_order);
}

std::optional<LssVariable> LssImporter::variable(std::string_view name) const {
  std::string l = text::ascii_lower(name);
  if (auto it = m_by_title.find(l); it != m_by_title.end()) {
    const LssQuestion& q = *it->second;
    bool coded = std::string_view("L!O5YGR").find(q.type) != std::string_view::npos;
    return LssVariable{.kind = LssVariable::Kind::answer,
                       .question = text::ascii_lower(q.title),
                       .choice_or_row = "",
                       .coded = coded};
  }
  // Q1_SQ001: an option of a multiple choice, or a row of an array.
  auto underscore = l.rfind('_');
  if (underscore == std::string::npos) return std::nullopt;
  auto it = m_by_title.find(l.substr(0, underscore));
  if (it == m_by_title.end()) return std::nullopt;
  const LssQuestion& q = *it->second;
  std::string sub = l.substr(underscore + 1);
  bool multiple = q.type == "M" || q.type == "P";
  return LssVariable{
      .kind = multiple ? LssVariable::Kind::choice_of_multiple : LssVariable::Kind::matrix_row,
      .question = text::ascii_lower(q.title),
      .choice_or_row = sub,
      .coded = true};
}

std::optional<std::string> LssImporter::relevance(const std::string& equation) {
  std::string e = text::trim(equation);
  if (e.empty() || e == "1") return std::string();
  return translate_lss_expression(e, [this](std::string_view n) { return variable(n); });
}

// LimeSurvey's conditions table: conditions on one field are alternatives, on different fields
// all must hold, and scenarios are alternatives again.
LssImporter::Conditions LssImporter::conditions_of(const LssQuestion& q) {
  auto it = m_conditions.find(q.qid);
  if (it == m_conditions.end()) return {.present = false, .expression = std::nullopt};
  const Conditions unsayable{.present = true, .expression = std::nullopt};
  std::map<std::string, std::map<std::string, std::vector<std::string>>> scenarios;
  for (const auto& c : it->second) {
    auto target = m_questions.find(field(c, "cqid"));
    std::string value = field(c, "value");
    std::string method = field(c, "method");
    if (target == m_questions.end() || value.starts_with("@")) return unsayable;
    const LssQuestion& t = target->second;
    // cfieldname is SIDXGIDXQID followed by a subquestion code, if any.
    std::string cfield = field(c, "cfieldname");
    std::string sub;
    if (auto x = cfield.rfind('X');
        x != std::string::npos && x + 1 + t.qid.size() <= cfield.size()) {
      sub = text::ascii_lower(cfield.substr(x + 1 + t.qid.size()));
    }
    std::string variable = t.title + (sub.empty() ? "" : "_" + sub);
    std::string atom;
    if (method == "RX") {
      atom = "regex(${" + text::ascii_lower(t.title) + "}, '" + value + "')";
    } else {
      auto translated =
          translate_lss_expression(variable + " " + method + " \"" + value + "\"",
                                   [this](std::string_view n) { return this->variable(n); });
      if (!translated) return unsayable;
      atom = *translated;
    }
    scenarios[field(c, "scenario")][cfield].push_back(atom);
  }
  std::vector<std::string> alternatives;
  for (const auto& [scenario, fields] : scenarios) {
    std::vector<std::string> all;
    for (const auto& [f, atoms] : fields) {
      std::string any;
      for (const auto& a : atoms) any += (any.empty() ? "" : " or ") + a;
      all.push_back(atoms.size() > 1 ? "(" + any + ")" : any);
    }
    std::string joined;
    for (const auto& a : all) joined += (joined.empty() ? "" : " and ") + a;
    alternatives.push_back(joined);
  }
  std::string out;
  for (const auto& a : alternatives) {
    out += (out.empty() ? "" : " or ") + (alternatives.size() > 1 ? "(" + a + ")" : a);
  }
  return {.present = true, .expression = out};
}

json LssImporter::choices_from_answers(const LssQuestion& q) const {
  json out = json::array();
  for (const auto& a : q.answers) {
    if (a.scale != 0) continue;
    json choice = {{"name", text::ascii_lower(a.code)}};
    if (json label = text(a.text); !label.is_null()) choice["label"] = label;
    out.push_back(std::move(choice));
  }
  return out;
}

json LssImporter::choices_from_subquestions(const LssQuestion& q) const {
  json out = json::array();
  for (const LssQuestion* s : q.subquestions) {
    if (s->scale != 0) continue;
    json choice = {{"name", text::ascii_lower(s->title)}};
    if (json label = text(s->text); !label.is_null()) choice["label"] = label;
    out.push_back(std::move(choice));
  }
  return out;
}

json fixed_choices(const std::vector<std::pair<std::string, json>>& choices) {
  json out = json::array();
  for (const auto& [name, label] : choices) out.push_back({{"name", name}, {"label", label}});
  return out;
}

json numbered(int from, int to) {
  json out = json::array();
  for (int i = from; i <= to; ++i) {
    out.push_back({{"name", std::to_string(i)}, {"label", {{"sr-Cyrl", std::to_string(i)}}}});
  }
  return out;
}

std::optional<json> LssImporter::question(const LssQuestion& q) {
  const std::string& t = q.type;
  json out = {{"name", text::ascii_lower(q.title)}};
  auto attribute = [&](const char* name) {
    auto it = q.attributes.find(name);
    return it == q.attributes.end() ? std::string() : text::trim(it->second);
  };
  auto set_number = [&](const char* key, const std::string& value) {
    if (value.empty()) return;
    double v = 0;
    auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
    if (ec == std::errc() && p == value.data() + value.size()) {
      out[key] = v == static_cast<long long>(v) ? json(static_cast<long long>(v)) : json(v);
    } else {
      note("question", q.title,
           std::string(key) + " \"" + value + "\" is not a number: not imported");
    }
  };
  if (t == "L" || t == "!" || t == "O") {
    out["type"] = "single";
    out["choices"] = choices_from_answers(q);
    if (t == "O")
      note("question", q.title, "the comment of a \"list with comment\" is not imported");
  } else if (t == "M" || t == "P") {
    out["type"] = "multiple";
    out["choices"] = choices_from_subquestions(q);
    if (t == "P") note("question", q.title, "the comments of a multiple choice are not imported");
    set_number("max_selections", attribute("max_answers"));
    set_number("min_selections", attribute("min_answers"));
  } else if (t == "R") {
    out["type"] = "ranking";
    out["choices"] = choices_from_answers(q);
    set_number("max_rank", attribute("max_answers"));
    set_number("min_rank", attribute("min_answers"));
  } else if (t == "5") {
    out["type"] = "scale";
    out["choices"] = numbered(1, 5);
  } else if (t == "Y") {
    out["type"] = "single";
    out["choices"] = fixed_choices({{"y", {{"sr-Cyrl", "Да"}, {"en", "Yes"}, {"mk", "Да"}}},
                                    {"n", {{"sr-Cyrl", "Не"}, {"en", "No"}, {"mk", "Не"}}}});
  } else if (t == "G") {
    out["type"] = "single";
    out["choices"] =
        fixed_choices({{"f", {{"sr-Cyrl", "Женски"}, {"en", "Female"}, {"mk", "Женски"}}},
                       {"m", {{"sr-Cyrl", "Мушки"}, {"en", "Male"}, {"mk", "Машки"}}}});
  } else if (t == "F" || t == "H" || t == "A" || t == "B" || t == "C" || t == "E") {
    out["type"] = "matrix";
    out["rows"] = choices_from_subquestions(q);
    if (t == "F" || t == "H") {
      out["choices"] = choices_from_answers(q);
    } else if (t == "A") {
      out["choices"] = numbered(1, 5);
    } else if (t == "B") {
      out["choices"] = numbered(1, 10);
    } else if (t == "C") {
      out["choices"] = fixed_choices(
          {{"y", {{"sr-Cyrl", "Да"}, {"en", "Yes"}, {"mk", "Да"}}},
           {"u", {{"sr-Cyrl", "Нисам сигуран"}, {"en", "Uncertain"}, {"mk", "Не сум сигурен"}}},
           {"n", {{"sr-Cyrl", "Не"}, {"en", "No"}, {"mk", "Не"}}}});
    } else {
      out["choices"] = fixed_choices(
          {{"i", {{"sr-Cyrl", "Повећање"}, {"en", "Increase"}, {"mk", "Зголемување"}}},
           {"s", {{"sr-Cyrl", "Исто"}, {"en", "Same"}, {"mk", "Исто"}}},
           {"d", {{"sr-Cyrl", "Смањење"}, {"en", "Decrease"}, {"mk", "Намалување"}}}});
    }
  } else if (t == "N") {
    out["type"] = attribute("num_value_int_only") == "1" ? "integer" : "decimal";
    set_number("min", attribute("min_num_value_n"));
    set_number("max", attribute("max_num_value_n"));
  } else if (t == "S") {
    out["type"] = "text";
  } else if (t == "T" || t == "U") {
    out["type"] = "long_text";
  } else if (t == "D") {
    out["type"] = "date";
  } else if (t == "X") {
    out["type"] = "note";
  } else {
    static const std::map<std::string, std::string> names = {
        {"1", "array dual scale"},   {";", "array texts"},         {":", "array numbers"},
        {"K", "multiple numerical"}, {"Q", "multiple short text"}, {"*", "equation"},
        {"|", "file upload"},        {"I", "language switch"}};
    auto it = names.find(t);
    note("question", q.title,
         "question type " + (it == names.end() ? "\"" + t + "\"" : it->second + " (" + t + ")") +
             " cannot be imported");
    return std::nullopt;
  }
  if ((t == "L" || t == "!" || t == "M") && q.other == "Y") {
    out["choices"].push_back({{"name", "other"}, {"label", other_label}, {"other", true}});
  }
  if (json label = text(q.text); !label.is_null()) out["label"] = label;
  if (json hint = text(q.help); !hint.is_null()) out["hint"] = hint;
  if (q.mandatory == "Y" && t != "X") out["required"] = true;
  // The conditions table is structured; the relevance equation is LimeSurvey's rendering of it
  // (or hand-written), so the table wins when there is one.
  Conditions conditions = conditions_of(q);
  std::optional<std::string> relevant =
      conditions.present ? conditions.expression : relevance(q.relevance);
  if (!relevant) {
    note("question", q.title,
         "its condition is not imported (needsmap cannot say it): " +
             (conditions.present ? std::string("see its conditions") : q.relevance));
  } else if (!relevant->empty()) {
    out["relevant"] = *relevant;
  }
  for (const char* logic : {"em_validation_q", "array_filter", "array_filter_exclude"}) {
    if (!attribute(logic).empty()) {
      note("question", q.title, std::string(logic) + " is not imported: " + attribute(logic));
    }
  }
  return out;
}

std::expected<ImportedQuestionnaire, ImportFailure> LssImporter::run(
    std::string_view xml, const questionnaire::Catalogs& catalogs) {
  pugi::xml_document doc;
  auto parsed = doc.load_buffer(xml.data(), xml.size());
  auto fail = [&](std::string message) {
    return std::unexpected(ImportFailure{.errors = {{.sheet = "",
                                                     .row = 0,
                                                     .column = "",
                                                     .name = "",
                                                     .message = std::move(message),
                                                     .position = 0}},
                                         .skipped = {}});
  };
  if (!parsed) return fail(std::string("not a LimeSurvey .lss file: ") + parsed.description());
  auto root = doc.child("document");
  if (!root || std::string_view(root.child_value("LimeSurveyDocType")) != "Survey") {
    return fail("not a LimeSurvey survey structure (.lss): no <LimeSurveyDocType>Survey");
  }
  read(root);
  if (m_ls_languages.empty()) return fail("the survey names no language");

  // Serbian (Cyrillic) texts are needsmap's primary ones; without them the base language stands in.
  m_primary = m_ls_languages.front();
  for (const auto& code : m_ls_languages) {
    if (language_from_suffix(code) == "sr-Cyrl") m_primary = code;
  }
  if (language_from_suffix(m_primary) != "sr-Cyrl") {
    note("survey", "",
         "the survey has no Serbian (sr) texts: its " + m_primary +
             " texts are used where needsmap needs Serbian Cyrillic");
  }
  std::vector<std::string> languages{"sr-Cyrl", "sr-Latn"};
  for (const auto& code : m_ls_languages) {
    auto tag = language_from_suffix(code);
    if (tag && std::find(languages.begin(), languages.end(), *tag) == languages.end()) {
      languages.push_back(*tag);
    }
  }

  json document = {{"format", "needsmap-questionnaire/1"},
                   {"name", "limesurvey_" + (m_sid.empty() ? std::string("survey") : m_sid)},
                   {"version", "1"},
                   {"languages", languages}};
  if (json title = text(m_title); !title.is_null()) document["title"] = title;
  if (json d = text(m_description); !d.is_null()) document["description"] = d;
  m_places.add("/title", "survey", 0);

  std::vector<const Group*> groups;
  for (const auto& [gid, g] : m_groups) groups.push_back(&g);
  std::sort(groups.begin(), groups.end(),
            [](const Group* a, const Group* b) { return a->order < b->order; });
  json sections = json::array();
  for (const Group* g : groups) {
    json section = {{"name", "group_" + g->gid}, {"questions", json::array()}};
    if (json title = text(g->name); !title.is_null()) section["title"] = title;
    if (json d = text(g->description); !d.is_null()) section["description"] = d;
    std::string group_name = plain_text(g->name.contains(m_primary) ? g->name.at(m_primary) : "");
    if (auto rel = relevance(g->relevance); !rel) {
      note("group", group_name, "its condition is not imported: " + g->relevance);
    } else if (!rel->empty()) {
      section["relevant"] = *rel;
    }
    std::string pointer = "/sections/" + std::to_string(sections.size());
    m_places.add(pointer, "group", 0, group_name);
    for (const LssQuestion* q : g->questions) {
      auto converted = question(*q);
      if (!converted) continue;
      std::string qpointer = pointer + "/questions/" + std::to_string(section["questions"].size());
      m_places.add(qpointer, "question", 0, q->title);
      section["questions"].push_back(std::move(*converted));
    }
    if (section["questions"].empty()) {
      note("group", group_name, "the group has no question needsmap can import; it is left out");
      continue;
    }
    sections.push_back(std::move(section));
  }
  document["sections"] = sections;
  return load_imported(document, catalogs, m_file, m_places, m_skipped, "survey");
}

}  // namespace

std::expected<ImportedQuestionnaire, ImportFailure> import_lss(
    std::string_view xml, const questionnaire::Catalogs& catalogs, const std::string& file) {
  return LssImporter(file).run(xml, catalogs);
}

}  // namespace needsmap::interop
