// A campaign's responses as a browser download (CSV, XLSX or SPSS), made by a background job and
// streamed while it is made: the server's memory stays the same however many responses there are.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "collect/export_columns.hpp"
#include "questionnaire/model.hpp"
#include "store/store.hpp"
#include "web/background.hpp"
#include "web/body_pipe.hpp"

namespace needsmap::web {

struct ExportFormat {
  std::string_view name;  // csv, xlsx, sav: as the route's ?format= says
  std::string_view content_type;
  std::string_view extension;
};

// The format called `name`; none for a format not offered.
std::optional<ExportFormat> export_format(std::string_view name);

struct ExportJob {
  std::string database;  // the export opens a read-only connection of its own
  store::Campaign campaign;
  std::shared_ptr<const questionnaire::Questionnaire> questionnaire;
  ExportFormat format;
  collect::ExportOptions options;
};

// Starts making the file on `jobs`; its bytes come from the returned reader. CSV and SPSS stream
// straight from the database snapshot; XLSX is written to a temporary file first (libxlsxwriter
// writes files only), which is unlinked at once and then streamed with its length. None when
// `jobs` is busy.
std::shared_ptr<PipeReader> start_export(BackgroundJobs& jobs, ExportJob job);

// The 200 response of a download that has begun: type, attachment name, the streamed body.
Response download_response(const ExportFormat& format, const std::string& base_name,
                           std::shared_ptr<PipeReader> body);

}  // namespace needsmap::web
