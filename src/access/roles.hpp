// Who may do what, where. Roles are granted on a place in the hierarchy republic → district →
// municipality (as DHIS2 grants on organisation units: a grant covers everything beneath), on a
// campaign (interviewers) or on an organisation of the registry (provider contacts).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "store/accounts.hpp"

namespace needsmap::access {

enum class Role { national_admin, coordinator, analyst, interviewer, provider_contact };
std::string_view to_string(Role role);
std::optional<Role> role_from_string(std::string_view s);
std::span<const Role> all_roles();

enum class Action {
  view_campaigns,    // see a municipality's campaigns, their links and status
  manage_campaigns,  // create, set the window, open, close, anonymity settings
  view_results,      // monitoring and frequency tables (small cells hidden below analyst)
  export_responses,  // CSV, XLSX, SPSS files of the answers
  enter_responses,   // interviews and paper forms
  manage_users,      // accounts and roles of the municipality
  view_audit,        // the audit log of the municipality
  manage_analysis,   // the population table and vulnerable groups the analysis uses
  view_registry,     // the registry's resource summary (capacity, funding, staff)
  manage_registry,   // create, edit, verify and delete the registry's providers; decide proposals
  edit_own_organisation,  // propose updates of one organisation of the registry and its services
};
std::string_view to_string(Action action);
std::span<const Action> all_actions();

// The place an action is about: a municipality, and for some actions one of its campaigns.
struct Target {
  std::int64_t municipality_id{0};
  std::optional<std::int64_t> campaign_id;
};

// Where each municipality sits: its area and the areas above it.
class AreaTree {
 public:
  AreaTree() = default;
  AreaTree(const std::vector<store::Area>& areas,
           const std::vector<store::Municipality>& municipalities);
  // Whether a grant on `area_id` covers the municipality.
  bool covers(std::int64_t area_id, std::int64_t municipality_id) const;

 private:
  std::vector<std::pair<std::int64_t, std::optional<std::int64_t>>> m_area_parents;
  std::vector<std::pair<std::int64_t, std::optional<std::int64_t>>> m_municipality_areas;
  std::optional<std::int64_t> parent_of(std::int64_t area_id) const;
};

// A signed-in user with the grants they hold.
struct Principal {
  store::User user;
  std::vector<store::RoleGrant> grants;

  bool has_role(Role role) const;
};

// The one place that answers "may this user do this here?". Every admin route asks it.
bool allowed(const Principal& who, Action action, const Target& where, const AreaTree& areas);

// allowed(), or a provider contact's grant on exactly this organisation of the municipality's
// registry (provider contacts reach nothing through allowed() itself).
bool allowed_on_organization(const Principal& who, Action action, std::int64_t municipality_id,
                             const std::string& organization_id, const AreaTree& areas);
// The organisations of the municipality's registry the user is a provider contact of.
std::vector<std::string> contact_organizations(const Principal& who, std::int64_t municipality_id);

// Whether figures shown to this user about the municipality must hide small groups: yes for
// every role below analyst.
bool sees_suppressed_figures(const Principal& who, std::int64_t municipality_id,
                             const AreaTree& areas);

// Which roles a user may grant to others in a municipality: a national admin any, a coordinator
// the roles below coordinator in their own municipality, nobody else any.
bool may_grant(const Principal& who, Role role, std::int64_t municipality_id,
               const AreaTree& areas);

}  // namespace needsmap::access
