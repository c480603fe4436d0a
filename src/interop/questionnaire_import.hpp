// Importing a questionnaire from a file in another tool's format, chosen by its extension:
// .lss (LimeSurvey), .csv (XLSForm in one file), anything else an XLSForm workbook (.xlsx).
#pragma once

#include <filesystem>

#include "interop/imported.hpp"

namespace needsmap::interop {

std::expected<ImportedQuestionnaire, ImportFailure> import_questionnaire_file(
    const std::filesystem::path& path, const questionnaire::Catalogs& catalogs);

}  // namespace needsmap::interop
