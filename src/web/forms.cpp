#include "web/forms.hpp"

#include <charconv>

#include "core/text.hpp"

namespace needsmap::web {

namespace {
int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::optional<std::string> url_decode(std::string_view s, bool plus_is_space) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+' && plus_is_space) {
      out.push_back(' ');
    } else if (s[i] == '%') {
      if (i + 2 >= s.size()) return std::nullopt;
      int hi = hex_value(s[i + 1]);
      int lo = hex_value(s[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  if (!text::is_valid_utf8(out)) return std::nullopt;
  return out;
}

std::optional<collect::FormFields> parse_form(std::string_view body) {
  collect::FormFields fields;
  std::size_t start = 0;
  while (start <= body.size()) {
    std::size_t end = body.find('&', start);
    if (end == std::string_view::npos) end = body.size();
    std::string_view pair = body.substr(start, end - start);
    if (!pair.empty()) {
      std::size_t eq = pair.find('=');
      auto name = url_decode(pair.substr(0, eq), true);
      auto value = url_decode(eq == std::string_view::npos ? "" : pair.substr(eq + 1), true);
      if (!name || !value) return std::nullopt;
      fields.emplace(std::move(*name), std::move(*value));
    }
    start = end + 1;
  }
  return fields;
}

namespace {

// The value of a parameter of a header such as Content-Type or Content-Disposition:
// `name=value` or `name="value"` (a quoted value may hold ';'). Names compare case-insensitively.
std::optional<std::string> header_parameter(std::string_view header, std::string_view name) {
  std::size_t i = header.find(';');
  while (i != std::string_view::npos && i < header.size()) {
    ++i;
    while (i < header.size() && header[i] == ' ') ++i;
    std::size_t eq = header.find('=', i);
    if (eq == std::string_view::npos) return std::nullopt;
    const std::string_view key = header.substr(i, eq - i);
    std::string value;
    std::size_t next = eq + 1;
    if (next < header.size() && header[next] == '"') {
      for (++next; next < header.size() && header[next] != '"'; ++next) {
        if (header[next] == '\\' && next + 1 < header.size()) ++next;
        value += header[next];
      }
      next = header.find(';', next);
    } else {
      std::size_t end = header.find(';', next);
      value = std::string(
          header.substr(next, end == std::string_view::npos ? std::string_view::npos : end - next));
      next = end;
    }
    if (text::ascii_lower(key) == name) return value;
    i = next;
  }
  return std::nullopt;
}

}  // namespace

std::string multipart_boundary(std::string_view content_type) {
  if (!text::ascii_lower(content_type.substr(0, 19)).starts_with("multipart/form-data")) return "";
  auto boundary = header_parameter(content_type, "boundary");
  // RFC 2046 §5.1.1: 1 to 70 characters.
  if (!boundary || boundary->empty() || boundary->size() > 70) return "";
  return *boundary;
}

std::optional<MultipartForm> parse_multipart(std::string_view body, std::string_view boundary) {
  MultipartForm form;
  const std::string delimiter = "--" + std::string(boundary);
  std::size_t at = body.find(delimiter);
  if (at == std::string_view::npos) return std::nullopt;
  at += delimiter.size();
  for (;;) {
    if (body.substr(at, 2) == "--") return form;  // the closing delimiter
    if (body.substr(at, 2) != "\r\n") return std::nullopt;
    at += 2;
    const std::size_t headers_end = body.find("\r\n\r\n", at);
    if (headers_end == std::string_view::npos) return std::nullopt;
    std::string disposition, type;
    for (std::size_t line = at; line < headers_end;) {
      std::size_t end = body.find("\r\n", line);
      if (end == std::string_view::npos || end > headers_end) end = headers_end;
      const std::string_view header = body.substr(line, end - line);
      const std::size_t colon = header.find(':');
      if (colon != std::string_view::npos) {
        const std::string key = text::ascii_lower(header.substr(0, colon));
        std::string value = text::trim(std::string(header.substr(colon + 1)));
        if (key == "content-disposition") disposition = std::move(value);
        if (key == "content-type") type = std::move(value);
      }
      line = end + 2;
    }
    const std::size_t data_start = headers_end + 4;
    // The delimiter ends the data only where a line starts with it and it is followed by the
    // end of the line or "--" (RFC 2046 §5.1.1).
    std::size_t data_end = data_start;
    for (;;) {
      data_end = body.find("\r\n" + delimiter, data_end);
      if (data_end == std::string_view::npos) return std::nullopt;
      const std::string_view after = body.substr(data_end + 2 + delimiter.size(), 2);
      if (after == "\r\n" || after == "--") break;
      ++data_end;
    }
    const std::string_view data = body.substr(data_start, data_end - data_start);
    at = data_end + 2 + delimiter.size();

    auto name = header_parameter(disposition, "name");
    if (!name || !text::is_valid_utf8(*name)) return std::nullopt;
    if (auto filename = header_parameter(disposition, "filename")) {
      if (filename->empty() && data.empty()) continue;  // a file input left empty
      // Old browsers send the whole path; only the name is kept.
      const std::size_t slash = filename->find_last_of("/\\");
      if (slash != std::string::npos) filename->erase(0, slash + 1);
      if (!text::is_valid_utf8(*filename)) return std::nullopt;
      form.files.push_back(
          {std::move(*name), std::move(*filename), std::move(type), std::string(data)});
    } else {
      if (!text::is_valid_utf8(data)) return std::nullopt;
      form.fields.emplace(std::move(*name), std::string(data));
    }
  }
}

std::string field(const collect::FormFields& fields, std::string_view name) {
  auto it = fields.find(name);
  return it == fields.end() ? std::string() : it->second;
}

std::string cookie(std::string_view header, std::string_view name) {
  std::size_t start = 0;
  while (start < header.size()) {
    std::size_t end = header.find(';', start);
    if (end == std::string_view::npos) end = header.size();
    std::string_view item = header.substr(start, end - start);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    if (item.size() > name.size() && item.substr(0, name.size()) == name &&
        item[name.size()] == '=') {
      return std::string(item.substr(name.size() + 1));
    }
    start = end + 1;
  }
  return {};
}

std::string url_encode(std::string_view value) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : value) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(hex[c >> 4]);
      out.push_back(hex[c & 0xF]);
    }
  }
  return out;
}

std::optional<Target> parse_target(std::string_view target) {
  Target t;
  std::string_view path = target.substr(0, target.find('?'));
  if (auto q = target.find('?'); q != std::string_view::npos) {
    auto fields = parse_form(target.substr(q + 1));
    if (!fields) return std::nullopt;
    for (const auto& [name, value] : *fields) t.query.try_emplace(name, value);
  }
  std::size_t start = 1;
  while (start <= path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    if (end > start) {
      auto decoded = url_decode(path.substr(start, end - start), false);
      if (!decoded) return std::nullopt;
      t.segments.push_back(std::move(*decoded));
    }
    start = end + 1;
  }
  return t;
}

std::optional<std::int64_t> whole_number(std::string_view text) {
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace needsmap::web
