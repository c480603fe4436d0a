// Vulnerable groups in the administration: the municipality's definitions (/admin/m/{m}/groups),
// kept by coordinators and analysts, and each campaign's group profiles
// (/admin/m/{m}/c/{c}/groups): how many respondents are in each group, and for one group the
// answers to a multiple-choice question (risk factors, unmet needs, barriers) against everyone
// else, weighted on request, with small groups withheld below analyst.
#include <boost/beast/http/field.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "access/roles.hpp"
#include "analysis/groups.hpp"
#include "core/text.hpp"
#include "store/accounts.hpp"
#include "store/population.hpp"
#include "web/admin_context.hpp"
#include "web/app.hpp"
#include "web/background.hpp"
#include "web/charts.hpp"
#include "web/group_definitions.hpp"
#include "web/pages.hpp"

namespace needsmap::web {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using json = nlohmann::json;

namespace {

constexpr const char* groups_format = "needsmap-vulnerable-groups/1";

std::string label_in(const questionnaire::LocalizedText& text, const std::string& language) {
  return text.get(language);
}

// One group as the engine's file reader checks it: name, sr-Cyrl label, expression.
json group_document(const std::string& name, const json& label, const std::string& expression) {
  return {
      {"format", groups_format},
      {"risk_question", "risk_factors"},
      {"groups", json::array({{{"name", name}, {"label", label}, {"expression", expression}}})}};
}

// The reader's complaint about a field, as an error for the form's field, in the page's language.
json field_error(const Translations& t, const std::string& language,
                 const analysis::GroupFileError& e) {
  if (e.where.ends_with("/name")) {
    return error_item("name", t.text(language, "admin_groups_error_name"));
  }
  if (e.where.find("/label") != std::string::npos) {
    return error_item("label_cyrl", t.text(language, "admin_groups_error_label"));
  }
  return error_item("expression",
                    t.format(language, "admin_groups_error_expression", {{"detail", e.message}}));
}

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

// Why a group does not apply to a survey, in the page's language.
std::string why_not_applicable(const Translations& t, const std::string& language,
                               const analysis::GroupCheck& check) {
  if (!check.valid()) return t.text(language, "admin_groups_invalid");
  std::string why;
  if (!check.unknown.empty()) {
    why = t.format(language, "admin_groups_unknown", {{"questions", joined(check.unknown)}});
  }
  if (!check.unanalysed.empty()) {
    why += (why.empty() ? "" : " ") +
           t.format(language, "admin_groups_unanalysed", {{"questions", joined(check.unanalysed)}});
  }
  return why;
}

}  // namespace

asio::awaitable<Response> Admin::groups(Context& c, const store::Municipality& m) {
  const Translations& t = m_app.m_translations;
  const std::string& lang = c.language;
  store::Store& store = m_app.reader();
  bool own = false;
  std::vector<analysis::GroupDefinition> current =
      municipality_groups(store, m_app.m_config.share, m.id, &own);
  json page = frame(c, t.text(lang, "admin_groups"));
  page["municipality"] = municipality_name(m, lang);
  page["municipality_href"] = c.href(municipality_admin_path(m));
  page["action"] = c.href(municipality_admin_path(m) + "/groups");
  page["own"] = own;

  // Which campaigns each group applies to: a group is only as good as the questions it asks.
  std::vector<std::pair<std::string, std::shared_ptr<const questionnaire::Questionnaire>>> surveys;
  for (const auto& campaign : store.list_campaigns(m.id)) {
    if (auto q = questionnaire_of(campaign)) surveys.emplace_back(campaign.slug, q);
  }
  auto show = [&](unsigned status, const std::vector<analysis::GroupDefinition>& list) {
    json rows = json::array();
    for (const auto& g : list) {
      json not_applicable = json::array();
      for (const auto& [slug, q] : surveys) {
        analysis::GroupCheck check = analysis::check_group(g, *q);
        if (check.applicable()) continue;
        not_applicable.push_back({{"campaign", slug}, {"why", why_not_applicable(t, lang, check)}});
      }
      rows.push_back({{"name", g.name},
                      {"label", label_in(g.label, lang)},
                      {"label_cyrl", g.label.get("sr-Cyrl")},
                      {"label_en", g.label.has("en") ? g.label.get("en") : ""},
                      {"label_mk", g.label.has("mk") ? g.label.get("mk") : ""},
                      {"expression", g.expression},
                      {"not_applicable", not_applicable},
                      {"has_not_applicable", !not_applicable.empty()}});
    }
    page["groups"] = rows;
    return render(c, status, "admin_groups", page);
  };
  if (c.request.method() != http::verb::post) co_return show(200, current);

  const std::string action = field(c.form, "action");
  std::vector<analysis::GroupDefinition> changed = current;
  const std::string original = field(c.form, "original");
  auto position = std::find_if(changed.begin(), changed.end(),
                               [&](const auto& g) { return g.name == original; });
  if (action == "reset") {
    changed.clear();
  } else if (action == "delete" && position != changed.end()) {
    changed.erase(position);
  } else if (action == "save") {
    const std::string name = text::trim(field(c.form, "name"));
    json label = json::object();
    for (const auto& [key, language] : {std::pair{"label_cyrl", "sr-Cyrl"},
                                        std::pair{"label_en", "en"}, std::pair{"label_mk", "mk"}}) {
      std::string text = text::trim(field(c.form, key));
      if (!text.empty()) label[language] = text;
    }
    const std::string expression = text::trim(field(c.form, "expression"));
    json errors = json::array();
    auto read = analysis::read_group_defaults(group_document(name, label, expression));
    if (!read) {
      for (const auto& e : read.error()) errors.push_back(field_error(t, lang, e));
    }
    const bool renamed_onto_another =
        std::any_of(changed.begin(), changed.end(),
                    [&](const auto& g) { return g.name == name && g.name != original; });
    if (renamed_onto_another) {
      errors.push_back(error_item("name", t.text(lang, "admin_groups_error_taken")));
    }
    if (!errors.empty()) {
      show_errors(page, errors);
      page["form"] = {{"original", original},
                      {"name", name},
                      {"label_cyrl", label.value("sr-Cyrl", "")},
                      {"label_en", label.value("en", "")},
                      {"label_mk", label.value("mk", "")},
                      {"expression", expression}};
      co_return show(422, current);
    }
    if (position != changed.end()) {
      *position = read->groups.front();
    } else {
      changed.push_back(read->groups.front());
    }
  } else {
    show_errors(page, json::array({error_item("name", t.text(lang, "admin_groups_error_action"))}));
    co_return show(422, current);
  }

  // The defaults stay the defaults: a municipality that has changed nothing stores nothing.
  std::vector<store::VulnerableGroup> rows;
  if (action != "reset") {
    for (const auto& g : changed) rows.push_back(analysis::group_to_store(g));
  }
  store::AuditEntry entry =
      audit_entry(c, "vulnerable_groups", m.id, m.slug,
                  action + " " + (original.empty() ? field(c.form, "name") : original));
  const std::int64_t municipality_id = m.id;
  store::Writer::Work save = [rows, entry, municipality_id](store::Store& s) {
    store::save_vulnerable_groups(s, municipality_id, rows);
    store::audit(s, entry);
  };
  bool stored = co_await m_app.write(std::move(save));
  if (!stored) co_return message(c, 503, "http.503");
  co_return redirect_response(c.href(municipality_admin_path(m) + "/groups"));
}

asio::awaitable<Response> Admin::group_profiles(Context& c, const store::Municipality& m,
                                                const store::Campaign& campaign) {
  const Translations& t = m_app.m_translations;
  const std::string& lang = c.language;
  std::shared_ptr<const questionnaire::Questionnaire> q = questionnaire_of(campaign);
  if (!q) co_return message(c, 500, "http.500");
  json page = campaign_frame(c, m, campaign, *q, t.text(lang, "admin_profiles"));
  page["lang"] = lang;
  page["action"] = campaign_admin_path(m, campaign) + "/groups";
  page["groups_href"] = c.href(municipality_admin_path(m) + "/groups");
  page["population_href"] = c.href(municipality_admin_path(m) + "/population");
  auto parameter = [&](const char* name) {
    auto it = c.target.query.find(name);
    return it == c.target.query.end() ? std::string() : it->second;
  };
  const bool raked = parameter("weights") == "raked";
  page["weights_raked"] = raked;

  CampaignContext context{m, campaign, q, lang, "", "web"};
  auto weighted = co_await analysis_data(c, context, raked, page);
  if (!weighted) co_return message(c, 503, "http.503");

  // The questions a profile can be of: every multiple choice; risk factors first by default.
  std::string risk_question;
  default_groups(m_app.m_config.share, &risk_question);
  const analysis::Dataset& data = *weighted->data;
  std::string question = parameter("question");
  json questions = json::array();
  for (const auto& column : data.columns()) {
    if (column.spec.kind != analysis::ColumnKind::multiple) continue;
    if (question.empty() && column.spec.name == risk_question) question = column.spec.name;
    const auto* asked = q->find(column.spec.question);
    questions.push_back({{"value", column.spec.name},
                         {"label", asked ? asked->label.get(lang) : column.spec.name}});
  }
  if (question.empty() && !questions.empty()) question = questions[0]["value"];
  for (auto& option : questions) option["selected"] = option["value"] == question;
  page["questions"] = questions;

  const std::vector<analysis::GroupDefinition> definitions =
      municipality_groups(m_app.reader(), m_app.m_config.share, m.id);
  auto memberships = std::make_shared<std::vector<analysis::GroupMembership>>();
  UniqueFunction<bool()> work = [memberships, definitions, data = weighted->data, q] {
    *memberships = analysis::evaluate_groups(*data, definitions, q.get());
    return true;
  };
  bool evaluated = co_await off_the_io_threads(m_app.m_background, std::move(work));
  if (!evaluated) co_return message(c, 503, "http.503");

  const bool exact = !access::sees_suppressed_figures(c.user->who, m.id, c.user->areas);
  const std::int64_t k = campaign.min_cell_size;
  const std::string hidden_text = t.text(lang, "admin_hidden");
  const std::string chosen = parameter("group");
  const analysis::GroupMembership* selected = nullptr;
  const analysis::GroupDefinition* selected_definition = nullptr;
  json overview = json::array();
  double all_weight = 0;
  for (double w : data.weights()) all_weight += w;
  for (std::size_t i = 0; i < memberships->size(); ++i) {
    const auto& membership = (*memberships)[i];
    const auto& definition = definitions[i];
    if (!membership.applicable) continue;
    double weight = 0;
    for (std::size_t r = 0; r < data.rows(); ++r) {
      if (membership.member[r]) weight += data.weights()[r];
    }
    const bool small = !exact && membership.members > 0 && membership.members < k;
    const bool is_chosen = definition.name == chosen || (chosen.empty() && !selected);
    if (is_chosen) {
      selected = &membership;
      selected_definition = &definition;
    }
    overview.push_back(
        {{"value", definition.name},
         {"label", label_in(definition.label, lang)},
         {"selected", is_chosen},
         {"members", small ? hidden_text : std::to_string(membership.members)},
         {"share", small || all_weight <= 0 ? hidden_text : percent_text(weight / all_weight)}});
  }
  page["groups"] = overview;
  page["has_groups"] = !overview.empty();
  if (!selected || question.empty() || data.rows() == 0) {
    co_return render(c, 200, "admin_profiles", page);
  }

  analysis::RiskProfile profile;
  try {
    profile = analysis::risk_profile(data, weighted->design(), *selected, question,
                                     analysis::exclusive_choices(*q, question));
  } catch (const std::invalid_argument& e) {
    show_errors(page, json::array({error_item("question", e.what())}));
    co_return render(c, 422, "admin_profiles", page);
  }
  const analysis::ProfileWithholding withheld =
      exact ? analysis::ProfileWithholding{.whole = false,
                                           .factors = std::vector<bool>(profile.factors.size()),
                                           .group_counts = std::vector<bool>(4),
                                           .others_counts = std::vector<bool>(4)}
            : analysis::withheld_profile(profile, k);
  const auto* asked = q->find(question);
  json result = {{"title", label_in(selected_definition->label, lang)},
                 {"question", asked ? asked->label.get(lang) : question},
                 {"note", t.text(lang, "api.estimates_note")}};
  if (withheld.whole) {
    result["withheld"] = t.format(lang, "admin_results_suppressed", {{"k", k}});
    page["result"] = result;
    co_return render(c, 200, "admin_profiles", page);
  }
  json rows = json::array();
  std::vector<Bar> bars;
  bool any_hidden = false;
  for (std::size_t index : profile.ranking) {
    const auto& f = profile.factors[index];
    const bool h = withheld.factors[index];
    any_hidden = any_hidden || h;
    auto shown = [&](const std::string& s) { return h ? hidden_text : s; };
    const auto* choice = asked ? asked->find_choice(f.factor) : nullptr;
    const std::string label = choice ? choice->label.get(lang) : f.factor;
    rows.push_back({{"label", label},
                    {"group", shown(percent_text(f.group.estimate))},
                    {"group_interval",
                     shown(percent_text(f.group.ci_low) + " – " + percent_text(f.group.ci_high))},
                    {"others", shown(percent_text(f.others.estimate))},
                    {"difference", shown(points_text(f.difference))},
                    {"difference_interval",
                     shown(points_text(f.difference_low) + " – " + points_text(f.difference_high))},
                    {"distinct", !h && f.distinct},
                    {"unreliable", !h && (f.group.low_n_eff || f.group.high_rse)}});
    bars.push_back(
        {.label = label,
         .value = h ? 0 : static_cast<std::int64_t>(std::lround(f.group.estimate * 1000)),
         .hidden = h,
         .text = shown(percent_text(f.group.estimate)),
         .muted = false});
  }
  result["rows"] = rows;
  result["has_rows"] = !rows.empty();
  result["chart"] = bar_chart(label_in(selected_definition->label, lang), bars);
  json together = json::array();
  for (std::size_t i = 0; i < profile.group_cooccurrence.shares.size(); ++i) {
    const auto& g = profile.group_cooccurrence.shares[i];
    const auto& o = profile.others_cooccurrence.shares[i];
    const bool hg = withheld.group_counts[i], ho = withheld.others_counts[i];
    any_hidden = any_hidden || hg || ho;
    together.push_back({{"count", g.category},
                        {"group", hg ? hidden_text : percent_text(g.estimate)},
                        {"others", ho ? hidden_text : percent_text(o.estimate)}});
  }
  result["together"] = together;
  result["mean_group"] = decimal_text(profile.group_cooccurrence.mean.estimate);
  result["mean_others"] = decimal_text(profile.others_cooccurrence.mean.estimate);
  result["basis"] =
      t.format(lang, "admin_profiles_basis",
               {{"members",
                 exact || selected->members >= k ? std::to_string(selected->members) : hidden_text},
                {"responses", static_cast<std::int64_t>(data.rows())}});
  if (any_hidden)
    result["suppressed_note"] = t.format(lang, "admin_results_suppressed", {{"k", k}});
  if (weighted->weighting) {
    result["weighted"] =
        t.format(lang, "admin_profiles_weighted",
                 {{"source", weighted->population->source},
                  {"left_out", static_cast<std::int64_t>(weighted->weighting->left_out)}});
  }
  page["result"] = result;
  co_return render(c, 200, "admin_profiles", page);
}

}  // namespace needsmap::web
