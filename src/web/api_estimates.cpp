// GET /api/v1/campaigns/{m}/{c}/estimates?question=Q[&by=G][&weights=none|raked]
// [&statistic=share|mean|median|top_two_box][&layer=L]: the share of each answer (or the mean or
// median of a number or a scale, or a scale's top-two-box), overall or by the groups of another
// question, with standard errors, 95% intervals, effective n and design effects, the test of
// independence when split by groups, and how the answers were weighted; with a layer, shares by
// group within each of its categories (a three-way table). For signed-in users who may see the
// campaign's results; below analyst, estimates resting on fewer than the municipality's smallest
// group are withheld, with their complements.
#include <boost/beast/http/field.hpp>

#include "access/roles.hpp"
#include "analysis/estimates.hpp"
#include "core/clock.hpp"
#include "web/admin_session.hpp"
#include "web/app.hpp"
#include "web/background.hpp"
#include "web/estimation.hpp"
#include "web/responses.hpp"

namespace needsmap::web {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using json = nlohmann::json;

namespace {

constexpr const char* sampling_note_key = "api.estimates_note";

json figure(double value, bool hidden) {
  return hidden ? json(nullptr) : json(value);
}

json estimate_row(const analysis::Estimate& e, bool grouped, bool share, bool hidden) {
  json row = json::object();
  if (share) row["category"] = e.category;
  if (grouped) row["group"] = e.group;
  row.update({{"estimate", figure(e.estimate, hidden)},
              {"se", figure(e.se, hidden)},
              {"ci_low", figure(e.ci_low, hidden)},
              {"ci_high", figure(e.ci_high, hidden)},
              {"n", hidden ? json(nullptr) : json(e.n)},
              {"n_eff", figure(e.n_eff, hidden)},
              {"deff", figure(e.deff, hidden)},
              {"suppressed", hidden},
              {"unreliable", !hidden && (e.low_n_eff || e.high_rse)}});
  if (share) row["count"] = hidden ? json(nullptr) : json(e.count);
  return row;
}

// Whether the question's answers differ between the groups beyond chance.
json test_json(const analysis::IndependenceTest& t) {
  json out = {{"n", t.n}, {"df", t.df}, {"pearson", t.pearson}, {"p", t.p}};
  if (t.rao_scott) {
    out["method"] = "rao_scott";
    out.update(
        {{"f", t.f}, {"ndf", t.ndf}, {"ddf", t.ddf}, {"chisq", t.chisq}, {"chisq_p", t.chisq_p}});
  } else {
    out["method"] = "pearson";
  }
  return out;
}

}  // namespace

asio::awaitable<Response> App::api_estimates(const Request& request, CampaignContext& context,
                                             const std::map<std::string, std::string>& query) {
  const std::string& language = context.language;
  auto say = [&](std::string_view key) { return m_translations.text(language, key); };
  auto user = admin::signed_in(reader(), request, clock::now_unix());
  if (!user) co_return json_response(401, error_body(say("api.sign_in")));
  const std::int64_t municipality = context.municipality.id;
  if (!access::allowed(user->who, access::Action::view_results, {municipality, context.campaign.id},
                       user->areas)) {
    co_return json_response(403, error_body(say("api.forbidden")));
  }
  auto parameter = [&](const char* name) {
    auto it = query.find(name);
    return it == query.end() ? std::string() : it->second;
  };
  const std::string question = parameter("question");
  const std::string by = parameter("by");
  const std::string weights = parameter("weights").empty() ? "none" : parameter("weights");
  if (question.empty()) co_return json_response(400, error_body(say("api.question_missing")));
  if (weights != "none" && weights != "raked") {
    co_return json_response(400, error_body(say("api.bad_parameter")));
  }

  auto weighted = co_await weighted_data_of(context, weights == "raked");
  if (!weighted) {
    const WeightingProblem& p = weighted.error();
    const unsigned status = p.key == "http.503" ? 503 : 422;
    co_return json_response(
        status, error_body(m_translations.format(language, p.key, {{"reason", p.reason}})));
  }
  const analysis::Dataset& data = *weighted->data;
  const auto statistic =
      statistic_for(parameter("statistic"), data.find(question), *context.questionnaire);
  if (!statistic) co_return json_response(400, error_body(say("api.bad_parameter")));
  const bool share = counts_respondents(*statistic);
  const std::string layer = parameter("layer");
  // A third question splits single-choice shares by group once more.
  if (!layer.empty() && (by.empty() || *statistic != Statistic::share)) {
    co_return json_response(400, error_body(say("api.bad_parameter")));
  }
  LayeredShares layered;
  std::vector<analysis::Estimate>& rows = layered.rows;
  std::optional<analysis::IndependenceTest> independence;
  try {
    if (!data.find(question)) throw std::invalid_argument("no question " + question);
    if (data.rows() > 0 && !layer.empty()) {
      layered = layered_shares(*weighted, question, by, layer);
    } else if (data.rows() > 0) {
      rows = estimate(*weighted, *statistic, question, by);
      independence = independence_of(*weighted, question, by);
    }
  } catch (const std::invalid_argument& e) {
    co_return json_response(422, error_body(m_translations.format(language, "api.cannot_estimate",
                                                                  {{"reason", e.what()}})));
  }

  const bool exact = !access::sees_suppressed_figures(user->who, municipality, user->areas);
  const std::int64_t k = context.campaign.min_cell_size;
  std::vector<bool> hidden = exact            ? std::vector<bool>(rows.size(), false)
                             : !layer.empty() ? withheld_by_layer(layered, k)
                                              : analysis::withheld_estimates(rows, share, k);
  json body = {{"campaign", context.campaign.municipality_slug + "/" + context.campaign.slug},
               {"question", question},
               {"statistic", to_string(*statistic)},
               {"weights", weights},
               {"responses", data.rows()},
               {"min_cell_size", exact ? json(nullptr) : json(k)},
               {"note", say(sampling_note_key)},
               {"estimates", json::array()}};
  if (!by.empty()) body["by"] = by;
  if (!layer.empty()) body["layer"] = layer;
  if (weighted->weighting) body["weighting"] = weighting_json(*weighted);
  if (independence) body["test"] = test_json(*independence);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    json row = estimate_row(rows[i], !by.empty(), share, hidden[i]);
    if (!layer.empty()) row["layer"] = layered.layers[i];
    body["estimates"].push_back(std::move(row));
  }
  Response r = json_response(200, body);
  r.set(http::field::cache_control, "no-store");
  co_return r;
}

}  // namespace needsmap::web
