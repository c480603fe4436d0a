#include "interop/imported.hpp"

#include <set>
#include <tuple>

namespace needsmap::interop {

void SourcePlaces::add(std::string pointer, std::string sheet, std::size_t row, std::string name) {
  m_places[std::move(pointer)] = {.sheet = std::move(sheet), .row = row, .name = std::move(name)};
}

SheetNote SourcePlaces::locate(const questionnaire::LoadError& e,
                               const std::string& fallback_sheet) const {
  SheetNote note{.sheet = fallback_sheet,
                 .row = 0,
                 .column = "",
                 .name = e.question,
                 .message = e.message,
                 .position = e.position};
  std::string_view where = e.where;
  std::size_t best = 0;
  bool found = false;
  for (const auto& [pointer, place] : m_places) {
    bool inside =
        where == pointer || (where.starts_with(pointer) && where.size() > pointer.size() &&
                             where[pointer.size()] == '/');
    if (!inside || (found && pointer.size() < best)) continue;
    found = true;
    best = pointer.size();
    note.sheet = place.sheet;
    note.row = place.row;
    if (!place.name.empty()) note.name = place.name;
    std::string_view rest = where.substr(pointer.size());
    if (rest.starts_with("/")) rest.remove_prefix(1);
    note.column = std::string(rest.substr(0, rest.find('/')));
  }
  return note;
}

std::expected<ImportedQuestionnaire, ImportFailure> load_imported(
    const nlohmann::json& document, const questionnaire::Catalogs& catalogs,
    const std::string& file, const SourcePlaces& places, SheetNotes skipped,
    const std::string& fallback_sheet) {
  auto loaded = questionnaire::load_questionnaire(document, catalogs, file);
  if (!loaded) {
    SheetNotes errors;
    std::set<std::tuple<std::string, std::size_t, std::string, std::string>> seen;
    for (const auto& e : loaded.error()) {
      SheetNote note = places.locate(e, fallback_sheet);
      // A list shared by several questions reports its faults once per question.
      if (seen.insert({note.sheet, note.row, note.name, note.message}).second) {
        errors.push_back(note);
      }
    }
    return std::unexpected(ImportFailure{.errors = errors, .skipped = std::move(skipped)});
  }
  return ImportedQuestionnaire{
      .document = document, .questionnaire = std::move(*loaded), .skipped = std::move(skipped)};
}

}  // namespace needsmap::interop
