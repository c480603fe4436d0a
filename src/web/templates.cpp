#include "web/templates.hpp"

#include <kainjow/mustache.hpp>

#include <fstream>
#include <sstream>

#include "core/text.hpp"

namespace needsmap::web {

namespace {

Result<std::string> read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::unexpected(Error::io("cannot read template " + path.string()));
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Replaces {{> name}} with templates/name.mustache, recursively.
Result<std::string> inline_partials(const std::filesystem::path& directory,
                                    const std::string& source, int depth) {
  if (depth > 10) return std::unexpected(Error::invalid("template partials nest too deeply"));
  std::string out;
  std::size_t last = 0;
  for (std::size_t open = source.find("{{>"); open != std::string::npos;
       open = source.find("{{>", last)) {
    std::size_t close = source.find("}}", open);
    if (close == std::string::npos) {
      return std::unexpected(Error::invalid("unclosed partial tag in a template"));
    }
    out.append(source, last, open - last);
    std::string name = text::trim(std::string_view(source).substr(open + 3, close - open - 3));
    auto included = read_file(directory / (name + ".mustache"));
    if (!included) return included;
    auto expanded = inline_partials(directory, *included, depth + 1);
    if (!expanded) return expanded;
    // Drop the trailing newline of the partial file so inlining keeps the layout tidy.
    if (!expanded->empty() && expanded->back() == '\n') expanded->pop_back();
    out += *expanded;
    last = close + 2;
  }
  out.append(source, last);
  return out;
}

}  // namespace

Templates::~Templates() = default;

Result<std::unique_ptr<Templates>> Templates::load(const std::filesystem::path& directory) {
  std::unique_ptr<Templates> t(new Templates());
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(directory, ec)) {
    if (entry.path().extension() != ".mustache") continue;
    auto source = read_file(entry.path());
    if (!source) return std::unexpected(source.error());
    auto expanded = inline_partials(directory, *source, 0);
    if (!expanded) return std::unexpected(expanded.error());
    auto compiled = std::make_unique<kainjow::mustache::basic_mustache<std::string>>(*expanded);
    if (!compiled->is_valid()) {
      return std::unexpected(
          Error::invalid(entry.path().string() + ": " + compiled->error_message()));
    }
    t->m_compiled.emplace(entry.path().stem().string(), std::move(compiled));
  }
  if (ec) return std::unexpected(Error::io(directory.string() + ": " + ec.message()));
  return t;
}

std::string Templates::render(const std::string& name, const TemplateData& data) const {
  auto it = m_compiled.find(name);
  if (it == m_compiled.end()) throw std::logic_error("no template " + name);
  std::lock_guard lock(m_mutex);
  return it->second->render(data);
}

}  // namespace needsmap::web
