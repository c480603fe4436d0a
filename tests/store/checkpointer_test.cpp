#include "store/checkpointer.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include "test_support.hpp"

using needsmap::store::WalCheckpointer;
namespace fs = std::filesystem;

namespace {

void exec(sqlite3* db, const std::string& sql) {
  char* message = nullptr;
  ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message), SQLITE_OK)
      << (message ? message : "") << " in " << sql;
}

// Commits `transactions` transactions of ten 4 KB rows each: about ten log pages each.
void write(sqlite3* db, int transactions) {
  for (int t = 0; t < transactions; ++t) {
    exec(db,
         "BEGIN; INSERT INTO pages (body) SELECT randomblob(4000) FROM "
         "(WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10) "
         "SELECT i FROM n); COMMIT");
  }
}

std::int64_t count_rows(sqlite3* db) {
  sqlite3_stmt* stmt = nullptr;
  sqlite3_prepare_v2(db, "SELECT count(*) FROM pages", -1, &stmt, nullptr);
  sqlite3_step(stmt);
  std::int64_t n = sqlite3_column_int64(stmt, 0);
  sqlite3_finalize(stmt);
  return n;
}

class Checkpointer : public testing::Test {
 protected:
  void SetUp() override {
    path = (directory.path() / "wal.db").string();
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    exec(db,
         "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
         "CREATE TABLE pages (id INTEGER PRIMARY KEY, body BLOB NOT NULL)");
  }
  void TearDown() override { sqlite3_close_v2(db); }
  std::uintmax_t log_bytes() const { return fs::file_size(path + "-wal"); }

  needsmap::fixtures::TemporaryDirectory directory;
  std::string path;
  sqlite3* db{nullptr};
};

}  // namespace

TEST_F(Checkpointer, checkpoints_on_its_own_thread_and_loses_nothing) {
  {
    auto checkpointer = WalCheckpointer::start(db);
    ASSERT_NE(checkpointer, nullptr);
    write(db, 150);  // about 1,500 log pages: past the threshold, short of the backstop
    for (int i = 0; i < 200 && checkpointer->checkpoints() == 0; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    EXPECT_GE(checkpointer->checkpoints(), 1);
  }
  EXPECT_EQ(count_rows(db), 1500);
  sqlite3_close_v2(db);
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  EXPECT_EQ(count_rows(db), 1500);
  sqlite3_stmt* stmt = nullptr;
  sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &stmt, nullptr);
  ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)), "ok");
  sqlite3_finalize(stmt);
}

TEST_F(Checkpointer, once_stopped_the_writer_checkpoints_itself_again) {
  WalCheckpointer::start(db).reset();
  // SQLite's own checkpoint after each commit past 1,000 pages keeps reusing the log from its
  // start: it never grows much past that, however much is written.
  write(db, 400);
  EXPECT_LT(log_bytes(), 1300u * 4096u);
}

TEST_F(Checkpointer, a_database_without_a_file_keeps_sqlites_own_checkpoints) {
  sqlite3* memory = nullptr;
  ASSERT_EQ(sqlite3_open(":memory:", &memory), SQLITE_OK);
  EXPECT_EQ(WalCheckpointer::start(memory), nullptr);
  sqlite3_close_v2(memory);
}
