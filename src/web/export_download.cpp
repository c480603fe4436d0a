#include "web/export_download.hpp"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>
#include <boost/beast/http/field.hpp>

#include <array>
#include <filesystem>
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

// A file descriptor closed however the export ends.
class File {
 public:
  explicit File(int fd) : m_fd(fd) {}
  ~File() {
    if (m_fd >= 0) close(m_fd);
  }
  File(const File&) = delete;
  File& operator=(const File&) = delete;
  int fd() const { return m_fd; }

 private:
  int m_fd;
};

// XLSX: libxlsxwriter writes a file, so the workbook goes to a private temporary file that is
// unlinked as soon as it is open for reading (nothing is left behind, whatever happens next),
// then streamed with its length.
Result<std::size_t> xlsx_to_pipe(PipeWriter& writer, store::Store& store, const ExportJob& job) {
  std::string path = (std::filesystem::temp_directory_path() / "needsmap-export-XXXXXX").string();
  File created(mkstemp(path.data()));
  if (created.fd() < 0) return std::unexpected(Error::io("cannot create a temporary file"));
  auto count = collect::export_xlsx(store, job.campaign, *job.questionnaire, job.options, path);
  File file(open(path.c_str(), O_RDONLY | O_CLOEXEC));
  unlink(path.c_str());
  if (!count) return count;
  struct stat info {};
  if (file.fd() < 0 || fstat(file.fd(), &info) != 0) {
    return std::unexpected(Error::io("cannot read the XLSX file back"));
  }
  writer.set_size(static_cast<std::uint64_t>(info.st_size));
  std::string piece;
  for (;;) {
    piece.resize(PipeStreambuf::piece_bytes);
    ssize_t n = read(file.fd(), piece.data(), piece.size());
    if (n < 0) return std::unexpected(Error::io("cannot read the XLSX file back"));
    if (n == 0) return count;
    piece.resize(static_cast<std::size_t>(n));
    if (!writer.write(std::move(piece))) {
      return std::unexpected(Error::io("the download was not taken"));
    }
  }
}

Result<std::size_t> run_export(PipeWriter& writer, const ExportJob& job) {
  auto store = store::Store::open(job.database, store::Connection::Mode::read_only);
  if (!store) return std::unexpected(store.error());
  const auto& q = *job.questionnaire;
  if (job.format.name == "xlsx") return xlsx_to_pipe(writer, **store, job);
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
