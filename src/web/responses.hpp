// Building HTTP responses with the headers every needsmap response carries.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

#include "web/http_server.hpp"

namespace needsmap::web {

// Sets the security headers: a CSP without inline script or style, no sniffing, no referrer,
// no framing, and no caching of anything that may hold answers.
void add_security_headers(Response& response);

Response html_response(unsigned status, std::string body);
Response json_response(unsigned status, const nlohmann::json& body);
// The body of an API error: {"errors": [{"message": …}]}.
nlohmann::json error_body(const std::string& message);
Response text_response(unsigned status, std::string body);
Response redirect_response(const std::string& location);
// A CSV file (UTF-8) to save as `filename`.
Response csv_download(std::string body, const std::string& filename);
// A file to save (Content-Disposition: attachment); `filename` must be plain ASCII.
Response file_download(std::string body, const std::string& content_type,
                       const std::string& filename);

}  // namespace needsmap::web
