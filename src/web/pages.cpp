#include "web/pages.hpp"

#include "web/issue_text.hpp"

#include <unicode/locid.h>
#include <unicode/unistr.h>
#include <kainjow/mustache.hpp>

#include "core/clock.hpp"
#include "core/text.hpp"
#include "store/registry.hpp"
#include "web/app.hpp"
#include "web/forms.hpp"

namespace needsmap::web {

using json = nlohmann::json;
using questionnaire::Question;
using questionnaire::QuestionType;

// Page models are written as JSON (easy to build and to read in a debugger) and handed to the
// template engine as mustache data.
TemplateData to_template_data(const json& value) {
  using kainjow::mustache::data;
  switch (value.type()) {
    case json::value_t::object: {
      data d{data::type::object};
      for (const auto& [key, item] : value.items()) d.set(key, to_template_data(item));
      return d;
    }
    case json::value_t::array: {
      data d{data::type::list};
      for (const auto& item : value) d.push_back(to_template_data(item));
      return d;
    }
    case json::value_t::boolean:
      return data(value.get<bool>());
    case json::value_t::string:
      // An empty text is false, so {{#hint}}…{{/hint}} leaves out what is not there.
      return value.get_ref<const std::string&>().empty() ? data(false)
                                                         : data(value.get<std::string>());
    case json::value_t::null:
      return data(false);
    default:
      return data(value.dump());
  }
}

namespace {}  // namespace

std::string in_page_script(const std::string& text, const std::string& language) {
  return language == "sr-Latn" ? text::serbian_to_latin(text) : text;
}

std::string language_row_name(const std::string& code, const std::string& name,
                              const std::string& page_language) {
  if (!code.empty()) {
    UErrorCode status = U_ZERO_ERROR;
    icu::Locale page = icu::Locale::forLanguageTag(page_language, status);
    icu::UnicodeString shown;
    icu::Locale(code.c_str()).getDisplayLanguage(page, shown);
    std::string out;
    shown.toUTF8String(out);
    if (U_SUCCESS(status) && !out.empty() && out != code) return out;
  }
  return in_page_script(name, page_language);
}

std::string municipality_name(const store::Municipality& m, const std::string& language) {
  if (language == "sr-Latn") return m.name_latn;
  if (language == "en" && !m.name_en.empty()) return m.name_en;
  if (language == "mk" && !m.name_mk.empty()) return m.name_mk;
  return m.name_cyrl;
}

namespace {

// Element ids must be unique and valid; question names are [a-z0-9_], choice names too.
std::string field_id(const std::string& question, const std::string& suffix = "") {
  return "q-" + question + (suffix.empty() ? "" : "-" + suffix);
}

// The element an error summary link moves focus to: the question's first input.
std::string first_input_id(const Question& q) {
  switch (q.type) {
    case QuestionType::single:
    case QuestionType::scale:
    case QuestionType::multiple:
      return q.choices.empty() ? field_id(q.name) : field_id(q.name, q.choices[0].name);
    case QuestionType::matrix:
      return q.rows.empty() || q.choices.empty()
                 ? field_id(q.name)
                 : field_id(q.name, q.rows[0].name + "-" + q.choices[0].name);
    default:
      return field_id(q.name);
  }
}

bool array_contains(const json& list, const std::string& name) {
  if (!list.is_array()) return false;
  for (const auto& item : list) {
    if (item.is_string() && item.get_ref<const std::string&>() == name) return true;
  }
  return false;
}

}  // namespace

std::string PageBuilder::issue_message(const questionnaire::Questionnaire& q,
                                       const questionnaire::AnswerIssue& issue) const {
  return answer_issue_text(m_app.m_translations, m_language, q, issue);
}

namespace {}  // namespace

// What every page shares: language, titles, the language switch.
json page_frame(const Translations& t, const std::string& language, const std::string& title,
                const std::string& switch_base) {
  json languages = json::array();
  std::string separator = switch_base.find('?') == std::string::npos ? "?" : "&";
  for (const auto& l : t.languages()) {
    languages.push_back({{"tag", l.tag},
                         {"name", l.name},
                         {"href", switch_base + separator + "lang=" + l.tag},
                         {"current", l.tag == language}});
  }
  json t_data = json::object();
  for (const auto& [key, value] : t.all(language)) t_data[key] = value;
  return {{"lang", language},
          {"title", title},
          {"languages", languages},
          {"t", t_data},
          {"motto", t.text(language, "motto")}};
}

namespace {}  // namespace

std::string PageBuilder::home(store::Store& store) {
  const Translations& t = m_app.m_translations;
  json page = page_frame(t, m_language, t.text(m_language, "home_title"), "/");
  json campaigns = json::array();
  std::int64_t now = clock::now_unix();
  for (const auto& c : store.list_campaigns()) {
    if (store::availability(c, now) != store::Availability::open) continue;
    auto q = m_app.m_questionnaires.get(store, c.questionnaire_version_id);
    auto m = store.find_municipality(c.municipality_slug);
    if (!q || !m) continue;
    campaigns.push_back({{"href", "/s/" + url_encode(c.municipality_slug) + "/" +
                                      url_encode(c.slug) + "?lang=" + m_language},
                         {"title", (*q)->title().get(m_language)},
                         {"municipality", municipality_name(*m, m_language)}});
  }
  page["campaigns"] = campaigns;
  page["has_campaigns"] = !campaigns.empty();
  return m_app.m_templates->render("home", to_template_data(page));
}

std::string PageBuilder::message(const std::string& text, unsigned status) {
  const Translations& t = m_app.m_translations;
  json page = page_frame(t, m_language, text, "/");
  page["message"] = text;
  page["status"] = std::to_string(status);
  return m_app.m_templates->render("message", to_template_data(page));
}

std::string PageBuilder::intro(const CampaignContext& c) {
  const Translations& t = m_app.m_translations;
  const auto& q = *c.questionnaire;
  std::string base = c.path();
  json page = page_frame(t, m_language, q.title().get(m_language), base);
  page["action"] = base + "?lang=" + m_language;
  page["questionnaire_title"] = q.title().get(m_language);
  page["description"] = q.description().get(m_language);
  page["municipality"] = municipality_name(c.municipality, m_language);
  page["contact"] = c.campaign.contact;
  page["has_contact"] = !c.campaign.contact.empty();
  page["minutes"] = q.estimated_minutes() > 0 ? t.format(m_language, "intro.minutes",
                                                         {{"minutes", q.estimated_minutes()}})
                                              : "";
  page["closes"] = c.campaign.closes_at
                       ? t.format(m_language, "intro.closes",
                                  {{"date", clock::format_date(*c.campaign.closes_at)}})
                       : "";
  page["run_by"] = t.format(m_language, "intro.run_by",
                            {{"municipality", municipality_name(c.municipality, m_language)}});
  if (store::has_registry_services(m_app.reader(), c.municipality.id)) {
    page["directory_href"] = "/d/" + url_encode(c.municipality.slug) + "?lang=" + m_language;
  }
  return m_app.m_templates->render("intro", to_template_data(page));
}

std::string PageBuilder::unavailable(const CampaignContext& c, store::Availability availability) {
  const Translations& t = m_app.m_translations;
  const auto& q = *c.questionnaire;
  std::string key = availability == store::Availability::not_yet_open ? "campaign.not_yet_open"
                                                                      : "campaign.closed";
  json args = {{"opens", c.campaign.opens_at ? clock::format_date(*c.campaign.opens_at) : ""}};
  std::string text = t.format(m_language, key, args);
  json page = page_frame(t, m_language, q.title().get(m_language), c.path());
  page["message"] = text;
  page["heading"] = q.title().get(m_language);
  return m_app.m_templates->render("message", to_template_data(page));
}

std::string PageBuilder::thanks(const CampaignContext& c) {
  const Translations& t = m_app.m_translations;
  const auto& q = *c.questionnaire;
  json page = page_frame(t, m_language, t.text(m_language, "thanks_title"), c.path() + "/thanks");
  page["questionnaire_title"] = q.title().get(m_language);
  page["municipality"] = municipality_name(c.municipality, m_language);
  return m_app.m_templates->render("thanks", to_template_data(page));
}

std::string PageBuilder::section(const CampaignContext& c, std::size_t section_index,
                                 const json& answers,
                                 const std::vector<questionnaire::AnswerIssue>& issues,
                                 const std::string& draft_token, bool shown_again) {
  json page = section_model(c, section_index, answers, issues, false);
  page["shown_again"] = shown_again;
  page["draft"] = draft_token;
  return m_app.m_templates->render("section", to_template_data(page));
}

std::string PageBuilder::preview(const CampaignContext& c, std::size_t section_index,
                                 const std::string& back_href) {
  const Translations& t = m_app.m_translations;
  const auto& sections = c.questionnaire->sections();
  json page = section_model(c, section_index, json::object(), {}, true);
  auto link = [&](std::size_t index) {
    return c.path() + "?page=" + std::to_string(index) + "&lang=" + m_language;
  };
  json preview = {{"notice", t.text(m_language, "preview_notice")}, {"back_href", back_href}};
  if (section_index > 0) preview["previous_href"] = link(section_index - 1);
  if (section_index + 1 < sections.size()) preview["next_href"] = link(section_index + 1);
  json all = json::array();
  for (std::size_t i = 0; i < sections.size(); ++i) {
    all.push_back({{"href", link(i)},
                   {"title", sections[i].title.get(m_language)},
                   {"current", i == section_index}});
  }
  preview["pages"] = all;
  if (sections[section_index].relevant) {
    preview["section_condition"] = sections[section_index].relevant->source();
  }
  page["preview"] = preview;
  // Every page counts in a preview: relevance is shown, not applied.
  page["progress_value"] = std::to_string(section_index + 1);
  page["progress_max"] = std::to_string(sections.size());
  page["progress_text"] = t.format(m_language, "progress",
                                   {{"current", static_cast<long long>(section_index + 1)},
                                    {"total", static_cast<long long>(sections.size())}});
  return m_app.m_templates->render("section", to_template_data(page));
}

json PageBuilder::section_model(const CampaignContext& c, std::size_t section_index,
                                const json& answers,
                                const std::vector<questionnaire::AnswerIssue>& issues,
                                bool every_question) {
  const Translations& t = m_app.m_translations;
  const auto& q = *c.questionnaire;
  const auto& section = q.sections().at(section_index);
  auto state = questionnaire::evaluate(q, answers, clock::today_utc());
  std::string base = c.path();

  std::map<std::string, std::string> errors_by_question;
  json error_list = json::array();
  for (const auto& issue : issues) {
    std::string message = issue_message(q, issue);
    errors_by_question.emplace(issue.question, message);
    const Question* question = q.find(issue.question);
    std::string target = question ? first_input_id(*question) : field_id(issue.question);
    // In the summary each message follows its question's label, so every link says which
    // question it is about (WCAG 2.4.4); beside the question the message stands alone.
    std::string label = question ? question->label.get(m_language) : "";
    error_list.push_back(
        {{"href", "#" + target}, {"message", label.empty() ? message : label + " — " + message}});
  }

  json questions = json::array();
  for (std::size_t qi : section.questions) {
    const Question& question = q.questions()[qi];
    if (question.type == QuestionType::calculate) continue;
    if (!state.relevant[qi] && !every_question) continue;
    json item = {{"name", question.name},
                 {"id", field_id(question.name)},
                 {"label", question.label.get(m_language)},
                 {"hint", question.hint.get(m_language)},
                 {"hint_id", field_id(question.name, "hint")},
                 {"error_id", field_id(question.name, "error")},
                 {"required", state.required[qi]},
                 {"type_" + std::string(questionnaire::to_string(question.type)), true}};
    std::string describedby = question.hint.empty() ? "" : field_id(question.name, "hint");
    if (auto e = errors_by_question.find(question.name); e != errors_by_question.end()) {
      item["error"] = e->second;
      describedby += (describedby.empty() ? "" : " ") + field_id(question.name, "error");
    }
    item["describedby"] = describedby;
    if (every_question && question.relevant) item["condition"] = question.relevant->source();
    const json* value = answers.contains(question.name) ? &answers[question.name] : nullptr;
    auto choice_items = [&](const std::vector<questionnaire::Choice>& choices,
                            const std::function<bool(const std::string&)>& checked,
                            const std::string& suffix) {
      json list = json::array();
      bool after_ordinary_choice = false;
      for (const auto& choice : choices) {
        list.push_back({{"value", choice.name},
                        {"label", choice.label.get(m_language)},
                        {"id", field_id(question.name, suffix + choice.name)},
                        {"checked", checked(choice.name)},
                        // "or" separates "none of these" from the choices it excludes.
                        {"divider", choice.exclusive && after_ordinary_choice}});
        after_ordinary_choice = !choice.exclusive;
      }
      return list;
    };
    switch (question.type) {
      case QuestionType::single:
      case QuestionType::scale:
        item["choices"] = choice_items(
            question.choices,
            [&](const std::string& n) { return value && value->is_string() && *value == n; }, "");
        item["inline"] = question.type == QuestionType::scale && question.choices.size() <= 7;
        break;
      case QuestionType::multiple:
        item["choices"] = choice_items(
            question.choices,
            [&](const std::string& n) { return value && array_contains(*value, n); }, "");
        item["max_hint"] =
            question.max_selections > 0
                ? t.format(m_language, "hint.max_selections", {{"max", question.max_selections}})
                : "";
        break;
      case QuestionType::matrix: {
        json rows = json::array();
        json header = json::array();
        for (const auto& choice : question.choices) {
          header.push_back({{"label", choice.label.get(m_language)}});
        }
        for (const auto& row : question.rows) {
          const json* cell = value && value->is_object() && value->contains(row.name)
                                 ? &(*value)[row.name]
                                 : nullptr;
          rows.push_back({{"label", row.label.get(m_language)},
                          {"field", question.name + "/" + row.name},
                          {"id", field_id(question.name, row.name)},
                          {"cells", choice_items(
                                        question.choices,
                                        [&](const std::string& n) { return cell && *cell == n; },
                                        row.name + "-")}});
        }
        item["rows"] = rows;
        item["columns"] = header;
        break;
      }
      case QuestionType::ranking: {
        json ranks = json::array();
        for (int rank = 1; rank <= question.max_selections; ++rank) {
          std::string chosen = value && value->is_array() &&
                                       static_cast<int>(value->size()) >= rank &&
                                       (*value)[rank - 1].is_string()
                                   ? (*value)[rank - 1].get<std::string>()
                                   : "";
          ranks.push_back(
              {{"field", question.name + "/" + std::to_string(rank)},
               {"id", rank == 1 ? field_id(question.name)
                                : field_id(question.name, std::to_string(rank))},
               {"label", t.format(m_language, "ranking.place", {{"rank", rank}})},
               {"options", choice_items(
                               question.choices, [&](const std::string& n) { return n == chosen; },
                               std::to_string(rank) + "-")}});
        }
        item["ranks"] = ranks;
        break;
      }
      case QuestionType::integer:
      case QuestionType::decimal:
      case QuestionType::year:
      case QuestionType::text:
      case QuestionType::long_text:
      case QuestionType::date:
        item["value"] = value ? questionnaire::expression_value(question, *value) : "";
        item["inputmode"] = question.type == QuestionType::decimal ? "decimal" : "numeric";
        item["numeric"] = questionnaire::is_numeric(question.type);
        item["maxlength"] = std::to_string(question.max_length);
        break;
      case QuestionType::note:
      case QuestionType::calculate:
        break;
    }
    questions.push_back(std::move(item));
  }

  // Progress counts only the pages that apply to these answers.
  std::size_t total = 0, current = 0;
  for (std::size_t s = 0; s < q.sections().size(); ++s) {
    bool applies = state.section_relevant[s];
    if (!applies) continue;
    ++total;
    if (s <= section_index) current = total;
  }

  json page = page_frame(t, m_language, section.title.get(m_language),
                         base + "?page=" + std::to_string(section_index));
  if (!issues.empty()) {
    page["title"] = t.text(m_language, "error.title_prefix") + section.title.get(m_language);
  }
  page["questionnaire_title"] = q.title().get(m_language);
  page["heading"] = section.title.get(m_language);
  page["description"] = section.description.get(m_language);
  page["questions"] = questions;
  page["errors"] = error_list;
  page["has_errors"] = !error_list.empty();
  page["action"] = base + "?lang=" + m_language;
  page["page"] = std::to_string(section_index);
  page["progress_value"] = std::to_string(current);
  page["progress_max"] = std::to_string(total);
  page["progress_text"] = t.format(
      m_language, "progress",
      {{"current", static_cast<long long>(current)}, {"total", static_cast<long long>(total)}});
  page["has_back"] =
      collect::previous_section(q, answers, section_index, clock::today_utc()).has_value();
  page["is_last"] =
      !collect::next_section(q, answers, section_index, clock::today_utc()).has_value();
  return page;
}

}  // namespace needsmap::web
