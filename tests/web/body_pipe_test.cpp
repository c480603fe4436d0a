#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include <atomic>
#include <thread>

#include "web/background.hpp"
#include "web/body_pipe.hpp"

using namespace needsmap;
using namespace needsmap::web;
namespace asio = boost::asio;

namespace {

// Reads the whole body on `io`, as the server does: the pieces, or the error that ended it.
struct ReadOutcome {
  std::string body;
  std::string error;
  int pieces{0};
};

asio::awaitable<void> read_all(std::shared_ptr<PipeReader> reader, ReadOutcome& out) {
  try {
    for (;;) {
      std::string piece = co_await reader->next();
      if (piece.empty()) co_return;
      out.body += piece;
      ++out.pieces;
    }
  } catch (const std::exception& e) {
    out.error = e.what();
  }
}

}  // namespace

TEST(BodyPipe, pieces_written_on_another_thread_arrive_whole_and_in_order) {
  asio::io_context io;
  auto [reader, writer] = make_pipe();
  std::string expected;
  for (int i = 0; i < 50; ++i) expected += std::string(1000, static_cast<char>('a' + i % 26));
  std::thread producer([&expected, w = std::move(writer)] {
    for (std::size_t at = 0; at < expected.size(); at += 1000) {
      ASSERT_TRUE(w->write(expected.substr(at, 1000)));
    }
    w->finish();
  });
  ReadOutcome out;
  asio::co_spawn(io, read_all(reader, out), asio::detached);
  io.run();
  producer.join();
  EXPECT_EQ(out.body, expected);
  EXPECT_EQ(out.pieces, 50);
  EXPECT_EQ(out.error, "");
}

TEST(BodyPipe, a_streambuf_hands_over_pieces_of_at_most_its_size) {
  asio::io_context io;
  auto [reader, writer] = make_pipe();
  const std::string line = "0123456789abcdef\n";
  std::thread producer([&line, w = std::move(writer)] {
    PipeStreambuf buffer(*w);
    std::ostream out(&buffer);
    for (int i = 0; i < 10'000; ++i) out << line;
    out.flush();
    EXPECT_TRUE(out.good());
    w->finish();
  });
  ReadOutcome out;
  asio::co_spawn(io, read_all(reader, out), asio::detached);
  io.run();
  producer.join();
  EXPECT_EQ(out.body.size(), line.size() * 10'000);
  EXPECT_EQ(out.pieces, static_cast<int>((out.body.size() + PipeStreambuf::piece_bytes - 1) /
                                         PipeStreambuf::piece_bytes));
}

TEST(BodyPipe, the_writer_waits_while_the_pipe_is_full_and_stops_when_the_reader_goes) {
  auto [reader, writer] = make_pipe();
  std::atomic<int> accepted{0};
  std::thread producer([&accepted, w = std::move(writer)] {
    while (w->write("piece")) ++accepted;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_LE(accepted.load(), 4) << "a few pieces wait at most, however many are made";
  reader.reset();  // the client went away
  producer.join();
}

TEST(BodyPipe,
     a_failure_before_the_first_byte_is_told_to_the_handler_and_one_after_it_ends_the_body) {
  asio::io_context io;
  {
    auto [reader, writer] = make_pipe();
    writer->fail(Error::invalid("too many rows"));
    std::optional<Error> failure;
    asio::co_spawn(
        io,
        [](std::shared_ptr<PipeReader> r, std::optional<Error>& f) -> asio::awaitable<void> {
          co_await r->ready();
          f = r->failure();
        }(reader, failure),
        asio::detached);
    io.run();
    ASSERT_TRUE(failure);
    EXPECT_EQ(failure->kind, Error::Kind::invalid_input);
  }
  io.restart();
  {
    auto [reader, writer] = make_pipe();
    ASSERT_TRUE(writer->write("half a file"));
    writer.reset();  // the producer ended without finishing: a failure
    EXPECT_FALSE(reader->failure()) << "the body has begun: too late for an error status";
    ReadOutcome out;
    asio::co_spawn(io, read_all(reader, out), asio::detached);
    io.run();
    EXPECT_EQ(out.body, "half a file");
    EXPECT_NE(out.error, "");
  }
}

TEST(BackgroundJobs, runs_jobs_up_to_its_limit_and_stops_them_when_destroyed) {
  std::atomic<int> stopped{0};
  {
    BackgroundJobs jobs(2);
    auto wait_for_stop = [&stopped](std::stop_token stop) {
      while (!stop.stop_requested()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
      ++stopped;
    };
    EXPECT_TRUE(jobs.start(wait_for_stop));
    EXPECT_TRUE(jobs.start(wait_for_stop));
    EXPECT_FALSE(jobs.start(wait_for_stop)) << "a third waits until one of two ends";
  }
  EXPECT_EQ(stopped.load(), 2);
}
