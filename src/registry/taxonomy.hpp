// needsmap's reference taxonomies (data/registry/taxonomy.json): the legal service types of the
// Serbian Law on Social Protection (services_rs, art. 40 groups as parent terms), North
// Macedonia's six categories (services_mk) and the target groups with the age groups Centres for
// Social Work report users in (target_groups); with each term's labels and each age group's ages
// (taxonomy_labels.json). The registry's own records say which terms a service links; this says
// what those terms mean.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace needsmap::registry {

// Ages in whole years, both ends included; no maximum: and older.
struct AgeRange {
  double minimum{0};
  std::optional<double> maximum{};
  bool operator==(const AgeRange&) const = default;
};

// The smallest range holding both.
AgeRange hull(const AgeRange& a, const AgeRange& b);

struct ReferenceTerm {
  std::string id{};        // the stable UUID every registry may link to
  std::string taxonomy{};  // "services_rs", "services_mk" or "target_groups"
  std::string code{};
  std::string parent{};            // the parent term's code; empty for a group or a target group
  std::optional<AgeRange> ages{};  // for the age groups (age_0_17 …)
};

class ReferenceTaxonomy {
 public:
  // `directory` holds taxonomy.json and taxonomy_labels.json (data/registry).
  static Result<ReferenceTaxonomy> load(const std::filesystem::path& directory);

  const ReferenceTerm* by_id(std::string_view id) const;
  const ReferenceTerm* find(std::string_view taxonomy, std::string_view code) const;
  // A taxonomy's terms in the labels file's order: the law's order, each group before its terms.
  std::vector<const ReferenceTerm*> terms(std::string_view taxonomy) const;
  // The term's label in sr-Cyrl, en or mk (sr-Latn: the caller transliterates sr-Cyrl); the
  // code itself for a code the labels do not know.
  std::string label(std::string_view code, std::string_view language) const;

 private:
  std::vector<ReferenceTerm> m_terms{};  // in the labels file's order
  std::map<std::string, std::map<std::string, std::string>, std::less<>> m_labels{};
};

}  // namespace needsmap::registry
