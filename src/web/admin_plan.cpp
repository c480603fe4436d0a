// The plan page of a citizens' campaign (/admin/m/{m}/c/{c}/plan): the gap analysis per service
// type — households in need with intervals (weighted to the population table when there is
// one), what the registry provides, coverage, the change since the previous campaign, how
// citizens and stakeholders ranked each service, how many users miss what it gives — and the
// priorities, scored with weights the working group sets in a GET form, so that a ranking can be
// linked and compared (docs/decisions/0019).
#include <boost/beast/http/field.hpp>

#include <charconv>
#include <cmath>
#include <fstream>

#include "access/roles.hpp"
#include "plan/gaps.hpp"
#include "plan/priorities.hpp"
#include "web/admin_context.hpp"
#include "web/app.hpp"
#include "web/background.hpp"
#include "web/charts.hpp"
#include "web/group_definitions.hpp"
#include "web/pages.hpp"
#include "web/plan_analysis.hpp"

namespace needsmap::web {

namespace asio = boost::asio;
using json = nlohmann::json;

namespace {

constexpr double max_weight = 10;

std::optional<double> weight_from(const std::string& text) {
  double value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end || value < 0 || value > max_weight) return std::nullopt;
  return value;
}

}  // namespace

namespace {

// The services catalog's choices that have a name and `key`; none when it cannot be read.
std::vector<json> services_with(const collect::ShareDir& share, std::string_view key) {
  std::ifstream in(share.root / "data" / "catalogs" / "services.json");
  json catalog = json::parse(in, nullptr, false);
  std::vector<json> out;
  if (!catalog.is_object() || !catalog.contains("choices")) return out;
  for (const auto& choice : catalog["choices"]) {
    if (choice.contains("name") && choice.contains(key)) out.push_back(choice);
  }
  return out;
}

}  // namespace

plan::Responsibilities load_responsibilities(const collect::ShareDir& share) {
  plan::Responsibilities out;
  for (const json& choice : services_with(share, "responsible")) {
    out.emplace(choice["name"].get<std::string>(), choice["responsible"].get<std::string>());
  }
  return out;
}

plan::ServiceNeeds load_users_needs(const collect::ShareDir& share) {
  plan::ServiceNeeds out;
  for (const json& choice : services_with(share, "missing_help")) {
    if (!choice["missing_help"].is_array()) continue;
    auto& needs = out[choice["name"].get<std::string>()];
    for (const json& need : choice["missing_help"]) {
      if (need.is_string()) needs.push_back(need.get<std::string>());
    }
  }
  return out;
}

asio::awaitable<std::shared_ptr<const PlanAnalysis>> Admin::plan_analysis(
    const CampaignContext& context, const WeightedData& citizens,
    const plan::PriorityWeights& weights) {
  const store::Municipality& m = context.municipality;
  const store::Campaign& campaign = context.campaign;
  const auto& q = context.questionnaire;
  auto a = std::make_shared<PlanAnalysis>();
  a->citizens = citizens;

  // The municipality's other campaigns: the latest stakeholders' and users' ones, and this
  // questionnaire's campaign created before this one (campaigns are numbered as they are
  // created).
  std::optional<store::Campaign> stakeholders_campaign;
  std::shared_ptr<const questionnaire::Questionnaire> stakeholders_q, users_q, previous_q;
  for (const auto& other : m_app.reader().list_campaigns(m.id)) {
    if (other.id == campaign.id) continue;
    auto other_q = questionnaire_of(other);
    if (!other_q) continue;
    auto latest = [&](std::string_view name, std::optional<store::Campaign>& found,
                      std::shared_ptr<const questionnaire::Questionnaire>& found_q) {
      if (other_q->name() == name && (!found || other.id > found->id)) {
        found = other;
        found_q = other_q;
      }
    };
    latest("stakeholders", stakeholders_campaign, stakeholders_q);
    latest("users", a->users_campaign, users_q);
    if (other_q->name() == q->name() && other.id < campaign.id &&
        (!a->previous_campaign || other.id > a->previous_campaign->id)) {
      a->previous_campaign = other;
      previous_q = other_q;
    }
  }
  if (stakeholders_campaign) {
    CampaignContext other{m, *stakeholders_campaign, stakeholders_q, context.language, "", "web"};
    auto data = co_await m_app.weighted_data_of(other, false);
    if (data) a->stakeholders = std::move(*data);
  }
  if (a->users_campaign) {
    CampaignContext other{m, *a->users_campaign, users_q, context.language, "", "web"};
    auto data = co_await m_app.weighted_data_of(other, false);
    if (data) a->users = std::move(*data);
  }
  if (a->previous_campaign) {
    CampaignContext other{m, *a->previous_campaign, previous_q, context.language, "", "web"};
    const bool raked = citizens.weighting != nullptr;
    auto data = co_await m_app.weighted_data_of(other, raked);
    if (data) {
      a->previous = std::move(*data);
    } else {
      auto plain = co_await m_app.weighted_data_of(other, false);
      if (plain) a->previous = std::move(*plain);
    }
  }

  const plan::GapQuestions questions;
  a->services =
      citizens.data->require(questions.unmet_need, analysis::ColumnKind::multiple).spec.categories;
  // The registry's figures, the groups and the gaps are read and worked out off the io threads.
  UniqueFunction<bool()> work = [this, a, &m, &campaign, &q, &questions, &weights] {
    a->resources = m_app.resource_summary(m, std::nullopt);
    a->definitions = municipality_groups(m_app.reader(), m_app.m_config.share, m.id);
    a->groups = analysis::evaluate_groups(*a->citizens.data, a->definitions, q.get());
    std::erase_if(a->groups, [](const auto& g) { return !g.applicable; });
    auto as_survey = [](const WeightedData& w, bool weighted) {
      return plan::SurveyData{
          .data = w.data.get(), .design = w.design(), .weighted = weighted, .source = {}};
    };
    const registry::ResourceSummary& resources = a->resources;
    plan::GapInputs inputs{
        .citizens = as_survey(a->citizens, a->citizens.weighting != nullptr),
        .previous = a->previous
                        ? std::optional(as_survey(*a->previous, a->previous->weighting != nullptr))
                        : std::nullopt,
        .stakeholders =
            a->stakeholders ? std::optional(as_survey(*a->stakeholders, false)) : std::nullopt,
        .users = a->users ? std::optional(as_survey(*a->users, false)) : std::nullopt,
        .users_needs = m_users_needs,
        .users_min_cell_size = a->users_campaign ? a->users_campaign->min_cell_size : 5,
        .groups = a->groups,
        .resources = [&resources](std::string_view code) -> std::optional<plan::Provision> {
          if (resources.empty()) return std::nullopt;
          const registry::ResourceFigures* row = registry::find_service_type(resources, code);
          if (!row) return plan::Provision{};
          return plan::Provision{.services = static_cast<int>(row->services),
                                 .places = row->places,
                                 .users = static_cast<double>(row->current_users),
                                 .waiting = static_cast<double>(row->waiting_list),
                                 .sources = row->service_ids};
        },
        .questions = questions,
        .min_cell_size = campaign.min_cell_size};
    a->gaps = plan::gap_analysis(inputs, a->services);
    a->priorities = plan::prioritize(a->gaps, m_responsibilities, weights);
    return true;
  };
  bool done = co_await off_the_io_threads(m_app.m_background, std::move(work));
  if (!done) co_return nullptr;
  co_return a;
}

asio::awaitable<Response> Admin::plan(Context& c, const store::Municipality& m,
                                      const store::Campaign& campaign) {
  const Translations& t = m_app.m_translations;
  const std::string& lang = c.language;
  std::shared_ptr<const questionnaire::Questionnaire> q = questionnaire_of(campaign);
  if (!q) co_return message(c, 500, "http.500");
  json page = campaign_frame(c, m, campaign, *q, t.text(lang, "admin_plan"));
  page["lang"] = lang;
  page["action"] = campaign_admin_path(m, campaign) + "/plan";
  page["population_href"] = c.href(municipality_admin_path(m) + "/population");
  page["groups_href"] = c.href(municipality_admin_path(m) + "/groups");

  // The weights: the form's, or the defaults.
  plan::PriorityWeights weights;
  json weight_fields = json::array();
  json errors = json::array();
  for (plan::Criterion criterion : plan::all_criteria) {
    const std::string name = "w_" + std::string(plan::to_string(criterion));
    auto it = c.target.query.find(name);
    std::string value =
        it == c.target.query.end() ? decimal_text(weights.of(criterion)) : it->second;
    std::string error;
    if (auto parsed = weight_from(value)) {
      weights.weight[criterion] = *parsed;
    } else {
      error = t.text(lang, "admin_plan_weight_error");
      errors.push_back(error_item(name, error));
    }
    weight_fields.push_back(
        {{"name", name},
         {"label", t.text(lang, "admin_plan_c_" + std::string(plan::to_string(criterion)))},
         {"value", value},
         {"error", error}});
  }
  page["weights"] = weight_fields;
  if (!errors.empty()) {
    show_errors(page, errors);
    co_return render(c, 422, "admin_plan", page);
  }

  // Weighted unless asked not to: counts of households need weights that sum to the population.
  auto weights_parameter = c.target.query.find("weights");
  const bool raked =
      weights_parameter == c.target.query.end() || weights_parameter->second != "none";
  page["weights_raked"] = raked;
  CampaignContext context{m, campaign, q, lang, "", "web"};
  auto citizens = co_await analysis_data(c, context, raked, page);
  if (!citizens) co_return message(c, 503, "http.503");
  const plan::GapQuestions questions;
  const auto* need_question = q->find(questions.unmet_need);
  if (!need_question || !citizens->data->find(questions.unmet_need)) {
    page["not_applicable"] = t.text(lang, "admin_plan_not_applicable");
    co_return render(c, 200, "admin_plan", page);
  }

  if (citizens->data->rows() == 0) {
    page["not_applicable"] = t.text(lang, "admin_plan_no_responses");
    co_return render(c, 200, "admin_plan", page);
  }

  const WeightedData citizens_data = std::move(*citizens);
  auto analysed = co_await plan_analysis(context, citizens_data, weights);
  if (!analysed) co_return message(c, 503, "http.503");
  const PlanAnalysis& a = *analysed;
  const auto& resources = a.resources;
  const auto& definitions = a.definitions;
  const auto& services = a.services;
  const auto& priorities = a.priorities;
  const auto& stakeholders = a.stakeholders;
  const auto& users = a.users;
  const auto& previous = a.previous;
  const auto& previous_campaign = a.previous_campaign;

  const bool exact = !access::sees_suppressed_figures(c.user->who, m.id, c.user->areas);
  const std::string hidden = t.text(lang, "admin_hidden");
  const std::string none = "—";
  auto service_label = [&](const std::string& code) {
    const auto* choice = need_question->find_choice(code);
    return choice ? choice->label.get(lang) : code;
  };
  auto share_text = [&](const std::optional<analysis::Estimate>& e) {
    return e ? percent_text(e->estimate) : none;
  };

  // The gaps: everyone's rows, then a table of the need share by group.
  json gap_rows = json::array();
  bool any_hidden = false;
  for (const auto& g : a.gaps) {
    if (!g.group.empty()) continue;
    const bool h = g.withheld && !exact;
    any_hidden = any_hidden || h || (g.users_missing_withheld && !exact);
    auto shown = [&](const std::string& s) { return h ? hidden : s; };
    const auto& share = g.need.share;
    json row = {
        {"service", service_label(g.service)},
        {"share", shown(percent_text(share.estimate))},
        {"share_interval", shown(percent_text(share.ci_low) + " – " + percent_text(share.ci_high))},
        {"households", g.need.households ? shown(count_text(*g.need.households)) : none},
        {"households_interval",
         g.need.households
             ? shown(count_text(g.need.households_low) + " – " + count_text(g.need.households_high))
             : none},
        {"places", g.resources ? count_text(g.resources->places) : none},
        {"users", g.resources ? count_text(g.resources->users) : none},
        {"waiting", g.resources ? count_text(g.resources->waiting) : none},
        {"coverage", g.coverage ? shown(percent_text(*g.coverage)) : none},
        {"change", g.change ? shown(points_text(*g.change)) : none},
        {"citizens", share_text(g.citizen_priority)},
        {"stakeholders", share_text(g.stakeholder_priority)},
        {"users_missing",
         g.users_missing_withheld && !exact ? hidden : share_text(g.users_missing)},
        {"unreliable", !h && (share.low_n_eff || share.high_rse)}};
    gap_rows.push_back(std::move(row));
  }
  page["gaps"] = gap_rows;
  page["has_gaps"] = !gap_rows.empty();

  json group_heads = json::array();
  for (const auto& g : a.groups) {
    for (const auto& d : definitions) {
      if (d.name == g.name) group_heads.push_back({{"label", d.label.get(lang)}});
    }
  }
  json by_group = json::array();
  for (const auto& service : services) {
    json cells = json::array();
    for (const auto& g : a.gaps) {
      if (g.service != service || g.group.empty()) continue;
      const bool h = g.withheld && !exact;
      any_hidden = any_hidden || h;
      cells.push_back({{"share", h ? hidden : percent_text(g.need.share.estimate)}});
    }
    if (!cells.empty()) by_group.push_back({{"service", service_label(service)}, {"cells", cells}});
  }
  page["group_heads"] = group_heads;
  page["by_group"] = by_group;
  page["has_by_group"] = !group_heads.empty() && !by_group.empty();

  // The priorities, with the two criteria that gave most points as the reasons.
  auto criterion_label = [&](plan::Criterion criterion) {
    return t.text(lang, "admin_plan_c_" + std::string(plan::to_string(criterion)));
  };
  auto raw_text = [&](const plan::CriterionScore& part) {
    switch (part.criterion) {
      case plan::Criterion::unmet_need:
        return a.citizens.weighting ? count_text(part.raw) : percent_text(part.raw);
      case plan::Criterion::legal_responsibility:
        return t.text(lang, part.raw > 0 ? "admin_plan_municipality" : "admin_plan_republic");
      default:
        return percent_text(part.raw);
    }
  };
  json priority_rows = json::array();
  std::vector<Bar> bars;
  for (const auto& p : priorities) {
    json reasons = json::array();
    for (std::size_t i = 0; i < p.criteria.size() && i < 2; ++i) {
      const auto& part = p.criteria[i];
      if (part.contribution <= 0) break;
      reasons.push_back(t.format(lang, "admin_plan_reason",
                                 {{"criterion", criterion_label(part.criterion)},
                                  {"value", raw_text(part)},
                                  {"points", decimal_text(part.contribution)}}));
    }
    std::string unknown;
    for (plan::Criterion u : p.unknown) {
      unknown += (unknown.empty() ? "" : ", ") + criterion_label(u);
    }
    const std::string label = service_label(p.service);
    priority_rows.push_back({{"rank", p.rank},
                             {"service", label},
                             {"score", decimal_text(p.score)},
                             {"reasons", reasons},
                             {"unknown", unknown}});
    bars.push_back({.label = label,
                    .value = static_cast<std::int64_t>(std::lround(p.score * 10)),
                    .hidden = false,
                    .text = decimal_text(p.score),
                    .muted = false});
  }
  page["priorities"] = priority_rows;
  page["has_priorities"] = !priority_rows.empty();
  page["chart"] = bar_chart(t.text(lang, "admin_plan_priorities"), bars);

  // Where every figure comes from.
  json sources = json::array();
  std::string citizens_source =
      t.format(lang, "admin_plan_source_citizens",
               {{"responses", static_cast<std::int64_t>(a.citizens.data->rows())}});
  if (a.citizens.weighting) {
    citizens_source += " " + t.format(lang, "admin_plan_source_weighted",
                                      {{"source", a.citizens.population->source}});
  } else {
    citizens_source += " " + t.text(lang, "admin_plan_unweighted");
  }
  sources.push_back(citizens_source);
  sources.push_back(
      resources.empty()
          ? t.text(lang, "admin_plan_no_registry")
          : t.format(lang, "admin_plan_source_registry",
                     {{"services", static_cast<std::int64_t>(resources.total.services)},
                      {"providers", static_cast<std::int64_t>(resources.total.providers)}}));
  sources.push_back(
      stakeholders
          ? t.format(lang, "admin_plan_source_stakeholders",
                     {{"responses", static_cast<std::int64_t>(stakeholders->data->rows())}})
          : t.text(lang, "admin_plan_no_stakeholders"));
  sources.push_back(users
                        ? t.format(lang, "admin_plan_source_users",
                                   {{"responses", static_cast<std::int64_t>(users->data->rows())}})
                        : t.text(lang, "admin_plan_no_users"));
  sources.push_back(
      previous ? t.format(lang, "admin_plan_source_previous",
                          {{"campaign", previous_campaign->slug},
                           {"responses", static_cast<std::int64_t>(previous->data->rows())}})
               : t.text(lang, "admin_plan_no_previous"));
  page["sources"] = sources;
  if (any_hidden) {
    page["suppressed_note"] =
        t.format(lang, "admin_results_suppressed", {{"k", campaign.min_cell_size}});
  }
  co_return render(c, 200, "admin_plan", page);
}

}  // namespace needsmap::web
