// "The answer to a question is one of these choices": the test behind the tendencies.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace needsmap::synthetic {

// The words of a space-separated list.
std::vector<std::string> words(std::string_view list);

struct Condition {
  std::string question;  // empty: always holds
  std::vector<std::string> choices;

  // Holds when the question's answer (a choice, or a list of them) includes one of the choices.
  bool holds(const nlohmann::json& answers) const;
};

}  // namespace needsmap::synthetic
