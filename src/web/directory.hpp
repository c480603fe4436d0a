// The public directory of a municipality's social-protection services (/d/{municipality}):
// search by words, service type, target group and settlement, and a page per service with what
// a citizen needs to reach it — only the registry's published fields, never funding or staff.
// No sign-in, no JavaScript; sr-Latn pages show Cyrillic data transliterated.
#pragma once

#include <map>
#include <span>
#include <string>

#include "web/http_server.hpp"

namespace needsmap::web {

class App;

class Directory {
 public:
  // Reads the taxonomy terms' labels in English and Macedonian
  // (data/registry/taxonomy_labels.json) from the App's share directory.
  explicit Directory(App& app);

  // `segments` after "d": {municipality} or {municipality, "services", id}.
  Response handle(const Request& request, std::span<const std::string> segments,
                  const std::map<std::string, std::string>& query, const std::string& language);

 private:
  App& m_app;
  // A taxonomy term's code → language tag → label.
  std::map<std::string, std::map<std::string, std::string>> m_labels;
};

}  // namespace needsmap::web
