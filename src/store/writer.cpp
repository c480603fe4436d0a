#include "store/writer.hpp"

#include <spdlog/spdlog.h>

namespace needsmap::store {

namespace {
// Bounds one transaction so that a flood of submissions still commits in small steps.
constexpr std::size_t max_batch = 1024;
}  // namespace

Result<std::unique_ptr<Writer>> Writer::start(const std::string& location, std::size_t max_queue) {
  auto store = Store::open(location);
  if (!store) return std::unexpected(store.error());
  return std::unique_ptr<Writer>(new Writer(location, std::move(*store), max_queue));
}

Writer::Writer(std::string location, std::unique_ptr<Store> store, std::size_t max_queue)
    : m_location(std::move(location)), m_store(std::move(store)), m_max_queue(max_queue) {
  m_thread = std::thread([this] { run(); });
}

Writer::~Writer() {
  {
    std::lock_guard lock(m_mutex);
    m_stopping = true;
  }
  m_wake.notify_one();
  m_thread.join();
}

void Writer::post(Work work, Done done) {
  {
    std::lock_guard lock(m_mutex);
    if (m_queue.size() < m_max_queue) {
      m_queue.emplace_back(std::move(work), std::move(done));
      m_wake.notify_one();
      return;
    }
  }
  // The disk cannot keep up: refuse now (the client is told to retry) instead of queueing
  // without bound.
  done(false);
}

Writer::Stats Writer::stats() const {
  std::lock_guard lock(m_mutex);
  return m_stats;
}

void Writer::run() {
  std::deque<std::pair<Work, Done>> batch;
  for (;;) {
    {
      std::unique_lock lock(m_mutex);
      m_wake.wait(lock, [this] { return m_stopping || !m_queue.empty(); });
      if (m_queue.empty()) return;  // stopping and nothing left
      while (!m_queue.empty() && batch.size() < max_batch) {
        batch.push_back(std::move(m_queue.front()));
        m_queue.pop_front();
      }
    }
    run_batch(batch);
    batch.clear();
  }
}

namespace {
// Runs every job in one transaction. With `isolate`, each job gets a savepoint so a failing one
// is undone alone; without, the first failure throws and the caller retries with isolation.
bool run_in_transaction(Connection& c, Store& store,
                        std::deque<std::pair<Writer::Work, Writer::Done>>& batch,
                        std::vector<bool>& ok, bool isolate) {
  Transaction transaction(c);
  for (std::size_t i = 0; i < batch.size(); ++i) {
    if (!isolate) {
      batch[i].first(store);
      ok[i] = true;
      continue;
    }
    c.exec("SAVEPOINT job");
    try {
      batch[i].first(store);
      c.exec("RELEASE job");
      ok[i] = true;
    } catch (const std::exception& e) {
      spdlog::error("write failed and was undone: {}", e.what());
      c.exec("ROLLBACK TO job");
      c.exec("RELEASE job");
    }
  }
  transaction.commit();
  return true;
}
}  // namespace

bool Writer::reconnect_if_lost() {
  if (m_store->connection().usable()) return true;
  auto store = Store::open(m_location);
  if (!store) {
    spdlog::error("the database connection is lost and cannot be reopened: {}",
                  store.error().message);
    return false;
  }
  m_store = std::move(*store);
  spdlog::info("reconnected to the database");
  return true;
}

void Writer::run_batch(std::deque<std::pair<Work, Done>>& batch) {
  std::vector<bool> ok(batch.size(), false);
  bool committed = false;
  try {
    // A lost PostgreSQL connection fails this batch (its clients are told to retry) and is
    // reopened for the next one.
    if (!reconnect_if_lost()) throw DatabaseError("no database connection", "08006");
    Connection& c = m_store->connection();
    // Jobs almost never fail, so the batch first runs without savepoints (three statements
    // fewer per job); if one does fail, everything is rolled back and replayed job by job.
    try {
      committed = run_in_transaction(c, *m_store, batch, ok, false);
    } catch (const std::exception&) {
      std::fill(ok.begin(), ok.end(), false);
      committed = run_in_transaction(c, *m_store, batch, ok, true);
    }
  } catch (const std::exception& e) {
    spdlog::error("commit failed, {} writes not stored: {}", batch.size(), e.what());
    committed = false;
  }
  {
    std::lock_guard lock(m_mutex);
    m_stats.jobs += batch.size();
    m_stats.batches += 1;
  }
  for (std::size_t i = 0; i < batch.size(); ++i) batch[i].second(committed && ok[i]);
}

}  // namespace needsmap::store
