// The JSON API: the questionnaire, and submitting a whole response at once.
#include <boost/beast/http/field.hpp>

#include "collect/json_body.hpp"
#include "core/clock.hpp"
#include "core/random.hpp"
#include "web/app.hpp"
#include "web/pages.hpp"
#include "web/responses.hpp"

namespace needsmap::web {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using json = nlohmann::json;

Response App::api_questionnaire(const Request& request, CampaignContext& context) {
  // A draft campaign is not public yet, as its respondent page is not.
  if (context.campaign.status == store::CampaignStatus::draft) return error_page(404, &request);
  json body = context.questionnaire->resolved();
  body["campaign"] = {{"municipality", context.campaign.municipality_slug},
                      {"slug", context.campaign.slug},
                      {"status", store::to_string(context.campaign.status)},
                      {"available", store::availability(context.campaign, clock::now_unix()) ==
                                        store::Availability::open}};
  if (context.campaign.opens_at)
    body["campaign"]["opens_at"] = clock::format_utc(*context.campaign.opens_at);
  if (context.campaign.closes_at)
    body["campaign"]["closes_at"] = clock::format_utc(*context.campaign.closes_at);
  Response r = json_response(200, body);
  r.set(http::field::cache_control, "no-cache");
  return r;
}

asio::awaitable<Response> App::api_submit(const Request& request, CampaignContext& context,
                                          const std::string& client_address) {
  const std::string& language = context.language;
  auto say = [&](std::string_view key) { return m_translations.text(language, key); };

  auto parsed = collect::parse_json_body(request.body());
  if (!parsed) {
    if (parsed.error().kind == collect::JsonBodyError::Kind::malformed) {
      co_return json_response(400, error_body(say("api.malformed_json")));
    }
    co_return json_response(400,
                            error_body(m_translations.format(language, "api.repeated_field",
                                                             {{"field", parsed.error().key}})));
  }
  json body = std::move(*parsed);
  if (!body.is_object() || !body.contains("answers") || !body["answers"].is_object()) {
    co_return json_response(400, error_body(say("api.answers_missing")));
  }
  if (!body.contains("submission_id") || !body["submission_id"].is_string() ||
      !random::is_uuid(body["submission_id"].get<std::string>())) {
    co_return json_response(400, error_body(say("api.submission_id")));
  }
  for (const auto& [key, _] : body.items()) {
    if (key != "submission_id" && key != "answers" && key != "language") {
      co_return json_response(
          400, error_body(m_translations.format(language, "api.unknown_field", {{"field", key}})));
    }
  }
  std::string answer_language = language;
  if (body.contains("language") && body["language"].is_string() &&
      m_translations.supports(body["language"].get<std::string>())) {
    answer_language = body["language"].get<std::string>();
  }

  auto availability = store::availability(context.campaign, clock::now_unix());
  if (availability != store::Availability::open) {
    co_return json_response(
        409, error_body(say(availability == store::Availability::not_yet_open ? "api.not_yet_open"
                                                                              : "api.closed")));
  }

  const std::string today = clock::today_utc();
  auto checked = collect::check_submission(*context.questionnaire, std::move(body["answers"]),
                                           today, questionnaire::IrrelevantAnswers::reject);
  if (!checked) {
    PageBuilder pages(*this, language);
    json errors = json::array();
    for (const auto& issue : checked.error()) {
      errors.push_back({{"question", issue.question},
                        {"code", questionnaire::to_string(issue.code)},
                        {"message", pages.issue_message(*context.questionnaire, issue)}});
    }
    co_return json_response(422, {{"errors", errors}});
  }
  if (!m_limiter->allow(client_address)) {
    co_return json_response(429, error_body(say("http.429")));
  }

  store::ResponseRecord record{random::uuid_v4(),
                               context.campaign.id,
                               body["submission_id"].get<std::string>(),
                               collect::submission_date(context.campaign, today),
                               "api",
                               answer_language,
                               checked->dump()};
  auto outcome = std::make_shared<store::InsertOutcome>();
  store::Writer::Work insert = [record, outcome](store::Store& s) {
    *outcome = s.insert_response(record);
  };
  bool stored = co_await write(std::move(insert));
  if (!stored) co_return json_response(503, error_body(say("http.503")));
  if (outcome->created) note_stored_response(record);
  Response r = json_response(outcome->created ? 201 : 200, {{"id", outcome->id}});
  co_return r;
}

}  // namespace needsmap::web
