// Publishing a campaign's results (/admin/m/{m}/c/{c}/publish): the coordinator sees whether and
// when they were published, publishes them (again, with the answers of today) or takes them down.
// Publishing builds the report once in every language and stores it, so the public page
// (/r/{m}/{c}) and its files show exactly what was published (docs/decisions/0020).
#include <boost/beast/http/field.hpp>

#include "core/clock.hpp"
#include "report/render.hpp"
#include "store/published.hpp"
#include "web/admin_context.hpp"
#include "web/app.hpp"
#include "web/background.hpp"
#include "web/forms.hpp"
#include "web/pages.hpp"
#include "web/plan_analysis.hpp"
#include "web/programme_report.hpp"
#include "web/responses.hpp"
#include "web/results_report.hpp"

namespace needsmap::web {

namespace asio = boost::asio;
using json = nlohmann::json;

asio::awaitable<std::shared_ptr<const std::string>> Admin::results_documents(
    const store::Municipality& m, const store::Campaign& campaign,
    std::shared_ptr<const questionnaire::Questionnaire> q, std::string published_on) {
  CampaignContext context{m, campaign, q, "sr-Cyrl", "", "web"};
  // Weighted to the population table where the municipality has one.
  // (No `x = co_await …` assignments: g++ 12 mishandles them, docs/decisions/0004.)
  auto raked = co_await m_app.weighted_data_of(context, true);
  if (!raked && raked.error().key == "http.503") co_return nullptr;
  std::optional<WeightedData> chosen;
  if (raked) {
    chosen = std::move(*raked);
  } else {
    auto plain = co_await m_app.weighted_data_of(context, false);
    if (!plain) co_return nullptr;
    chosen = std::move(*plain);
  }
  const WeightedData data = std::move(*chosen);
  auto monitor = co_await monitor_of(campaign, q);
  if (!monitor) co_return nullptr;
  std::shared_ptr<const PlanAnalysis> plan;
  const plan::GapQuestions questions;
  if (q->find(questions.unmet_need) && data.data->find(questions.unmet_need) &&
      data.data->rows() > 0) {
    const plan::PriorityWeights weights;
    plan = co_await plan_analysis(context, data, weights);
    if (!plan) co_return nullptr;
  }
  auto documents = std::make_shared<std::string>();
  UniqueFunction<bool()> work = [this, &m, &campaign, q, &data, &monitor, plan, published_on,
                                 documents] {
    ResultsFigures figures = results_figures(data, *q, campaign.min_cell_size);
    if (plan) add_group_risks(figures, data, *q, plan->groups, campaign.min_cell_size);
    const analysis::Monitor suppressed = analysis::with_suppression(*monitor);
    const ResultsSource source{
        .municipality = m,
        .campaign = campaign,
        .questionnaire = *q,
        .data = data,
        .figures = figures,
        .monitor = suppressed,
        .plan = plan.get(),
        .published_on = published_on,
        .term_label = [this](std::string_view code, const std::string& language) {
          return m_app.term_label(code, language);
        }};
    json all = {{"results", json::object()}};
    for (const auto& language : results_languages(*q)) {
      const Translations& t = m_app.m_translations;
      all["results"][language] = report::to_json(results_document(t, source, language));
      if (plan)
        all["programme"][language] = report::to_json(programme_document(t, source, language));
    }
    *documents = all.dump();
    return true;
  };
  bool done = co_await off_the_io_threads(m_app.m_background, std::move(work));
  if (!done) co_return nullptr;
  co_return documents;
}

asio::awaitable<Response> Admin::publish(Context& c, const store::Municipality& m,
                                         const store::Campaign& campaign) {
  const Translations& t = m_app.m_translations;
  std::shared_ptr<const questionnaire::Questionnaire> q = questionnaire_of(campaign);
  if (!q) co_return message(c, 500, "http.500");
  const std::string page_path = campaign_admin_path(m, campaign) + "/publish";
  const std::string object = m.slug + "/" + campaign.slug;

  if (c.request.method() == boost::beast::http::verb::post) {
    const std::string action = field(c.form, "action");
    if (action == "withdraw") {
      store::AuditEntry entry = audit_entry(c, "results_withdrawn", m.id, object);
      store::Writer::Work withdraw = [id = campaign.id, entry](store::Store& s) {
        if (store::withdraw_results(s, id)) store::audit(s, entry);
      };
      bool stored = co_await m_app.write(std::move(withdraw));
      if (!stored) co_return message(c, 503, "http.503");
      co_return redirect_response(c.href(page_path));
    }
    if (action != "publish") co_return message(c, 400, "http.400");
    const std::string today = clock::format_date(c.now);
    auto documents = co_await results_documents(m, campaign, q, today);
    if (!documents) co_return message(c, 503, "http.503");
    store::PublishedResults results{.campaign_id = campaign.id,
                                    .published_on = today,
                                    .published_by = c.actor(),
                                    .documents = *documents};
    store::AuditEntry entry = audit_entry(c, "results_published", m.id, object);
    store::Writer::Work save = [results, entry](store::Store& s) {
      store::publish_results(s, results);
      store::audit(s, entry);
    };
    bool stored = co_await m_app.write(std::move(save));
    if (!stored) co_return message(c, 503, "http.503");
    co_return redirect_response(c.href(page_path));
  }

  json page = campaign_frame(c, m, campaign, *q, t.text(c.language, "admin_publish"));
  page["action"] = c.href(page_path);
  const auto published = store::find_published_results(m_app.reader(), campaign.id);
  if (published) {
    const std::string address = results_path(m, campaign);
    page["published"] =
        t.format(c.language, "admin_publish_done",
                 {{"date", published->published_on}, {"who", published->published_by}});
    page["public_href"] = address + "?lang=" + c.language;
    page["public_address"] = address;
    json files = json::array();
    for (const char* format : {"pdf", "docx", "xlsx"}) {
      files.push_back({{"href", address + "/report." + std::string(format) + "?lang=" + c.language},
                       {"label", t.text(c.language, "results_download_" + std::string(format))}});
    }
    page["files"] = files;
    json programme = json::array();
    if (report::chosen_document(published->documents, "programme", c.language)) {
      for (const char* format : {"docx", "pdf"}) {
        programme.push_back(
            {{"href", c.href(page_path + "/programme." + std::string(format))},
             {"label", t.text(c.language, "admin_programme_" + std::string(format))}});
      }
    }
    page["programme"] = programme;
    page["has_programme"] = !programme.empty();
  }
  page["responses"] = m_app.reader().count_responses(campaign.id);
  co_return render(c, 200, "admin_publish", page);
}

asio::awaitable<Response> Admin::programme_file(Context& c, const store::Municipality& m,
                                                const store::Campaign& campaign,
                                                const std::string& file) {
  const std::string format = file == "programme.docx"  ? "docx"
                             : file == "programme.pdf" ? "pdf"
                                                       : "";
  if (format.empty()) co_return message(c, 404, "http.404");
  const auto published = store::find_published_results(m_app.reader(), campaign.id);
  if (!published) co_return message(c, 404, "admin_programme_unpublished");
  auto document = report::chosen_document(published->documents, "programme", c.language);
  if (!document) co_return message(c, 404, "admin_programme_none");
  auto bytes = std::make_shared<Result<std::string>>();
  UniqueFunction<bool()> work = [bytes, &document, &format] {
    *bytes = report::render(*document, format);
    return true;
  };
  bool done = co_await off_the_io_threads(m_app.m_background, std::move(work));
  if (!done) co_return message(c, 503, "http.503");
  if (!*bytes) co_return message(c, 500, "http.500");
  co_return file_download(
      std::move(**bytes),
      format == "pdf" ? "application/pdf"
                      : "application/vnd.openxmlformats-officedocument."
                        "wordprocessingml.document",
      m.slug + "-" + campaign.slug + "-programme-" + document->language + "." + format);
}

}  // namespace needsmap::web
