#include "interop/notes.hpp"

namespace needsmap::interop {

std::string SheetNote::to_string(const std::string& file) const {
  std::string where;
  if (!sheet.empty()) where += " " + sheet;
  if (row > 0) where += " row " + std::to_string(row);
  if (!column.empty()) where += (where.empty() ? " column " : ", column ") + column;
  if (!name.empty()) where += " (\"" + name + "\")";
  std::string out = file + (where.empty() ? "" : ":" + where) + ": " + message;
  if (position > 0) out += " at " + std::to_string(position);
  return out;
}

std::string describe(const SheetNotes& notes, const std::string& file) {
  std::string out;
  for (const auto& n : notes) {
    if (!out.empty()) out += '\n';
    out += n.to_string(file);
  }
  return out;
}

}  // namespace needsmap::interop
