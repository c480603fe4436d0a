// An HTTP/1.1 server on Boost.Beast with C++20 coroutines: one coroutine per connection, so
// thousands of slow mobile connections cost memory, not threads.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <functional>
#include <string>

namespace needsmap::web {

using Request = boost::beast::http::request<boost::beast::http::string_body>;
using Response = boost::beast::http::response<boost::beast::http::string_body>;
// Called with the request and the client's address (for rate limiting only; never stored).
using Handler =
    std::function<boost::asio::awaitable<Response>(Request&, const std::string& client_address)>;

struct ServerLimits {
  std::size_t max_body_bytes{256 * 1024};
  std::size_t max_header_bytes{16 * 1024};
  int read_timeout_seconds{30};
};

// What a request that never reached the handler gets (bad framing, too large).
using ErrorPage = std::function<Response(unsigned status, const Request* partial)>;

// Accepts on host:port and serves every connection with `handler` on `io`. Returns the port
// actually bound (useful with port 0).
unsigned short listen(boost::asio::io_context& io, const std::string& host, unsigned short port,
                      Handler handler, ErrorPage error_page, ServerLimits limits);

}  // namespace needsmap::web
