// The single writer: one thread owns the database's write connection and runs every write.
// Writes that arrive while a transaction is on disk wait and then go together in the next one
// (group commit), so many concurrent submissions cost one fsync, not one each.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "core/unique_function.hpp"
#include "store/store.hpp"

namespace needsmap::store {

class Writer {
 public:
  // Runs inside the batch's transaction. Throwing undoes only this job: the batch is then
  // replayed with a savepoint per job, so a job may run twice and must only touch the store.
  using Work = UniqueFunction<void(Store&)>;
  // Called on the writer thread after the batch: true when the job's work is durable.
  using Done = UniqueFunction<void(bool committed)>;

  // At most `max_queue` writes wait; about ten seconds of work at the rates bench/ingest measures.
  static Result<std::unique_ptr<Writer>> start(const std::string& location,
                                               std::size_t max_queue = 100'000);
  ~Writer();  // finishes queued jobs, then stops

  // Queues a write. When too many are waiting, `done(false)` is called at once instead.
  void post(Work work, Done done);

  struct Stats {
    std::uint64_t jobs{0};
    std::uint64_t batches{0};
  };
  Stats stats() const;

 private:
  Writer(std::string location, std::unique_ptr<Store> store, std::size_t max_queue);
  void run();
  bool reconnect_if_lost();
  void run_batch(std::deque<std::pair<Work, Done>>& batch);

  std::string m_location;
  std::unique_ptr<Store> m_store;
  std::size_t m_max_queue;
  mutable std::mutex m_mutex;
  std::condition_variable m_wake;
  std::deque<std::pair<Work, Done>> m_queue;
  bool m_stopping{false};
  Stats m_stats;
  std::thread m_thread;
};

}  // namespace needsmap::store
