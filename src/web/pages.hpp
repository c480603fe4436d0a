// Respondent pages as template data: what each page shows, in the respondent's language.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "questionnaire/answers.hpp"
#include "store/store.hpp"
#include "web/templates.hpp"

namespace needsmap::web {

class App;
class Translations;
struct CampaignContext;

// Page models are JSON; templates take them as mustache data ("" counts as false).
kainjow::mustache::basic_data<std::string> to_template_data(const nlohmann::json& value);
// The municipality's name in the page's language and script.
std::string municipality_name(const store::Municipality& m, const std::string& language);
// A text people entered (a provider's name, an address), kept in the script it was written in,
// as the page shows it: transliterated to Latin on sr-Latn pages.
std::string in_page_script(const std::string& text, const std::string& language);
// The name of the language of a registry's language row (code, name) in the page's language:
// ICU's name for its code, else the name it was given, in the page's script.
std::string language_row_name(const std::string& code, const std::string& name,
                              const std::string& page_language);
// What every page shares: language, title, texts, the language switch (links to switch_base).
nlohmann::json page_frame(const Translations& t, const std::string& language,
                          const std::string& title, const std::string& switch_base);

class PageBuilder {
 public:
  PageBuilder(App& app, std::string language) : m_app(app), m_language(std::move(language)) {}

  std::string home(store::Store& store);
  std::string message(const std::string& text, unsigned status);
  std::string intro(const CampaignContext& c);
  // A "not yet open", "closed" or "draft" page.
  std::string unavailable(const CampaignContext& c, store::Availability availability);
  std::string section(const CampaignContext& c, std::size_t section, const nlohmann::json& answers,
                      const std::vector<questionnaire::AnswerIssue>& issues,
                      const std::string& draft_token, bool shown_again);
  std::string thanks(const CampaignContext& c);
  // A page as respondents see it, for the administration: every question shown (with the
  // condition under which respondents see it), links between pages instead of buttons, nothing
  // sent or stored.
  std::string preview(const CampaignContext& c, std::size_t section, const std::string& back_href);

  // An issue in words: the author's message when there is one, else the interface's.
  std::string issue_message(const questionnaire::Questionnaire& q,
                            const questionnaire::AnswerIssue& issue) const;

 private:
  nlohmann::json section_model(const CampaignContext& c, std::size_t section,
                               const nlohmann::json& answers,
                               const std::vector<questionnaire::AnswerIssue>& issues,
                               bool every_question);

  App& m_app;
  std::string m_language;
};

}  // namespace needsmap::web
