// Reading .xlsx workbooks (Office Open XML, ECMA-376 Part 1 §18: SpreadsheetML) into text cells:
// shared and inline strings, numbers, booleans and dates.
#pragma once

#include <filesystem>
#include <string_view>

#include "core/error.hpp"
#include "interop/workbook.hpp"

namespace needsmap::interop {

Result<Workbook> read_xlsx(const std::filesystem::path& path, const ReadLimits& limits = {});
// The same from the file's bytes (uploads, the fuzzer).
Result<Workbook> read_xlsx_bytes(std::string_view bytes, const ReadLimits& limits = {});

}  // namespace needsmap::interop
