// Reading questionnaire files: parse, resolve catalogs, check everything an author can get wrong.
#pragma once

#include <expected>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "questionnaire/model.hpp"

namespace needsmap::questionnaire {

struct LoadError {
  std::string file;
  std::string where;        // JSON pointer, e.g. /sections/1/questions/4/relevant
  std::string question;     // the question or section name, when known
  std::size_t position{0};  // 1-based position inside an expression, 0 when not applicable
  std::string message;
  std::string to_string() const;
};

using LoadErrors = std::vector<LoadError>;

// Catalog name → its JSON document.
using Catalogs = std::map<std::string, nlohmann::json, std::less<>>;

std::expected<Catalogs, LoadErrors> load_catalogs(const std::filesystem::path& directory);

// Builds a questionnaire from parsed JSON. `file` labels the errors.
std::expected<Questionnaire, LoadErrors> load_questionnaire(const nlohmann::json& document,
                                                            const Catalogs& catalogs,
                                                            const std::string& file);

std::expected<Questionnaire, LoadErrors> load_questionnaire_file(const std::filesystem::path& path,
                                                                 const Catalogs& catalogs);

}  // namespace needsmap::questionnaire
