// Checkpoints of an SQLite write-ahead log on a thread of their own.
//
// A commit that takes the log past SQLite's threshold (1,000 pages) would copy the log back
// into the database file before it returns, and every submission in that group commit would
// wait for it. Here the writer's commit only wakes this thread, which checkpoints through a
// connection of its own while the writer goes on (SQLite lets one checkpoint run beside one
// writer). The log can only start over when a checkpoint has caught up with it, which a busy
// writer rarely lets happen, so at `backstop_pages` the writer checkpoints the little that is
// left itself, as SQLite does by default: the log stays under about 16 MB (decision 0023).
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

struct sqlite3;

namespace needsmap::store {

class WalCheckpointer {
 public:
  static constexpr int start_pages = 1000;
  static constexpr int backstop_pages = 4000;

  // Takes over the WAL hook of `writer`, a read-write connection. Null when the checkpointer's
  // own connection cannot be opened: `writer` then keeps SQLite's own checkpoints.
  static std::unique_ptr<WalCheckpointer> start(sqlite3* writer);
  // Finishes a checkpoint under way and gives `writer` back SQLite's own checkpoints.
  ~WalCheckpointer();
  WalCheckpointer(const WalCheckpointer&) = delete;
  WalCheckpointer& operator=(const WalCheckpointer&) = delete;

  // Checkpoints run so far on this thread (for tests).
  int checkpoints() const;

 private:
  WalCheckpointer(sqlite3* writer, sqlite3* own);
  static int after_commit(void* self, sqlite3* db, const char* schema, int pages);
  void run();

  sqlite3* m_writer;
  sqlite3* m_own;
  mutable std::mutex m_mutex;
  std::condition_variable m_wake;
  bool m_pending{false};
  bool m_stopping{false};
  int m_checkpoints{0};
  std::thread m_thread;
};

}  // namespace needsmap::store
