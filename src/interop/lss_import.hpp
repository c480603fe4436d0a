// LimeSurvey survey structure (.lss, the XML of "Export survey structure") → needsmap
// questionnaire: groups become pages; questions, subquestions, answer options and translations
// map onto needsmap's types; conditions become relevance where the expression language can say
// them. Everything else is listed in `skipped`.
#pragma once

#include <expected>
#include <string>
#include <string_view>

#include "interop/imported.hpp"

namespace needsmap::interop {

// Reads both layouts: LimeSurvey 2/3 (texts in each row, one row per language) and 4 and later
// (DBVersion ≥ 400: texts in group_l10ns, question_l10ns and answer_l10ns).
std::expected<ImportedQuestionnaire, ImportFailure> import_lss(
    std::string_view xml, const questionnaire::Catalogs& catalogs, const std::string& file);

}  // namespace needsmap::interop
