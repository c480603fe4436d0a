#include "synthetic/condition.hpp"

#include <algorithm>

namespace needsmap::synthetic {

std::vector<std::string> words(std::string_view list) {
  std::vector<std::string> out;
  while (!list.empty()) {
    auto space = list.find(' ');
    if (space != 0) out.emplace_back(list.substr(0, space));
    if (space == std::string_view::npos) break;
    list.remove_prefix(space + 1);
  }
  return out;
}

bool Condition::holds(const nlohmann::json& answers) const {
  if (question.empty()) return true;
  auto it = answers.find(question);
  if (it == answers.end()) return false;
  auto listed = [&](const nlohmann::json& v) {
    return v.is_string() &&
           std::ranges::find(choices, v.get_ref<const std::string&>()) != choices.end();
  };
  if (it->is_array()) return std::ranges::any_of(*it, listed);
  return listed(*it);
}

}  // namespace needsmap::synthetic
