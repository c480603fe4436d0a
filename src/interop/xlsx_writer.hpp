// Writing a workbook of text cells to .xlsx with libxlsxwriter.
#pragma once

#include <filesystem>
#include <functional>

#include "core/error.hpp"
#include "interop/workbook.hpp"

namespace needsmap::interop {

// Whether a column holds numbers: its cells that read back as the same text ("3", "0.5") are
// written as numbers. Everything else is text, so Excel never turns a version "2025.10" or a
// code "007" into a different number.
using NumericColumn = std::function<bool(const Sheet& sheet, std::size_t column)>;

Result<void> write_xlsx(const Workbook& workbook, const std::filesystem::path& path,
                        const NumericColumn& numeric = {});

}  // namespace needsmap::interop
