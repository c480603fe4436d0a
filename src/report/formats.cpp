#include <sstream>

#include "report/render.hpp"

namespace needsmap::report {

Result<std::string> render(const Document& document, std::string_view format) {
  if (format == "pdf") return render_pdf(document);
  if (format == "html") return render_html_page(document);
  if (format != "docx" && format != "xlsx") {
    return std::unexpected(Error::invalid("unknown report format " + std::string(format)));
  }
  std::ostringstream out;
  auto written = format == "docx" ? write_docx(document, out) : write_xlsx(document, out);
  if (!written) return std::unexpected(written.error());
  return std::move(out).str();
}

Result<Document> chosen_document(const std::string& documents, std::string_view kind,
                                 std::string_view language) {
  const nlohmann::json all = nlohmann::json::parse(documents, nullptr, false);
  const std::string name(kind);
  if (!all.is_object() || !all.contains(name) || !all[name].is_object() || all[name].empty()) {
    return std::unexpected(Error::not_found("no " + name + " among the published documents"));
  }
  const nlohmann::json& of_kind = all[name];
  const std::string tag(language);
  if (of_kind.contains(tag)) return document_from_json(of_kind[tag]);
  if (of_kind.contains("sr-Cyrl")) return document_from_json(of_kind["sr-Cyrl"]);
  return document_from_json(of_kind.begin().value());
}

}  // namespace needsmap::report
