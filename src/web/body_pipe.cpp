#include "web/body_pipe.hpp"

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <stdexcept>
#include <utility>

#include "core/unique_function.hpp"

namespace needsmap::web {

namespace asio = boost::asio;

namespace {
// Pieces waiting to be sent at most: with 64 KiB pieces, a quarter of a megabyte a download.
constexpr std::size_t pipe_capacity = 4;
}  // namespace

struct PipeState {
  std::mutex mutex;
  std::condition_variable_any room;  // the producer waits on it while the pipe is full
  std::deque<std::string> pieces;
  bool begun{false};     // a piece has come: the status can no longer change
  bool finished{false};  // the producer is done, well or not
  std::optional<Error> error;
  bool abandoned{false};        // the reader is gone
  UniqueFunction<void()> wake;  // resumes the reader waiting for something to happen

  // What a reader waits for: the body to begin (ready), or a piece or the end (next).
  bool has_begun() const { return begun || finished; }
  bool has_piece() const { return !pieces.empty() || finished; }
  // The reader's wake-up, if it waits, to be run outside the lock.
  UniqueFunction<void()> take_wake() { return std::exchange(wake, UniqueFunction<void()>()); }
};

namespace {

// Resumes the calling coroutine once `state` has begun (or, with `piece`, has a piece or has
// ended). A plain function returning the operation, so that the caller awaits it as a whole
// statement (0004).
asio::awaitable<void> changed(std::shared_ptr<PipeState> state, bool piece) {
  return asio::async_initiate<const asio::use_awaitable_t<>&, void()>(
      [piece](auto handler, std::shared_ptr<PipeState> s) {
        auto executor = asio::get_associated_executor(handler);
        auto resume = [handler = std::move(handler), executor]() mutable {
          asio::post(executor, [handler = std::move(handler)]() mutable { handler(); });
        };
        std::unique_lock lock(s->mutex);
        if (piece ? s->has_piece() : s->has_begun()) {
          lock.unlock();
          resume();
          return;
        }
        s->wake = std::move(resume);
      },
      asio::use_awaitable, std::move(state));
}

// Changes the state under its lock, then resumes the reader if it waits for a change.
template <typename Change>
void update(PipeState& state, Change change) {
  UniqueFunction<void()> wake;
  {
    std::lock_guard lock(state.mutex);
    change(state);
    wake = state.take_wake();
  }
  if (wake) wake();
}

}  // namespace

PipeReader::PipeReader(std::shared_ptr<PipeState> state) : m_state(std::move(state)) {}

PipeReader::~PipeReader() {
  std::lock_guard lock(m_state->mutex);
  m_state->abandoned = true;
  m_state->room.notify_all();
}

asio::awaitable<void> PipeReader::ready() {
  for (;;) {
    {
      std::lock_guard lock(m_state->mutex);
      if (m_state->has_begun()) co_return;
    }
    co_await changed(m_state, false);
  }
}

std::optional<Error> PipeReader::failure() const {
  std::lock_guard lock(m_state->mutex);
  if (m_state->begun) return std::nullopt;
  return m_state->error;
}

// Made while it is sent: its length is not known beforehand, so it goes out chunked.
std::optional<std::uint64_t> PipeReader::size() const {
  return std::nullopt;
}

asio::awaitable<std::string> PipeReader::next() {
  for (;;) {
    {
      std::lock_guard lock(m_state->mutex);
      if (!m_state->pieces.empty()) {
        std::string piece = std::move(m_state->pieces.front());
        m_state->pieces.pop_front();
        m_state->room.notify_all();
        co_return piece;
      }
      if (m_state->finished) {
        if (m_state->error) throw std::runtime_error(m_state->error->message);
        co_return std::string();
      }
    }
    co_await changed(m_state, true);
  }
}

PipeWriter::PipeWriter(std::shared_ptr<PipeState> state) : m_state(std::move(state)) {}

PipeWriter::~PipeWriter() {
  if (!m_done) fail(Error::internal("the body was left unfinished"));
}

bool PipeWriter::write(std::string piece) {
  if (piece.empty()) return true;  // an empty piece would end the body
  {
    std::unique_lock lock(m_state->mutex);
    m_state->room.wait(
        lock, m_stop, [&] { return m_state->abandoned || m_state->pieces.size() < pipe_capacity; });
    if (m_state->abandoned || m_stop.stop_requested()) return false;
  }
  // Only this thread adds pieces: the room found above is still there.
  update(*m_state, [&](PipeState& s) {
    s.pieces.push_back(std::move(piece));
    s.begun = true;
  });
  return true;
}

void PipeWriter::finish() {
  m_done = true;
  update(*m_state, [](PipeState& s) { s.finished = true; });
}

void PipeWriter::fail(Error error) {
  m_done = true;
  update(*m_state, [&](PipeState& s) {
    s.error = std::move(error);
    s.finished = true;
  });
}

std::pair<std::shared_ptr<PipeReader>, std::unique_ptr<PipeWriter>> make_pipe() {
  auto state = std::make_shared<PipeState>();
  return {std::make_shared<PipeReader>(state), std::make_unique<PipeWriter>(state)};
}

PipeStreambuf::PipeStreambuf(PipeWriter& writer) : m_writer(writer) {
  m_buffer.resize(piece_bytes);
  setp(m_buffer.data(), m_buffer.data() + m_buffer.size());
}

bool PipeStreambuf::flush_piece() {
  const auto used = static_cast<std::size_t>(pptr() - pbase());
  if (used == 0) return true;
  std::string piece(m_buffer.data(), used);
  setp(m_buffer.data(), m_buffer.data() + m_buffer.size());
  return m_writer.write(std::move(piece));
}

PipeStreambuf::int_type PipeStreambuf::overflow(int_type c) {
  if (!flush_piece()) return traits_type::eof();
  if (traits_type::eq_int_type(c, traits_type::eof())) return traits_type::not_eof(c);
  *pptr() = traits_type::to_char_type(c);
  pbump(1);
  return c;
}

int PipeStreambuf::sync() {
  return flush_piece() ? 0 : -1;
}

}  // namespace needsmap::web
