// needsmap questionnaire → XLSForm: one label::Name (code) column per language, sections as
// groups, matrices as table-list groups of select_one rows. What XLSForm cannot say (year
// questions, selection limits, exclusive and "other" choices, the description) travels in
// needsmap_* columns that other tools ignore, so export → import gives back the same
// questionnaire.
#pragma once

#include <filesystem>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "interop/workbook.hpp"

namespace needsmap::interop {

// The XLSForm sheets (survey, choices, settings) of a questionnaire's resolved JSON.
Workbook xlsform_workbook(const nlohmann::json& resolved);

Result<void> export_xlsform(const nlohmann::json& resolved, const std::filesystem::path& path);

}  // namespace needsmap::interop
