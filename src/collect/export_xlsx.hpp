// Responses as an Excel workbook, streamed (ooxml::XlsxWriter: each row is deflated into the
// output as it is written, so memory stays flat and nothing passes through a temporary file). Sheet
// `responses` has the CSV's columns and rows: numbers as numbers, dates (the date sent and date
// answers) as Excel dates shown as YYYY-MM-DD, a multiple choice's options as 0/1 numbers, choices
// as names or (ExportOptions::labels) labels, text always as text, never a formula. Sheet
// `codebook` has the codebook's rows (export_codebook.hpp).
#pragma once

#include <ostream>

#include "collect/export_columns.hpp"
#include "core/error.hpp"
#include "questionnaire/model.hpp"
#include "store/store.hpp"

namespace needsmap::collect {

// An XLSX sheet holds at most 1,048,576 rows, the header included.
inline constexpr std::size_t xlsx_max_responses = 1'048'575;

// Writes every response of the campaign into `out`; returns how many. On failure what was written
// is incomplete: the caller discards it.
Result<std::size_t> export_xlsx(store::Store& store, const store::Campaign& campaign,
                                const questionnaire::Questionnaire& q, const ExportOptions& options,
                                std::ostream& out);

}  // namespace needsmap::collect
