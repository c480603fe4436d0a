#include "access/roles.hpp"

#include <algorithm>
#include <array>

namespace needsmap::access {

namespace {

constexpr std::array<Role, 5> roles = {Role::national_admin, Role::coordinator, Role::analyst,
                                       Role::interviewer, Role::provider_contact};
constexpr std::array<Action, 11> actions = {
    Action::view_campaigns,   Action::manage_campaigns,     Action::view_results,
    Action::export_responses, Action::enter_responses,      Action::manage_users,
    Action::view_audit,       Action::manage_analysis,      Action::view_registry,
    Action::manage_registry,  Action::edit_own_organisation};

// What each role may do wherever its grant reaches. Interviewers are further limited to the
// campaigns they are granted; provider contacts act only in the registry.
bool role_allows(Role role, Action action) {
  switch (role) {
    case Role::national_admin:
      return true;
    case Role::coordinator:
      return true;  // everything, in their own municipality
    case Role::analyst:
      return action == Action::view_campaigns || action == Action::view_results ||
             action == Action::export_responses || action == Action::manage_analysis ||
             action == Action::view_registry;
    case Role::interviewer:
      return action == Action::enter_responses;
    case Role::provider_contact:
      return action == Action::edit_own_organisation;
  }
  return false;
}

}  // namespace

std::string_view to_string(Role role) {
  switch (role) {
    case Role::national_admin:
      return "national_admin";
    case Role::coordinator:
      return "coordinator";
    case Role::analyst:
      return "analyst";
    case Role::interviewer:
      return "interviewer";
    case Role::provider_contact:
      return "provider_contact";
  }
  return "";
}

std::optional<Role> role_from_string(std::string_view s) {
  for (Role r : roles) {
    if (to_string(r) == s) return r;
  }
  return std::nullopt;
}

std::span<const Role> all_roles() {
  return roles;
}

std::string_view to_string(Action action) {
  switch (action) {
    case Action::view_campaigns:
      return "view_campaigns";
    case Action::manage_campaigns:
      return "manage_campaigns";
    case Action::view_results:
      return "view_results";
    case Action::export_responses:
      return "export_responses";
    case Action::enter_responses:
      return "enter_responses";
    case Action::manage_users:
      return "manage_users";
    case Action::view_audit:
      return "view_audit";
    case Action::manage_analysis:
      return "manage_analysis";
    case Action::view_registry:
      return "view_registry";
    case Action::manage_registry:
      return "manage_registry";
    case Action::edit_own_organisation:
      return "edit_own_organisation";
  }
  return "";
}

std::span<const Action> all_actions() {
  return actions;
}

AreaTree::AreaTree(const std::vector<store::Area>& areas,
                   const std::vector<store::Municipality>& municipalities) {
  for (const auto& a : areas) m_area_parents.emplace_back(a.id, a.parent_id);
  for (const auto& m : municipalities) m_municipality_areas.emplace_back(m.id, m.area_id);
}

std::optional<std::int64_t> AreaTree::parent_of(std::int64_t area_id) const {
  for (const auto& [id, parent] : m_area_parents) {
    if (id == area_id) return parent;
  }
  return std::nullopt;
}

bool AreaTree::covers(std::int64_t area_id, std::int64_t municipality_id) const {
  std::optional<std::int64_t> area;
  for (const auto& [id, a] : m_municipality_areas) {
    if (id == municipality_id) area = a;
  }
  // Walk up; the depth bound guards against a cycle someone typed into the table.
  for (int depth = 0; area && depth < 16; ++depth) {
    if (*area == area_id) return true;
    area = parent_of(*area);
  }
  return false;
}

bool Principal::has_role(Role role) const {
  return std::any_of(grants.begin(), grants.end(),
                     [role](const auto& g) { return g.role == to_string(role); });
}

namespace {

// Whether a grant reaches the target: its municipality, an area above it, or (for interviewers)
// exactly the campaign.
bool reaches(const store::RoleGrant& g, Role role, const Target& where, const AreaTree& areas) {
  if (role == Role::interviewer) {
    return g.campaign_id && where.campaign_id && *g.campaign_id == *where.campaign_id;
  }
  // A provider contact reaches one organisation, never a whole municipality.
  if (role == Role::provider_contact) return false;
  if (role == Role::national_admin && !g.area_id && !g.municipality_id) return true;
  if (g.municipality_id) return *g.municipality_id == where.municipality_id;
  if (g.area_id) return areas.covers(*g.area_id, where.municipality_id);
  return false;
}

}  // namespace

bool allowed(const Principal& who, Action action, const Target& where, const AreaTree& areas) {
  if (who.user.disabled) return false;
  for (const auto& g : who.grants) {
    auto role = role_from_string(g.role);
    if (!role || !role_allows(*role, action)) continue;
    if (reaches(g, *role, where, areas)) return true;
  }
  return false;
}

bool allowed_on_organization(const Principal& who, Action action, std::int64_t municipality_id,
                             const std::string& organization_id, const AreaTree& areas) {
  if (allowed(who, action, {municipality_id, std::nullopt}, areas)) return true;
  if (who.user.disabled || organization_id.empty()) return false;
  return std::any_of(who.grants.begin(), who.grants.end(), [&](const store::RoleGrant& g) {
    return g.role == to_string(Role::provider_contact) &&
           role_allows(Role::provider_contact, action) && g.municipality_id == municipality_id &&
           g.organization_id == organization_id;
  });
}

std::vector<std::string> contact_organizations(const Principal& who, std::int64_t municipality_id) {
  std::vector<std::string> out;
  if (who.user.disabled) return out;
  for (const auto& g : who.grants) {
    if (g.role == to_string(Role::provider_contact) && g.municipality_id == municipality_id &&
        !g.organization_id.empty()) {
      out.push_back(g.organization_id);
    }
  }
  return out;
}

bool sees_suppressed_figures(const Principal& who, std::int64_t municipality_id,
                             const AreaTree& areas) {
  for (const auto& g : who.grants) {
    auto role = role_from_string(g.role);
    if (role != Role::national_admin && role != Role::analyst) continue;
    if (reaches(g, *role, Target{municipality_id, std::nullopt}, areas)) return false;
  }
  return true;
}

bool may_grant(const Principal& who, Role role, std::int64_t municipality_id,
               const AreaTree& areas) {
  if (who.user.disabled) return false;
  Target where{municipality_id, std::nullopt};
  for (const auto& g : who.grants) {
    auto held = role_from_string(g.role);
    if (held == Role::national_admin && reaches(g, *held, where, areas)) return true;
    if (held == Role::coordinator && reaches(g, *held, where, areas)) {
      return role == Role::analyst || role == Role::interviewer || role == Role::provider_contact;
    }
  }
  return false;
}

}  // namespace needsmap::access
