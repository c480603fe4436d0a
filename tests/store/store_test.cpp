#include "store/store.hpp"
#include "store/population.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <future>
#include <map>

#include "store/copy.hpp"
#include "store/population.hpp"
#include "store/progress.hpp"
#include "store/published.hpp"
#include "store/writer.hpp"
#include "test_database.hpp"

using namespace needsmap;
using namespace needsmap::store;

namespace {

using fixtures::Backend;

// Every test runs once on SQLite and once on PostgreSQL.
class StoreTest : public testing::TestWithParam<Backend> {};
class WriterTest : public testing::TestWithParam<Backend> {};

Municipality municipality(const char* slug, const char* cyrillic, const char* english,
                          const char* code) {
  Municipality m;
  m.slug = slug;
  m.name_cyrl = cyrillic;
  m.name_en = english;
  m.statistical_code = code;
  return m;
}

struct Fixture {
  explicit Fixture(Backend backend) : database(backend) {}
  fixtures::TestDatabase database;
  std::string path = database.location();
  std::unique_ptr<Store> store = database.open();

  Campaign campaign(const std::string& slug = "c") {
    std::int64_t m = store->upsert_municipality(municipality("bac", "Бач", "Bač", "80012"));
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

std::vector<std::string> strings(Statement& s) {
  std::vector<std::string> out;
  while (s.step()) out.push_back(s.text(0));
  return out;
}

std::vector<std::string> columns_of(Store& store, const std::string& table) {
  Connection& c = store.connection();
  if (c.dialect() == Dialect::sqlite) {
    return strings(c.prepare("SELECT name FROM pragma_table_info('" + table + "') ORDER BY cid"));
  }
  Statement& s = c.prepare(
      "SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND "
      "table_name = $1 ORDER BY ordinal_position");
  s.bind(1, table);
  return strings(s);
}

// The schema's own tables, sorted (the bookkeeping of schema versions left out).
std::vector<std::string> tables_of(Store& store) {
  Connection& c = store.connection();
  return strings(c.prepare(
      c.dialect() == Dialect::sqlite
          ? "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
          : "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND "
            "table_name <> 'needsmap_schema' ORDER BY table_name COLLATE \"C\""));
}

}  // namespace

TEST_P(StoreTest, migrating_twice_is_harmless) {
  Fixture f(GetParam());
  int version = f.store->schema_version();
  EXPECT_EQ(version, Store::known_schema_version());
  auto again = f.store->migrate();
  ASSERT_TRUE(again);
  EXPECT_EQ(again->from, version);
  EXPECT_EQ(again->to, version);
  EXPECT_EQ(f.store->schema_version(), version);
}

TEST_P(StoreTest, a_schema_newer_than_this_build_is_refused) {
  Fixture f(GetParam());
  std::string newer = std::to_string(Store::known_schema_version() + 1);
  f.store->connection().exec(GetParam() == Backend::sqlite
                                 ? "PRAGMA user_version = " + newer
                                 : "UPDATE needsmap_schema SET version = " + newer);
  auto refused = f.store->migrate();
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().kind, Error::Kind::conflict);
  EXPECT_NE(refused.error().message.find("newer"), std::string::npos);
}

TEST_P(StoreTest, municipality_names_get_a_derived_latin_form) {
  Fixture f(GetParam());
  f.store->upsert_municipality(municipality("zagubica", "Жагубица", "Žagubica", "13056"));
  auto m = f.store->find_municipality("zagubica");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->name_latn, "Žagubica");
  EXPECT_FALSE(f.store->find_municipality("nowhere"));
}

TEST_P(StoreTest, a_population_table_is_replaced_whole_and_read_back_in_order) {
  Fixture f(GetParam());
  std::int64_t m = f.store->upsert_municipality(municipality("zagubica", "Жагубица", "", "13056"));
  EXPECT_FALSE(load_population(*f.store, m));
  PopulationTable table{.source = "РЗС, Попис 2022",
                        .reference_year = 2022,
                        .demo = false,
                        .updated_at = 1764000000,
                        .updated_by = "koordinator@zagubica.rs",
                        .margins = {{"sex", "male", 4800.5}, {"age_band", "65_79", 2100}}};
  {
    Transaction t(f.store->connection());
    save_population(*f.store, m, table);
    t.commit();
  }
  auto read = load_population(*f.store, m);
  ASSERT_TRUE(read);
  EXPECT_EQ(read->source, "РЗС, Попис 2022");
  EXPECT_EQ(read->reference_year, 2022);
  EXPECT_FALSE(read->demo);
  EXPECT_EQ(read->updated_by, "koordinator@zagubica.rs");
  ASSERT_EQ(read->margins.size(), 2u);
  EXPECT_EQ(read->margins[0].variable, "age_band");  // by variable, then category
  EXPECT_EQ(read->margins[1].population, 4800.5);

  table.margins = {{"settlement", "rural", 9712}};
  table.demo = true;
  table.reference_year = std::nullopt;
  {
    Transaction t(f.store->connection());
    save_population(*f.store, m, table);
    t.commit();
  }
  read = load_population(*f.store, m);
  ASSERT_EQ(read->margins.size(), 1u);
  EXPECT_EQ(read->margins[0].category, "rural");
  EXPECT_TRUE(read->demo);
  EXPECT_FALSE(read->reference_year);
}

TEST_P(StoreTest, vulnerable_groups_keep_their_order_and_an_empty_list_means_the_defaults) {
  Fixture f(GetParam());
  std::int64_t m = f.store->upsert_municipality(municipality("zagubica", "Жагубица", "", "13056"));
  EXPECT_TRUE(load_vulnerable_groups(*f.store, m).empty());
  std::vector<VulnerableGroup> groups = {
      {"rural", "Село", "Rural", "Село", "selected(${settlement}, 'rural')"},
      {"alone", "Сами", "Alone", "Сами", "selected(${household}, 'alone')"}};
  {
    Transaction t(f.store->connection());
    save_vulnerable_groups(*f.store, m, groups);
    t.commit();
  }
  auto read = load_vulnerable_groups(*f.store, m);
  ASSERT_EQ(read.size(), 2u);
  EXPECT_EQ(read[0].name, "rural");  // the order given, not the names'
  EXPECT_EQ(read[1].expression, "selected(${household}, 'alone')");
  {
    Transaction t(f.store->connection());
    save_vulnerable_groups(*f.store, m, {});
    t.commit();
  }
  EXPECT_TRUE(load_vulnerable_groups(*f.store, m).empty());
}

TEST_P(StoreTest, a_questionnaire_version_is_stored_once_and_never_changed) {
  Fixture f(GetParam());
  auto first = f.store->store_questionnaire_version("q", "1", "{\"a\":1}");
  auto same = f.store->store_questionnaire_version("q", "1", "{\"a\":1}");
  ASSERT_TRUE(first && same);
  EXPECT_EQ(*first, *same);
  auto changed = f.store->store_questionnaire_version("q", "1", "{\"a\":2}");
  ASSERT_FALSE(changed);
  EXPECT_EQ(changed.error().kind, Error::Kind::conflict);
}

TEST_P(StoreTest, the_database_refuses_to_change_a_version_that_a_campaign_uses) {
  Fixture f(GetParam());
  Campaign c = f.campaign();
  EXPECT_THROW(f.store->connection().exec("UPDATE questionnaire_versions SET content = '{}'"),
               DatabaseError);
  EXPECT_THROW(f.store->connection().exec("DELETE FROM questionnaire_versions"), DatabaseError);
  EXPECT_EQ(f.store->find_questionnaire_version(c.questionnaire_version_id)->content, R"({"x":1})");
}

TEST(Availability, follows_status_and_window) {
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

TEST_P(StoreTest, the_anonymity_settings_are_fixed_once_a_campaign_has_answers) {
  Fixture f(GetParam());
  Campaign c = f.campaign();
  ASSERT_TRUE(f.store->update_anonymity(c.id, 10, "month"));
  auto changed = f.store->find_campaign("bac", "c");
  EXPECT_EQ(changed->min_cell_size, 10);
  EXPECT_EQ(changed->date_precision, "month");
  f.store->insert_response(response(c, "s1"));
  auto refused = f.store->update_anonymity(c.id, 3, "day");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().kind, Error::Kind::conflict);
  // The database itself refuses too, whoever asks.
  EXPECT_THROW(f.store->connection().exec("UPDATE campaigns SET min_cell_size = 2"), DatabaseError);
  EXPECT_EQ(f.store->find_campaign("bac", "c")->min_cell_size, 10);
}

TEST_P(StoreTest, a_campaign_must_close_after_it_opens_and_slugs_are_unique) {
  Fixture f(GetParam());
  Campaign c = f.campaign("one");
  Campaign again = c;
  EXPECT_EQ(f.store->create_campaign(again).error().kind, Error::Kind::conflict);
  again.slug = "two";
  again.opens_at = 100;
  again.closes_at = 50;
  EXPECT_EQ(f.store->create_campaign(again).error().kind, Error::Kind::invalid_input);
}

TEST_P(StoreTest, a_repeated_submission_id_returns_the_first_id_and_stores_nothing) {
  Fixture f(GetParam());
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

TEST_P(StoreTest, drafts_expire_and_can_be_deleted) {
  Fixture f(GetParam());
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

TEST_P(StoreTest, the_responses_table_has_no_column_that_could_identify_a_respondent) {
  Fixture f(GetParam());
  EXPECT_EQ(columns_of(*f.store, "responses"),
            (std::vector<std::string>{"id", "campaign_id", "submission_id", "submitted_on", "mode",
                                      "language", "answers"}));
}

TEST_P(StoreTest,
       both_databases_have_the_same_tables_and_columns_and_the_copy_list_names_them_all) {
  Fixture f(GetParam());
  std::vector<std::string> listed;
  for (const TableSpec& t : Store::tables()) listed.emplace_back(t.name);
  std::vector<std::string> found = tables_of(*f.store);
  std::sort(listed.begin(), listed.end());
  EXPECT_EQ(found, listed);
  // The column lists are spelled out so that a migration written for one database only fails.
  const std::map<std::string, std::vector<std::string>> expected = {
      {"areas", {"id", "parent_id", "level", "slug", "name_cyrl", "name_latn"}},
      {"municipalities",
       {"id", "slug", "name_cyrl", "name_latn", "name_en", "name_mk", "statistical_code", "area_id",
        "min_cell_size"}},
      {"questionnaire_versions", {"id", "name", "version", "content"}},
      {"campaigns",
       {"id", "municipality_id", "slug", "questionnaire_version_id", "opens_at", "closes_at",
        "status", "contact", "min_cell_size", "date_precision"}},
      {"responses",
       {"id", "campaign_id", "submission_id", "submitted_on", "mode", "language", "answers"}},
      {"drafts",
       {"token_hash", "campaign_id", "answers", "page", "language", "expires_at", "furthest_page"}},
      {"users",
       {"id", "email", "password_hash", "display_name", "disabled", "created_at",
        "password_changed_at"}},
      {"user_roles",
       {"id", "user_id", "role", "area_id", "municipality_id", "campaign_id", "organization_id"}},
      {"sessions", {"token_hash", "user_id", "csrf_token", "created_at", "expires_at"}},
      {"login_failures", {"key", "failures", "window_start"}},
      {"audit_log",
       {"id", "at", "user_id", "actor", "action", "municipality_id", "object", "details"}},
      {"settings", {"name", "value"}},
      {"page_reach", {"campaign_id", "page", "reached", "abandoned"}},
      {"completion_minutes", {"campaign_id", "minutes", "finished"}},
      {"population_tables",
       {"municipality_id", "source", "reference_year", "demo", "updated_at", "updated_by"}},
      {"population_margins", {"municipality_id", "variable", "category", "population"}},
      {"vulnerable_groups",
       {"municipality_id", "name", "position", "label_cyrl", "label_en", "label_mk", "expression"}},
      {"answer_themes", {"campaign_id", "name", "label"}},
      {"answer_tags", {"campaign_id", "response_id", "question", "theme"}},
      {"answer_reviews",
       {"campaign_id", "response_id", "question", "publishable", "reviewed_by", "reviewed_at"}},
      {"hsds_organization", {"municipality_id", "id", "name", "record"}},
      {"hsds_program", {"municipality_id", "id", "record"}},
      {"hsds_service", {"municipality_id", "id", "organization_id", "name", "status", "record"}},
      {"hsds_attribute",
       {"municipality_id", "id", "link_id", "link_entity", "link_type", "taxonomy_term_id",
        "record"}},
      {"hsds_service_at_location",
       {"municipality_id", "id", "service_id", "location_id", "record"}},
      {"hsds_location", {"municipality_id", "id", "organization_id", "name", "record"}},
      {"hsds_phone", {"municipality_id", "id", "record"}},
      {"hsds_contact", {"municipality_id", "id", "record"}},
      {"hsds_address", {"municipality_id", "id", "record"}},
      {"hsds_schedule", {"municipality_id", "id", "record"}},
      {"hsds_funding", {"municipality_id", "id", "record"}},
      {"hsds_service_area", {"municipality_id", "id", "record"}},
      {"hsds_required_document", {"municipality_id", "id", "record"}},
      {"hsds_language", {"municipality_id", "id", "record"}},
      {"hsds_accessibility", {"municipality_id", "id", "record"}},
      {"hsds_taxonomy_term",
       {"municipality_id", "id", "taxonomy_id", "parent_id", "code", "name", "record"}},
      {"hsds_metadata", {"municipality_id", "id", "record"}},
      {"hsds_meta_table_description", {"municipality_id", "id", "record"}},
      {"hsds_cost_option", {"municipality_id", "id", "record"}},
      {"hsds_organization_identifier", {"municipality_id", "id", "record"}},
      {"hsds_taxonomy", {"municipality_id", "id", "name", "record"}},
      {"hsds_unit", {"municipality_id", "id", "record"}},
      {"hsds_service_capacity", {"municipality_id", "id", "record"}},
      {"hsds_staff", {"municipality_id", "id", "record"}},
      {"registry_proposals",
       {"id", "municipality_id", "organization_id", "service_id", "proposed_by", "proposed_at",
        "fields", "status", "decided_by", "decided_at", "decisions", "response_id"}},
      {"published_results", {"campaign_id", "published_on", "published_by", "documents"}},
  };
  ASSERT_EQ(expected.size(), found.size());
  for (const auto& [table, columns] : expected) EXPECT_EQ(columns_of(*f.store, table), columns);
}

TEST_P(StoreTest, published_results_are_kept_replaced_and_withdrawn_on_both_databases) {
  Fixture f(GetParam());
  Campaign c = f.campaign();
  EXPECT_FALSE(find_published_results(*f.store, c.id));
  EXPECT_FALSE(withdraw_results(*f.store, c.id));
  publish_results(*f.store, {.campaign_id = c.id,
                             .published_on = "2026-12-01",
                             .published_by = "a@example.org",
                             .documents = R"({"en":{"title":"First"}})"});
  publish_results(*f.store, {.campaign_id = c.id,
                             .published_on = "2026-12-05",
                             .published_by = "b@example.org",
                             .documents = R"({"sr-Cyrl":{"title":"Друго"}})"});
  auto found = find_published_results(*f.store, c.id);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->published_on, "2026-12-05");
  EXPECT_EQ(found->published_by, "b@example.org");
  EXPECT_EQ(found->documents, R"({"sr-Cyrl":{"title":"Друго"}})");
  EXPECT_TRUE(withdraw_results(*f.store, c.id));
  EXPECT_FALSE(find_published_results(*f.store, c.id));
}

TEST_P(StoreTest, responses_are_read_back_in_byte_order_of_their_ids_on_both_databases) {
  Fixture f(GetParam());
  Campaign c = f.campaign();
  // Hyphens and case sort differently under natural-language collations: not here.
  for (const char* id : {"b-2", "B-1", "a-3", "a3", "-z"}) {
    ResponseRecord r = response(c, id);
    r.id = id;
    f.store->insert_response(r);
  }
  std::vector<std::string> order;
  f.store->for_each_response(c.id, [&](const ResponseRecord& r) { order.push_back(r.id); });
  EXPECT_EQ(order, (std::vector<std::string>{"-z", "B-1", "a-3", "a3", "b-2"}));
}

TEST_P(StoreTest, a_long_result_streams_while_another_statement_runs_first) {
  Fixture f(GetParam());
  Campaign c = f.campaign();
  for (int i = 0; i < 50; ++i) f.store->insert_response(response(c, "s" + std::to_string(i)));
  int seen = 0;
  f.store->for_each_response(c.id, [&](const ResponseRecord&) { ++seen; });
  EXPECT_EQ(seen, 50);
  // A statement abandoned half-way does not disturb the next one on the same connection.
  Statement& partial = f.store->connection().prepare("SELECT id FROM responses");
  ASSERT_TRUE(partial.step());
  EXPECT_EQ(f.store->count_responses(c.id), 50);
  EXPECT_TRUE(f.store->has_response(c.id, "s7"));
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreTest, testing::Values(Backend::sqlite, Backend::postgres),
                         fixtures::backend_name);
INSTANTIATE_TEST_SUITE_P(Backends, WriterTest, testing::Values(Backend::sqlite, Backend::postgres),
                         fixtures::backend_name);

TEST_P(WriterTest, concurrent_writes_are_committed_together_and_all_acknowledged) {
  Fixture f(GetParam());
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

TEST_P(WriterTest, a_failing_write_is_undone_without_harming_its_batch) {
  Fixture f(GetParam());
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

TEST_P(WriterTest, refuses_new_writes_at_once_when_too_many_are_waiting) {
  Fixture f(GetParam());
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

TEST(Copy, an_sqlite_database_moves_to_postgresql_with_everything_and_numbering_goes_on) {
  Fixture from(Backend::sqlite);
  Campaign c = from.campaign("first");
  from.campaign("second");
  from.store->insert_response(response(c, "s1"));
  ResponseRecord odd = response(c, "s2");
  odd.answers = R"({"t":"<script>'; DROP TABLE responses; -- \u202e ћирилица \"q\""})";
  from.store->insert_response(odd);
  from.store->save_draft("h1", {c.id, "{}", 3, "en"}, 99999);

  fixtures::TestDatabase target(Backend::postgres);
  auto to = target.open();
  auto copied = copy_database(*from.store, *to);
  ASSERT_TRUE(copied) << copied.error().message;
  ASSERT_EQ(copied->size(), Store::tables().size());
  auto responses = std::find_if(copied->begin(), copied->end(),
                                [](const CopiedTable& t) { return t.name == "responses"; });
  ASSERT_NE(responses, copied->end());
  EXPECT_EQ(responses->rows, 2u);
  EXPECT_EQ(fixtures::contents(*to), fixtures::contents(*from.store));

  // New rows on the target are numbered after the copied ones.
  Campaign third = c;
  third.slug = "third";
  auto id = to->create_campaign(third);
  ASSERT_TRUE(id) << id.error().message;
  EXPECT_GT(*id, c.id + 1);

  // A second copy into a database that holds data is refused, and changes nothing.
  auto again = copy_database(*from.store, *to);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().kind, Error::Kind::conflict);
  EXPECT_EQ(to->count_responses(c.id), 2);
}

TEST(Copy, a_failed_copy_leaves_the_target_empty) {
  Fixture from(Backend::sqlite);
  Campaign c = from.campaign();
  from.store->insert_response(response(c, "s1"));
  // A row the target's schema refuses (PostgreSQL checks the JSON; SQLite was bypassed here).
  from.store->connection().exec("PRAGMA ignore_check_constraints = ON");
  from.store->connection().exec("INSERT INTO responses VALUES ('bad', " + std::to_string(c.id) +
                                ", 'zz', '2025-11-15', 'api', 'en', 'not json')");
  fixtures::TestDatabase target(Backend::postgres);
  auto to = target.open();
  EXPECT_THROW(copy_database(*from.store, *to), DatabaseError);
  EXPECT_FALSE(to->find_municipality("bac")) << "nothing of a failed copy is left behind";
}

TEST_P(StoreTest, migration_3_keeps_every_response_in_order_and_takes_imported_ones) {
  fixtures::TestDatabase database(GetParam());
  auto store = Store::open(database.location()).value();
  ASSERT_TRUE(store->migrate(2));
  ASSERT_EQ(store->schema_version(), 2);
  std::int64_t m = store->upsert_municipality(municipality("bac", "Бач", "Bač", "80012"));
  auto v = store->store_questionnaire_version("q", "1", R"({"x":1})");
  Campaign c;
  c.municipality_id = m;
  c.slug = "c";
  c.questionnaire_version_id = *v;
  c.id = store->create_campaign(c).value();
  for (const char* s : {"z", "a", "m"}) store->insert_response(response(c, s));
  ResponseRecord imported = response(c, "typed-in");
  imported.mode = "import";
  EXPECT_THROW(store->insert_response(imported), DatabaseError) << "version 2 knows no import";

  auto change = store->migrate();
  ASSERT_TRUE(change);
  EXPECT_EQ(change->from, 2);
  EXPECT_EQ(change->to, Store::known_schema_version());
  Statement& order =
      store->connection().prepare(store->connection().dialect() == Dialect::sqlite
                                      ? "SELECT submission_id FROM responses ORDER BY rowid"
                                      : "SELECT submission_id FROM responses ORDER BY ctid");
  EXPECT_EQ(strings(order), (std::vector<std::string>{"z", "a", "m"}));
  EXPECT_TRUE(store->insert_response(imported).created);
  // The anonymity settings stay fixed once there are answers (the trigger was made again).
  EXPECT_FALSE(store->update_anonymity(c.id, 10, "month"));
  EXPECT_THROW(store->connection().exec("UPDATE campaigns SET min_cell_size = 10"), DatabaseError);
}

TEST_P(StoreTest, progress_is_kept_as_counts_and_an_expired_draft_counts_as_left) {
  Fixture f(GetParam());
  Campaign c = f.campaign();
  store::count_page_reached(*f.store, c.id, 0);
  store::count_page_reached(*f.store, c.id, 0);
  store::count_page_reached(*f.store, c.id, 1);
  store::count_completion(*f.store, c.id, 7);
  store::count_completion(*f.store, c.id, 7);
  store::count_completion(*f.store, c.id, 12);
  Draft left{c.id, "{}", 1, "sr-Cyrl", 1};
  f.store->save_draft("gone", left, 1000);
  f.store->save_draft("still-here", {c.id, "{}", 0, "sr-Cyrl", 0}, 9000);
  {
    Transaction t(f.store->connection());
    EXPECT_EQ(f.store->purge_expired_drafts(1000), 1);
    t.commit();
  }
  auto reach = store::page_reach(*f.store, c.id);
  ASSERT_EQ(reach.size(), 2u);
  EXPECT_EQ(reach[0].page, 0);
  EXPECT_EQ(reach[0].reached, 2);
  EXPECT_EQ(reach[0].abandoned, 0);
  EXPECT_EQ(reach[1].page, 1);
  EXPECT_EQ(reach[1].reached, 1);
  EXPECT_EQ(reach[1].abandoned, 1);
  auto minutes = store::completion_minutes(*f.store, c.id);
  ASSERT_EQ(minutes.size(), 2u);
  EXPECT_EQ(minutes[0].minutes, 7);
  EXPECT_EQ(minutes[0].finished, 2);
  EXPECT_EQ(minutes[1].finished, 1);
  f.store->insert_response(response(c, "one"));
  auto dates = store::responses_by_date(*f.store, c.id);
  ASSERT_EQ(dates.size(), 1u);
  EXPECT_EQ(dates[0].date, "2025-11-15");
  EXPECT_EQ(dates[0].mode, "api");
  EXPECT_EQ(dates[0].responses, 1);
}
