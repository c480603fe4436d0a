#include "store/accounts.hpp"

#include <gtest/gtest.h>

#include "test_database.hpp"

using namespace needsmap;
using namespace needsmap::store;
using fixtures::Backend;

namespace {

class AccountsTest : public testing::TestWithParam<Backend> {};

User user(const std::string& email) {
  return {0, email, "$argon2id$stub", "", false, 1000, 1000};
}

}  // namespace

TEST_P(AccountsTest, an_email_address_belongs_to_one_user) {
  fixtures::TestDatabase db(GetParam());
  auto store = db.open();
  auto id = create_user(*store, user("a@example.org"));
  ASSERT_TRUE(id);
  auto again = create_user(*store, user("a@example.org"));
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().kind, Error::Kind::conflict);
  EXPECT_EQ(find_user_by_email(*store, "a@example.org")->id, *id);
  EXPECT_FALSE(find_user_by_email(*store, "b@example.org"));
}

TEST_P(AccountsTest, roles_are_kept_with_their_place) {
  fixtures::TestDatabase db(GetParam());
  auto store = db.open();
  std::int64_t republic = upsert_area(*store, {0, std::nullopt, "republic", "rs", "Србија", ""});
  std::int64_t district = upsert_area(*store, {0, republic, "district", "d", "Округ", ""});
  EXPECT_EQ(find_area(*store, "d")->parent_id, republic);
  EXPECT_EQ(find_area(*store, "rs")->name_latn, "Srbija");
  auto id = create_user(*store, user("a@example.org")).value();
  add_role(*store, {0, id, "analyst", district, std::nullopt, std::nullopt, ""});
  add_role(*store, {0, id, "provider_contact", std::nullopt, std::nullopt, std::nullopt, "org-1"});
  auto roles = roles_of(*store, id);
  ASSERT_EQ(roles.size(), 2u);
  EXPECT_EQ(roles[0].role, "analyst");
  EXPECT_EQ(roles[0].area_id, district);
  EXPECT_FALSE(roles[0].municipality_id);
  EXPECT_EQ(roles[1].organization_id, "org-1");
  remove_role(*store, roles[0].id);
  EXPECT_EQ(roles_of(*store, id).size(), 1u);
}

TEST_P(AccountsTest, sessions_expire_and_end_with_their_user) {
  fixtures::TestDatabase db(GetParam());
  auto store = db.open();
  auto id = create_user(*store, user("a@example.org")).value();
  create_session(*store, {"h1", id, "csrf1", 1000, 2000});
  create_session(*store, {"h2", id, "csrf2", 1000, 5000});
  EXPECT_EQ(find_session(*store, "h1", 1999)->csrf_token, "csrf1");
  EXPECT_FALSE(find_session(*store, "h1", 2000));
  extend_session(*store, "h1", 3000);
  EXPECT_TRUE(find_session(*store, "h1", 2500));
  EXPECT_EQ(purge_expired_sessions(*store, 4000), 1);
  EXPECT_TRUE(find_session(*store, "h2", 4000));
  delete_sessions_of(*store, id);
  EXPECT_FALSE(find_session(*store, "h2", 4000));
}

TEST_P(AccountsTest, login_failures_count_within_a_window_and_start_again_after_it) {
  fixtures::TestDatabase db(GetParam());
  auto store = db.open();
  EXPECT_EQ(record_login_failure(*store, "account:a", 1000, 900), 1);
  EXPECT_EQ(record_login_failure(*store, "account:a", 1100, 900), 2);
  EXPECT_EQ(record_login_failure(*store, "account:a", 1800, 900), 3);
  EXPECT_EQ(login_failures(*store, "account:a", 1899, 900), 3);
  EXPECT_EQ(login_failures(*store, "account:a", 1900, 900), 0) << "the window has passed";
  EXPECT_EQ(record_login_failure(*store, "account:a", 1900, 900), 1) << "a new window";
  clear_login_failures(*store, "account:a");
  EXPECT_EQ(login_failures(*store, "account:a", 1900, 900), 0);
}

TEST_P(AccountsTest, the_audit_log_reads_newest_first_per_municipality) {
  fixtures::TestDatabase db(GetParam());
  auto store = db.open();
  Municipality m;
  m.slug = "bac";
  m.name_cyrl = "Бач";
  std::int64_t bac = store->upsert_municipality(m);
  audit(*store, {0, 10, std::nullopt, "cli", "first", bac, "bac/a", ""});
  audit(*store, {0, 20, std::nullopt, "cli", "elsewhere", std::nullopt, "", ""});
  audit(*store, {0, 30, std::nullopt, "cli", "second", bac, "bac/b", "x"});
  auto entries = audit_entries(*store, bac, 10);
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].action, "second");
  EXPECT_EQ(entries[1].action, "first");
  EXPECT_EQ(audit_entries(*store, std::nullopt, 2).size(), 2u);
}

TEST_P(AccountsTest, a_shared_setting_keeps_the_first_value_stored) {
  fixtures::TestDatabase db(GetParam());
  auto store = db.open();
  EXPECT_EQ(shared_setting(*store, "key", "first"), "first");
  EXPECT_EQ(shared_setting(*store, "key", "second"), "first");
}

INSTANTIATE_TEST_SUITE_P(Backends, AccountsTest,
                         testing::Values(Backend::sqlite, Backend::postgres),
                         fixtures::backend_name);
