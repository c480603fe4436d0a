// The administration's analysis page: a question (and a group to split it by) picked in a plain
// GET form, its estimates as a table with intervals beside a chart. The same figures as the
// estimates API, with the same disclosure control; it works without JavaScript.
#include <boost/beast/http/field.hpp>

#include <cmath>
#include <cstdio>

#include "access/roles.hpp"
#include "analysis/estimates.hpp"
#include "web/admin_context.hpp"
#include "web/app.hpp"
#include "web/charts.hpp"
#include "web/estimation.hpp"
#include "web/pages.hpp"

namespace needsmap::web {

namespace asio = boost::asio;
using json = nlohmann::json;

namespace {

// A column's name as people read it: the question's label, and a matrix row's label after it.
std::string column_label(const questionnaire::Questionnaire& q, const analysis::ColumnSpec& spec,
                         const std::string& language) {
  const std::string& name = spec.question.empty() ? spec.name : spec.question;
  const auto* question = q.find(name);
  if (!question) return spec.name;
  std::string label = question->label.get(language);
  if (!spec.row.empty()) {
    if (const auto* row = question->find_row(spec.row)) label += " — " + row->label.get(language);
  }
  return label;
}

// A choice's label in a question, or its name when the question has no such choice.
std::string choice_label(const questionnaire::Questionnaire& q, const std::string& question,
                         const std::string& choice, const std::string& language) {
  const auto* found = q.find(question);
  const auto* c = found ? found->find_choice(choice) : nullptr;
  return c ? c->label.get(language) : choice;
}

json statistic_options(const Translations& t, const std::string& lang, Statistic chosen) {
  json options = json::array();
  for (Statistic s :
       {Statistic::share, Statistic::mean, Statistic::median, Statistic::top_two_box}) {
    const std::string name(to_string(s));
    options.push_back({{"value", name},
                       {"label", t.text(lang, "admin_analysis_statistic_" + name)},
                       {"selected", s == chosen}});
  }
  return options;
}

// "p = 0.003": below 0.001 as such, since the digits beyond say nothing.
std::string p_value_text(double p) {
  if (p < 0.001) return "p < 0.001";
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "p = %.3f", p);
  return buffer;
}

// One sentence on whether the groups differ beyond chance, and by which test.
std::string test_text(const Translations& t, const std::string& lang,
                      const analysis::IndependenceTest& test) {
  const std::string key =
      test.p < 0.05 ? "admin_analysis_test_differs" : "admin_analysis_test_same";
  const std::string method =
      test.rao_scott ? t.format(lang, "admin_analysis_test_rao_scott",
                                {{"f", decimal_text(test.f)}, {"p", p_value_text(test.p)}})
                     : t.format(lang, "admin_analysis_test_pearson",
                                {{"chi2", decimal_text(test.pearson)},
                                 {"df", static_cast<std::int64_t>(test.df)},
                                 {"p", p_value_text(test.p)}});
  return t.text(lang, key) + " " + method;
}

json weighting_summary(const Translations& t, const std::string& lang, const WeightedData& w) {
  const analysis::RakeReport& r = w.weighting->rake.report;
  std::string margins;
  for (const auto& m : w.weighting->used) margins += (margins.empty() ? "" : ", ") + m;
  json out = {{"source", w.population->source},
              {"demo", w.population->demo},
              {"margins", margins},
              {"converged", r.converged},
              {"effective_n", decimal_text(r.effective_n)},
              {"weights", decimal_text(r.min_weight) + " – " + decimal_text(r.max_weight)}};
  if (w.weighting->left_out > 0) {
    out["left_out"] = t.format(
        lang, "admin_analysis_left_out",
        {{"count", static_cast<std::int64_t>(w.weighting->left_out)}, {"margins", margins}});
  }
  return out;
}

}  // namespace

asio::awaitable<std::optional<WeightedData>> Admin::analysis_data(Context& c,
                                                                  const CampaignContext& context,
                                                                  bool raked, json& page) {
  auto weighted = co_await m_app.weighted_data_of(context, raked);
  if (weighted) co_return std::move(*weighted);
  if (weighted.error().key == "http.503") co_return std::nullopt;
  // Unweighted figures are still there: the page says why weighting is not possible.
  page["weighting_problem"] = m_app.m_translations.format(c.language, weighted.error().key,
                                                          {{"reason", weighted.error().reason}});
  auto unweighted = co_await m_app.weighted_data_of(context, false);
  if (!unweighted) co_return std::nullopt;
  co_return std::move(*unweighted);
}

asio::awaitable<Response> Admin::analysis(Context& c, const store::Municipality& m,
                                          const store::Campaign& campaign) {
  const Translations& t = m_app.m_translations;
  const std::string& lang = c.language;
  std::shared_ptr<const questionnaire::Questionnaire> q = questionnaire_of(campaign);
  if (!q) co_return message(c, 500, "http.500");
  const std::string base = campaign_admin_path(m, campaign);
  json page = campaign_frame(c, m, campaign, *q, t.text(lang, "admin_analysis"));
  page["lang"] = lang;
  page["action"] = base + "/analysis";

  auto parameter = [&](const char* name) {
    auto it = c.target.query.find(name);
    return it == c.target.query.end() ? std::string() : it->second;
  };
  const std::string chosen = parameter("question");
  const std::string by = parameter("by");
  const bool raked = parameter("weights") == "raked";
  page["weights_raked"] = raked;
  page["population_href"] = c.href(municipality_admin_path(m) + "/population");

  CampaignContext context{m, campaign, q, lang, "", "web"};
  auto weighted = co_await analysis_data(c, context, raked, page);
  if (!weighted) co_return message(c, 503, "http.503");
  const analysis::Dataset* data = weighted->data.get();
  const auto statistic = statistic_for(parameter("statistic"), data->find(chosen), *q);
  page["statistics"] = statistic_options(t, lang, statistic.value_or(Statistic::share));

  json questions = json::array(), groups = json::array();
  for (const auto& column : data->columns()) {
    const std::string label = column_label(*q, column.spec, lang);
    questions.push_back(
        {{"value", column.spec.name}, {"label", label}, {"selected", column.spec.name == chosen}});
    if (column.spec.kind == analysis::ColumnKind::choice) {
      groups.push_back(
          {{"value", column.spec.name}, {"label", label}, {"selected", column.spec.name == by}});
    }
  }
  page["questions"] = questions;
  page["groups"] = groups;
  if (chosen.empty()) co_return render(c, 200, "admin_analysis", page);

  const analysis::Column* column = data->find(chosen);
  const analysis::Column* group_column = by.empty() ? nullptr : data->find(by);
  json errors = json::array();
  if (!column) errors.push_back(error_item("question", t.text(lang, "admin_analysis_no_question")));
  if (!by.empty() && (!group_column || group_column->spec.kind != analysis::ColumnKind::choice)) {
    errors.push_back(error_item("by", t.text(lang, "admin_analysis_no_group")));
  }
  if (column && !statistic) {
    errors.push_back(error_item("statistic", t.text(lang, "admin_analysis_no_statistic")));
  }
  if (!errors.empty()) {
    show_errors(page, errors);
    co_return render(c, 422, "admin_analysis", page);
  }

  const bool share = counts_respondents(*statistic);
  std::vector<analysis::Estimate> rows;
  std::optional<analysis::IndependenceTest> independence;
  if (data->rows() > 0) {
    try {
      rows = estimate(*weighted, *statistic, chosen, by);
      independence = independence_of(*weighted, chosen, by);
    } catch (const std::invalid_argument& e) {
      show_errors(page, json::array({error_item("statistic", e.what())}));
      co_return render(c, 422, "admin_analysis", page);
    }
  }
  const bool exact = !access::sees_suppressed_figures(c.user->who, m.id, c.user->areas);
  const std::vector<bool> hidden =
      exact ? std::vector<bool>(rows.size(), false)
            : analysis::withheld_estimates(rows, share, campaign.min_cell_size);
  const std::string hidden_text = t.text(lang, "admin_hidden");
  const std::string& question_name =
      column->spec.question.empty() ? column->spec.name : column->spec.question;

  // One table (and chart) per group, in the order the estimates come.
  json group_list = json::array();
  std::vector<Bar> bars;
  bool any_hidden = false;
  auto close_group = [&] {
    if (group_list.empty()) return;
    json& g = group_list.back();
    if (share) g["chart"] = bar_chart(g["label"].get<std::string>(), bars);
    bars.clear();
  };
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const analysis::Estimate& e = rows[i];
    if (group_list.empty() || group_list.back()["group"] != e.group) {
      close_group();
      std::string label =
          by.empty()
              ? t.text(lang, "admin_analysis_everyone")
              : choice_label(*q,
                             group_column->spec.question.empty() ? by : group_column->spec.question,
                             e.group, lang);
      group_list.push_back(
          {{"group", e.group},
           {"id", "group-" + std::to_string(group_list.size())},
           {"label", label},
           // A group smaller than k is withheld whole, its size too.
           {"n",
            !exact && e.n > 0 && e.n < campaign.min_cell_size ? hidden_text : std::to_string(e.n)},
           {"rows", json::array()}});
    }
    const bool h = hidden[i];
    any_hidden = any_hidden || h;
    const std::string label =
        *statistic == Statistic::share
            ? choice_label(*q, question_name, e.category, lang)
            : t.text(lang, "admin_analysis_" + std::string(to_string(*statistic)));
    auto shown = [&](const std::string& text) { return h ? hidden_text : text; };
    group_list.back()["rows"].push_back(
        {{"label", label},
         {"estimate", shown(share ? percent_text(e.estimate) : decimal_text(e.estimate))},
         {"interval", shown(share ? percent_text(e.ci_low) + " – " + percent_text(e.ci_high)
                                  : decimal_text(e.ci_low) + " – " + decimal_text(e.ci_high))},
         {"count", shown(std::to_string(share ? e.count : e.n))},
         {"n_eff", shown(decimal_text(e.n_eff))},
         {"unreliable", !h && (e.low_n_eff || e.high_rse)}});
    bars.push_back({.label = label,
                    .value = h ? 0 : static_cast<std::int64_t>(std::lround(e.estimate * 1000)),
                    .hidden = h,
                    .text = shown(percent_text(e.estimate)),
                    .muted = false});
  }
  close_group();

  json result = {{"title", column_label(*q, column->spec, lang)},
                 {"basis", t.format(lang, "admin_analysis_basis", {{"responses", data->rows()}})},
                 {"test", independence ? test_text(t, lang, *independence) : ""},
                 {"groups", group_list},
                 {"note", t.text(lang, "api.estimates_note")}};
  if (any_hidden) {
    result["suppressed_note"] =
        t.format(lang, "admin_results_suppressed", {{"k", campaign.min_cell_size}});
  }
  if (weighted->weighting) result["weighting"] = weighting_summary(t, lang, *weighted);
  page["result"] = result;
  co_return render(c, 200, "admin_analysis", page);
}

}  // namespace needsmap::web
