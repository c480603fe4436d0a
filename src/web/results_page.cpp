// The published results of a campaign (/r/{municipality}/{campaign}) and the same report as
// files (…/report.pdf, .docx, .xlsx, .html), in the language asked for (sr-Cyrl by default).
// Everything comes from the documents stored at publication, so every format shows the same
// figures; the files are drawn off the io threads, since a PDF of a large report takes a while.
#include <kainjow/mustache.hpp>

#include "report/render.hpp"
#include "store/published.hpp"
#include "web/app.hpp"
#include "web/background.hpp"
#include "web/pages.hpp"
#include "web/published_cache.hpp"
#include "web/responses.hpp"
#include "web/results_report.hpp"

namespace needsmap::web {

namespace asio = boost::asio;
using json = nlohmann::json;

namespace {

struct FileFormat {
  std::string_view name;  // report.{name}
  std::string_view content_type;
};
constexpr FileFormat file_formats[] = {
    {"pdf", "application/pdf"},
    {"docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
    {"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
    {"html", "text/html; charset=utf-8"},
};

const FileFormat* file_format(std::string_view file) {
  for (const auto& f : file_formats) {
    if (file == "report." + std::string(f.name)) return &f;
  }
  return nullptr;
}

}  // namespace

asio::awaitable<Response> App::results_page(const Request& request,
                                            std::span<const std::string> segments,
                                            const std::string& language) {
  store::Store& store = reader();
  auto m = store.find_municipality(segments[0]);
  auto campaign = store.find_campaign(segments[0], segments[1]);
  const FileFormat* format = segments.size() == 3 ? file_format(segments[2]) : nullptr;
  if (!m || !campaign || (segments.size() == 3 && !format)) co_return error_page(404, &request);
  auto published = store::find_published_results(store, campaign->id);
  if (!published) {
    PageBuilder pages(*this, language);
    co_return html_response(
        404, pages.message(m_translations.text(language, "results_not_published"), 404));
  }
  auto cached = m_published.report(*published, "results", language);
  if (!cached) co_return error_page(500, &request);
  std::shared_ptr<const PublishedReport> shown_report = *cached;
  const report::Document& document = shown_report->document;
  const std::string base = results_path(*m, *campaign);
  const std::string shown = document.language;

  if (format) {
    auto file = std::make_shared<Result<std::string>>();
    UniqueFunction<bool()> work = [file, shown_report, format] {
      *file = report::render(shown_report->document, format->name);
      return true;
    };
    bool done = co_await off_the_io_threads(m_background, std::move(work));
    if (!done) co_return error_page(503, &request);
    if (!*file) co_return error_page(500, &request);
    co_return file_download(
        std::move(**file), std::string(format->content_type),
        m->slug + "-" + campaign->slug + "-" + shown + "." + std::string(format->name));
  }

  json page =
      page_frame(m_translations, shown, document.title + " — " + document.municipality, base);
  page["article"] = shown_report->article;
  json files = json::array();
  for (const char* name : {"pdf", "docx", "xlsx"}) {
    files.push_back(
        {{"href", base + "/report." + std::string(name) + "?lang=" + shown},
         {"label", m_translations.text(shown, "results_download_" + std::string(name))}});
  }
  page["files"] = files;
  co_return html_response(200, m_templates->render("results", to_template_data(page)));
}

}  // namespace needsmap::web
