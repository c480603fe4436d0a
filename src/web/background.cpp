#include "web/background.hpp"

#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <unistd.h>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

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

boost::asio::awaitable<bool> off_the_io_threads(BackgroundJobs& jobs, UniqueFunction<bool()> work) {
  namespace asio = boost::asio;
  return asio::async_initiate<const asio::use_awaitable_t<>&, void(bool)>(
      [&jobs](auto handler, UniqueFunction<bool()> w) {
        auto executor = asio::get_associated_executor(handler);
        auto resume = std::make_shared<decltype(handler)>(std::move(handler));
        bool started = jobs.start([w = std::move(w), resume, executor](std::stop_token) mutable {
          bool ok = false;
          try {
            ok = w();
          } catch (const std::exception& e) {
            spdlog::error("background work failed: {}", e.what());
          }
          asio::post(executor, [resume, ok]() mutable { (*resume)(ok); });
        });
        if (!started) asio::post(executor, [resume]() mutable { (*resume)(false); });
      },
      asio::use_awaitable, std::move(work));
}

}  // namespace needsmap::web
