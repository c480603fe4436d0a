// Finding services in a municipality's registry, as the public directory and the HSDS API's
// service list do: by words (ignoring script, case and diacritics, see text::fold_for_search),
// by taxonomy term (a service linked to a term under it counts too), by taxonomy, organization,
// settlement covered and date of change.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "registry/registry.hpp"

namespace needsmap::registry {

struct ServiceQuery {
  std::string search{};  // words; each must appear in the service's search_text
  // Each must be linked to the service by an attribute, itself or a term under it.
  std::vector<std::string> taxonomy_term_ids{};
  std::string taxonomy_id{};      // a term of this taxonomy is linked to the service
  std::string organization_id{};  // the service's organization
  std::string settlement{};       // the name of one of the service's service areas
  // The service's last_modified, or one of its metadata records, is on or after this (Unix).
  std::optional<std::int64_t> modified_after{};
};

// The services that match, in id order.
std::vector<const json*> find_services(const Registry& registry, const ServiceQuery& query);

// The rows of `table` whose `link` field holds `id`, in id order.
std::vector<const json*> rows_linked(const Registry& registry, const std::string& table,
                                     std::string_view link, std::string_view id);

// A taxonomy term linked to a service by an attribute, and how (service_type, audience,
// eligibility …).
struct LinkedTerm {
  const json* term{};
  std::string link_type{};
};
std::vector<LinkedTerm> service_terms(const Registry& registry, std::string_view service_id);

// What a service is found by, folded: its names and description, its organization's name, the
// names of its taxonomy terms and of the settlements it covers.
std::string search_text(const Registry& registry, const json& service);

// Whether every word of `query` (folded here; words end at spaces and ASCII punctuation) is in
// `folded_text`.
bool matches_words(std::string_view folded_text, std::string_view query);

}  // namespace needsmap::registry
