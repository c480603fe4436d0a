// Mustache templates from templates/, compiled once at start. `{{> name}}` is resolved when the
// files are loaded (not at every render), so a page costs one pass over a compiled template.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "core/error.hpp"

namespace kainjow::mustache {
template <typename StringType>
class basic_mustache;
template <typename StringType>
class basic_data;
}  // namespace kainjow::mustache

namespace needsmap::web {

using TemplateData = kainjow::mustache::basic_data<std::string>;

class Templates {
 public:
  static Result<std::unique_ptr<Templates>> load(const std::filesystem::path& directory);
  ~Templates();

  // Renders templates/<name>.mustache; HTML-escapes every {{value}}.
  std::string render(const std::string& name, const TemplateData& data) const;

 private:
  Templates() = default;
  std::map<std::string, std::unique_ptr<kainjow::mustache::basic_mustache<std::string>>> m_compiled;
  // kainjow's render() is not const; rendering is cheap next to the network, so serialise it.
  mutable std::mutex m_mutex;
};

}  // namespace needsmap::web
