// libFuzzer target: any bytes given to the .xlsx reader come back as a workbook or an error.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "interop/xlsx_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  // Small limits keep each run fast; the reader's checks are the same at any limit.
  auto book = needsmap::interop::read_xlsx_bytes(
      bytes, {.max_rows = 1000, .max_columns = 64, .max_entry_bytes = 1 << 20});
  if (book) {
    for (const auto& sheet : book->sheets) {
      for (const auto& row : sheet.rows) {
        for (const auto& cell : row) (void)cell.size();
      }
    }
  }
  return 0;
}
