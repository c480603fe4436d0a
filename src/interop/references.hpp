// Renaming ${name} references inside an expression's text, e.g. a matrix row ${m/r} to the
// separate XLSForm question ${m_r} that stands for it, and back.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace needsmap::interop {

using Renamer = std::function<std::optional<std::string>(std::string_view name)>;

// Replaces each ${name} outside string literals for which `rename` gives a new name.
std::string rename_references(std::string_view source, const Renamer& rename);

}  // namespace needsmap::interop
