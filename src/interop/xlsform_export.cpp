#include "interop/xlsform_export.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "interop/languages.hpp"
#include "interop/references.hpp"
#include "interop/xlsx_writer.hpp"

namespace needsmap::interop {

namespace {

using json = nlohmann::json;

// Rows as column → value, turned into a sheet with only the columns that hold something.
class SheetBuilder {
 public:
  explicit SheetBuilder(std::vector<std::string> columns) : m_columns(std::move(columns)) {}
  std::map<std::string, std::string>& row() { return m_rows.emplace_back(); }
  // `always`: columns kept even when empty (language columns say which languages exist).
  Sheet build(std::string name, const std::set<std::string>& always = {}) const {
    std::vector<std::string> used;
    for (const auto& c : m_columns) {
      bool any =
          always.contains(c) || std::any_of(m_rows.begin(), m_rows.end(), [&](const auto& r) {
            auto it = r.find(c);
            return it != r.end() && !it->second.empty();
          });
      if (any) used.push_back(c);
    }
    Sheet sheet{.name = std::move(name), .rows = {used}};
    for (const auto& r : m_rows) {
      std::vector<std::string> cells;
      for (const auto& c : used) {
        auto it = r.find(c);
        cells.push_back(it == r.end() ? "" : it->second);
      }
      sheet.rows.push_back(std::move(cells));
    }
    return sheet;
  }

 private:
  std::vector<std::string> m_columns;
  std::vector<std::map<std::string, std::string>> m_rows;
};

std::string scalar(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "yes" : "no";
  if (v.is_number_integer()) return std::to_string(v.get<long long>());
  if (v.is_number()) return format_number(v.get<double>());
  return "";
}

class Exporter {
 public:
  explicit Exporter(const json& q) : m_q(q) {
    for (const auto& l : q.value("languages", json::array())) m_languages.push_back(l);
    if (m_languages.empty()) m_languages = {"sr-Cyrl", "sr-Latn", "en", "mk"};
  }

  Workbook run();

 private:
  std::string column(std::string_view base, const std::string& language) const {
    return std::string(base) + "::" + language_suffix(language);
  }
  std::vector<std::string> text_columns(std::string_view base) const {
    std::vector<std::string> out;
    for (const auto& l : m_languages) out.push_back(column(base, l));
    return out;
  }
  void put_text(std::map<std::string, std::string>& row, std::string_view base, const json& text) {
    if (text.is_string()) {
      row[column(base, "sr-Cyrl")] = text.get<std::string>();
      return;
    }
    if (!text.is_object()) return;
    for (const auto& [language, value] : text.items()) {
      if (std::find(m_languages.begin(), m_languages.end(), language) == m_languages.end()) {
        m_languages.push_back(language);  // a text in a language the list forgot: keep it
      }
      row[column(base, language)] = value.get<std::string>();
    }
  }
  std::string list_for(const json& choices, const std::string& question);
  std::string expression(const json& e) const {
    if (!e.is_string()) return scalar(e);
    return rename_references(e.get<std::string>(),
                             [](std::string_view name) -> std::optional<std::string> {
                               auto slash = name.find('/');
                               if (slash == std::string_view::npos) return std::nullopt;
                               std::string out(name);
                               out[slash] = '_';
                               return out;
                             });
  }
  void common(std::map<std::string, std::string>& row, const json& q);

  const json& m_q;
  std::vector<std::string> m_languages;
  std::vector<std::map<std::string, std::string>> m_choice_rows;
  std::map<std::string, std::string> m_lists;  // choices JSON → list name
  std::set<std::string> m_list_names;
};

// Questions with the same choices share one list, named after the first of them.
std::string Exporter::list_for(const json& choices, const std::string& question) {
  std::string key = choices.dump();
  if (auto it = m_lists.find(key); it != m_lists.end()) return it->second;
  std::string name = question;
  for (int i = 2; m_list_names.contains(name); ++i) name = question + "_" + std::to_string(i);
  m_list_names.insert(name);
  m_lists.emplace(key, name);
  for (const auto& c : choices) {
    std::map<std::string, std::string> row;
    row["list_name"] = name;
    row["name"] = c.value("name", "");
    put_text(row, "label", c.value("label", json()));
    if (c.value("exclusive", false)) row["needsmap_exclusive"] = "yes";
    if (c.value("other", false)) row["needsmap_other"] = "yes";
    m_choice_rows.push_back(std::move(row));
  }
  return name;
}

void Exporter::common(std::map<std::string, std::string>& row, const json& q) {
  if (q.contains("required")) row["required"] = expression(q["required"]);
  for (const char* key : {"required_message", "constraint_message"}) {
    put_text(row, key, q.value(key, json()));
  }
  for (const char* key : {"relevant", "constraint", "calculation"}) {
    if (q.contains(key)) row[key] = expression(q[key]);
  }
}

Workbook Exporter::run() {
  std::vector<std::map<std::string, std::string>> survey;
  for (const auto& section : m_q.value("sections", json::array())) {
    auto& begin = survey.emplace_back();
    begin["type"] = "begin_group";
    begin["name"] = section.value("name", "");
    begin["appearance"] = "field-list";
    put_text(begin, "label", section.value("title", json()));
    put_text(begin, "hint", section.value("description", json()));
    if (section.contains("relevant")) begin["relevant"] = expression(section["relevant"]);
    for (const auto& q : section.value("questions", json::array())) {
      const std::string name = q.value("name", "");
      const std::string type = q.value("type", "");
      std::vector<std::string> appearance;
      if (q.contains("appearance")) appearance.push_back(q["appearance"].get<std::string>());
      if (type == "matrix") {
        // ODK's table-list: a group of select_one questions over one list, one per row.
        std::string list = list_for(q["choices"], name);
        auto& group = survey.emplace_back();
        group["type"] = "begin_group";
        group["name"] = name;
        appearance.insert(appearance.begin(), "table-list");
        put_text(group, "label", q.value("label", json()));
        put_text(group, "hint", q.value("hint", json()));
        if (q.contains("relevant")) group["relevant"] = expression(q["relevant"]);
        std::string joined;
        for (const auto& a : appearance) joined += (joined.empty() ? "" : " ") + a;
        group["appearance"] = joined;
        for (const auto& r : q.value("rows", json::array())) {
          auto& row = survey.emplace_back();
          row["type"] = "select_one " + list;
          row["name"] = name + "_" + r.value("name", "");
          put_text(row, "label", r.value("label", json()));
          json copy = q;
          copy.erase("relevant");
          common(row, copy);
        }
        survey.emplace_back()["type"] = "end_group";
        continue;
      }
      auto& row = survey.emplace_back();
      row["name"] = name;
      if (type == "single" || type == "scale") {
        row["type"] = "select_one " + list_for(q["choices"], name);
        if (type == "scale") appearance.insert(appearance.begin(), "likert");
      } else if (type == "multiple") {
        row["type"] = "select_multiple " + list_for(q["choices"], name);
      } else if (type == "ranking") {
        row["type"] = "rank " + list_for(q["choices"], name);
      } else if (type == "long_text") {
        row["type"] = "text";
        appearance.insert(appearance.begin(), "multiline");
      } else if (type == "year") {
        row["type"] = "integer";
        row["needsmap_type"] = "year";
      } else {
        row["type"] = type;
      }
      put_text(row, "label", q.value("label", json()));
      put_text(row, "hint", q.value("hint", json()));
      common(row, q);
      for (const char* key : {"min", "max", "min_selections", "max_selections", "min_rank",
                              "max_rank", "max_length"}) {
        if (q.contains(key)) row[std::string("needsmap_") + key] = scalar(q[key]);
      }
      std::string joined;
      for (const auto& a : appearance) joined += (joined.empty() ? "" : " ") + a;
      if (!joined.empty()) row["appearance"] = joined;
    }
    survey.emplace_back()["type"] = "end_group";
  }

  std::vector<std::string> survey_columns = {"type", "name"};
  for (const char* base : {"label", "hint"}) {
    for (auto& c : text_columns(base)) survey_columns.push_back(c);
  }
  survey_columns.push_back("required");
  for (auto& c : text_columns("required_message")) survey_columns.push_back(c);
  for (const char* c : {"relevant", "constraint"}) survey_columns.push_back(c);
  for (auto& c : text_columns("constraint_message")) survey_columns.push_back(c);
  for (const char* c : {"calculation", "appearance", "needsmap_type", "needsmap_min",
                        "needsmap_max", "needsmap_min_selections", "needsmap_max_selections",
                        "needsmap_min_rank", "needsmap_max_rank", "needsmap_max_length"}) {
    survey_columns.push_back(c);
  }
  std::set<std::string> labels;
  for (auto& c : text_columns("label")) labels.insert(c);

  SheetBuilder survey_sheet(survey_columns);
  for (auto& r : survey) survey_sheet.row() = std::move(r);

  std::vector<std::string> choice_columns = {"list_name", "name"};
  for (auto& c : text_columns("label")) choice_columns.push_back(c);
  choice_columns.push_back("needsmap_exclusive");
  choice_columns.push_back("needsmap_other");
  SheetBuilder choices_sheet(choice_columns);
  for (auto& r : m_choice_rows) choices_sheet.row() = std::move(r);

  // form_title alone is the default language (sr-Cyrl); the others carry their suffix.
  std::vector<std::string> settings_columns = {"form_title"};
  std::set<std::string> settings_always;
  for (const auto& l : m_languages) {
    if (l == "sr-Cyrl") continue;
    settings_columns.push_back(column("form_title", l));
    settings_always.insert(column("form_title", l));
  }
  for (const char* c : {"form_id", "version", "default_language"}) settings_columns.push_back(c);
  for (auto& c : text_columns("needsmap_description")) settings_columns.push_back(c);
  settings_columns.push_back("needsmap_estimated_minutes");
  SheetBuilder settings_sheet(settings_columns);
  auto& s = settings_sheet.row();
  const json& title = m_q.value("title", json());
  if (title.is_object()) {
    for (const auto& [language, value] : title.items()) {
      s[language == "sr-Cyrl" ? "form_title" : column("form_title", language)] = value;
    }
  }
  s["form_id"] = m_q.value("name", "");
  s["version"] = m_q.value("version", "");
  s["default_language"] = language_suffix("sr-Cyrl");
  put_text(s, "needsmap_description", m_q.value("description", json()));
  if (m_q.contains("estimated_minutes"))
    s["needsmap_estimated_minutes"] = scalar(m_q["estimated_minutes"]);

  return Workbook{.sheets = {survey_sheet.build("survey", labels),
                             choices_sheet.build("choices", labels),
                             settings_sheet.build("settings", settings_always)}};
}

}  // namespace

Workbook xlsform_workbook(const json& resolved) {
  return Exporter(resolved).run();
}

Result<void> export_xlsform(const json& resolved, const std::filesystem::path& path) {
  // Bounds and minutes are numbers; names, versions and expressions stay text.
  return write_xlsx(xlsform_workbook(resolved), path, [](const Sheet& sheet, std::size_t column) {
    std::string_view header = sheet.cell(0, column);
    return header.starts_with("needsmap_m") || header == "needsmap_estimated_minutes";
  });
}

}  // namespace needsmap::interop
