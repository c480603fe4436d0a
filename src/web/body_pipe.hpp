// A streamed response body made on another thread: the producer (a background job, blocking)
// writes pieces into the pipe, the connection (a coroutine) takes them out and sends them. The
// pipe holds a few pieces at most and the producer waits while it is full, so a body of any size
// costs the same memory, and a slow client slows the producer rather than filling the server.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <stop_token>
#include <streambuf>
#include <string>

#include "core/error.hpp"
#include "web/http_server.hpp"

namespace needsmap::web {

struct PipeState;

// The connection's end. Dropping it (the download is done, or the client went away) tells the
// producer to stop.
class PipeReader final : public BodyStream {
 public:
  explicit PipeReader(std::shared_ptr<PipeState> state);
  ~PipeReader() override;
  PipeReader(const PipeReader&) = delete;
  PipeReader& operator=(const PipeReader&) = delete;

  // Waits until the body has begun (a first piece is there) or the producer has
  // given up, so that a failure before the first byte can still be answered with an error status.
  boost::asio::awaitable<void> ready();
  // Why the producer gave up before the first byte; none once the body has begun.
  std::optional<Error> failure() const;

  std::optional<std::uint64_t> size() const override;
  boost::asio::awaitable<std::string> next() override;

 private:
  std::shared_ptr<PipeState> m_state;
};

// The producer's end. Not finishing it (an exception, an early return) fails the body.
class PipeWriter {
 public:
  explicit PipeWriter(std::shared_ptr<PipeState> state);
  ~PipeWriter();
  PipeWriter(const PipeWriter&) = delete;
  PipeWriter& operator=(const PipeWriter&) = delete;

  // Also stops waiting for room when `stop` is requested (the server is stopping).
  void watch(std::stop_token stop) { m_stop = std::move(stop); }
  // Adds a piece, waiting while the pipe is full; false when no one reads any more (the client
  // went away, or the server is stopping): the producer should stop.
  bool write(std::string piece);
  void finish();
  void fail(Error error);

 private:
  std::shared_ptr<PipeState> m_state;
  std::stop_token m_stop;
  bool m_done{false};
};

// Both ends of a new pipe.
std::pair<std::shared_ptr<PipeReader>, std::unique_ptr<PipeWriter>> make_pipe();

// An std::streambuf over a PipeWriter, for producers that write to a std::ostream: it hands the
// pipe pieces of `piece_bytes`. Writing fails (the stream goes bad) once no one reads any more.
class PipeStreambuf final : public std::streambuf {
 public:
  static constexpr std::size_t piece_bytes = 64 * 1024;
  explicit PipeStreambuf(PipeWriter& writer);

 protected:
  int_type overflow(int_type c) override;
  int sync() override;

 private:
  bool flush_piece();
  PipeWriter& m_writer;
  std::string m_buffer;
};

}  // namespace needsmap::web
