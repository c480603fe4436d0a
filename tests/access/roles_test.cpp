#include "access/roles.hpp"

#include <gtest/gtest.h>

#include "access/password.hpp"

using namespace needsmap;
using namespace needsmap::access;

namespace {

// Republic 1 → districts 10 and 11; municipalities 100 (district 10), 101 (district 10),
// 200 (district 11). Campaign 5000 belongs to municipality 100.
AreaTree tree() {
  std::vector<store::Area> areas = {{1, std::nullopt, "republic", "rs", "Србија", ""},
                                    {10, 1, "district", "d10", "Округ 10", ""},
                                    {11, 1, "district", "d11", "Округ 11", ""}};
  std::vector<store::Municipality> municipalities(3);
  municipalities[0].id = 100;
  municipalities[0].area_id = 10;
  municipalities[1].id = 101;
  municipalities[1].area_id = 10;
  municipalities[2].id = 200;
  municipalities[2].area_id = 11;
  return AreaTree(areas, municipalities);
}

Principal holding(std::vector<store::RoleGrant> grants) {
  Principal p;
  p.user.id = 1;
  p.grants = std::move(grants);
  return p;
}

store::RoleGrant grant(const char* role, std::optional<std::int64_t> area,
                       std::optional<std::int64_t> municipality,
                       std::optional<std::int64_t> campaign = std::nullopt) {
  return {0, 1, role, area, municipality, campaign, ""};
}

}  // namespace

TEST(Roles, each_role_reaches_exactly_what_its_grant_covers) {
  struct Case {
    const char* name;
    store::RoleGrant grant;
    std::vector<Action> allowed_in_100;  // everything else is refused there
    bool reaches_101;                    // same district
    bool reaches_200;                    // other district
  };
  const std::vector<Case> cases = {
      {"national admin everywhere",
       grant("national_admin", std::nullopt, std::nullopt),
       {all_actions().begin(), all_actions().end()},
       true,
       true},
      {"national admin of the republic",
       grant("national_admin", 1, std::nullopt),
       {all_actions().begin(), all_actions().end()},
       true,
       true},
      {"coordinator of 100",
       grant("coordinator", std::nullopt, 100),
       {all_actions().begin(), all_actions().end()},
       false,
       false},
      {"analyst of 100",
       grant("analyst", std::nullopt, 100),
       {Action::view_campaigns, Action::view_results, Action::export_responses,
        Action::manage_analysis, Action::view_registry},
       false,
       false},
      {"analyst of district 10",
       grant("analyst", 10, std::nullopt),
       {Action::view_campaigns, Action::view_results, Action::export_responses,
        Action::manage_analysis, Action::view_registry},
       true,
       false},
      {"provider contact of 100", grant("provider_contact", std::nullopt, 100), {}, false, false},
  };
  AreaTree areas = tree();
  for (const auto& c : cases) {
    Principal who = holding({c.grant});
    for (Action action : all_actions()) {
      bool expected = std::find(c.allowed_in_100.begin(), c.allowed_in_100.end(), action) !=
                      c.allowed_in_100.end();
      EXPECT_EQ(allowed(who, action, {100, std::nullopt}, areas), expected)
          << c.name << ", " << to_string(action) << " in 100";
      EXPECT_EQ(allowed(who, action, {101, std::nullopt}, areas), expected && c.reaches_101)
          << c.name << ", " << to_string(action) << " in 101";
      EXPECT_EQ(allowed(who, action, {200, std::nullopt}, areas), expected && c.reaches_200)
          << c.name << ", " << to_string(action) << " in 200";
    }
  }
}

TEST(Roles, an_interviewer_enters_responses_for_its_campaign_only) {
  AreaTree areas = tree();
  Principal who = holding({grant("interviewer", std::nullopt, std::nullopt, 5000)});
  EXPECT_TRUE(allowed(who, Action::enter_responses, {100, 5000}, areas));
  EXPECT_FALSE(allowed(who, Action::enter_responses, {100, 5001}, areas));
  EXPECT_FALSE(allowed(who, Action::enter_responses, {100, std::nullopt}, areas));
  for (Action action : all_actions()) {
    if (action != Action::enter_responses) {
      EXPECT_FALSE(allowed(who, action, {100, 5000}, areas));
    }
  }
}

TEST(Roles, a_provider_contact_edits_only_its_own_organisation) {
  AreaTree areas = tree();
  store::RoleGrant contact = grant("provider_contact", std::nullopt, 100);
  contact.organization_id = "org-a";
  Principal who = holding({contact});
  EXPECT_TRUE(allowed_on_organization(who, Action::edit_own_organisation, 100, "org-a", areas));
  EXPECT_FALSE(allowed_on_organization(who, Action::edit_own_organisation, 100, "org-b", areas));
  EXPECT_FALSE(allowed_on_organization(who, Action::edit_own_organisation, 101, "org-a", areas))
      << "the same id in another municipality's registry is another organisation";
  EXPECT_FALSE(allowed_on_organization(who, Action::edit_own_organisation, 100, "", areas));
  EXPECT_FALSE(allowed_on_organization(who, Action::manage_registry, 100, "org-a", areas));
  for (Action action : all_actions())
    EXPECT_FALSE(allowed(who, action, {100, std::nullopt}, areas));
  EXPECT_EQ(contact_organizations(who, 100), std::vector<std::string>{"org-a"});
  EXPECT_TRUE(contact_organizations(who, 101).empty());
  // A grant without an organisation reaches none.
  Principal loose = holding({grant("provider_contact", std::nullopt, 100)});
  EXPECT_FALSE(allowed_on_organization(loose, Action::edit_own_organisation, 100, "org-a", areas));
  // Coordinators and national administrators keep the registry, and may edit any organisation
  // of it; analysts and interviewers neither.
  for (const char* role : {"coordinator", "analyst"}) {
    Principal p = holding({grant(role, std::nullopt, 100)});
    bool keeps = std::string(role) == "coordinator";
    EXPECT_EQ(allowed(p, Action::manage_registry, {100, std::nullopt}, areas), keeps) << role;
    EXPECT_EQ(allowed_on_organization(p, Action::edit_own_organisation, 100, "org-a", areas), keeps)
        << role;
    EXPECT_FALSE(allowed(p, Action::manage_registry, {200, std::nullopt}, areas)) << role;
  }
  Principal national = holding({grant("national_admin", std::nullopt, std::nullopt)});
  EXPECT_TRUE(allowed(national, Action::manage_registry, {200, std::nullopt}, areas));
  contact.user_id = 1;
  who.user.disabled = true;
  EXPECT_FALSE(allowed_on_organization(who, Action::edit_own_organisation, 100, "org-a", areas));
}

TEST(Roles, a_disabled_account_may_do_nothing) {
  Principal who = holding({grant("national_admin", std::nullopt, std::nullopt)});
  who.user.disabled = true;
  EXPECT_FALSE(allowed(who, Action::view_campaigns, {100, std::nullopt}, tree()));
  EXPECT_FALSE(may_grant(who, Role::analyst, 100, tree()));
}

TEST(Roles, figures_are_suppressed_below_the_analyst_role) {
  AreaTree areas = tree();
  EXPECT_TRUE(
      sees_suppressed_figures(holding({grant("coordinator", std::nullopt, 100)}), 100, areas));
  EXPECT_FALSE(sees_suppressed_figures(holding({grant("analyst", std::nullopt, 100)}), 100, areas));
  EXPECT_TRUE(sees_suppressed_figures(holding({grant("analyst", std::nullopt, 100)}), 200, areas));
  EXPECT_FALSE(sees_suppressed_figures(
      holding({grant("national_admin", std::nullopt, std::nullopt)}), 200, areas));
}

TEST(Roles, coordinators_grant_only_the_roles_below_them_at_home) {
  AreaTree areas = tree();
  Principal coordinator = holding({grant("coordinator", std::nullopt, 100)});
  EXPECT_TRUE(may_grant(coordinator, Role::analyst, 100, areas));
  EXPECT_TRUE(may_grant(coordinator, Role::interviewer, 100, areas));
  EXPECT_TRUE(may_grant(coordinator, Role::provider_contact, 100, areas));
  EXPECT_FALSE(may_grant(coordinator, Role::coordinator, 100, areas));
  EXPECT_FALSE(may_grant(coordinator, Role::national_admin, 100, areas));
  EXPECT_FALSE(may_grant(coordinator, Role::analyst, 101, areas));
  EXPECT_FALSE(
      may_grant(holding({grant("analyst", std::nullopt, 100)}), Role::interviewer, 100, areas));
}

TEST(Roles, a_cycle_in_the_area_table_ends_the_walk) {
  std::vector<store::Area> areas = {{1, 2, "district", "a", "А", ""},
                                    {2, 1, "district", "b", "Б", ""}};
  std::vector<store::Municipality> municipalities(1);
  municipalities[0].id = 100;
  municipalities[0].area_id = 1;
  AreaTree cyclic(areas, municipalities);
  EXPECT_TRUE(cyclic.covers(2, 100));
  EXPECT_FALSE(cyclic.covers(3, 100));
}

TEST(Passwords, are_argon2id_hashes_that_verify_only_the_right_password) {
  std::string hash = hash_password("ћирилична лозинка 2026");
  EXPECT_TRUE(hash.starts_with("$argon2id$"));
  EXPECT_TRUE(verify_password(hash, "ћирилична лозинка 2026"));
  EXPECT_FALSE(verify_password(hash, "ћирилична лозинка 2027"));
  EXPECT_NE(hash_password("ћирилична лозинка 2026"), hash) << "a fresh salt each time";
}

TEST(Passwords, follow_length_rules_without_composition_rules) {
  EXPECT_EQ(password_problem("short", "a@b.c"), "admin.password.too_short");
  EXPECT_EQ(password_problem("ђђђђђђђђђ", "a@b.c"), "admin.password.too_short") << "9 letters";
  EXPECT_EQ(password_problem("ђђђђђђђђђђ", "a@b.c"), std::nullopt) << "10 letters in 20 bytes";
  EXPECT_EQ(password_problem(std::string(129, 'x'), "a@b.c"), "admin.password.too_long");
  EXPECT_EQ(password_problem("me@example.org", "me@example.org"), "admin.password.is_email");
  EXPECT_EQ(password_problem("all lower case words", "a@b.c"), std::nullopt);
  std::string random = random_password();
  EXPECT_EQ(random.size(), 16u);
  EXPECT_EQ(random.find_first_of("0O1lI"), std::string::npos);
}
