#include "registry/taxonomy.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "registry/schema.hpp"

namespace needsmap::registry {

namespace {

// "urn:needsmap:taxonomy:services_rs" → "services_rs".
std::string taxonomy_key(std::string_view uri) {
  constexpr std::string_view prefix = "urn:needsmap:taxonomy:";
  return uri.starts_with(prefix) ? std::string(uri.substr(prefix.size())) : std::string();
}

}  // namespace

AgeRange hull(const AgeRange& a, const AgeRange& b) {
  AgeRange out{.minimum = std::min(a.minimum, b.minimum), .maximum = std::nullopt};
  if (a.maximum && b.maximum) out.maximum = std::max(*a.maximum, *b.maximum);
  return out;
}

Result<ReferenceTaxonomy> ReferenceTaxonomy::load(const std::filesystem::path& directory) {
  auto terms = read_json_object(directory / "taxonomy.json");
  if (!terms) return std::unexpected(terms.error());
  auto labels = read_json_object(directory / "taxonomy_labels.json");
  if (!labels) return std::unexpected(labels.error());
  try {
    std::map<std::string, std::string> taxonomies;  // id → key
    for (const auto& t : terms->at("taxonomies")) {
      taxonomies[t.at("id").get<std::string>()] = taxonomy_key(t.at("uri").get<std::string>());
    }
    std::map<std::string, ordered_json> by_id;
    std::map<std::string, std::string> code_of;  // id → code
    for (const auto& t : terms->at("taxonomy_terms")) {
      by_id[t.at("id").get<std::string>()] = t;
      code_of[t.at("id").get<std::string>()] = t.at("code").get<std::string>();
    }
    ReferenceTaxonomy out;
    std::map<std::string, const ordered_json*> by_code;
    for (const auto& [id, t] : by_id) by_code[t.at("code").get<std::string>()] = &t;
    for (const auto& [code, names] : labels->at("labels").items()) {
      for (const auto& [language, name] : names.items()) {
        out.m_labels[code][language] = name.get<std::string>();
      }
      auto found = by_code.find(code);
      if (found == by_code.end()) continue;
      const ordered_json& t = *found->second;
      ReferenceTerm term{.id = t.at("id").get<std::string>(),
                         .taxonomy = taxonomies[t.at("taxonomy_id").get<std::string>()],
                         .code = code,
                         .parent = {},
                         .ages = std::nullopt};
      if (t.contains("parent_id")) term.parent = code_of[t.at("parent_id").get<std::string>()];
      if (labels->at("age_groups").contains(code)) {
        const auto& ages = labels->at("age_groups").at(code);
        term.ages =
            AgeRange{.minimum = ages.at("minimum_age").get<double>(), .maximum = std::nullopt};
        if (!ages.at("maximum_age").is_null()) {
          term.ages->maximum = ages.at("maximum_age").get<double>();
        }
      }
      out.m_terms.push_back(std::move(term));
    }
    return out;
  } catch (const nlohmann::json::exception& e) {
    return std::unexpected(Error::invalid(directory.string() + ": taxonomy: " + e.what()));
  }
}

const ReferenceTerm* ReferenceTaxonomy::by_id(std::string_view id) const {
  auto it = std::find_if(m_terms.begin(), m_terms.end(), [&](const auto& t) { return t.id == id; });
  return it == m_terms.end() ? nullptr : &*it;
}

const ReferenceTerm* ReferenceTaxonomy::find(std::string_view taxonomy,
                                             std::string_view code) const {
  auto it = std::find_if(m_terms.begin(), m_terms.end(),
                         [&](const auto& t) { return t.taxonomy == taxonomy && t.code == code; });
  return it == m_terms.end() ? nullptr : &*it;
}

std::vector<const ReferenceTerm*> ReferenceTaxonomy::terms(std::string_view taxonomy) const {
  std::vector<const ReferenceTerm*> out;
  for (const auto& t : m_terms) {
    if (t.taxonomy == taxonomy) out.push_back(&t);
  }
  return out;
}

std::string ReferenceTaxonomy::label(std::string_view code, std::string_view language) const {
  auto names = m_labels.find(code);
  if (names == m_labels.end()) return std::string(code);
  for (std::string_view tag : {language, std::string_view("sr-Cyrl")}) {
    auto name = names->second.find(std::string(tag));
    if (name != names->second.end()) return name->second;
  }
  return std::string(code);
}

}  // namespace needsmap::registry
