#include "web/http_server.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include <spdlog/spdlog.h>

#include <array>

namespace needsmap::web {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

asio::awaitable<void> serve_connection(beast::tcp_stream stream, Handler handler,
                                       ErrorPage error_page, ServerLimits limits) {
  beast::flat_buffer buffer;
  beast::error_code ec;
  const std::string address = stream.socket().remote_endpoint(ec).address().to_string();
  for (;;) {
    http::request_parser<http::string_body> parser;
    parser.body_limit(limits.max_body_bytes);
    parser.header_limit(static_cast<std::uint32_t>(limits.max_header_bytes));
    stream.expires_after(std::chrono::seconds(limits.read_timeout_seconds));
    co_await http::async_read(stream, buffer, parser,
                              asio::redirect_error(asio::use_awaitable, ec));
    if (ec == http::error::end_of_stream || ec == asio::error::connection_reset ||
        ec == beast::error::timeout || ec == asio::error::eof) {
      break;
    }
    Response response;
    bool keep_alive = false;
    bool head = false;
    if (ec) {
      unsigned status = ec == http::error::body_limit     ? 413
                        : ec == http::error::header_limit ? 431
                                                          : 400;
      // The request line is read before any limit is hit, so the partial request still says
      // which path (API or page) and language the error should be in.
      response = error_page(status, &parser.get());
      response.keep_alive(false);
    } else {
      Request request = parser.release();
      keep_alive = request.keep_alive();
      head = request.method() == http::verb::head;
      try {
        Response handled = co_await handler(request, address);  // whole statement: 0004
        response = std::move(handled);
      } catch (const std::exception& e) {
        spdlog::error("request failed: {}", e.what());
        response = error_page(500, &request);
      }
      response.keep_alive(keep_alive);
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
    if (ec || !keep_alive) break;
  }
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

asio::awaitable<void> accept_loop(asio::io_context& io, tcp::acceptor acceptor, Handler handler,
                                  ErrorPage error_page, ServerLimits limits) {
  for (;;) {
    beast::error_code ec;
    auto strand = asio::make_strand(io);
    tcp::socket socket =
        co_await acceptor.async_accept(strand, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      if (ec == asio::error::operation_aborted) co_return;
      // Out of file descriptors and the like: wait a moment instead of spinning.
      asio::steady_timer pause(acceptor.get_executor(), std::chrono::milliseconds(50));
      co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      continue;
    }
    socket.set_option(tcp::no_delay(true), ec);
    asio::co_spawn(
        socket.get_executor(),
        serve_connection(beast::tcp_stream(std::move(socket)), handler, error_page, limits),
        asio::detached);
  }
}

}  // namespace

unsigned short listen(asio::io_context& io, const std::string& host, unsigned short port,
                      Handler handler, ErrorPage error_page, ServerLimits limits) {
  tcp::endpoint endpoint(asio::ip::make_address(host), port);
  tcp::acceptor acceptor(asio::make_strand(io));
  acceptor.open(endpoint.protocol());
  acceptor.set_option(asio::socket_base::reuse_address(true));
  acceptor.bind(endpoint);
  acceptor.listen(asio::socket_base::max_listen_connections);
  unsigned short bound = acceptor.local_endpoint().port();
  asio::co_spawn(
      io, accept_loop(io, std::move(acceptor), std::move(handler), std::move(error_page), limits),
      asio::detached);
  return bound;
}

}  // namespace needsmap::web
