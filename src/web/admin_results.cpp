// The administration's views of a campaign: live monitoring with frequency tables and charts, a
// preview of every page in every language, and the printable poster.
#include <spdlog/spdlog.h>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/field.hpp>

#include <cmath>
#include <cstdio>
#include <memory>

#include "access/roles.hpp"
#include "analysis/monitoring.hpp"
#include "core/clock.hpp"
#include "core/unique_function.hpp"
#include "report/poster.hpp"
#include "web/admin_context.hpp"
#include "web/app.hpp"
#include "web/charts.hpp"
#include "web/pages.hpp"

namespace needsmap::web {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using json = nlohmann::json;
using analysis::Cell;

namespace {

// A figure as the tables write it: the count, or the word for a hidden one.
std::string figure(const Cell& cell, const std::string& hidden_text) {
  return cell.hidden ? hidden_text : std::to_string(cell.count);
}

// A share of `of` in per cent with one decimal, when both are shown and `of` is not zero.
std::string share(const Cell& part, const Cell& of) {
  if (part.hidden || of.hidden || of.count == 0) return "";
  return percent_text(static_cast<double>(part.count) / static_cast<double>(of.count));
}

std::string number(double value) {
  char buffer[32];
  if (std::floor(value) == value) {
    std::snprintf(buffer, sizeof buffer, "%.0f", value);
  } else {
    std::snprintf(buffer, sizeof buffer, "%.1f", value);
  }
  return buffer;
}

}  // namespace

asio::awaitable<std::optional<analysis::Monitor>> Admin::monitor_of(
    const store::Campaign& campaign, std::shared_ptr<const questionnaire::Questionnaire> q) {
  const std::int64_t responses = m_app.reader().count_responses(campaign.id);
  {
    // Reading every response takes a while on a large campaign: the figures are reused while
    // no answer has come in, and for at most half a minute (pages reached change meanwhile).
    std::lock_guard lock(m_monitor_mutex);
    auto cached = m_monitors.find(campaign.id);
    if (cached != m_monitors.end() && cached->second.responses == responses &&
        std::chrono::steady_clock::now() - cached->second.built < std::chrono::seconds(30)) {
      co_return cached->second.monitor;
    }
  }
  // Off the io threads, on a read-only connection of its own: respondents are not held up.
  auto built = std::make_shared<std::optional<analysis::Monitor>>();
  UniqueFunction<bool()> work = [built, database = m_app.m_config.database, campaign, q] {
    auto store = store::Store::open(database, store::Connection::Mode::read_only);
    if (!store) return false;
    *built = analysis::build_monitor(**store, campaign, *q, clock::today_utc());
    return true;
  };
  bool done = co_await off_the_io_threads(m_app.m_background, std::move(work));
  if (!done || !*built) co_return std::nullopt;
  std::lock_guard lock(m_monitor_mutex);
  m_monitors[campaign.id] = {std::chrono::steady_clock::now(), responses, **built};
  co_return std::move(*built);
}

asio::awaitable<Response> Admin::results(Context& c, const store::Municipality& m,
                                         const store::Campaign& campaign) {
  const Translations& t = m_app.m_translations;
  const std::string& lang = c.language;
  store::Store& store = m_app.reader();
  auto loaded = m_app.m_questionnaires.get(store, campaign.questionnaire_version_id);
  if (!loaded) co_return message(c, 500, "http.500");
  const questionnaire::Questionnaire& q = **loaded;

  std::optional<analysis::Monitor> figures = co_await monitor_of(campaign, *loaded);
  if (!figures) co_return message(c, 503, "http.503");
  analysis::Monitor monitor = std::move(*figures);
  if (access::sees_suppressed_figures(c.user->who, m.id, c.user->areas)) {
    monitor = analysis::with_suppression(std::move(monitor));
  }
  const std::string hidden = t.text(lang, "admin_hidden");

  json page = frame(c, t.text(lang, "admin_results"));
  page["municipality"] = municipality_name(m, lang);
  page["municipality_href"] = c.href(municipality_admin_path(m));
  page["campaign_title"] = q.title().get(lang);
  page["campaign_href"] = c.href(campaign_admin_path(m, campaign));
  page["suppressed"] = monitor.suppressed;
  page["suppressed_note"] =
      t.format(lang, "admin_results_suppressed", {{"k", monitor.min_cell_size}});

  // Summary
  page["responses"] = figure(monitor.responses, hidden);
  page["started"] = figure(monitor.started, hidden);
  page["finished"] = figure(monitor.finished, hidden);
  page["completion"] = share(monitor.finished, monitor.started);
  page["in_progress_note"] = t.text(lang, "admin_results_in_progress_note");
  page["median_minutes"] =
      monitor.median_minutes
          ? t.format(lang, "admin_results_minutes", {{"minutes", number(*monitor.median_minutes)}})
          : t.text(lang, "admin_results_not_enough");
  page["timed"] = figure(monitor.timed, hidden);

  // Responses by date and mode
  json modes = json::array();
  for (const auto& mode : monitor.modes)
    modes.push_back({{"label", t.text(lang, "admin_mode_" + mode)}});
  json dates = json::array();
  std::vector<Bar> date_bars;
  for (const auto& d : monitor.dates) {
    json cells = json::array();
    for (const auto& cell : d.by_mode) cells.push_back({{"value", figure(cell, hidden)}});
    dates.push_back({{"date", d.date}, {"cells", cells}, {"total", figure(d.total, hidden)}});
    date_bars.push_back({d.date, d.total.count, d.total.hidden, figure(d.total, hidden), false});
  }
  json mode_totals = json::array();
  for (const auto& cell : monitor.mode_totals)
    mode_totals.push_back({{"value", figure(cell, hidden)}});
  page["modes"] = modes;
  page["dates"] = dates;
  page["has_dates"] = !dates.empty();
  page["mode_totals"] = mode_totals;
  page["dates_chart"] = bar_chart(t.text(lang, "admin_results_by_date"), date_bars);

  // Pages: how many reached each, and left there
  json pages = json::array();
  std::vector<Bar> page_bars;
  for (const auto& p : monitor.pages) {
    if (p.section >= q.sections().size()) continue;
    std::string title = q.sections()[p.section].title.get(lang);
    pages.push_back({{"number", std::to_string(p.section + 1)},
                     {"title", title},
                     {"reached", figure(p.reached, hidden)},
                     {"share", share(p.reached, monitor.started)},
                     {"left", figure(p.left, hidden)}});
    page_bars.push_back({std::to_string(p.section + 1) + ". " + title, p.reached.count,
                         p.reached.hidden, figure(p.reached, hidden), false});
  }
  page["pages"] = pages;
  page["has_pages"] = !pages.empty();
  page["pages_chart"] = bar_chart(t.text(lang, "admin_results_pages"), page_bars);

  // A frequency table per question (per matrix row)
  json questions = json::array();
  for (const auto& table : monitor.questions) {
    const auto& question = q.questions()[table.question];
    std::string label = question.label.get(lang);
    if (!table.row.empty()) {
      if (const auto* row = question.find_row(table.row)) label += " — " + row->label.get(lang);
    }
    json rows = json::array();
    std::vector<Bar> bars;
    for (const auto& f : table.choices) {
      const auto* choice = question.find_choice(f.choice);
      std::string choice_label = choice ? choice->label.get(lang) : f.choice;
      bool dont_know = f.choice == "dont_know";
      rows.push_back({{"label", choice_label},
                      {"value", figure(f.count, hidden)},
                      {"share", share(f.count, table.asked)},
                      {"dont_know", dont_know}});
      bars.push_back(
          {choice_label, f.count.count, f.count.hidden, figure(f.count, hidden), dont_know});
    }
    const std::string no_answer_label = t.text(lang, "admin_results_no_answer");
    bars.push_back({no_answer_label, table.no_answer.count, table.no_answer.hidden,
                    figure(table.no_answer, hidden), true});
    json item = {{"id", "q-" + question.name + (table.row.empty() ? "" : "-" + table.row)},
                 {"label", label},
                 {"name", question.name},
                 {"rows", rows},
                 {"has_choices", !rows.empty()},
                 {"multiple", !table.additive && !rows.empty()},
                 {"answered", figure(table.answered, hidden)},
                 {"no_answer", figure(table.no_answer, hidden)},
                 {"no_answer_share", share(table.no_answer, table.asked)},
                 {"asked", figure(table.asked, hidden)},
                 {"median", table.median ? number(*table.median) : ""}};
    if (!rows.empty()) item["chart"] = bar_chart(label, bars);
    questions.push_back(std::move(item));
  }
  page["questions"] = questions;
  co_return render(c, 200, "admin_results", page);
}

Response Admin::preview(Context& c, const store::Municipality& m, const store::Campaign& campaign) {
  store::Store& store = m_app.reader();
  auto q = m_app.m_questionnaires.get(store, campaign.questionnaire_version_id);
  if (!q) return message(c, 500, "http.500");
  std::size_t section = 0;
  if (c.target.query.contains("page")) {
    try {
      section = std::stoul(c.target.query.at("page"));
    } catch (const std::exception&) {
      return message(c, 400, "http.400");
    }
  }
  if (section >= (*q)->sections().size()) return message(c, 404, "http.404");
  std::string base = campaign_admin_path(m, campaign);
  CampaignContext context{m, campaign, *q, c.language, base + "/preview", "web"};
  PageBuilder pages(m_app, c.language);
  return html_response(200, pages.preview(context, section, c.href(base)));
}

Response Admin::poster(Context& c, const store::Municipality& m, const store::Campaign& campaign) {
  store::Store& store = m_app.reader();
  auto q = m_app.m_questionnaires.get(store, campaign.questionnaire_version_id);
  if (!q) return message(c, 500, "http.500");
  std::string host(c.request[http::field::host]);
  if (host.empty()) return message(c, 400, "http.400");
  std::string base_url = (m_app.m_config.secure_cookies ? "https://" : "http://") + host;
  const Translations& t = m_app.m_translations;
  auto content = report::build_poster_content(
      {campaign, m, **q}, c.language, base_url,
      [&t](std::string_view language, std::string_view key, const json& arguments) {
        return t.format(language, key, arguments);
      });
  if (!content) return message(c, 400, "admin_poster_unavailable");
  auto pdf = report::render_poster_pdf(*content);
  if (!pdf) return message(c, 500, "http.500");
  return file_download(std::move(*pdf), "application/pdf",
                       m.slug + "-" + campaign.slug + "-" + c.language + ".pdf");
}

}  // namespace needsmap::web
