#include "web/responses.hpp"

#include <boost/beast/http/field.hpp>

namespace needsmap::web {

namespace http = boost::beast::http;

void add_security_headers(Response& r) {
  r.set("Content-Security-Policy",
        "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'");
  r.set("X-Content-Type-Options", "nosniff");
  r.set("Referrer-Policy", "no-referrer");
  r.set(http::field::x_frame_options, "DENY");
  if (r.find(http::field::cache_control) == r.end()) r.set(http::field::cache_control, "no-store");
  r.set(http::field::server, "needsmap");
}

namespace {
Response make(unsigned status, std::string body, const char* type) {
  Response r{static_cast<http::status>(status), 11};
  r.set(http::field::content_type, type);
  r.body() = std::move(body);
  add_security_headers(r);
  return r;
}
}  // namespace

Response html_response(unsigned status, std::string body) {
  return make(status, std::move(body), "text/html; charset=utf-8");
}

nlohmann::json error_body(const std::string& message) {
  return {{"errors", {{{"message", message}}}}};
}

Response json_response(unsigned status, const nlohmann::json& body) {
  return make(status, body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
              "application/json; charset=utf-8");
}

Response text_response(unsigned status, std::string body) {
  return make(status, std::move(body), "text/plain; charset=utf-8");
}

Response file_download(std::string body, const std::string& content_type,
                       const std::string& filename) {
  Response r = text_response(200, std::move(body));
  r.set(http::field::content_type, content_type);
  r.set(http::field::content_disposition, "attachment; filename=\"" + filename + "\"");
  return r;
}

Response csv_download(std::string body, const std::string& filename) {
  return file_download(std::move(body), "text/csv; charset=utf-8", filename);
}

Response redirect_response(const std::string& location) {
  Response r = make(303, "", "text/plain; charset=utf-8");
  r.set(http::field::location, location);
  return r;
}

}  // namespace needsmap::web
