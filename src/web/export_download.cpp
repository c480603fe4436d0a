#include "web/export_download.hpp"

#include <spdlog/spdlog.h>
#include <boost/beast/http/field.hpp>

#include <array>
#include <ostream>

#include "collect/export_csv.hpp"
#include "collect/export_sav.hpp"
#include "collect/export_xlsx.hpp"
#include "web/responses.hpp"

namespace needsmap::web {

namespace http = boost::beast::http;

namespace {

constexpr std::array<ExportFormat, 3> formats{{
    {"csv", "text/csv; charset=utf-8", "csv"},
    {"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"},
    {"sav", "application/x-spss-sav", "sav"},
}};

// Runs an exporter that writes to a std::ostream straight into the pipe.
template <typename Export>
Result<std::size_t> to_pipe(PipeWriter& writer, Export write) {
  PipeStreambuf buffer(writer);
  std::ostream out(&buffer);
  auto written = write(out);
  out.flush();
  if (written && !out) return std::unexpected(Error::io("the download was not taken"));
  return written;
}

Result<std::size_t> run_export(PipeWriter& writer, const ExportJob& job) {
  auto store = store::Store::open(job.database, store::Connection::Mode::read_only);
  if (!store) return std::unexpected(store.error());
  const auto& q = *job.questionnaire;
  if (job.format.name == "xlsx") {
    return to_pipe(writer, [&](std::ostream& out) {
      return collect::export_xlsx(**store, job.campaign, q, job.options, out);
    });
  }
  if (job.format.name == "sav") {
    return to_pipe(writer, [&](std::ostream& out) {
      return collect::export_sav(**store, job.campaign, q, job.options, out);
    });
  }
  collect::CsvOptions csv{job.options.labels, job.options.language, true};
  return to_pipe(writer, [&](std::ostream& out) {
    return collect::export_csv(**store, job.campaign, q, csv, out);
  });
}

}  // namespace

std::optional<ExportFormat> export_format(std::string_view name) {
  for (const auto& f : formats) {
    if (f.name == name) return f;
  }
  return std::nullopt;
}

std::shared_ptr<PipeReader> start_export(BackgroundJobs& jobs, ExportJob job) {
  auto pipe = make_pipe();
  bool started = jobs.start([job = std::move(job),
                             writer = std::move(pipe.second)](std::stop_token stop) mutable {
    writer->watch(std::move(stop));
    try {
      auto count = run_export(*writer, job);
      if (count) {
        writer->finish();
      } else {
        spdlog::warn("export of campaign {} failed: {}", job.campaign.id, count.error().message);
        writer->fail(count.error());
      }
    } catch (const std::exception& e) {
      writer->fail(Error::internal(e.what()));
    }
  });
  if (!started) return nullptr;
  return pipe.first;
}

Response download_response(const ExportFormat& format, const std::string& base_name,
                           std::shared_ptr<PipeReader> body) {
  Response r = text_response(200, "");
  r.set(http::field::content_type, format.content_type);
  r.set(http::field::content_disposition,
        "attachment; filename=\"" + base_name + "." + std::string(format.extension) + "\"");
  r.stream = std::move(body);
  return r;
}

}  // namespace needsmap::web
