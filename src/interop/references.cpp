#include "interop/references.hpp"

namespace needsmap::interop {

std::string rename_references(std::string_view source, const Renamer& rename) {
  std::string out;
  out.reserve(source.size());
  char quote = 0;
  for (std::size_t i = 0; i < source.size(); ++i) {
    char c = source[i];
    if (quote) {
      if (c == quote) quote = 0;
      out += c;
      continue;
    }
    if (c == '\'' || c == '"') {
      quote = c;
      out += c;
      continue;
    }
    if (c == '$' && i + 1 < source.size() && source[i + 1] == '{') {
      auto close = source.find('}', i + 2);
      if (close != std::string_view::npos) {
        std::string_view name = source.substr(i + 2, close - i - 2);
        auto renamed = rename(name);
        out += "${";
        out += renamed ? *renamed : std::string(name);
        out += '}';
        i = close;
        continue;
      }
    }
    out += c;
  }
  return out;
}

}  // namespace needsmap::interop
