#include "store/checkpointer.hpp"

#include <spdlog/spdlog.h>
#include <sqlite3.h>

namespace needsmap::store {

std::unique_ptr<WalCheckpointer> WalCheckpointer::start(sqlite3* writer) {
  const char* file = sqlite3_db_filename(writer, "main");
  if (!file || !*file) return nullptr;  // an in-memory or temporary database has no log
  sqlite3* own = nullptr;
  if (sqlite3_open_v2(file, &own, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr) !=
          SQLITE_OK ||
      // FULL: the database file is synced before the log may be reused.
      sqlite3_exec(own, "PRAGMA synchronous = FULL", nullptr, nullptr, nullptr) != SQLITE_OK) {
    spdlog::warn("checkpoints stay on the writer: {}", own ? sqlite3_errmsg(own) : file);
    sqlite3_close_v2(own);
    return nullptr;
  }
  sqlite3_busy_timeout(own, 10000);
  return std::unique_ptr<WalCheckpointer>(new WalCheckpointer(writer, own));
}

WalCheckpointer::WalCheckpointer(sqlite3* writer, sqlite3* own) : m_writer(writer), m_own(own) {
  m_thread = std::thread([this] { run(); });
  sqlite3_wal_hook(m_writer, &WalCheckpointer::after_commit, this);
}

WalCheckpointer::~WalCheckpointer() {
  sqlite3_wal_autocheckpoint(m_writer, start_pages);  // replaces the hook
  {
    std::lock_guard lock(m_mutex);
    m_stopping = true;
  }
  m_wake.notify_one();
  m_thread.join();
  sqlite3_close_v2(m_own);
}

int WalCheckpointer::checkpoints() const {
  std::lock_guard lock(m_mutex);
  return m_checkpoints;
}

// Runs on the writer's thread after each commit, with the pages now in the log.
int WalCheckpointer::after_commit(void* self, sqlite3* db, const char* schema, int pages) {
  auto* checkpointer = static_cast<WalCheckpointer*>(self);
  if (pages >= backstop_pages) {
    sqlite3_wal_checkpoint_v2(db, schema, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
  } else if (pages >= start_pages) {
    {
      std::lock_guard lock(checkpointer->m_mutex);
      if (checkpointer->m_pending) return SQLITE_OK;
      checkpointer->m_pending = true;
    }
    checkpointer->m_wake.notify_one();
  }
  return SQLITE_OK;
}

void WalCheckpointer::run() {
  for (;;) {
    {
      std::unique_lock lock(m_mutex);
      m_wake.wait(lock, [this] { return m_pending || m_stopping; });
      if (m_stopping) return;
      m_pending = false;
    }
    int rc = sqlite3_wal_checkpoint_v2(m_own, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    if (rc != SQLITE_OK && rc != SQLITE_BUSY) {
      spdlog::warn("checkpoint failed (the writer will checkpoint later): {}",
                   sqlite3_errmsg(m_own));
    }
    std::lock_guard lock(m_mutex);
    ++m_checkpoints;
  }
}

}  // namespace needsmap::store
