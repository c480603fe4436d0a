#include "store/store.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <future>

#include "store/writer.hpp"
#include "test_support.hpp"

using namespace needsmap;
using namespace needsmap::store;

namespace {

struct Fixture {
  fixtures::TemporaryDirectory dir;
  std::string path = (dir.path() / "test.db").string();
  std::unique_ptr<Store> store = [this] {
    auto s = Store::open(path);
    EXPECT_TRUE(s);
    (*s)->migrate();
    return std::move(*s);
  }();

  Campaign campaign(const std::string& slug = "c") {
    std::int64_t m = store->upsert_municipality({0, "bac", "Бач", "", "Bač", "Бач", "80012"});
    auto v = store->store_questionnaire_version("q", "1", R"({"x":1})");
    EXPECT_TRUE(v);
    Campaign c;
    c.municipality_id = m;
    c.municipality_slug = "bac";
    c.slug = slug;
    c.questionnaire_version_id = *v;
    c.status = CampaignStatus::open;
    c.id = store->create_campaign(c).value();
    return c;
  }
};

ResponseRecord response(const Campaign& c, const std::string& submission) {
  return {"id-" + submission, c.id, submission, "2025-11-15", "api", "sr-Cyrl", R"({"a":1})"};
}

}  // namespace

TEST(Store, migrating_twice_is_harmless) {
  Fixture f;
  int version = f.store->schema_version();
  EXPECT_GT(version, 0);
  f.store->migrate();
  EXPECT_EQ(f.store->schema_version(), version);
}

TEST(Store, municipality_names_get_a_derived_latin_form) {
  Fixture f;
  f.store->upsert_municipality({0, "zagubica", "Жагубица", "", "Žagubica", "", "13056"});
  auto m = f.store->find_municipality("zagubica");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->name_latn, "Žagubica");
  EXPECT_FALSE(f.store->find_municipality("nowhere"));
}

TEST(Store, a_questionnaire_version_is_stored_once_and_never_changed) {
  Fixture f;
  auto first = f.store->store_questionnaire_version("q", "1", "{\"a\":1}");
  auto same = f.store->store_questionnaire_version("q", "1", "{\"a\":1}");
  ASSERT_TRUE(first && same);
  EXPECT_EQ(*first, *same);
  auto changed = f.store->store_questionnaire_version("q", "1", "{\"a\":2}");
  ASSERT_FALSE(changed);
  EXPECT_EQ(changed.error().kind, Error::Kind::conflict);
}

TEST(Store, the_database_refuses_to_change_a_version_that_a_campaign_uses) {
  Fixture f;
  Campaign c = f.campaign();
  EXPECT_THROW(f.store->connection().exec("UPDATE questionnaire_versions SET content = '{}'"),
               DatabaseError);
  EXPECT_THROW(f.store->connection().exec("DELETE FROM questionnaire_versions"), DatabaseError);
  EXPECT_EQ(f.store->find_questionnaire_version(c.questionnaire_version_id)->content, R"({"x":1})");
}

TEST(Store, availability_follows_status_and_window) {
  Campaign c;
  c.status = CampaignStatus::open;
  EXPECT_EQ(availability(c, 1000), Availability::open);
  c.opens_at = 2000;
  EXPECT_EQ(availability(c, 1000), Availability::not_yet_open);
  c.closes_at = 3000;
  EXPECT_EQ(availability(c, 2500), Availability::open);
  EXPECT_EQ(availability(c, 3000), Availability::closed);
  c.status = CampaignStatus::closed;
  EXPECT_EQ(availability(c, 2500), Availability::closed);
  c.status = CampaignStatus::draft;
  EXPECT_EQ(availability(c, 2500), Availability::draft);
}

TEST(Store, a_campaign_must_close_after_it_opens_and_slugs_are_unique) {
  Fixture f;
  Campaign c = f.campaign("one");
  Campaign again = c;
  EXPECT_EQ(f.store->create_campaign(again).error().kind, Error::Kind::conflict);
  again.slug = "two";
  again.opens_at = 100;
  again.closes_at = 50;
  EXPECT_EQ(f.store->create_campaign(again).error().kind, Error::Kind::invalid_input);
}

TEST(Store, a_repeated_submission_id_returns_the_first_id_and_stores_nothing) {
  Fixture f;
  Campaign c = f.campaign();
  auto first = f.store->insert_response(response(c, "s1"));
  ResponseRecord repeat = response(c, "s1");
  repeat.id = "another-id";
  auto second = f.store->insert_response(repeat);
  EXPECT_TRUE(first.created);
  EXPECT_FALSE(second.created);
  EXPECT_EQ(second.id, first.id);
  EXPECT_EQ(f.store->count_responses(c.id), 1);
}

TEST(Store, drafts_expire_and_can_be_deleted) {
  Fixture f;
  Campaign c = f.campaign();
  f.store->save_draft("h1", {c.id, "{\"a\":1}", 2, "en"}, 1000);
  auto draft = f.store->load_draft("h1", 999);
  ASSERT_TRUE(draft);
  EXPECT_EQ(draft->page, 2);
  EXPECT_EQ(draft->language, "en");
  EXPECT_FALSE(f.store->load_draft("h1", 1000));
  EXPECT_EQ(f.store->purge_expired_drafts(1000), 1);
  f.store->save_draft("h2", {c.id, "{}", 0, "sr-Cyrl"}, 5000);
  f.store->delete_draft("h2");
  EXPECT_FALSE(f.store->load_draft("h2", 0));
}

TEST(Store, the_responses_table_has_no_column_that_could_identify_a_respondent) {
  Fixture f;
  auto& s = f.store->connection().prepare("SELECT name FROM pragma_table_info('responses')");
  std::vector<std::string> columns;
  while (s.step()) columns.push_back(s.text(0));
  EXPECT_EQ(columns, (std::vector<std::string>{"id", "campaign_id", "submission_id", "submitted_on",
                                               "mode", "language", "answers"}));
}

TEST(Writer, concurrent_writes_are_committed_together_and_all_acknowledged) {
  Fixture f;
  Campaign c = f.campaign();
  auto writer = Writer::start(f.path);
  ASSERT_TRUE(writer);
  constexpr int count = 400;
  std::vector<std::promise<bool>> done(count);
  for (int i = 0; i < count; ++i) {
    (*writer)->post([c, i](Store& s) { s.insert_response(response(c, "s" + std::to_string(i))); },
                    [&done, i](bool ok) { done[i].set_value(ok); });
  }
  for (auto& d : done) EXPECT_TRUE(d.get_future().get());
  auto stats = (*writer)->stats();
  EXPECT_EQ(stats.jobs, static_cast<std::uint64_t>(count));
  EXPECT_LT(stats.batches, stats.jobs) << "posting faster than fsync must group commits";
  EXPECT_EQ(f.store->count_responses(c.id), count);
}

TEST(Writer, a_failing_write_is_undone_without_harming_its_batch) {
  Fixture f;
  Campaign c = f.campaign();
  auto writer = Writer::start(f.path);
  ASSERT_TRUE(writer);
  std::promise<bool> good, bad;
  (*writer)->post([c](Store& s) { s.insert_response(response(c, "good")); },
                  [&](bool ok) { good.set_value(ok); });
  (*writer)->post(
      [c](Store& s) {
        s.insert_response(response(c, "half"));
        throw std::runtime_error("simulated failure after a partial write");
      },
      [&](bool ok) { bad.set_value(ok); });
  EXPECT_TRUE(good.get_future().get());
  EXPECT_FALSE(bad.get_future().get());
  EXPECT_EQ(f.store->count_responses(c.id), 1);
}

TEST(Writer, refuses_new_writes_at_once_when_too_many_are_waiting) {
  Fixture f;
  Campaign c = f.campaign();
  auto writer = Writer::start(f.path, 2);
  ASSERT_TRUE(writer);
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::promise<void> blocking_started;
  // The first job holds the writer busy, so the next ones wait in the queue.
  (*writer)->post(
      [&, released](Store&) {
        blocking_started.set_value();
        released.wait();
      },
      [](bool) {});
  blocking_started.get_future().wait();
  std::vector<std::promise<bool>> done(3);
  for (int i = 0; i < 3; ++i) {
    (*writer)->post([c, i](Store& s) { s.insert_response(response(c, "q" + std::to_string(i))); },
                    [&done, i](bool ok) { done[i].set_value(ok); });
  }
  EXPECT_FALSE(done[2].get_future().get()) << "the third waiting write is refused at once";
  release.set_value();
  EXPECT_TRUE(done[0].get_future().get());
  EXPECT_TRUE(done[1].get_future().get());
  EXPECT_EQ(f.store->count_responses(c.id), 2);
}
