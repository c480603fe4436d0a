#include "interop/questionnaire_import.hpp"

#include <fstream>

#include "core/text.hpp"
#include "interop/lss_import.hpp"
#include "interop/xlsform_import.hpp"

namespace needsmap::interop {

namespace {
ImportFailure failure(std::string message) {
  return ImportFailure{.errors = {{.sheet = "",
                                   .row = 0,
                                   .column = "",
                                   .name = "",
                                   .message = std::move(message),
                                   .position = 0}},
                       .skipped = {}};
}
}  // namespace

std::expected<ImportedQuestionnaire, ImportFailure> import_questionnaire_file(
    const std::filesystem::path& path, const questionnaire::Catalogs& catalogs) {
  const std::string extension = text::ascii_lower(path.extension().string());
  if (extension == ".lss") {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::unexpected(failure("cannot open the file"));
    std::string xml((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (xml.size() > (64u << 20)) return std::unexpected(failure("the file is too large"));
    return import_lss(xml, catalogs, path.string());
  }
  auto book = read_xlsform_file(path);
  if (!book) return std::unexpected(failure(book.error().message));
  return import_xlsform(*book, catalogs, path.string());
}

}  // namespace needsmap::interop
