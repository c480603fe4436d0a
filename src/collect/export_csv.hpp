// Responses as CSV: one row per response, a header of question names, a multiple choice as one
// 0/1 column per option named question/option. UTF-8 (with a BOM, so Excel reads Cyrillic).
#pragma once

#include <ostream>
#include <string>

#include "core/error.hpp"
#include "questionnaire/model.hpp"
#include "store/store.hpp"

namespace needsmap::collect {

struct CsvOptions {
  bool labels{false};               // choice labels instead of choice names
  std::string language{"sr-Cyrl"};  // for labels
  bool byte_order_mark{true};
};

// Writes every response of the campaign; returns how many.
Result<std::size_t> export_csv(store::Store& store, const store::Campaign& campaign,
                               const questionnaire::Questionnaire& q, const CsvOptions& options,
                               std::ostream& out);

}  // namespace needsmap::collect
