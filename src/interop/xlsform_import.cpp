#include "interop/xlsform_import.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <map>
#include <set>
#include <tuple>

#include "core/text.hpp"
#include "interop/csv_reader.hpp"
#include "interop/languages.hpp"
#include "interop/references.hpp"
#include "interop/xlsx_reader.hpp"

namespace needsmap::interop {

namespace {

using json = nlohmann::json;

constexpr std::string_view default_tag = "sr-Cyrl";

std::vector<std::string> split_words(std::string_view s) {
  std::vector<std::string> out;
  std::string word;
  for (char c : s) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      if (!word.empty()) out.push_back(std::move(word));
      word.clear();
    } else {
      word += c;
    }
  }
  if (!word.empty()) out.push_back(std::move(word));
  return out;
}

std::string join_words(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : " ") + w;
  return out;
}

// A number cell as JSON: integer when whole, otherwise double; none when it is not a number.
std::optional<json> number_value(std::string_view s) {
  if (s.empty()) return std::nullopt;
  long long whole = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), whole);
  if (ec == std::errc() && p == s.data() + s.size()) return json(whole);
  double value = 0;
  auto [q, ec2] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec2 == std::errc() && q == s.data() + s.size() && std::isfinite(value)) return json(value);
  return std::nullopt;
}

struct Column {
  std::size_t index{0};
  std::string header;
  std::string base;      // lowercase, spaces as underscores: "constraint_message"
  std::string language;  // needsmap tag, or "" for the form's default language
};

// One sheet with its header row understood: which column holds what, in which language.
class Table {
 public:
  Table(const Sheet* sheet, std::string default_language, const std::set<std::string>& known,
        const std::set<std::string>& translatable)
      : m_sheet(sheet), m_default_language(std::move(default_language)) {
    if (!sheet || sheet->rows.empty()) return;
    const auto& headers = sheet->rows[0];
    for (std::size_t i = 0; i < headers.size(); ++i) {
      std::string header = text::trim(headers[i]);
      if (header.empty()) continue;
      Column column{.index = i, .header = header, .base = "", .language = ""};
      std::string_view h = header;
      auto sep = h.find("::");
      std::string base = text::ascii_lower(text::trim(h.substr(0, sep)));
      std::replace(base.begin(), base.end(), ' ', '_');
      column.base = base;
      bool ok = known.contains(base);
      if (sep != std::string_view::npos) {
        auto language = language_from_suffix(h.substr(sep + 2));
        ok = ok && translatable.contains(base) && language.has_value();
        if (language) column.language = *language;
      }
      (ok ? m_columns : m_unsupported).push_back(std::move(column));
    }
  }

  const Sheet* sheet() const { return m_sheet; }
  std::size_t rows() const { return m_sheet ? m_sheet->rows.size() : 0; }
  const std::string& sheet_name() const { return m_sheet->name; }

  bool has(std::string_view base) const {
    return std::any_of(m_columns.begin(), m_columns.end(),
                       [&](const Column& c) { return c.base == base; });
  }

  // The trimmed value of an untranslated column.
  std::string value(std::size_t row, std::string_view base) const {
    for (const auto& c : m_columns) {
      if (c.base == base && c.language.empty()) return text::trim(m_sheet->cell(row, c.index));
    }
    return "";
  }

  // A translated text as language → text; null when no language has any.
  json text(std::size_t row, std::string_view base) const {
    json out = json::object();
    for (const auto& c : m_columns) {
      if (c.base != base) continue;
      std::string v = text::trim(m_sheet->cell(row, c.index));
      if (v.empty()) continue;
      out[c.language.empty() ? m_default_language : c.language] = v;
    }
    return out.empty() ? json() : out;
  }

  // Every language a translated column names, in the order of the columns.
  void collect_languages(std::vector<std::string>& languages) const {
    for (const auto& c : m_columns) {
      std::string tag = c.language.empty() ? m_default_language : c.language;
      if (c.base == "label" || c.base == "hint" || c.base.ends_with("_message") ||
          c.base == "form_title" || c.base == "needsmap_description") {
        if (std::find(languages.begin(), languages.end(), tag) == languages.end()) {
          languages.push_back(tag);
        }
      }
    }
  }

  // One note per column that is not imported, with the rows where it has a value.
  void note_unsupported(SheetNotes& skipped) const {
    for (const auto& c : m_unsupported) {
      std::vector<std::size_t> rows;
      for (std::size_t r = 1; r < m_sheet->rows.size(); ++r) {
        if (!text::trim(m_sheet->cell(r, c.index)).empty()) rows.push_back(r + 1);
      }
      if (rows.empty()) continue;
      std::string list;
      for (std::size_t i = 0; i < rows.size() && i < 20; ++i) {
        list += (i ? ", " : "") + std::to_string(rows[i]);
      }
      if (rows.size() > 20) list += ", …";
      std::string why = c.header.find("::") != std::string::npos && !c.language.empty()
                            ? "this column cannot be translated"
                        : c.header.find("::") != std::string::npos
                            ? "its language is not recognised; name it like label::English (en)"
                            : "needsmap has no use for it";
      skipped.push_back(
          {.sheet = m_sheet->name,
           .row = 1,
           .column = c.header,
           .name = "",
           .message = "column not imported (" + why + "); it has values in rows " + list,
           .position = 0});
    }
  }

 private:
  const Sheet* m_sheet;
  std::string m_default_language;
  std::vector<Column> m_columns;
  std::vector<Column> m_unsupported;
};

const std::set<std::string> survey_columns = {"type",
                                              "name",
                                              "label",
                                              "hint",
                                              "required",
                                              "required_message",
                                              "relevant",
                                              "constraint",
                                              "constraint_message",
                                              "calculation",
                                              "appearance",
                                              "parameters",
                                              "needsmap_type",
                                              "needsmap_min",
                                              "needsmap_max",
                                              "needsmap_min_selections",
                                              "needsmap_max_selections",
                                              "needsmap_min_rank",
                                              "needsmap_max_rank",
                                              "needsmap_max_length"};
const std::set<std::string> choices_columns = {"list_name", "name", "label", "needsmap_exclusive",
                                               "needsmap_other"};
const std::set<std::string> settings_columns = {"form_title",
                                                "form_id",
                                                "version",
                                                "default_language",
                                                "needsmap_description",
                                                "needsmap_estimated_minutes"};
const std::set<std::string> translatable = {"label",
                                            "hint",
                                            "required_message",
                                            "constraint_message",
                                            "form_title",
                                            "needsmap_description"};

// Question types that collect device data needsmap promises not to keep.
const std::set<std::string, std::less<>> metadata_types = {
    "start",        "end",       "today",          "deviceid",
    "subscriberid", "simserial", "phonenumber",    "username",
    "email",        "audit",     "start-geopoint", "background-audio",
    "imei",         "uri:email", "uri:username",   "uri:phonenumber"};

struct Group {
  enum class Kind { section, nested, matrix, repeat } kind{Kind::section};
  std::size_t row{0};
  std::string name;
  std::string relevant;
  // Matrix only: the group's own cells and the rows of its questions.
  json matrix;
  std::vector<std::size_t> matrix_rows;
};

// "select one yes_no" → {"select_one", "yes_no"}: the keyword in lowercase and underscored as
// pyxform accepts it, the list name as written (list names are case-sensitive).
std::vector<std::string> normalise_type(std::string_view cell) {
  std::vector<std::string> words = split_words(cell);
  if (words.empty()) return words;
  auto lower = [&](std::size_t i) { return i < words.size() ? text::ascii_lower(words[i]) : ""; };
  std::string first = lower(0);
  std::size_t used = 1;
  if ((first == "begin" || first == "end") && (lower(1) == "group" || lower(1) == "repeat")) {
    first += "_" + lower(1);
    used = 2;
  } else if (first == "select" && lower(1) == "one") {
    first = "select_one";
    used = 2;
  } else if (first == "select" && lower(1) == "all" && lower(2) == "that" && lower(3) == "apply") {
    first = "select_multiple";
    used = 4;
  }
  std::vector<std::string> out{first};
  for (std::size_t i = used; i < words.size(); ++i) out.push_back(words[i]);
  if (out.size() > 2 && text::ascii_lower(out[2]) == "or_other") out[2] = "or_other";
  return out;
}

std::string and_all(const std::vector<std::string>& parts) {
  std::vector<std::string> present;
  for (const auto& p : parts) {
    if (!p.empty()) present.push_back(p);
  }
  if (present.size() == 1) return present[0];
  std::string out;
  for (const auto& p : present) out += (out.empty() ? "(" : " and (") + p + ")";
  return out;
}

class Importer {
 public:
  Importer(const Workbook& workbook, std::string file)
      : m_workbook(workbook), m_file(std::move(file)) {}

  std::expected<XlsformImport, XlsformFailure> run(const questionnaire::Catalogs& catalogs);

 private:
  void error(const Table& t, std::size_t row, std::string column, std::string name,
             std::string message) {
    m_errors.push_back({.sheet = t.sheet_name(),
                        .row = row + 1,
                        .column = std::move(column),
                        .name = std::move(name),
                        .message = std::move(message),
                        .position = 0});
  }
  void skip(const Table& t, std::size_t row, std::string name, std::string message) {
    m_skipped.push_back({.sheet = t.sheet_name(),
                         .row = row + 1,
                         .column = "",
                         .name = std::move(name),
                         .message = std::move(message),
                         .position = 0});
  }

  void read_settings();
  void read_choices();
  void read_survey();
  std::optional<json> question(const Table& t, std::size_t row,
                               const std::vector<std::string>& type);
  void start_section(const std::string& name, json title, json description, std::string relevant,
                     std::size_t row);
  void add_question(json q, std::size_t row);
  void finish_matrix(const Table& t, Group& group);
  void rename_matrix_rows();

  const Workbook& m_workbook;
  std::string m_file;
  std::string m_default_language{default_tag};
  json m_document = json::object();
  json m_sections = json::array();
  json m_choice_lists = json::object();
  std::map<std::string, std::vector<std::size_t>> m_choice_rows;  // list → choices rows
  std::vector<std::string> m_languages;
  std::vector<Group> m_groups;
  bool m_in_section{false};
  std::map<std::string, std::string> m_matrix_rows;  // XLSForm name → "matrix/row"
  SourcePlaces m_places;
  SheetNotes m_errors, m_skipped;
};

void Importer::read_settings() {
  std::string stem = std::filesystem::path(m_file).stem().string();
  std::string id;
  for (char c : text::ascii_lower(stem)) {
    id += (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ? c : '_';
  }
  if (id.empty() || id[0] < 'a' || id[0] > 'z') id = "form_" + id;
  m_document["format"] = "needsmap-questionnaire/1";
  m_document["name"] = id;
  m_document["version"] = "1";
  m_document["title"] = json{{std::string(default_tag), stem}};

  const Sheet* sheet = m_workbook.find("settings");
  if (!sheet) return;
  // The default language decides where untranslated columns go, so read it first.
  Table first(sheet, std::string(default_tag), settings_columns, translatable);
  if (std::string d = first.value(1, "default_language"); !d.empty()) {
    if (auto tag = language_from_suffix(d)) {
      m_default_language = *tag;
    } else {
      error(first, 1, "default_language", "",
            "unknown language \"" + d + "\"; write it like Српски (sr-Cyrl) or English (en)");
    }
  }
  Table t(sheet, m_default_language, settings_columns, translatable);
  t.note_unsupported(m_skipped);
  t.collect_languages(m_languages);
  if (auto id_cell = t.value(1, "form_id"); !id_cell.empty()) m_document["name"] = id_cell;
  if (auto v = t.value(1, "version"); !v.empty()) m_document["version"] = v;
  if (auto title = t.text(1, "form_title"); !title.is_null()) m_document["title"] = title;
  if (auto d = t.text(1, "needsmap_description"); !d.is_null()) m_document["description"] = d;
  if (auto m = t.value(1, "needsmap_estimated_minutes"); !m.empty()) {
    auto n = number_value(m);
    if (n && n->is_number_integer()) {
      m_document["estimated_minutes"] = *n;
    } else {
      error(t, 1, "needsmap_estimated_minutes", "", "must be a whole number of minutes");
    }
  }
  for (const char* key : {"name", "version", "title", "description", "estimated_minutes"}) {
    m_places.add(std::string("/") + key, sheet->name, 2);
  }
  for (std::size_t r = 2; r < t.rows(); ++r) {
    if (!sheet->rows[r].empty()) skip(t, r, "", "only the second row of settings is read");
  }
}

void Importer::read_choices() {
  const Sheet* sheet = m_workbook.find("choices");
  if (!sheet) return;
  Table t(sheet, m_default_language, choices_columns, translatable);
  t.note_unsupported(m_skipped);
  t.collect_languages(m_languages);
  for (std::size_t r = 1; r < t.rows(); ++r) {
    if (sheet->rows[r].empty()) continue;
    std::string list = t.value(r, "list_name");
    std::string name = t.value(r, "name");
    if (list.empty()) {
      error(t, r, "list_name", name, "a choice needs a list_name");
      continue;
    }
    json choice = {{"name", name}};
    if (json label = t.text(r, "label"); !label.is_null()) choice["label"] = label;
    auto yes = [&](std::string_view column) {
      std::string v = text::ascii_lower(t.value(r, column));
      return v == "yes" || v == "true" || v == "1";
    };
    if (yes("needsmap_exclusive")) choice["exclusive"] = true;
    if (yes("needsmap_other")) choice["other"] = true;
    m_choice_lists[list].push_back(std::move(choice));
    m_choice_rows[list].push_back(r + 1);
  }
}

void Importer::start_section(const std::string& name, json title, json description,
                             std::string relevant, std::size_t row) {
  json section = {{"name", name}, {"title", std::move(title)}, {"questions", json::array()}};
  if (!description.is_null()) section["description"] = std::move(description);
  if (!relevant.empty()) section["relevant"] = std::move(relevant);
  m_places.add("/sections/" + std::to_string(m_sections.size()), "survey", row + 1);
  m_sections.push_back(std::move(section));
}

void Importer::add_question(json q, std::size_t row) {
  json& questions = m_sections.back()["questions"];
  std::string pointer = "/sections/" + std::to_string(m_sections.size() - 1) + "/questions/" +
                        std::to_string(questions.size());
  m_places.add(pointer, "survey", row + 1);
  // Choices of a list point at their own rows of the choices sheet.
  if (q.contains("choices") && q["choices"].is_string()) {
    auto rows = m_choice_rows.find(q["choices"].get<std::string>());
    if (rows != m_choice_rows.end()) {
      for (std::size_t k = 0; k < rows->second.size(); ++k) {
        m_places.add(pointer + "/choices/" + std::to_string(k), "choices", rows->second[k]);
      }
    }
  }
  if (q.contains("_rows")) {
    const auto& rows = q["_rows"];
    for (std::size_t k = 0; k < rows.size(); ++k) {
      m_places.add(pointer + "/rows/" + std::to_string(k), "survey", rows[k].get<std::size_t>());
    }
    q.erase("_rows");
  }
  questions.push_back(std::move(q));
}

std::optional<json> Importer::question(const Table& t, std::size_t r,
                                       const std::vector<std::string>& type) {
  const std::string name = t.value(r, "name");
  const std::string& base = type[0];
  std::vector<std::string> appearance = split_words(t.value(r, "appearance"));
  auto take_appearance = [&](std::string_view word) {
    auto it = std::find(appearance.begin(), appearance.end(), word);
    if (it == appearance.end()) return false;
    appearance.erase(it);
    return true;
  };
  json q = {{"name", name}};
  std::string needsmap_type = t.value(r, "needsmap_type");
  if (base == "integer" || base == "decimal" || base == "text" || base == "date" ||
      base == "note" || base == "calculate") {
    q["type"] = base;
    if (base == "text" && take_appearance("multiline")) q["type"] = "long_text";
    if (base == "integer" && needsmap_type == "year") q["type"] = "year";
  } else if (base == "range") {
    // parameters "start=1 end=10 step=1" (XLSForm range); needsmap keeps the bounds.
    json start = 0, end = 10;
    bool whole = true;
    for (const auto& word : split_words(t.value(r, "parameters"))) {
      auto eq = word.find('=');
      if (eq == std::string::npos) continue;
      std::string key = text::ascii_lower(word.substr(0, eq));
      auto value = number_value(word.substr(eq + 1));
      if (!value) {
        error(t, r, "parameters", name, "range parameter " + key + " must be a number");
        continue;
      }
      whole = whole && value->is_number_integer();
      if (key == "start") start = *value;
      if (key == "end") end = *value;
      if (key == "step" && *value != json(1)) {
        skip(t, r, name, "the range step " + word.substr(eq + 1) + " is not imported");
      }
    }
    q["type"] =
        whole && start.is_number_integer() && end.is_number_integer() ? "integer" : "decimal";
    bool descending = start.get<double>() > end.get<double>();
    q["min"] = descending ? end : start;
    q["max"] = descending ? start : end;
  } else if (base == "select_one" || base == "select_multiple" || base == "rank") {
    if (type.size() < 2) {
      error(t, r, "type", name,
            base + " needs the name of a choice list, e.g. \"" + base + " yes_no\"");
      return std::nullopt;
    }
    q["type"] = base == "select_one"        ? (take_appearance("likert") ? "scale" : "single")
                : base == "select_multiple" ? "multiple"
                                            : "ranking";
    const std::string& list = type[1];
    if (!m_choice_lists.contains(list)) {
      error(t, r, "type", name, "no choice list \"" + list + "\" in the choices sheet");
      return std::nullopt;
    }
    q["choices"] = list;
    if (type.size() > 2 && type[2] == "or_other") {
      if (base == "rank") {
        error(t, r, "type", name, "a rank question cannot have or_other");
        return std::nullopt;
      }
      // XLSForm's "or_other": an extra choice "other" that asks for text in <name>_other.
      json choices = m_choice_lists[list];
      choices.push_back({{"name", "other"},
                         {"label", {{"sr-Cyrl", "Друго"}, {"en", "Other"}, {"mk", "Друго"}}},
                         {"other", true}});
      q["choices"] = choices;
    } else if (type.size() > 2) {
      error(t, r, "type", name, "unexpected \"" + type[2] + "\" after the list name");
      return std::nullopt;
    }
  } else if (metadata_types.contains(base)) {
    skip(t, r, name,
         "type \"" + base +
             "\" is not imported: it records the device or the time, and needsmap keeps "
             "answers anonymous");
    return std::nullopt;
  } else {
    skip(t, r, name, "type \"" + base + "\" cannot be imported (needsmap has no such question)");
    return std::nullopt;
  }

  if (json label = t.text(r, "label"); !label.is_null()) q["label"] = label;
  if (json hint = t.text(r, "hint"); !hint.is_null()) q["hint"] = hint;
  std::string required = t.value(r, "required");
  std::string req = text::ascii_lower(required);
  if (req == "yes" || req == "true" || req == "true()" || req == "1") {
    q["required"] = true;
  } else if (req == "no" || req == "false" || req == "false()" || req == "0") {
    q["required"] = false;
  } else if (!required.empty()) {
    q["required"] = required;
  }
  for (const char* key : {"required_message", "constraint_message"}) {
    if (json text = t.text(r, key); !text.is_null()) q[key] = text;
  }
  for (const char* key : {"relevant", "constraint", "calculation"}) {
    if (std::string v = t.value(r, key); !v.empty()) q[key] = v;
  }
  for (std::string_view key :
       {"min", "max", "min_selections", "max_selections", "min_rank", "max_rank", "max_length"}) {
    std::string column = "needsmap_" + std::string(key);
    std::string v = t.value(r, column);
    if (v.empty()) continue;
    if (auto n = number_value(v)) {
      q[std::string(key)] = *n;
    } else {
      q[std::string(key)] = v;  // a date bound; the loader checks it
    }
  }
  if (!appearance.empty()) q["appearance"] = join_words(appearance);
  return q;
}

void Importer::finish_matrix(const Table& t, Group& group) {
  const std::string& name = group.name;
  if (group.matrix_rows.empty()) {
    error(t, group.row, "type", name, "a table-list group needs at least one question");
    return;
  }
  std::string list;
  json rows = json::array();
  json first;
  json places = json::array();
  for (std::size_t r : group.matrix_rows) {
    auto type = split_words(t.value(r, "type"));
    std::string row_name = t.value(r, "name");
    if (type.size() != 2 || type[0] != "select_one" || (!list.empty() && type[1] != list)) {
      error(t, r, "type", row_name,
            "a table-list group is imported as a matrix: every question in it must be "
            "\"select_one\" of the same list");
      return;
    }
    list = type[1];
    if (!m_choice_lists.contains(list)) {
      error(t, r, "type", row_name, "no choice list \"" + list + "\" in the choices sheet");
      return;
    }
    std::string short_name =
        row_name.starts_with(name + "_") ? row_name.substr(name.size() + 1) : row_name;
    m_matrix_rows[row_name] = name + "/" + short_name;
    json row = {{"name", short_name}};
    if (json label = t.text(r, "label"); !label.is_null()) row["label"] = label;
    rows.push_back(std::move(row));
    places.push_back(r + 1);
    if (first.is_null()) first = {{"required", t.value(r, "required")}};
    for (const char* key : {"relevant", "calculation"}) {
      if (!t.value(r, key).empty()) {
        skip(t, r, row_name,
             std::string(key) +
                 " of a row in a table-list group is not imported (the group's "
                 "applies to every row)");
      }
    }
  }
  json q = group.matrix;
  q["type"] = "matrix";
  q["choices"] = list;
  q["rows"] = rows;
  q["_rows"] = places;
  // The first row's requirement and messages stand for the whole matrix.
  std::size_t r0 = group.matrix_rows.front();
  std::string req = text::ascii_lower(t.value(r0, "required"));
  if (req == "yes" || req == "true" || req == "true()" || req == "1") {
    q["required"] = true;
  } else if (req == "no" || req == "false" || req == "false()" || req == "0") {
    q["required"] = false;
  } else if (!req.empty()) {
    q["required"] = t.value(r0, "required");
  }
  for (const char* key : {"required_message", "constraint_message"}) {
    if (json text = t.text(r0, key); !text.is_null()) q[key] = text;
  }
  if (std::string c = t.value(r0, "constraint"); !c.empty()) q["constraint"] = c;
  add_question(std::move(q), group.row);
}

void Importer::read_survey() {
  const Sheet* sheet = m_workbook.find("survey");
  Table t(sheet, m_default_language, survey_columns, translatable);
  if (!sheet || t.rows() < 2) {
    m_errors.push_back({.sheet = "survey",
                        .row = 0,
                        .column = "",
                        .name = "",
                        .message = sheet
                                       ? "the survey sheet has no questions"
                                       : "there is no sheet named \"survey\" (is this an XLSForm?)",
                        .position = 0});
    return;
  }
  if (!t.has("type") || !t.has("name")) {
    error(t, 0, "", "", "the survey sheet needs the columns type and name in its first row");
    return;
  }
  t.note_unsupported(m_skipped);
  t.collect_languages(m_languages);

  std::size_t repeat_depth = 0;
  std::size_t repeat_row = 0;
  for (std::size_t r = 1; r < t.rows(); ++r) {
    if (sheet->rows[r].empty()) continue;
    std::string type_cell = t.value(r, "type");
    std::string name = t.value(r, "name");
    if (type_cell.empty()) {
      skip(t, r, name, "the row has no type");
      continue;
    }
    auto type = normalise_type(type_cell);
    const std::string& base = type[0];

    if (repeat_depth > 0) {
      if (base == "begin_repeat" || base == "begin_group") ++repeat_depth;
      if (base == "end_repeat" || base == "end_group") --repeat_depth;
      skip(t, r, name,
           "inside the repeat group of row " + std::to_string(repeat_row) +
               ", which cannot be imported");
      continue;
    }
    if (base == "begin_repeat") {
      repeat_depth = 1;
      repeat_row = r + 1;
      skip(t, r, name,
           "repeat groups cannot be imported: a needsmap questionnaire asks each question once");
      continue;
    }
    if (base == "end_repeat") {
      error(t, r, "type", name, "end_repeat without begin_repeat");
      continue;
    }
    if (base == "begin_group") {
      if (name.empty()) {
        error(t, r, "name", "", "a group needs a name");
        continue;
      }
      std::vector<std::string> appearance = split_words(t.value(r, "appearance"));
      bool table =
          std::find(appearance.begin(), appearance.end(), "table-list") != appearance.end();
      Group group{.kind = Group::Kind::section,
                  .row = r,
                  .name = name,
                  .relevant = t.value(r, "relevant"),
                  .matrix = json(),
                  .matrix_rows = {}};
      if (m_groups.empty()) {
        if (table) {
          // A table-list at the top level: a page of its own holding one matrix.
          start_section(name + "_page", t.text(r, "label"), json(), "", r);
          group.kind = Group::Kind::matrix;
          m_in_section = false;
        } else {
          start_section(name, t.text(r, "label"), t.text(r, "hint"), group.relevant, r);
          m_in_section = true;
          m_groups.push_back(std::move(group));
          continue;
        }
      } else if (table && m_groups.back().kind != Group::Kind::matrix) {
        group.kind = Group::Kind::matrix;
      } else {
        group.kind = Group::Kind::nested;
        skip(t, r, name,
             "a group inside a group: its questions are placed on the enclosing page, its "
             "label is not imported");
      }
      if (group.kind == Group::Kind::matrix) {
        group.matrix = {{"name", name}};
        if (json label = t.text(r, "label"); !label.is_null()) group.matrix["label"] = label;
        if (json hint = t.text(r, "hint"); !hint.is_null()) group.matrix["hint"] = hint;
        std::vector<std::string> relevants;
        for (const auto& g : m_groups) {
          if (g.kind == Group::Kind::nested) relevants.push_back(g.relevant);
        }
        relevants.push_back(group.relevant);
        if (std::string rel = and_all(relevants); !rel.empty()) group.matrix["relevant"] = rel;
        appearance.erase(std::find(appearance.begin(), appearance.end(), "table-list"));
        if (!appearance.empty()) group.matrix["appearance"] = join_words(appearance);
      }
      m_groups.push_back(std::move(group));
      continue;
    }
    if (base == "end_group") {
      if (m_groups.empty()) {
        error(t, r, "type", name, "end_group without begin_group");
        continue;
      }
      Group group = std::move(m_groups.back());
      m_groups.pop_back();
      if (group.kind == Group::Kind::matrix) finish_matrix(t, group);
      if (m_groups.empty()) m_in_section = false;
      continue;
    }
    if (!m_groups.empty() && m_groups.back().kind == Group::Kind::matrix) {
      m_groups.back().matrix_rows.push_back(r);
      continue;
    }
    auto q = question(t, r, type);
    if (!q) continue;
    if (!m_in_section) {
      // Questions outside any group: a page of their own, titled like the form.
      start_section("page_" + std::to_string(m_sections.size() + 1), m_document["title"], json(),
                    "", r);
      m_in_section = true;
    }
    std::vector<std::string> relevants;
    for (const auto& g : m_groups) {
      if (g.kind == Group::Kind::nested) relevants.push_back(g.relevant);
    }
    if (!relevants.empty()) {
      relevants.push_back(q->value("relevant", ""));
      if (std::string rel = and_all(relevants); !rel.empty()) (*q)["relevant"] = rel;
    }
    add_question(std::move(*q), r);
  }
  if (repeat_depth > 0) {
    m_errors.push_back({.sheet = "survey",
                        .row = repeat_row,
                        .column = "type",
                        .name = "",
                        .message = "begin_repeat without end_repeat",
                        .position = 0});
  }
  for (const auto& g : m_groups) error(t, g.row, "type", g.name, "begin_group without end_group");
}

// ${m_r}, an XLSForm question standing for a row of matrix m, becomes needsmap's ${m/r}.
void Importer::rename_matrix_rows() {
  if (m_matrix_rows.empty()) return;
  Renamer rename = [&](std::string_view name) -> std::optional<std::string> {
    auto it = m_matrix_rows.find(std::string(name));
    if (it == m_matrix_rows.end()) return std::nullopt;
    return it->second;
  };
  auto fix = [&](json& node, const char* key) {
    if (node.contains(key) && node[key].is_string()) {
      node[key] = rename_references(node[key].get<std::string>(), rename);
    }
  };
  for (auto& section : m_sections) {
    fix(section, "relevant");
    for (auto& q : section["questions"]) {
      for (const char* key : {"relevant", "constraint", "calculation", "required"}) fix(q, key);
    }
  }
}

std::expected<XlsformImport, XlsformFailure> Importer::run(
    const questionnaire::Catalogs& catalogs) {
  read_settings();
  read_choices();
  read_survey();
  rename_matrix_rows();
  for (const auto& sheet : m_workbook.sheets) {
    std::string n = text::ascii_lower(sheet.name);
    if (n != "survey" && n != "choices" && n != "settings" && !sheet.rows.empty()) {
      m_skipped.push_back({.sheet = sheet.name,
                           .row = 0,
                           .column = "",
                           .name = "",
                           .message = "sheet not imported (an XLSForm has survey, choices and "
                                      "settings)",
                           .position = 0});
    }
  }
  // One clear error instead of a "missing sr-Cyrl text" for every question.
  if (m_errors.empty() &&
      std::find(m_languages.begin(), m_languages.end(), "sr-Cyrl") == m_languages.end()) {
    m_errors.push_back({.sheet = "survey",
                        .row = 1,
                        .column = "",
                        .name = "",
                        .message = "the form has no Serbian Cyrillic texts, which needsmap needs "
                                   "for every question: add columns label::Српски (sr) (or set "
                                   "default_language to Српски (sr) for the plain label column)",
                        .position = 0});
  }
  if (!m_errors.empty()) {
    return std::unexpected(ImportFailure{.errors = m_errors, .skipped = m_skipped});
  }

  // sr-Latn is always offered: it is derived from the Cyrillic.
  std::vector<std::string> languages{"sr-Cyrl", "sr-Latn"};
  for (const auto& l : m_languages) {
    if (std::find(languages.begin(), languages.end(), l) == languages.end()) languages.push_back(l);
  }
  m_document["languages"] = languages;
  if (!m_choice_lists.empty()) m_document["choice_lists"] = m_choice_lists;
  m_document["sections"] = m_sections;

  return load_imported(m_document, catalogs, m_file, m_places, m_skipped, "survey");
}

bool looks_like_zip(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  char magic[2] = {};
  in.read(magic, 2);
  return in && magic[0] == 'P' && magic[1] == 'K';
}

}  // namespace

std::expected<XlsformImport, XlsformFailure> import_xlsform(const Workbook& workbook,
                                                            const questionnaire::Catalogs& catalogs,
                                                            const std::string& file) {
  return Importer(workbook, file).run(catalogs);
}

Result<Workbook> read_xlsform_file(const std::filesystem::path& path) {
  std::string extension = text::ascii_lower(path.extension().string());
  if (extension == ".csv") return read_xlsform_csv(path);
  if (extension == ".xls" && !looks_like_zip(path)) {
    return std::unexpected(Error::invalid(
        "old Excel .xls files cannot be read; save the form as Excel Workbook (.xlsx)"));
  }
  return read_xlsx(path);
}

}  // namespace needsmap::interop
