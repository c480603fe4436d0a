// What every questionnaire importer gives back: the questionnaire, as a needsmap file and
// loaded, with what it could not carry over; or the errors that stopped it.
#pragma once

#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "interop/notes.hpp"
#include "questionnaire/loader.hpp"

namespace needsmap::interop {

struct ImportedQuestionnaire {
  nlohmann::json document;  // the questionnaire as a needsmap-questionnaire/1 file
  questionnaire::Questionnaire questionnaire;
  SheetNotes skipped;
};

struct ImportFailure {
  SheetNotes errors;
  SheetNotes skipped;
};

// Maps JSON pointers in a built document back to where in the source they came from, so the
// loader's errors ("/sections/1/questions/4/relevant") name a sheet and row instead.
class SourcePlaces {
 public:
  void add(std::string pointer, std::string sheet, std::size_t row, std::string name = "");
  SheetNote locate(const questionnaire::LoadError& error, const std::string& fallback_sheet) const;

 private:
  struct Place {
    std::string sheet;
    std::size_t row{0};
    std::string name;
  };
  std::map<std::string, Place> m_places;
};

// Loads the built document as a questionnaire file, mapping errors to their sources.
std::expected<ImportedQuestionnaire, ImportFailure> load_imported(
    const nlohmann::json& document, const questionnaire::Catalogs& catalogs,
    const std::string& file, const SourcePlaces& places, SheetNotes skipped,
    const std::string& fallback_sheet);

}  // namespace needsmap::interop
