// The respondent's pages: introduction, one page per section, thank-you. Everything works
// without JavaScript: the server applies relevance, keeps the draft and validates each page.
#include <sodium.h>

#include <boost/beast/http/field.hpp>

#include "core/clock.hpp"
#include "core/random.hpp"
#include "store/progress.hpp"
#include "web/app.hpp"
#include "web/forms.hpp"
#include "web/pages.hpp"
#include "web/responses.hpp"
#include "web/tokens.hpp"

namespace needsmap::web {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using json = nlohmann::json;

namespace {

constexpr std::int64_t draft_lifetime_seconds = 24 * 60 * 60;
// A draft holds one person's answers; anything larger is not a person answering.
constexpr std::size_t max_draft_bytes = 64 * 1024;

// When a draft expires: a day on, rounded up to the hour, so the row does not record the
// exact time its respondent was last active.
std::int64_t draft_expiry(std::int64_t now) {
  constexpr std::int64_t hour = 3600;
  return (now + draft_lifetime_seconds + hour - 1) / hour * hour;
}
constexpr const char* draft_cookie = "nm_draft";
// Longer than a draft lives is not a time to complete: such a start minute was not ours.
constexpr std::int64_t max_completion_minutes = draft_lifetime_seconds / 60;

std::string draft_cookie_header(const std::string& path, const std::string& token, bool secure,
                                bool clear) {
  std::string header =
      std::string(draft_cookie) + "=" + (clear ? "" : token) + "; Path=" + path +
      "; HttpOnly; SameSite=Lax; Max-Age=" + (clear ? "0" : std::to_string(draft_lifetime_seconds));
  if (secure) header += "; Secure";
  return header;
}

}  // namespace

asio::awaitable<Response> App::respondent_get(const Request& request, CampaignContext& context,
                                              const std::map<std::string, std::string>& query) {
  PageBuilder pages(*this, context.language);
  auto availability = store::availability(context.campaign, clock::now_unix());
  // A draft campaign is not public yet: it does not exist for respondents.
  if (availability == store::Availability::draft) co_return error_page(404, &request);
  if (availability != store::Availability::open) {
    co_return html_response(200, pages.unavailable(context, availability));
  }
  // A page of a questionnaire in progress (the language switch links here): needs the draft.
  auto ticket = parse_ticket(cookie(request[http::field::cookie], draft_cookie));
  if (query.contains("page") && ticket) {
    auto draft = reader().load_draft(hash_token(ticket->token, "draft"), clock::now_unix());
    if (draft && draft->campaign_id == context.campaign.id) {
      json answers = json::parse(draft->answers, nullptr, false);
      std::size_t page = 0;
      try {
        page = std::stoul(query.at("page"));
      } catch (const std::exception&) {
        page = static_cast<std::size_t>(draft->page);
      }
      if (page >= context.questionnaire->sections().size() || answers.is_discarded()) {
        page = static_cast<std::size_t>(draft->page);
      }
      co_return html_response(200,
                              pages.section(context, page, answers, {}, to_string(*ticket), false));
    }
  }
  co_return html_response(200, pages.intro(context));
}

Response App::thanks_page(const Request& request, CampaignContext& context) {
  if (context.campaign.status == store::CampaignStatus::draft) return error_page(404, &request);
  PageBuilder pages(*this, context.language);
  return html_response(200, pages.thanks(context));
}

asio::awaitable<Response> App::respondent_post(const Request& request, CampaignContext& context,
                                               const std::string& client_address) {
  auto fields = parse_form(request.body());
  if (!fields) co_return error_page(400, &request);
  const auto& q = *context.questionnaire;
  std::string language_field = field(*fields, "_lang");
  if (!language_field.empty()) context.language = m_translations.resolve(language_field);
  PageBuilder pages(*this, context.language);
  const std::string base = context.path();
  const std::string today = clock::today_utc();
  const std::int64_t now = clock::now_unix();

  auto availability = store::availability(context.campaign, now);
  if (availability == store::Availability::draft) co_return error_page(404, &request);
  if (availability != store::Availability::open) {
    co_return html_response(409, pages.unavailable(context, availability));
  }

  std::string action = field(*fields, "_action");
  std::string ticket_text = field(*fields, "_draft");
  if (ticket_text.empty()) ticket_text = cookie(request[http::field::cookie], draft_cookie);

  if (action == "start") {
    // Every start writes a draft to disk: starts count against the same limit as submissions.
    if (!m_limiter->allow(client_address)) co_return error_page(429, &request);
    const DraftTicket fresh{random::token(32), now / 60};
    const std::string ticket = to_string(fresh);
    auto first = collect::next_section(q, json::object(), std::nullopt, today);
    if (!first) co_return error_page(404, &request);
    std::string hash = hash_token(fresh.token, "draft");
    const auto first_page = static_cast<std::int64_t>(*first);
    store::Draft draft{context.campaign.id, "{}", first_page, context.language, first_page};
    store::Writer::Work save = [hash, draft, now](store::Store& s) {
      s.save_draft(hash, draft, draft_expiry(now));
      store::count_page_reached(s, draft.campaign_id, draft.page);
    };
    bool saved = co_await write(std::move(save));
    if (!saved) co_return error_page(503, &request);
    Response r =
        html_response(200, pages.section(context, *first, json::object(), {}, ticket, false));
    r.set(http::field::set_cookie,
          draft_cookie_header(base, ticket, m_config.secure_cookies, false));
    co_return r;
  }

  auto ticket = parse_ticket(ticket_text);
  if (!ticket)
    co_return html_response(
        400, pages.message(m_translations.text(context.language, "draft.expired"), 400));
  const std::string token = to_string(*ticket);
  std::string hash = hash_token(ticket->token, "draft");
  auto draft = reader().load_draft(hash, now);
  if (!draft &&
      reader().has_response(context.campaign.id, hash_token(ticket->token, "submission"))) {
    // "Send" pressed twice, or the page reloaded after sending: the answers are already stored.
    co_return redirect_response(base + "/thanks?lang=" + context.language);
  }
  if (!draft || draft->campaign_id != context.campaign.id) {
    co_return html_response(
        410, pages.message(m_translations.text(context.language, "draft.expired"), 410));
  }
  json answers = json::parse(draft->answers, nullptr, false);
  if (!answers.is_object()) answers = json::object();

  std::size_t page = 0;
  try {
    page = std::stoul(field(*fields, "_page"));
  } catch (const std::exception&) {
    co_return error_page(400, &request);
  }
  if (page >= q.sections().size()) co_return error_page(400, &request);

  // Where this post leads: a page to show (saving the draft first) or the finished response.
  std::size_t show = page;
  std::vector<questionnaire::AnswerIssue> issues;
  unsigned status = 200;
  bool shown_again = false;
  bool finished = false;
  if (action == "back") {
    // Going back keeps what was typed on this page, checked or not.
    collect::read_page_fields(q, page, *fields, answers);
    show = collect::previous_section(q, answers, page, today).value_or(page);
  } else if (action == "next") {
    auto outcome = collect::submit_page(q, page, *fields, answers, today);
    show = outcome.section;
    issues = std::move(outcome.issues);
    status = issues.empty() ? 200 : 422;
    shown_again = outcome.kind == collect::PageOutcome::Kind::show_again;
    finished = outcome.kind == collect::PageOutcome::Kind::finished;
  } else {
    co_return error_page(400, &request);
  }
  std::optional<json> final;
  if (finished) {
    // The last page: check everything once more before storing.
    auto checked =
        collect::check_submission(q, answers, today, questionnaire::IrrelevantAnswers::drop);
    if (checked) {
      final = std::move(*checked);
    } else {
      issues = checked.error();
      status = 422;
      if (const auto* question = q.find(issues.front().question)) show = question->section;
      // The page shows its own questions' issues only; the rest come when their page does.
      std::erase_if(issues, [&](const questionnaire::AnswerIssue& issue) {
        const auto* question = q.find(issue.question);
        return !question || question->section != show;
      });
    }
  }
  if (!final) {
    std::string saved_answers = answers.dump();
    if (saved_answers.size() > max_draft_bytes) co_return error_page(413, &request);
    const auto shown = static_cast<std::int64_t>(show);
    const bool first_time_here = shown > draft->furthest_page;
    store::Draft updated{context.campaign.id, std::move(saved_answers), shown, context.language,
                         std::max(shown, draft->furthest_page)};
    // Named, not a temporary inside co_await: g++ 12 destroys such temporaries twice.
    store::Writer::Work save = [hash, updated, now, first_time_here](store::Store& s) {
      s.save_draft(hash, updated, draft_expiry(now));
      if (first_time_here) store::count_page_reached(s, updated.campaign_id, updated.page);
    };
    bool saved = co_await write(std::move(save));
    if (!saved) co_return error_page(503, &request);
    co_return html_response(status,
                            pages.section(context, show, answers, issues, token, shown_again));
  }

  if (!m_limiter->allow(client_address)) co_return error_page(429, &request);
  store::ResponseRecord record{random::uuid_v4(),
                               context.campaign.id,
                               hash_token(ticket->token, "submission"),
                               collect::submission_date(context.campaign, today),
                               context.mode,
                               context.language,
                               final->dump()};
  const std::int64_t minutes = ticket->started_minute > 0 ? now / 60 - ticket->started_minute : -1;
  const bool timed = minutes >= 0 && minutes <= max_completion_minutes;
  auto created = std::make_shared<bool>(false);
  store::Writer::Work store_response = [record, hash, timed, minutes, created,
                                        also = context.with_response](store::Store& s) {
    *created = s.insert_response(record).created;
    s.delete_draft(hash);
    // A second "send" of the same answers stores nothing and counts nothing.
    if (*created && timed) store::count_completion(s, record.campaign_id, minutes);
    if (*created && also) also(s, record);
  };
  bool stored = co_await write(std::move(store_response));
  if (!stored) co_return error_page(503, &request);
  if (*created) note_stored_response(record);
  Response r = redirect_response(base + "/thanks?lang=" + context.language);
  r.set(http::field::set_cookie, draft_cookie_header(base, "", m_config.secure_cookies, true));
  co_return r;
}

}  // namespace needsmap::web
