// Responses typed into a spreadsheet (paper forms, another tool's export) → stored responses of a
// campaign, in mode "import". Columns are named by question as needsmap's own export names them:
// a multiple choice as space-separated names or as question/option 0/1 columns, a matrix as
// question/row, a ranking as space-separated names or question/1, question/2, …; a choice may
// also be given by its label. Each row is checked exactly as a submission through the API.
#pragma once

#include <string>
#include <vector>

#include "collect/collect.hpp"
#include "interop/notes.hpp"
#include "interop/workbook.hpp"
#include "store/store.hpp"

namespace needsmap::interop {

struct RejectedRow {
  std::size_t row{0};  // spreadsheet row, 1-based (row 1 holds the column names)
  std::vector<questionnaire::AnswerIssue> issues;
};

struct ResponseImportReport {
  std::size_t rows{0};            // rows with any value
  std::size_t stored{0};          // new responses
  std::size_t already_stored{0};  // rows of a file imported before (same file, same row)
  std::vector<RejectedRow> rejected;
  SheetNotes ignored;  // columns that are not questions
  bool committed{false};
};

struct ResponseImportOptions {
  bool skip_invalid{false};  // store the valid rows even when some are rejected
  std::string today;         // YYYY-MM-DD: what validation and the stored date use
  std::string file_digest;   // identifies the file, so importing it again stores nothing twice
};

// The checked rows of a sheet, ready to store: validation (which takes a while for thousands of
// rows) apart from the writing, so that a server can check off its writer thread.
struct ResponseImportPlan {
  ResponseImportReport report;
  std::vector<store::ResponseRecord> accepted;
  bool storable{false};  // nothing was rejected, or `skip_invalid` allows storing the rest
};
ResponseImportPlan prepare_response_import(const store::Campaign& campaign,
                                           const questionnaire::Questionnaire& q,
                                           const Sheet& sheet,
                                           const ResponseImportOptions& options);
// Stores the accepted rows of a storable plan, inside the caller's transaction, and counts them in
// its report.
void store_response_import(store::Store& store, ResponseImportPlan& plan);

// Validates every row, then stores the valid ones in one transaction: all of them, or none when a
// row was rejected and `skip_invalid` is false.
ResponseImportReport import_responses(store::Store& store, const store::Campaign& campaign,
                                      const questionnaire::Questionnaire& q, const Sheet& sheet,
                                      const ResponseImportOptions& options);

// The answers of a spreadsheet file: CSV when `csv`, else an .xlsx workbook; with room for the
// paper forms of a large campaign (a million rows, 4,096 columns).
Result<Workbook> read_response_workbook(std::string_view bytes, bool csv);

// A stable digest of a file's bytes (FNV-1a, 128 bits as hex); not for security.
std::string content_digest(std::string_view bytes);

}  // namespace needsmap::interop
