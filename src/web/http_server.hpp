// An HTTP/1.1 server on Boost.Beast with C++20 coroutines: one coroutine per connection, so
// thousands of slow mobile connections cost memory, not threads.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace needsmap::web {

using Request = boost::beast::http::request<boost::beast::http::string_body>;

// A body made while it is sent (a download too large to hold in memory). The server asks for the
// pieces one after another and writes each before it asks for the next.
class BodyStream {
 public:
  virtual ~BodyStream() = default;
  // The length, when known before the first piece: sent as Content-Length, otherwise the body
  // goes out in chunked transfer encoding.
  virtual std::optional<std::uint64_t> size() const = 0;
  // The next piece; empty once the body is complete. Throws when the body cannot be completed:
  // the connection is then closed before the body ends, so that the client sees a broken download
  // rather than a short file it could take for a whole one.
  virtual boost::asio::awaitable<std::string> next() = 0;
};

// A response whose body is a string, or, when `stream` is set, is streamed (the string body is
// then ignored). Handlers build the common string responses exactly as Beast's.
class Response : public boost::beast::http::response<boost::beast::http::string_body> {
 public:
  using Base = boost::beast::http::response<boost::beast::http::string_body>;
  using Base::Base;
  Response() = default;

  std::shared_ptr<BodyStream> stream;
};

// Called with the request and the client's address (for rate limiting only; never stored).
using Handler =
    std::function<boost::asio::awaitable<Response>(Request&, const std::string& client_address)>;

struct ServerOptions {
  std::size_t max_body_bytes{256 * 1024};
  // File uploads (multipart/form-data) may be larger, only below `upload_path` and only from a
  // client that holds the cookie `upload_cookie` (a signed-in session, checked by the handler):
  // strangers cannot make the server hold megabytes per connection.
  std::size_t max_upload_bytes{8 * 1024 * 1024};
  std::string upload_path{"/admin/"};
  std::string upload_cookie{"nm_admin"};
  std::size_t max_header_bytes{16 * 1024};
  int read_timeout_seconds{30};
  // Addresses of reverse proxies (nginx) whose `X-Real-IP` header names the client. From any other
  // peer the header is ignored: a client could write anything into it.
  std::vector<std::string> trusted_proxies;
};

// What a request that never reached the handler gets (bad framing, too large).
using ErrorPage = std::function<Response(unsigned status, const Request* partial)>;

class Server {
 public:
  virtual ~Server() = default;
  // The port actually bound (useful with port 0).
  virtual unsigned short port() const = 0;
  // Stops accepting, lets the requests being handled finish (each is answered, with
  // `Connection: close`), then calls `done` — at the latest after `deadline`. Idle keep-alive
  // connections are not waited for. Call from any thread, once.
  virtual void shutdown(std::chrono::milliseconds deadline, std::function<void()> done) = 0;
};

// Accepts on host:port and serves every connection with `handler` on `io`.
std::shared_ptr<Server> listen(boost::asio::io_context& io, const std::string& host,
                               unsigned short port, Handler handler, ErrorPage error_page,
                               ServerOptions options);

// The client of a request: the peer, or the `X-Real-IP` a trusted proxy set.
std::string client_address(const Request& request, const std::string& peer,
                           const std::vector<std::string>& trusted_proxies);

}  // namespace needsmap::web
