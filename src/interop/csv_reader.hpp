// Reading CSV (RFC 4180) as spreadsheets save it: UTF-8 with or without a byte order mark, comma
// or semicolon separated (Excel uses ';' where the decimal separator is a comma, as in Serbia).
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "interop/workbook.hpp"

namespace needsmap::interop {

Result<std::vector<std::vector<std::string>>> parse_csv(std::string_view text,
                                                        const ReadLimits& limits = {});

// One CSV file as a one-sheet workbook named `sheet_name`.
Result<Workbook> read_csv(const std::filesystem::path& path, const std::string& sheet_name,
                          const ReadLimits& limits = {});

// An XLSForm in pyxform's single-CSV layout: a row whose first cell is a sheet name ("survey",
// "choices", "settings") starts that sheet; the rows under it leave the first cell empty.
Result<Workbook> read_xlsform_csv(const std::filesystem::path& path, const ReadLimits& limits = {});

}  // namespace needsmap::interop
