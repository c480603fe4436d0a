// A place in a spreadsheet (sheet, row, column) and what happened there: an error that stops an
// import, or something the import could not carry over.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace needsmap::interop {

struct SheetNote {
  std::string sheet;
  std::size_t row{0};  // 1-based spreadsheet row; 0 when the note is about the whole sheet
  std::string column;
  std::string name;  // the question, group or choice, when known
  std::string message;
  std::size_t position{0};  // 1-based position inside an expression, 0 when not applicable

  // "form.xlsx: survey row 12, column relevant ("age"): unknown question ${agee} at 3"
  std::string to_string(const std::string& file) const;
};

using SheetNotes = std::vector<SheetNote>;

std::string describe(const SheetNotes& notes, const std::string& file);

}  // namespace needsmap::interop
