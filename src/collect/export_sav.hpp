// Responses as an SPSS data file (.sav, written with ReadStat, bytecode-compressed, UTF-8). One
// case per response, one variable per export column, named by ExportColumn::spss_name (the
// original name is in the codebook). Variable labels are the question labels; choices are numeric
// codes 1..n in choice order with the choice labels as value labels; a multiple choice's options
// are 0/1; numbers and scales are numeric; dates are SPSS dates (SDATE10); text is a string as
// wide as the longest answer; anything unanswered is system-missing (an empty string for text).
#pragma once

#include <ostream>

#include "collect/export_columns.hpp"
#include "core/error.hpp"
#include "questionnaire/model.hpp"
#include "store/store.hpp"

namespace needsmap::collect {

// SPSS's limits, in bytes; longer labels are cut on a character boundary (the codebook has them
// whole).
inline constexpr std::size_t spss_variable_label_limit = 256;
inline constexpr std::size_t spss_value_label_limit = 120;
inline constexpr std::size_t spss_file_label_limit = 64;
inline constexpr std::size_t spss_string_limit = 32'767;

// Writes every response of the campaign; returns how many. The responses are read twice in one
// snapshot: first for their number and the widths of the string variables (which the file states
// before its data), then for the data. ExportOptions::labels is ignored: the file holds both codes
// and labels.
Result<std::size_t> export_sav(store::Store& store, const store::Campaign& campaign,
                               const questionnaire::Questionnaire& q, const ExportOptions& options,
                               std::ostream& out);

}  // namespace needsmap::collect
