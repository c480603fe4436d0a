#include "web/http_server.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/chunk_encode.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <optional>

namespace needsmap::web {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

std::string client_address(const Request& request, const std::string& peer,
                           const std::vector<std::string>& trusted_proxies) {
  if (std::find(trusted_proxies.begin(), trusted_proxies.end(), peer) == trusted_proxies.end()) {
    return peer;
  }
  auto header = request.find("X-Real-IP");
  if (header == request.end()) return peer;
  beast::error_code ec;
  auto address = asio::ip::make_address(std::string_view(header->value()), ec);
  return ec ? peer : address.to_string();
}

namespace {

// What the accept loop and every connection share: the acceptor, whether the server is stopping,
// and how many requests are being handled right now.
class ServerState final : public Server, public std::enable_shared_from_this<ServerState> {
 public:
  ServerState(asio::io_context& io, tcp::acceptor acceptor, Handler handler, ErrorPage error_page,
              ServerOptions options)
      : io(io),
        acceptor(std::move(acceptor)),
        handler(std::move(handler)),
        error_page(std::move(error_page)),
        options(std::move(options)),
        bound(this->acceptor.local_endpoint().port()) {}

  unsigned short port() const override { return bound; }

  void shutdown(std::chrono::milliseconds deadline, std::function<void()> done) override {
    stopping = true;
    auto self = shared_from_this();
    asio::post(acceptor.get_executor(), [self] {
      beast::error_code ec;
      self->acceptor.close(ec);
    });
    auto timer = std::make_shared<asio::steady_timer>(io);
    wait_for_requests(timer, std::chrono::steady_clock::now() + deadline, std::move(done));
  }

  asio::io_context& io;
  tcp::acceptor acceptor;
  Handler handler;
  ErrorPage error_page;
  ServerOptions options;
  unsigned short bound;
  std::atomic<bool> stopping{false};
  std::atomic<int> in_flight{0};

 private:
  void wait_for_requests(std::shared_ptr<asio::steady_timer> timer,
                         std::chrono::steady_clock::time_point until, std::function<void()> done) {
    if (in_flight.load() == 0 || std::chrono::steady_clock::now() >= until) {
      done();
      return;
    }
    timer->expires_after(std::chrono::milliseconds(10));
    auto self = shared_from_this();
    timer->async_wait([self, timer, until, done = std::move(done)](const beast::error_code&) {
      self->wait_for_requests(timer, until, done);
    });
  }
};

// Counts a connection as busy from when it is accepted, or its next request read, until the
// answer is written; an idle keep-alive connection is not busy.
class InFlight {
 public:
  explicit InFlight(std::atomic<int>& count) : m_count(count) { ++m_count; }
  ~InFlight() { --m_count; }
  InFlight(const InFlight&) = delete;
  InFlight& operator=(const InFlight&) = delete;

 private:
  std::atomic<int>& m_count;
};

// Sends a response whose body is a BodyStream: the header, then each piece as it is made.
// Returns false when the body could not be sent whole (the client went away, or making the body
// failed); the connection must then close, so that the client never takes part of a body for all.
asio::awaitable<bool> write_streamed(beast::tcp_stream& stream, Response& response, bool head,
                                     const ServerOptions& limits) {
  const auto timeout = std::chrono::seconds(limits.read_timeout_seconds);
  std::shared_ptr<BodyStream> body = std::move(response.stream);
  http::response<http::empty_body> header(std::move(response.base()));
  header.erase(http::field::content_length);
  header.erase(http::field::transfer_encoding);
  const std::optional<std::uint64_t> size = body->size();
  if (size) {
    header.content_length(*size);
  } else {
    header.chunked(true);
  }
  http::response_serializer<http::empty_body> serializer(header);
  beast::error_code ec;
  stream.expires_after(timeout);
  co_await http::async_write_header(stream, serializer,
                                    asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return false;
  if (head) co_return true;
  std::uint64_t sent = 0;
  for (;;) {
    std::string piece;
    try {
      std::string next = co_await body->next();  // whole statement: 0004
      piece = std::move(next);
    } catch (const std::exception& e) {
      spdlog::error("streamed response failed: {}", e.what());
      co_return false;
    }
    stream.expires_after(timeout);
    if (piece.empty()) {
      if (size) co_return sent == *size;
      auto last = http::make_chunk_last();
      co_await asio::async_write(stream, last, asio::redirect_error(asio::use_awaitable, ec));
      co_return !ec;
    }
    sent += piece.size();
    auto bytes = asio::buffer(piece);
    if (size) {
      if (sent > *size) co_return false;
      co_await asio::async_write(stream, bytes, asio::redirect_error(asio::use_awaitable, ec));
    } else {
      auto chunk = http::make_chunk(bytes);
      co_await asio::async_write(stream, chunk, asio::redirect_error(asio::use_awaitable, ec));
    }
    if (ec) co_return false;
  }
}

// A file upload the server takes in whole: see ServerOptions::max_upload_bytes.
bool may_upload(const Request& header, const ServerOptions& limits) {
  const std::string_view type = header[http::field::content_type];
  const std::string_view target = header.target();
  const std::string_view cookies = header[http::field::cookie];
  return header.method() == http::verb::post && type.starts_with("multipart/form-data") &&
         target.starts_with(limits.upload_path) &&
         cookies.find(limits.upload_cookie + "=") != std::string_view::npos;
}

asio::awaitable<void> serve_connection(beast::tcp_stream stream,
                                       std::shared_ptr<ServerState> server) {
  const ServerOptions& limits = server->options;
  beast::flat_buffer buffer;
  beast::error_code ec;
  const std::string peer = stream.socket().remote_endpoint(ec).address().to_string();
  // A new connection is busy before its first request has arrived: a shutdown must not cut a
  // request that is on its way to a connection already accepted.
  std::optional<InFlight> busy(std::in_place, server->in_flight);
  for (;;) {
    http::request_parser<http::string_body> parser;
    // Beast checks a Content-Length against the limit while it reads the header: the header is
    // read with the upload limit, and the ordinary limit is applied once it shows no upload.
    parser.body_limit(std::max(limits.max_body_bytes, limits.max_upload_bytes));
    parser.header_limit(static_cast<std::uint32_t>(limits.max_header_bytes));
    stream.expires_after(std::chrono::seconds(limits.read_timeout_seconds));
    co_await http::async_read_header(stream, buffer, parser,
                                     asio::redirect_error(asio::use_awaitable, ec));
    if (!ec && !parser.is_done() && !may_upload(parser.get(), limits)) {
      const auto length = parser.content_length();
      if (length && *length > limits.max_body_bytes) ec = http::error::body_limit;
      parser.body_limit(limits.max_body_bytes);  // for a chunked body, checked as it comes
    }
    if (!ec && !parser.is_done()) {
      co_await http::async_read(stream, buffer, parser,
                                asio::redirect_error(asio::use_awaitable, ec));
    }
    if (ec == http::error::end_of_stream || ec == asio::error::connection_reset ||
        ec == beast::error::timeout || ec == asio::error::eof) {
      break;
    }
    if (!busy) busy.emplace(server->in_flight);
    Response response;
    bool keep_alive = false;
    bool head = false;
    if (ec) {
      unsigned status = ec == http::error::body_limit     ? 413
                        : ec == http::error::header_limit ? 431
                                                          : 400;
      // The request line is read before any limit is hit, so the partial request still says
      // which path (API or page) and language the error should be in.
      response = server->error_page(status, &parser.get());
      response.keep_alive(false);
    } else {
      Request request = parser.release();
      keep_alive = request.keep_alive();
      head = request.method() == http::verb::head;
      std::string client = client_address(request, peer, limits.trusted_proxies);
      try {
        Response handled = co_await server->handler(request, client);  // whole statement: 0004
        response = std::move(handled);
      } catch (const std::exception& e) {
        spdlog::error("request failed: {}", e.what());
        response = server->error_page(500, &request);
      }
      // A stopping server answers what it has, then closes: the client goes elsewhere next time.
      if (server->stopping) keep_alive = false;
      response.keep_alive(keep_alive);
    }
    if (response.stream) {
      bool whole = co_await write_streamed(stream, response, head, limits);  // whole statement
      busy.reset();
      if (!whole || !keep_alive) break;
      continue;
    }
    response.prepare_payload();
    if (head) {
      // HEAD: the headers of the GET, Content-Length included, without the body.
      auto length = response.body().size();
      response.body().clear();
      response.content_length(length);
    }
    stream.expires_after(std::chrono::seconds(limits.read_timeout_seconds));
    co_await http::async_write(stream, response, asio::redirect_error(asio::use_awaitable, ec));
    busy.reset();
    if (ec || !keep_alive) break;
  }
  busy.reset();
  stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  // Read what the client is still sending (the rest of a body too large to take) for a moment,
  // so the kernel does not answer it with a reset that could destroy the 413 before it is read.
  stream.expires_after(std::chrono::seconds(2));
  std::array<char, 16384> scratch;
  for (std::size_t drained = 0; drained < (1u << 20);) {
    std::size_t n = co_await stream.async_read_some(asio::buffer(scratch),
                                                    asio::redirect_error(asio::use_awaitable, ec));
    if (ec) break;
    drained += n;
  }
}

asio::awaitable<void> accept_loop(std::shared_ptr<ServerState> server) {
  tcp::acceptor& acceptor = server->acceptor;
  for (;;) {
    beast::error_code ec;
    auto strand = asio::make_strand(server->io);
    tcp::socket socket =
        co_await acceptor.async_accept(strand, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      if (ec == asio::error::operation_aborted || server->stopping) co_return;
      // Out of file descriptors and the like: wait a moment instead of spinning.
      asio::steady_timer pause(acceptor.get_executor(), std::chrono::milliseconds(50));
      co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      continue;
    }
    socket.set_option(tcp::no_delay(true), ec);
    auto executor = socket.get_executor();
    asio::co_spawn(executor, serve_connection(beast::tcp_stream(std::move(socket)), server),
                   asio::detached);
  }
}

}  // namespace

std::shared_ptr<Server> listen(asio::io_context& io, const std::string& host, unsigned short port,
                               Handler handler, ErrorPage error_page, ServerOptions options) {
  tcp::endpoint endpoint(asio::ip::make_address(host), port);
  tcp::acceptor acceptor(asio::make_strand(io));
  acceptor.open(endpoint.protocol());
  acceptor.set_option(asio::socket_base::reuse_address(true));
  acceptor.bind(endpoint);
  acceptor.listen(asio::socket_base::max_listen_connections);
  auto server = std::make_shared<ServerState>(io, std::move(acceptor), std::move(handler),
                                              std::move(error_page), std::move(options));
  asio::co_spawn(io, accept_loop(server), asio::detached);
  return server;
}

}  // namespace needsmap::web
