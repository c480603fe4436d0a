// XLSForm (https://xlsform.org) → needsmap questionnaire: sheets survey, choices and settings
// mapped onto needsmap-questionnaire/1, then loaded and checked exactly as a questionnaire file.
// What has no place in needsmap (repeats, locations, media, device metadata) is listed by sheet
// and row in `skipped`, never dropped silently.
#pragma once

#include <expected>
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "interop/imported.hpp"
#include "interop/workbook.hpp"
#include "questionnaire/loader.hpp"

namespace needsmap::interop {

using XlsformImport = ImportedQuestionnaire;
using XlsformFailure = ImportFailure;

// `file` names the source in messages; its stem is the form id when settings give none.
std::expected<XlsformImport, XlsformFailure> import_xlsform(const Workbook& workbook,
                                                            const questionnaire::Catalogs& catalogs,
                                                            const std::string& file);

// Reads an XLSForm file: .xlsx, or .csv in pyxform's one-file layout.
Result<Workbook> read_xlsform_file(const std::filesystem::path& path);

}  // namespace needsmap::interop
