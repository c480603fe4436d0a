// Threads for work that blocks for seconds (an export reading every response and compressing a
// file), so that it never holds up the io threads that serve respondents. Each job runs on a
// thread of its own at a lower CPU priority; there are never more than a few at once.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <atomic>
#include <cstddef>
#include <list>
#include <memory>
#include <mutex>
#include <stop_token>
#include <thread>

#include "core/unique_function.hpp"

namespace needsmap::web {

class BackgroundJobs {
 public:
  explicit BackgroundJobs(std::size_t max_running) : m_max_running(max_running) {}
  // Asks every running job to stop (its stop_token) and waits for them.
  ~BackgroundJobs();
  BackgroundJobs(const BackgroundJobs&) = delete;
  BackgroundJobs& operator=(const BackgroundJobs&) = delete;

  // Starts `job` now; false (and `job` is dropped) when max_running jobs are running already.
  bool start(UniqueFunction<void(std::stop_token)> job);

 private:
  struct Job {
    std::jthread thread;
    std::shared_ptr<std::atomic<bool>> done;
  };
  std::mutex m_mutex;
  std::list<Job> m_jobs;
  std::size_t m_max_running;
};

// Runs `work` on a background job and resumes on the caller's executor when it is done: work
// that blocks for a while (reading a whole campaign, checking an uploaded file) without holding up
// the io threads. False when the server runs as many background jobs as it allows, or `work`
// failed (returned false or threw).
boost::asio::awaitable<bool> off_the_io_threads(BackgroundJobs& jobs, UniqueFunction<bool()> work);

}  // namespace needsmap::web
