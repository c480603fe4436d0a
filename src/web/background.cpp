#include "web/background.hpp"

#include <sys/resource.h>
#include <unistd.h>

namespace needsmap::web {

namespace {

// On Linux a thread has a nice value of its own: background work yields the CPU to the threads
// answering respondents, which matters on a machine with two cores.
void lower_priority() {
  setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), 10);
}

}  // namespace

BackgroundJobs::~BackgroundJobs() {
  std::lock_guard lock(m_mutex);
  for (auto& job : m_jobs) job.thread.request_stop();
  m_jobs.clear();  // joins
}

bool BackgroundJobs::start(UniqueFunction<void(std::stop_token)> job) {
  std::lock_guard lock(m_mutex);
  std::erase_if(m_jobs, [](const Job& j) { return j.done->load(); });  // joins finished ones
  if (m_jobs.size() >= m_max_running) return false;
  auto done = std::make_shared<std::atomic<bool>>(false);
  m_jobs.push_back(Job{std::jthread([job = std::move(job), done](std::stop_token stop) mutable {
                         lower_priority();
                         job(std::move(stop));
                         job = {};  // what it holds goes before the job counts as done
                         *done = true;
                       }),
                       done});
  return true;
}

}  // namespace needsmap::web
