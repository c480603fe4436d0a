// The draft Programme for improving social protection (Програм унапређења социјалне заштите) —
// in Macedonian the Local Social Plan (Локален социјален план) — drawn from the published
// results: the situation from the survey and the registry, needs and gaps, priorities, then
// general and specific goals, measures and activities with the bodies responsible, a timeline,
// budget lines and indicators whose baselines come from the survey. Targets and amounts are left
// for the working group: the draft says what the data says and no more.
#include <algorithm>

#include "web/pages.hpp"
#include "web/programme_report.hpp"
#include "web/report_sections.hpp"

namespace needsmap::web {

namespace {

using report::BulletList;
using report::Cell;
using report::Paragraph;
using report::Section;
using report::Table;

// At most this many priorities become specific goals: a three-year programme of a small
// municipality cannot do more, and the working group can add to the draft.
constexpr std::size_t max_goals = 5;

// Questions whose most frequent answers the situation analysis names, with answers that say
// nothing about a need left out.
struct KeyQuestion {
  const char* name;
  const char* key;  // programme_finding_*
};
constexpr KeyQuestion key_questions[] = {
    {"risk_factors", "programme_finding_risks"},
    {"barriers", "programme_finding_barriers"},
    {"needed_groups", "programme_finding_groups"},
};
bool says_nothing(const std::string& choice) {
  return choice == "none" || choice == "other" || choice == "dont_know" || choice == "no_answer";
}

class ProgrammeWriter {
 public:
  ProgrammeWriter(const Translations& t, const ResultsSource& source, std::string language)
      : m_sections(t, source, language), m_source(source), m_lang(std::move(language)) {
    const int year = std::stoi(source.published_on.substr(0, 4));
    m_from = std::to_string(year + 1);
    m_to = std::to_string(year + 3);
    // A service becomes a goal when someone asked for it: households reported needing it,
    // citizens or professionals named it a priority, or users said they miss what it gives. A
    // score from legal responsibility alone is no reason for a goal.
    for (const auto& p : source.plan->priorities) {
      const auto* g = everyone_gap(p.service);
      const bool asked_for =
          g && (g->need.share.estimate > 0 ||
                (g->citizen_priority && g->citizen_priority->estimate > 0) ||
                (g->stakeholder_priority && g->stakeholder_priority->estimate > 0) ||
                (g->users_missing && g->users_missing->estimate > 0));
      if (p.score > 0 && asked_for && m_goals.size() < max_goals) m_goals.push_back(&p);
    }
  }

  report::Document document() {
    const std::string municipality = municipality_name(m_source.municipality, m_lang);
    report::Document d{
        .language = m_lang,
        .title = text("programme_title"),
        .subtitle = format("programme_subtitle",
                           {{"municipality", municipality}, {"from", m_from}, {"to", m_to}}),
        .municipality = municipality,
        .date = format("programme_drafted", {{"date", date_text(m_source.published_on, m_lang)}}),
        .footer = format("programme_footer", {{"municipality", municipality}}),
        .sections = {}};
    d.sections.push_back(introduction(municipality));
    situation(d.sections);
    needs(d.sections);
    Section priorities = m_sections.priorities();
    priorities.id = "programme_priorities";
    d.sections.push_back(std::move(priorities));
    d.sections.push_back(goals());
    d.sections.push_back(measures());
    d.sections.push_back(indicators());
    d.sections.push_back(plain_section("monitoring", "programme_monitoring",
                                       {"programme_monitoring_1", "programme_monitoring_2"}));
    d.sections.push_back(plain_section("consultation", "programme_consultation",
                                       {"programme_consultation_1", "programme_consultation_2"}));
    return d;
  }

 private:
  std::string text(std::string_view key) const { return m_sections.text(key); }
  std::string format(std::string_view key, const nlohmann::json& arguments) const {
    return m_sections.format(key, arguments);
  }

  Section plain_section(std::string id, std::string_view heading,
                        std::initializer_list<const char*> paragraphs) const {
    Section s{.level = 1, .id = std::move(id), .heading = text(heading), .blocks = {}};
    for (const char* key : paragraphs) s.blocks.push_back(Paragraph{text(key)});
    return s;
  }

  Section introduction(const std::string& municipality) const {
    Section s{
        .level = 1, .id = "introduction", .heading = text("programme_introduction"), .blocks = {}};
    s.blocks.push_back(Paragraph{format(
        "programme_purpose", {{"municipality", municipality}, {"from", m_from}, {"to", m_to}})});
    s.blocks.push_back(Paragraph{text("programme_basis")});
    s.blocks.push_back(BulletList{
        {text("programme_basis_1"), text("programme_basis_2"), text("programme_basis_3")}});
    s.blocks.push_back(Paragraph{text("programme_draft_note")});
    return s;
  }

  // The survey's method and main findings, and the services the registry records.
  void situation(std::vector<Section>& sections) {
    sections.push_back(
        {.level = 1, .id = "situation", .heading = text("programme_situation"), .blocks = {}});
    Section method = m_sections.method();
    method.level = 2;
    sections.push_back(std::move(method));
    Section findings{
        .level = 2, .id = "findings", .heading = text("programme_findings"), .blocks = {}};
    BulletList list;
    const auto& q = m_source.questionnaire;
    for (const auto& key : key_questions) {
      for (const auto& f : m_source.figures.questions) {
        if (q.questions()[f.question].name != key.name) continue;
        if (auto named = most_frequent(f)) {
          list.items.push_back(format(key.key, {{"answers", *named}}));
        }
      }
    }
    if (list.items.empty()) {
      findings.blocks.push_back(Paragraph{text("programme_no_findings")});
    } else {
      findings.blocks.push_back(std::move(list));
    }
    sections.push_back(std::move(findings));
    Section resources = m_sections.resources();
    resources.level = 2;
    sections.push_back(std::move(resources));
  }

  // "Poverty (62.0 %), debts (41.3 %) and unemployment (30.2 %)": the three most frequent
  // published answers.
  std::optional<std::string> most_frequent(const QuestionFigures& f) const {
    std::vector<std::size_t> order;
    for (std::size_t i = 0; i < f.rows.size(); ++i) {
      if (!f.hidden[i] && f.rows[i].estimate > 0 && !says_nothing(f.rows[i].category)) {
        order.push_back(i);
      }
    }
    if (order.empty() || f.answered < m_sections.k()) return std::nullopt;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      return f.rows[a].estimate > f.rows[b].estimate;
    });
    order.resize(std::min<std::size_t>(order.size(), 3));
    const auto& question = m_source.questionnaire.questions()[f.question];
    std::string named;
    for (std::size_t i = 0; i < order.size(); ++i) {
      const auto& e = f.rows[order[i]];
      const auto* choice = question.find_choice(e.category);
      if (i > 0) named += i + 1 == order.size() ? text("programme_and") : ", ";
      named += (choice ? choice->label.get(m_lang) : e.category) + " (" +
               percent_cell(e.estimate).text + ")";
    }
    return named;
  }

  void needs(std::vector<Section>& sections) {
    sections.push_back(
        {.level = 1, .id = "needs", .heading = text("programme_needs"), .blocks = {}});
    Section gaps = m_sections.gaps();
    gaps.level = 2;
    sections.push_back(std::move(gaps));
    if (auto groups = m_sections.needs_by_group()) {
      groups->level = 2;
      sections.push_back(std::move(*groups));
    }
  }

  const plan::ServiceGap* everyone_gap(const std::string& service) const {
    for (const auto& g : m_source.plan->gaps) {
      if (g.service == service && g.group.empty()) return &g;
    }
    return nullptr;
  }

  // Whether the registry records no such service in the municipality: then it is to be set up,
  // not expanded.
  bool missing(const std::string& service) const {
    const auto* g = everyone_gap(service);
    return g && g->resources && g->resources->services == 0;
  }

  std::string goal_text(std::size_t index) const {
    const auto& p = *m_goals[index];
    return format(missing(p.service) ? "programme_goal_establish" : "programme_goal_expand",
                  {{"number", static_cast<std::int64_t>(index + 1)},
                   {"service", m_sections.service_label(p.service)}});
  }

  Section goals() const {
    Section s{.level = 1, .id = "goals", .heading = text("programme_goals"), .blocks = {}};
    s.blocks.push_back(Paragraph{text("programme_general_goal")});
    if (m_goals.empty()) {
      s.blocks.push_back(Paragraph{text("programme_no_goals")});
      return s;
    }
    s.blocks.push_back(Paragraph{text("programme_specific_goals")});
    BulletList list;
    for (std::size_t i = 0; i < m_goals.size(); ++i) list.items.push_back(goal_text(i));
    s.blocks.push_back(std::move(list));
    return s;
  }

  // Who answers for a service by law: the municipality, or the Republic (the municipality then
  // advocates and refers).
  std::string responsible(const plan::Priority& p) const {
    for (const auto& part : p.criteria) {
      if (part.criterion == plan::Criterion::legal_responsibility) {
        return text(part.raw > 0 ? "programme_responsible_municipality"
                                 : "programme_responsible_republic");
      }
    }
    return text("programme_responsible_unknown");
  }

  Section measures() const {
    Section s{.level = 1, .id = "measures", .heading = text("programme_measures"), .blocks = {}};
    s.blocks.push_back(Paragraph{text("programme_measures_lead")});
    Table table{.id = "measures",
                .caption = text("programme_measures"),
                .columns = {text("programme_goal"), text("programme_measure"),
                            text("programme_activities"), text("programme_responsible"),
                            text("programme_timeline"), text("programme_budget")},
                .numeric = {true, false, false, false, false, false},
                .rows = {},
                .note = text("programme_to_set")};
    for (std::size_t i = 0; i < m_goals.size(); ++i) {
      const auto& p = *m_goals[i];
      const std::string service = m_sections.service_label(p.service);
      const bool establish = missing(p.service);
      table.rows.push_back(
          {{std::to_string(i + 1), static_cast<double>(i + 1)},
           {format(establish ? "programme_measure_establish" : "programme_measure_expand",
                   {{"service", service}})},
           {text(establish ? "programme_activities_establish" : "programme_activities_expand")},
           {responsible(p)},
           {m_from + "–" + m_to},
           {text("programme_budget_line")}});
    }
    s.blocks.push_back(std::move(table));
    return s;
  }

  Section indicators() const {
    Section s{
        .level = 1, .id = "indicators", .heading = text("programme_indicators"), .blocks = {}};
    s.blocks.push_back(Paragraph{text("programme_indicators_lead")});
    Table table{
        .id = "indicators",
        .caption = text("programme_indicators"),
        .columns = {text("programme_goal"), text("programme_indicator"), text("programme_baseline"),
                    text("programme_source"), text("programme_target")},
        .numeric = {true, false, true, false, false},
        .rows = {},
        .note = format("report_suppressed", {{"k", m_sections.k()}})};
    const std::string to_set = text("programme_target_to_set");
    const std::string survey = text("programme_source_survey");
    const std::string registry = text("programme_source_registry");
    const Cell hidden{text("report_hidden")};
    for (std::size_t i = 0; i < m_goals.size(); ++i) {
      const auto& p = *m_goals[i];
      const std::string service = m_sections.service_label(p.service);
      const Cell goal{std::to_string(i + 1), static_cast<double>(i + 1)};
      const auto* g = everyone_gap(p.service);
      if (!g) continue;
      auto shown = [&](Cell cell) { return g->withheld ? hidden : cell; };
      if (g->need.households) {
        table.rows.push_back({goal,
                              {format("programme_indicator_households", {{"service", service}})},
                              shown(count_cell(*g->need.households)),
                              {survey},
                              {to_set}});
      }
      table.rows.push_back({goal,
                            {format("programme_indicator_share", {{"service", service}})},
                            shown(percent_cell(g->need.share.estimate)),
                            {survey},
                            {to_set}});
      if (g->resources) {
        table.rows.push_back({goal,
                              {format("programme_indicator_users", {{"service", service}})},
                              count_cell(g->resources->users),
                              {registry},
                              {to_set}});
        table.rows.push_back({goal,
                              {format("programme_indicator_waiting", {{"service", service}})},
                              count_cell(g->resources->waiting),
                              {registry},
                              {to_set}});
      }
    }
    s.blocks.push_back(std::move(table));
    return s;
  }

  ReportSections m_sections;
  const ResultsSource& m_source;
  std::string m_lang;
  std::string m_from, m_to;  // the programme's years: the three after publication
  std::vector<const plan::Priority*> m_goals;
};

}  // namespace

report::Document programme_document(const Translations& t, const ResultsSource& source,
                                    const std::string& language) {
  if (language == "sr-Latn") return in_serbian_latin(programme_document(t, source, "sr-Cyrl"));
  return ProgrammeWriter(t, source, language).document();
}

}  // namespace needsmap::web
