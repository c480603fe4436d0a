#include "store/backup.hpp"

#include <gtest/gtest.h>

#include <sys/stat.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <future>
#include <iostream>
#include <map>
#include <set>
#include <thread>
#include <tuple>

#include "store/writer.hpp"
#include "test_database.hpp"

using namespace needsmap;
using namespace needsmap::store;

namespace {

namespace fs = std::filesystem;
using fixtures::Backend;

std::string name_of(Backend backend) {
  return backend == Backend::sqlite ? "sqlite" : "postgres";
}

Municipality municipality(const char* slug, const char* cyrillic) {
  Municipality m;
  m.slug = slug;
  m.name_cyrl = cyrillic;
  m.name_en = "Bač";
  m.statistical_code = "80012";
  return m;
}

Campaign campaign(Store& store, const std::string& slug) {
  Campaign c;
  c.municipality_id = store.upsert_municipality(municipality("bac", "Бач"));
  c.municipality_slug = "bac";
  c.slug = slug;
  c.questionnaire_version_id = store.store_questionnaire_version("q", "1", R"({"x":1})").value();
  c.status = CampaignStatus::open;
  c.contact = "Центар за социјални рад <csr@bac.rs>";
  c.id = store.create_campaign(c).value();
  return c;
}

ResponseRecord response(const Campaign& c, const std::string& submission,
                        const std::string& answers = R"({"a":1})") {
  ResponseRecord r;
  r.id = "id-" + submission;
  r.campaign_id = c.id;
  r.submission_id = submission;
  r.submitted_on = "2025-11-15";
  r.mode = "api";
  r.language = "sr-Cyrl";
  r.answers = answers;
  return r;
}

// Something in every kind of row the schema has so far, with text that is easy to mangle.
void fill(Store& store) {
  Campaign open = campaign(store, "citizens");
  Campaign closed = open;
  closed.slug = "closed";
  closed.status = CampaignStatus::closed;
  closed.opens_at = 1762732800;
  closed.closes_at = 1763337600;
  closed.contact = "";
  closed.id = store.create_campaign(closed).value();
  store.insert_response(response(open, "s1"));
  ResponseRecord odd = response(open, "s2");
  odd.answers = R"({"t":"<script>'; DROP TABLE responses; -- \u202e ћирилица \"q\"\nред 2"})";
  odd.mode = "paper";
  store.insert_response(odd);
  store.insert_response(response(closed, "s3"));
  store.save_draft("h1", {open.id, R"({"age_band":"45_64"})", 3, "en"}, 4102444800);
}

std::unique_ptr<Store> open_backup(const std::string& path) {
  auto store = Store::open(path, Connection::Mode::read_only);
  if (!store) {
    ADD_FAILURE() << store.error().message;
    std::abort();
  }
  return std::move(*store);
}

std::uint64_t rows_in(const std::vector<CopiedTable>& tables, std::string_view name) {
  for (const CopiedTable& t : tables) {
    if (t.name == name) return t.rows;
  }
  ADD_FAILURE() << "no table " << name << " in the report";
  return 0;
}

std::set<std::string> files_in(const fs::path& dir) {
  std::set<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir)) names.insert(entry.path().filename());
  return names;
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string integrity_of(Store& store) {
  Statement& s = store.connection().prepare("PRAGMA integrity_check");
  std::string out;
  while (s.step()) out += s.text(0);
  return out;
}

class BackupRoundTrip : public testing::TestWithParam<std::tuple<Backend, Backend>> {};

std::string round_trip_name(const testing::TestParamInfo<std::tuple<Backend, Backend>>& info) {
  return name_of(std::get<0>(info.param)) + "_to_" + name_of(std::get<1>(info.param));
}

INSTANTIATE_TEST_SUITE_P(Backends, BackupRoundTrip,
                         testing::Combine(testing::Values(Backend::sqlite, Backend::postgres),
                                          testing::Values(Backend::sqlite, Backend::postgres)),
                         round_trip_name);

class BackupRestore : public testing::TestWithParam<Backend> {};
class BackupWhileWriting : public testing::TestWithParam<Backend> {};

INSTANTIATE_TEST_SUITE_P(Backends, BackupRestore,
                         testing::Values(Backend::sqlite, Backend::postgres),
                         fixtures::backend_name);
INSTANTIATE_TEST_SUITE_P(Backends, BackupWhileWriting,
                         testing::Values(Backend::sqlite, Backend::postgres),
                         fixtures::backend_name);

}  // namespace

TEST_P(BackupRoundTrip, a_restored_backup_holds_every_row_of_every_table_exactly_as_it_was) {
  auto [from, to] = GetParam();
  fixtures::TestDatabase source_database(from);
  auto source = source_database.open();
  fill(*source);
  fixtures::TemporaryDirectory dir;
  std::string file = (dir.path() / "needsmap-backup.db").string();

  auto backed_up = backup_database(source_database.location(), file);
  ASSERT_TRUE(backed_up) << backed_up.error().message;
  EXPECT_EQ(backed_up->schema_version, Store::known_schema_version());
  EXPECT_EQ(backed_up->tables.size(), Store::tables().size());
  EXPECT_EQ(rows_in(backed_up->tables, "responses"), 3u);
  EXPECT_EQ(fixtures::contents(*open_backup(file)), fixtures::contents(*source))
      << "the backup holds it all";

  fixtures::TestDatabase target_database(to);  // empty: not even a schema
  auto restored = restore_database(file, target_database.location());
  ASSERT_TRUE(restored) << restored.error().message;
  EXPECT_EQ(restored->schema.from, Store::known_schema_version());
  EXPECT_EQ(restored->schema.to, Store::known_schema_version());
  EXPECT_EQ(rows_in(restored->tables, "responses"), 3u);
  EXPECT_EQ(rows_in(restored->tables, "drafts"), 1u);
  auto target = target_database.open();
  EXPECT_EQ(target->schema_version(), Store::known_schema_version());
  EXPECT_EQ(fixtures::contents(*target), fixtures::contents(*source));

  // The restored database goes on: new rows are numbered after the restored ones.
  auto campaigns = target->list_campaigns();
  ASSERT_EQ(campaigns.size(), 2u);
  Campaign next = campaigns.front();
  next.slug = "after-restore";
  auto id = target->create_campaign(next);
  ASSERT_TRUE(id) << id.error().message;
  EXPECT_GT(*id, std::max(campaigns[0].id, campaigns[1].id));
  EXPECT_TRUE(target->insert_response(response(next, "s4")).created);
  EXPECT_FALSE(target->insert_response(response(campaigns.front(), "s1")).created)
      << "a submission stored before the backup is still recognised";
}

TEST(Backup, is_one_file_that_only_its_owner_can_read_and_leaves_nothing_else_behind) {
  fixtures::TestDatabase database(Backend::sqlite);
  auto store = database.open();  // a server's database: in WAL mode
  fill(*store);
  fixtures::TemporaryDirectory dir;
  fs::path file = dir.path() / "backup.db";
  auto backed_up = backup_database(database.location(), file.string());
  ASSERT_TRUE(backed_up) << backed_up.error().message;
  EXPECT_EQ(files_in(dir.path()), std::set<std::string>{"backup.db"});
  EXPECT_EQ(fs::status(file).permissions(), fs::perms::owner_read | fs::perms::owner_write);
  // Bytes 18 and 19 of the header: 1 for a rollback journal, 2 for WAL, which would need a -wal
  // file beside it.
  std::string header = read_file(file).substr(0, 20);
  EXPECT_EQ(header[18], 1);
  EXPECT_EQ(header[19], 1);
  EXPECT_EQ(integrity_of(*open_backup(file.string())), "ok");
}

TEST(Backup, refuses_to_replace_an_existing_file_unless_told_to) {
  fixtures::TestDatabase database(Backend::sqlite);
  auto store = database.open();
  fill(*store);
  fixtures::TemporaryDirectory dir;
  fs::path file = dir.path() / "backup.db";
  std::ofstream(file) << "yesterday's backup";

  auto refused = backup_database(database.location(), file.string());
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().kind, Error::Kind::conflict);
  EXPECT_NE(refused.error().message.find("already exists"), std::string::npos);
  EXPECT_NE(refused.error().message.find("--force"), std::string::npos);
  EXPECT_EQ(read_file(file), "yesterday's backup");
  EXPECT_EQ(files_in(dir.path()), std::set<std::string>{"backup.db"});

  auto replaced = backup_database(database.location(), file.string(), {.overwrite = true});
  ASSERT_TRUE(replaced) << replaced.error().message;
  EXPECT_EQ(fixtures::contents(*open_backup(file.string())), fixtures::contents(*store));
  EXPECT_EQ(files_in(dir.path()), std::set<std::string>{"backup.db"});

  auto itself = backup_database(database.location(), database.location(), {.overwrite = true});
  ASSERT_FALSE(itself) << "a backup never replaces the database it is made of";
  EXPECT_EQ(fixtures::contents(*store).size(),
            fixtures::contents(*open_backup(file.string())).size());
}

TEST(Backup, a_failed_backup_leaves_no_file_behind) {
  fixtures::TemporaryDirectory dir;
  fs::path not_needsmap = dir.path() / "other.db";
  {
    auto other = Store::open(not_needsmap.string());
    ASSERT_TRUE(other);
    (*other)->connection().exec("CREATE TABLE t (x INTEGER)");
  }
  fs::path file = dir.path() / "backup.db";
  auto refused = backup_database(not_needsmap.string(), file.string());
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("not a needsmap database"), std::string::npos);
  auto missing = backup_database((dir.path() / "missing.db").string(), file.string());
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().kind, Error::Kind::not_found);
  EXPECT_FALSE(fs::exists(dir.path() / "missing.db")) << "a backup creates no database";
  for (const std::string& name : files_in(dir.path())) {
    EXPECT_EQ(name.find("backup.db"), std::string::npos) << name << " was left behind";
  }
}

TEST_P(BackupRestore, refuses_a_database_that_holds_data_and_changes_nothing) {
  fixtures::TestDatabase source_database(Backend::sqlite);
  auto source = source_database.open();
  fill(*source);
  fixtures::TemporaryDirectory dir;
  std::string file = (dir.path() / "backup.db").string();
  ASSERT_TRUE(backup_database(source_database.location(), file));

  fixtures::TestDatabase target_database(GetParam());
  auto target = target_database.open();
  Campaign c = campaign(*target, "other");
  target->insert_response(response(c, "mine"));
  std::vector<std::string> before = fixtures::contents(*target);
  auto refused = restore_database(file, target_database.location());
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().kind, Error::Kind::conflict);
  EXPECT_NE(refused.error().message.find("already holds data"), std::string::npos)
      << refused.error().message;
  EXPECT_NE(refused.error().message.find("empty database"), std::string::npos);
  EXPECT_EQ(fixtures::contents(*target), before);
}

TEST_P(BackupRestore, goes_into_an_empty_database_whose_schema_is_already_in_place) {
  fixtures::TestDatabase source_database(Backend::sqlite);
  auto source = source_database.open();
  fill(*source);
  fixtures::TemporaryDirectory dir;
  std::string file = (dir.path() / "backup.db").string();
  ASSERT_TRUE(backup_database(source_database.location(), file));

  fixtures::TestDatabase target_database(GetParam());
  auto target = target_database.open();  // `needsmap migrate` was run on it
  auto restored = restore_database(file, target_database.location());
  ASSERT_TRUE(restored) << restored.error().message;
  EXPECT_EQ(fixtures::contents(*target), fixtures::contents(*source));
}

TEST_P(BackupRestore, refuses_a_backup_made_by_a_newer_needsmap) {
  fixtures::TestDatabase source_database(Backend::sqlite);
  fill(*source_database.open());
  fixtures::TemporaryDirectory dir;
  std::string file = (dir.path() / "backup.db").string();
  ASSERT_TRUE(backup_database(source_database.location(), file));
  {
    auto newer = Store::open(file);
    ASSERT_TRUE(newer);
    (*newer)->connection().exec("PRAGMA user_version = " +
                                std::to_string(Store::known_schema_version() + 1));
  }
  fixtures::TestDatabase target_database(GetParam());
  auto refused = restore_database(file, target_database.location());
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().kind, Error::Kind::conflict);
  EXPECT_NE(refused.error().message.find("newer needsmap"), std::string::npos)
      << refused.error().message;
  if (GetParam() == Backend::sqlite) {
    EXPECT_FALSE(fs::exists(target_database.location())) << "no file is created";
  } else {
    auto target = target_database.open();
    EXPECT_TRUE(target->list_campaigns().empty());
  }
}

TEST(BackupRestoreFile, refuses_a_file_that_is_not_a_backup) {
  fixtures::TemporaryDirectory dir;
  fs::path text = dir.path() / "notes.txt";
  std::ofstream(text) << std::string(8192, 'x');
  fs::path target = dir.path() / "restored.db";
  auto refused = restore_database(text.string(), target.string());
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().kind, Error::Kind::invalid_input);
  EXPECT_NE(refused.error().message.find("not a needsmap backup"), std::string::npos)
      << refused.error().message;
  auto missing = restore_database((dir.path() / "missing.db").string(), target.string());
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().kind, Error::Kind::not_found);
  EXPECT_FALSE(fs::exists(target));
  EXPECT_EQ(files_in(dir.path()), std::set<std::string>{"notes.txt"});
}

TEST(BackupRestoreFile, refuses_a_new_file_where_an_old_write_ahead_log_is_left) {
  fixtures::TestDatabase source_database(Backend::sqlite);
  fill(*source_database.open());
  fixtures::TemporaryDirectory dir;
  std::string file = (dir.path() / "backup.db").string();
  ASSERT_TRUE(backup_database(source_database.location(), file));
  fs::path target = dir.path() / "restored.db";
  std::ofstream(target.string() + "-wal") << "an old log";
  auto refused = restore_database(file, target.string());
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("restored.db-wal"), std::string::npos);
  EXPECT_FALSE(fs::exists(target));
}

namespace {

// Rows numbered so that a snapshot can be recognised: the rows 0 … n-1, each complete.
ResponseRecord numbered(const Campaign& c, int n) {
  return response(c, "s" + std::to_string(n),
                  R"({"n":)" + std::to_string(n) + R"(,"text":")" + std::string(3000, 'x') + "\"}");
}

}  // namespace

TEST_P(BackupWhileWriting, the_backup_is_one_consistent_moment_while_a_writer_keeps_inserting) {
  fixtures::TestDatabase database(GetParam());
  auto store = database.open();
  Campaign c = campaign(*store, "busy");
  constexpr int prefilled = 1500;  // about 6 MB: many steps of the online backup
  {
    Transaction t(store->connection());
    for (int i = 0; i < prefilled; ++i) store->insert_response(numbered(c, i));
    t.commit();
  }
  auto writer = Writer::start(database.location());
  ASSERT_TRUE(writer) << writer.error().message;
  std::atomic<int> acknowledged{prefilled};
  std::atomic<bool> stop{false};
  std::thread producer([&] {
    for (int i = prefilled; !stop; ++i) {
      std::promise<bool> done;
      (*writer)->post([c, i](Store& s) { s.insert_response(numbered(c, i)); },
                      [&done](bool ok) { done.set_value(ok); });
      if (!done.get_future().get()) return;
      acknowledged = i + 1;
    }
  });
  while (acknowledged < prefilled + 20) std::this_thread::yield();

  fixtures::TemporaryDirectory dir;
  std::string file = (dir.path() / "backup.db").string();
  int before = acknowledged;
  auto backed_up = backup_database(database.location(), file, {.pages_per_step = 8});
  int after = acknowledged;
  while (acknowledged < after + 20) std::this_thread::yield();  // and writes go on after it
  stop = true;
  producer.join();
  writer->reset();
  ASSERT_TRUE(backed_up) << backed_up.error().message;

  auto copy = open_backup(file);
  EXPECT_EQ(integrity_of(*copy), "ok");
  // Exactly the rows 0 … n-1 for one n: every write committed before the snapshot, none after.
  std::set<int> numbers;
  std::map<std::string, std::string> rows;
  Statement& s = copy->connection().prepare("SELECT * FROM responses");
  while (s.step()) {
    std::string row;
    for (int i = 0; i < s.column_count(); ++i) {
      ASSERT_FALSE(s.is_null(i));
      row += s.column_name(i) + "=" + s.text(i) + "|";
    }
    std::string submission = s.text(2);
    numbers.insert(std::stoi(submission.substr(1)));
    rows[submission] = row;
  }
  int n = static_cast<int>(numbers.size());
  EXPECT_GE(n, before) << "everything acknowledged before the backup started is in it";
  EXPECT_LE(n, after + 1) << "nothing committed after the backup ended is in it";
  ASSERT_FALSE(numbers.empty());
  EXPECT_EQ(*numbers.begin(), 0);
  EXPECT_EQ(*numbers.rbegin(), n - 1) << "no gaps: one moment of the database";
  EXPECT_EQ(rows_in(backed_up->tables, "responses"), static_cast<std::uint64_t>(n));

  // Every row is complete and as it was written.
  Statement& original = store->connection().prepare("SELECT * FROM responses");
  int compared = 0;
  while (original.step()) {
    std::string row;
    for (int i = 0; i < original.column_count(); ++i) {
      row += original.column_name(i) + "=" + original.text(i) + "|";
    }
    auto it = rows.find(original.text(2));
    if (it == rows.end()) continue;
    EXPECT_EQ(it->second, row);
    ++compared;
  }
  EXPECT_EQ(compared, n);
  EXPECT_GT(after, before) << "the writer went on while the backup ran";
  std::cout << "[          ] " << after - before << " writes were acknowledged during the backup; "
            << n << " rows in it\n";
}
