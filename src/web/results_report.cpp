#include "web/results_report.hpp"

#include "web/report_sections.hpp"

#include <cmath>
#include <span>

#include "core/clock.hpp"
#include "core/text.hpp"
#include "web/charts.hpp"
#include "web/estimation.hpp"
#include "web/pages.hpp"

namespace needsmap::web {

using report::BarChart;
using report::Cell;
using report::Paragraph;
using report::Section;
using report::Table;
using QuestionType = questionnaire::QuestionType;

namespace {

bool reported(QuestionType type) {
  return type == QuestionType::single || type == QuestionType::multiple ||
         type == QuestionType::scale;
}

}  // namespace

Cell count_cell(double value) {
  return {count_text(value), std::round(value)};
}

Cell percent_cell(double share) {
  return {percent_text(share), std::round(share * 1000) / 10};
}

std::string date_text(const std::string& iso, const std::string& language) {
  if (language == "en" || iso.size() != 10) return iso;
  auto part = [&](std::size_t at, std::size_t length) {
    return std::to_string(std::stoi(iso.substr(at, length)));
  };
  return part(8, 2) + ". " + part(5, 2) + ". " + iso.substr(0, 4) + ".";
}

ReportSections::ReportSections(const Translations& t, const ResultsSource& source,
                               std::string language)
    : m_t(t), m_source(source), m_lang(std::move(language)), m_hidden(text("report_hidden")) {}

std::string ReportSections::format(std::string_view key, const nlohmann::json& arguments) const {
  return m_t.format(m_lang, key, arguments);
}

report::Document ReportSections::results() {
  const std::string municipality = municipality_name(m_source.municipality, m_lang);
  const std::string published = date_text(m_source.published_on, m_lang);
  report::Document d{
      .language = m_lang,
      .title = text("report_title"),
      .subtitle = format(
          "report_subtitle",
          {{"municipality", municipality}, {"survey", m_source.questionnaire.title().get(m_lang)}}),
      .municipality = municipality,
      .date = format("report_published", {{"date", published}}),
      .footer = format("report_footer", {{"municipality", municipality}, {"date", published}}),
      .sections = {}};
  d.sections.push_back(method());
  questions(d.sections);
  if (m_source.plan) {
    d.sections.push_back(resources());
    if (auto groups = needs_by_group()) d.sections.push_back(std::move(*groups));
    if (auto risks = risks_by_group()) d.sections.push_back(std::move(*risks));
    d.sections.push_back(gaps());
    d.sections.push_back(priorities());
  }
  return d;
}

Section ReportSections::method() {
  Section s{.level = 1, .id = "method", .heading = text("report_method"), .blocks = {}};
  const auto& monitor = m_source.monitor;
  s.blocks.push_back(Paragraph{format(
      "report_method_who",
      {{"municipality", municipality_name(m_source.municipality, m_lang)},
       {"survey", m_source.questionnaire.title().get(m_lang)},
       {"responses", monitor.responses.hidden ? m_hidden : count_text(monitor.responses.count)}})});
  const auto& c = m_source.campaign;
  if (c.opens_at && c.closes_at) {
    s.blocks.push_back(Paragraph{format(
        "report_method_when", {{"from", date_text(clock::format_date(*c.opens_at), m_lang)},
                               {"to", date_text(clock::format_date(*c.closes_at), m_lang)}})});
  }
  if (monitor.median_minutes) {
    s.blocks.push_back(Paragraph{
        format("report_method_minutes", {{"minutes", decimal_text(*monitor.median_minutes)}})});
  }
  if (!monitor.modes.empty()) {
    Table modes{.id = "modes",
                .caption = text("report_method_modes"),
                .columns = {text("report_mode"), text("report_responses")},
                .numeric = {false, true},
                .rows = {},
                .note = {}};
    for (std::size_t i = 0; i < monitor.modes.size(); ++i) {
      const analysis::Cell& cell = monitor.mode_totals[i];
      modes.rows.push_back({{text("admin_mode_" + monitor.modes[i]), std::nullopt},
                            cell.hidden ? Cell{m_hidden} : count_cell(cell.count)});
    }
    s.blocks.push_back(std::move(modes));
  }
  const WeightedData& data = m_source.data;
  if (data.weighting) {
    std::string margins;
    for (const auto& m : data.weighting->used) margins += (margins.empty() ? "" : ", ") + m;
    s.blocks.push_back(Paragraph{format(
        "report_method_weighted", {{"source", data.population->source}, {"margins", margins}})});
  } else {
    s.blocks.push_back(Paragraph{text("report_method_unweighted")});
  }
  s.blocks.push_back(report::BulletList{
      {text("report_limit_sample"), text("report_limit_intervals"),
       format("report_limit_suppressed", {{"k", k()}}), text("report_limit_anonymous")}});
  return s;
}

void ReportSections::questions(std::vector<Section>& sections) {
  const auto& q = m_source.questionnaire;
  const auto& all = m_source.figures.questions;
  for (std::size_t index = 0; index < q.sections().size(); ++index) {
    bool headed = false;
    for (std::size_t i = 0; i < all.size(); ++i) {
      const auto& question = q.questions()[all[i].question];
      if (question.section != index) continue;
      if (!headed) {
        const auto& section = q.sections()[index];
        sections.push_back(
            {.level = 1, .id = section.name, .heading = section.title.get(m_lang), .blocks = {}});
        headed = true;
      }
      if (all[i].row.empty()) {
        sections.push_back(question_section(question, all[i]));
        continue;
      }
      // A matrix: its rows' figures follow one another, and make one table.
      std::size_t end = i;
      while (end < all.size() && all[end].question == all[i].question) ++end;
      sections.push_back(matrix_section(question, std::span(all).subspan(i, end - i)));
      i = end - 1;
    }
  }
}

// A matrix as one table, a row per matrix row and a column per choice, with the first choice's
// share charted (for the awareness of services: who does not know each of them).
Section ReportSections::matrix_section(const questionnaire::Question& question,
                                       std::span<const QuestionFigures> rows) {
  const std::string label = question.label.get(m_lang);
  Section s{.level = 2, .id = question.name, .heading = label, .blocks = {}};
  Table table{.id = question.name,
              .caption = label,
              .columns = {text("report_matrix_row")},
              .numeric = {false},
              .rows = {},
              .note = {}};
  for (const auto& choice : question.choices) {
    table.columns.push_back(choice.label.get(m_lang));
    table.numeric.push_back(true);
  }
  const std::string first =
      question.choices.empty() ? std::string() : question.choices.front().label.get(m_lang);
  BarChart chart{.caption = label + ": " + first, .description = {}, .scale_max = 0, .bars = {}};
  std::int64_t answered = 0;
  bool any_hidden = false;
  for (const auto& f : rows) {
    const auto* row = question.find_row(f.row);
    const std::string row_label = row ? row->label.get(m_lang) : f.row;
    answered = std::max(answered, f.answered);
    std::vector<Cell> cells{{row_label}};
    for (const auto& choice : question.choices) {
      Cell cell{m_hidden};
      for (std::size_t i = 0; i < f.rows.size(); ++i) {
        if (f.rows[i].category != choice.name) continue;
        if (f.answered >= k() && !f.hidden[i]) cell = percent_cell(f.rows[i].estimate);
        if (&choice == &question.choices.front()) {
          const bool hidden = cell.text == m_hidden;
          chart.bars.push_back(
              {.label = row_label,
               .value = hidden ? 0 : 100 * f.rows[i].estimate,
               .low = hidden ? std::nullopt : std::optional(100 * f.rows[i].ci_low),
               .high = hidden ? std::nullopt : std::optional(100 * f.rows[i].ci_high),
               .text = cell.text,
               .hidden = hidden});
        }
      }
      any_hidden = any_hidden || cell.text == m_hidden;
      cells.push_back(std::move(cell));
    }
    table.rows.push_back(std::move(cells));
  }
  if (answered < k()) {
    s.blocks.push_back(Paragraph{format("report_too_few", {{"k", k()}})});
    return s;
  }
  table.note = format("report_based_on", {{"n", answered}});
  if (any_hidden) table.note += " " + format("report_suppressed", {{"k", k()}});
  const report::Bar* most = nullptr;
  for (const auto& bar : chart.bars) {
    if (!bar.hidden && (!most || bar.value > most->value)) most = &bar;
  }
  if (most) {
    chart.description = format("report_chart_most_row",
                               {{"answer", first}, {"row", most->label}, {"share", most->text}});
  }
  s.blocks.push_back(std::move(table));
  if (!chart.bars.empty()) s.blocks.push_back(std::move(chart));
  return s;
}

Section ReportSections::question_section(const questionnaire::Question& question,
                                         const QuestionFigures& f) {
  const std::string label = question.label.get(m_lang);
  Section s{.level = 2, .id = question.name, .heading = label, .blocks = {}};
  if (f.answered < k()) {
    s.blocks.push_back(Paragraph{format("report_too_few", {{"k", k()}})});
    return s;
  }
  Table table{.id = question.name,
              .caption = label,
              .columns = {text("report_answer"), text("report_share"), text("report_interval"),
                          text("report_respondents")},
              .numeric = {false, true, true, true},
              .rows = {},
              .note = format("report_based_on", {{"n", f.answered}})};
  BarChart chart{.caption = label, .description = {}, .scale_max = 0, .bars = {}};
  std::optional<std::size_t> largest;  // the bar of the most frequent answer
  bool any_hidden = false;
  for (std::size_t i = 0; i < f.rows.size(); ++i) {
    const analysis::Estimate& e = f.rows[i];
    const auto* choice = question.find_choice(e.category);
    const std::string answer = choice ? choice->label.get(m_lang) : e.category;
    if (f.hidden[i]) {
      any_hidden = true;
      table.rows.push_back({{answer}, {m_hidden}, {m_hidden}, {m_hidden}});
      chart.bars.push_back({.label = answer, .text = m_hidden, .hidden = true});
      continue;
    }
    table.rows.push_back({{answer},
                          percent_cell(e.estimate),
                          {percent_text(e.ci_low) + " – " + percent_text(e.ci_high)},
                          count_cell(static_cast<double>(e.count))});
    chart.bars.push_back({.label = answer,
                          .value = 100 * e.estimate,
                          .low = 100 * e.ci_low,
                          .high = 100 * e.ci_high,
                          .text = percent_text(e.estimate),
                          .hidden = false});
    if (!largest || chart.bars.back().value > chart.bars[*largest].value) {
      largest = chart.bars.size() - 1;
    }
  }
  if (any_hidden) table.note += " " + format("report_suppressed", {{"k", k()}});
  if (largest) {
    const report::Bar& most = chart.bars[*largest];
    chart.description = format("report_chart_most", {{"answer", most.label}, {"share", most.text}});
  }
  s.blocks.push_back(std::move(table));
  s.blocks.push_back(std::move(chart));
  return s;
}

std::string ReportSections::service_label(const std::string& code) const {
  const auto* question = m_source.questionnaire.find(plan::GapQuestions{}.unmet_need);
  const auto* choice = question ? question->find_choice(code) : nullptr;
  return choice ? choice->label.get(m_lang) : code;
}

Section ReportSections::resources() {
  Section s{.level = 1, .id = "resources", .heading = text("report_resources"), .blocks = {}};
  const registry::ResourceSummary& r = m_source.plan->resources;
  if (r.empty()) {
    s.blocks.push_back(Paragraph{text("report_registry_empty")});
    return s;
  }
  s.blocks.push_back(Paragraph{
      format("report_resources_lead", {{"services", static_cast<std::int64_t>(r.total.services)},
                                       {"providers", static_cast<std::int64_t>(r.total.providers)},
                                       {"date", date_text(r.today, m_lang)}})});
  Table table{
      .id = "resources",
      .caption = text("report_resources"),
      .columns = {text("report_service_type"), text("report_services"), text("report_providers"),
                  text("report_places"), text("report_users"), text("report_waiting")},
      .numeric = {false, true, true, true, true, true},
      .rows = {},
      .note = {}};
  auto row = [&](const std::string& label, const registry::ResourceFigures& f) {
    table.rows.push_back({{label},
                          count_cell(static_cast<double>(f.services)),
                          count_cell(static_cast<double>(f.providers)),
                          count_cell(f.places),
                          count_cell(static_cast<double>(f.current_users)),
                          count_cell(static_cast<double>(f.waiting_list))});
  };
  for (const auto& f : r.service_types) {
    if (f.services > 0) row(m_source.term_label(f.code, m_lang), f);
  }
  row(text("report_total"), r.total);
  s.blocks.push_back(std::move(table));
  return s;
}

std::string ReportSections::group_label(const std::string& name) const {
  if (m_source.plan) {
    for (const auto& d : m_source.plan->definitions) {
      if (d.name == name) return d.label.get(m_lang);
    }
  }
  return name;
}

Section ReportSections::by_group_section(const std::string& id, std::string_view heading_key,
                                         std::string_view first_column_key,
                                         const std::vector<std::string>& groups) {
  Section s{.level = 1, .id = id, .heading = text(heading_key), .blocks = {}};
  s.blocks.push_back(Paragraph{text(std::string(heading_key) + "_lead")});
  Table table{.id = id,
              .caption = text(heading_key),
              .columns = {text(first_column_key)},
              .numeric = {false},
              .rows = {},
              .note = format("report_suppressed", {{"k", k()}})};
  for (const auto& group : groups) {
    table.columns.push_back(group_label(group));
    table.numeric.push_back(true);
  }
  s.blocks.push_back(std::move(table));
  return s;
}

std::optional<Section> ReportSections::needs_by_group() {
  const PlanAnalysis& a = *m_source.plan;
  if (a.groups.empty()) return std::nullopt;
  std::vector<std::string> groups;
  for (const auto& g : a.groups) groups.push_back(g.name);
  Section s = by_group_section("groups", "report_by_group", "report_service", groups);
  auto& table = std::get<Table>(s.blocks.back());
  for (const auto& service : a.services) {
    std::vector<Cell> cells{{service_label(service)}};
    for (const auto& gap : a.gaps) {
      if (gap.service != service || gap.group.empty()) continue;
      cells.push_back(gap.withheld ? Cell{m_hidden} : percent_cell(gap.need.share.estimate));
    }
    if (cells.size() == table.columns.size()) table.rows.push_back(std::move(cells));
  }
  return s;
}

std::optional<Section> ReportSections::risks_by_group() {
  const auto& risks = m_source.figures.group_risks;
  const auto* question = m_source.questionnaire.find("risk_factors");
  if (risks.empty() || !question || !m_source.plan) return std::nullopt;
  std::vector<std::string> groups;
  for (const auto& g : risks) groups.push_back(g.group);
  Section s = by_group_section("group_risks", "report_group_risks", "report_risk_factor", groups);
  auto& table = std::get<Table>(s.blocks.back());
  const auto& factors = risks.front().profile.factors;
  for (std::size_t i = 0; i < factors.size(); ++i) {
    const auto* choice = question->find_choice(factors[i].factor);
    std::vector<Cell> cells{{choice ? choice->label.get(m_lang) : factors[i].factor}};
    for (const auto& g : risks) {
      const bool found =
          i < g.profile.factors.size() && g.profile.factors[i].factor == factors[i].factor;
      const bool hidden = !found || g.withheld.whole || g.withheld.factors[i];
      cells.push_back(hidden ? Cell{m_hidden} : percent_cell(g.profile.factors[i].group.estimate));
    }
    table.rows.push_back(std::move(cells));
  }
  return s;
}

Section ReportSections::gaps() {
  const PlanAnalysis& a = *m_source.plan;
  Section s{.level = 1, .id = "gaps", .heading = text("report_gaps"), .blocks = {}};
  s.blocks.push_back(
      Paragraph{text(a.citizens.weighting ? "report_gaps_lead_weighted" : "report_gaps_lead")});
  Table table{
      .id = "gaps",
      .caption = text("report_gaps"),
      .columns = {text("report_service"), text("report_share"), text("report_interval"),
                  text("report_households"), text("report_places"), text("report_users"),
                  text("report_waiting"), text("report_coverage"), text("report_citizens_rank"),
                  text("report_stakeholders_rank"), text("report_users_missing")},
      .numeric = {false, true, true, true, true, true, true, true, true, true, true},
      .rows = {},
      .note = {}};
  const Cell none{"—"};
  bool any_hidden = false;
  for (const auto& g : a.gaps) {
    if (!g.group.empty()) continue;
    any_hidden = any_hidden || g.withheld || g.users_missing_withheld;
    auto shown = [&](Cell cell) { return g.withheld ? Cell{m_hidden} : cell; };
    const auto& share = g.need.share;
    auto ranked = [&](const std::optional<analysis::Estimate>& e) {
      return e ? percent_cell(e->estimate) : none;
    };
    table.rows.push_back({{service_label(g.service)},
                          shown(percent_cell(share.estimate)),
                          shown({percent_text(share.ci_low) + " – " + percent_text(share.ci_high)}),
                          g.need.households ? shown(count_cell(*g.need.households)) : none,
                          g.resources ? count_cell(g.resources->places) : none,
                          g.resources ? count_cell(g.resources->users) : none,
                          g.resources ? count_cell(g.resources->waiting) : none,
                          g.coverage ? shown(percent_cell(*g.coverage)) : none,
                          ranked(g.citizen_priority),
                          ranked(g.stakeholder_priority),
                          g.users_missing_withheld ? Cell{m_hidden} : ranked(g.users_missing)});
  }
  if (any_hidden) table.note = format("report_suppressed", {{"k", k()}});
  s.blocks.push_back(std::move(table));
  return s;
}

Section ReportSections::priorities() {
  const PlanAnalysis& a = *m_source.plan;
  Section s{.level = 1, .id = "priorities", .heading = text("report_priorities"), .blocks = {}};
  s.blocks.push_back(Paragraph{text("report_priorities_lead")});
  Table table{.id = "priorities",
              .caption = text("report_priorities"),
              .columns = {text("report_rank"), text("report_service"), text("report_score"),
                          text("report_reasons")},
              .numeric = {true, false, true, false},
              .rows = {},
              .note = {}};
  BarChart chart{
      .caption = text("report_priorities"), .description = {}, .scale_max = 100, .bars = {}};
  auto criterion_label = [&](plan::Criterion criterion) {
    return text("admin_plan_c_" + std::string(plan::to_string(criterion)));
  };
  for (const auto& p : a.priorities) {
    std::string reasons;
    for (std::size_t i = 0; i < p.criteria.size() && i < 2; ++i) {
      const auto& part = p.criteria[i];
      if (part.contribution <= 0) break;
      reasons += (reasons.empty() ? "" : "; ") + criterion_label(part.criterion);
    }
    const std::string label = service_label(p.service);
    table.rows.push_back({{std::to_string(p.rank), static_cast<double>(p.rank)},
                          {label},
                          {decimal_text(p.score), std::round(p.score * 10) / 10},
                          {reasons}});
    chart.bars.push_back(
        {.label = label, .value = p.score, .text = decimal_text(p.score), .hidden = false});
  }
  if (!a.priorities.empty()) {
    chart.description = format("report_priorities_first", {{"service", chart.bars.front().label},
                                                           {"score", chart.bars.front().text}});
  }
  s.blocks.push_back(std::move(table));
  if (!chart.bars.empty()) s.blocks.push_back(std::move(chart));
  return s;
}

report::Document in_serbian_latin(report::Document cyrillic) {
  report::Document latin = report::converted(
      std::move(cyrillic), [](std::string_view s) { return text::serbian_to_latin(s); });
  latin.language = "sr-Latn";
  return latin;
}

std::string results_path(const store::Municipality& m, const store::Campaign& campaign) {
  return "/r/" + url_encode(m.slug) + "/" + url_encode(campaign.slug);
}

std::vector<std::string> results_languages(const questionnaire::Questionnaire& q) {
  std::vector<std::string> languages{"sr-Cyrl", "sr-Latn", "en"};
  for (const auto& l : q.languages()) {
    if (l == "mk") languages.push_back("mk");
  }
  return languages;
}

ResultsFigures results_figures(const WeightedData& data, const questionnaire::Questionnaire& q,
                               std::int64_t min_cell_size) {
  ResultsFigures out;
  // The shares of one column: a question's, or a matrix row's ("question/row").
  auto add = [&](std::size_t index, const std::string& column, const std::string& row) {
    if (!data.data->find(column)) return;
    QuestionFigures f{.question = index, .row = row, .rows = {}, .hidden = {}, .answered = 0};
    try {
      f.rows = estimate(data, Statistic::share, column, "");
    } catch (const std::invalid_argument&) {
      return;  // a question the data cannot estimate (no answers at all)
    }
    f.hidden = analysis::withheld_estimates(f.rows, true, min_cell_size);
    for (const auto& e : f.rows) f.answered = std::max(f.answered, e.n);
    out.questions.push_back(std::move(f));
  };
  for (std::size_t i = 0; i < q.questions().size(); ++i) {
    const auto& question = q.questions()[i];
    if (reported(question.type)) add(i, question.name, "");
    if (question.type == QuestionType::matrix) {
      for (const auto& row : question.rows) add(i, question.name + "/" + row.name, row.name);
    }
  }
  return out;
}

void add_group_risks(ResultsFigures& figures, const WeightedData& data,
                     const questionnaire::Questionnaire& q,
                     std::span<const analysis::GroupMembership> groups, std::int64_t min_cell_size,
                     const std::string& risk_question) {
  const auto* question = q.find(risk_question);
  const auto* column = data.data->find(risk_question);
  if (!question || question->type != QuestionType::multiple || !column) return;
  const std::vector<std::string> exclusive = analysis::exclusive_choices(q, risk_question);
  for (const auto& membership : groups) {
    try {
      analysis::RiskProfile profile =
          analysis::risk_profile(*data.data, data.design(), membership, risk_question, exclusive);
      analysis::ProfileWithholding withheld = analysis::withheld_profile(profile, min_cell_size);
      figures.group_risks.push_back({.group = membership.name,
                                     .profile = std::move(profile),
                                     .withheld = std::move(withheld)});
    } catch (const std::invalid_argument&) {
      // a group the profile cannot be made of: left out, as on the group profiles page
    }
  }
}

report::Document results_document(const Translations& t, const ResultsSource& source,
                                  const std::string& language) {
  if (language == "sr-Latn") return in_serbian_latin(results_document(t, source, "sr-Cyrl"));
  return ReportSections(t, source, language).results();
}

}  // namespace needsmap::web
