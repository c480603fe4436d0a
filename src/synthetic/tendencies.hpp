// How likely each choice is, given who is answering: a base weight per choice (a fixed shape per
// question, or a tabled one where realism needs it), the profile's shares, and a small table of
// tendencies ("older respondents report isolation more often") applied to the answers so far.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "questionnaire/model.hpp"
#include "synthetic/condition.hpp"
#include "synthetic/profile.hpp"

namespace needsmap::synthetic {

class ChoiceWeights {
 public:
  ChoiceWeights(const questionnaire::Questionnaire& q, const ProfileShares& profile);

  // The weights of the question's choices (for a matrix, of one row's cells) in choice order,
  // given the answers so far.
  void weights(const questionnaire::Question& question, std::string_view row,
               const nlohmann::json& answers, std::vector<double>& out) const;

 private:
  struct Rule {
    Condition when;
    std::size_t choice{0};
    double factor{1};
  };
  struct Target {
    std::vector<double> base;
    std::vector<Rule> rules;
  };
  // By "question", or "question/row" for a matrix row.
  std::unordered_map<std::string, Target> m_targets;
};

// The range a number question's answers usually fall in, given the answers so far ("a couple
// with children: 3 to 6 people").
struct Range {
  double lo{0};
  double hi{0};
};

class TypicalNumbers {
 public:
  explicit TypicalNumbers(const questionnaire::Questionnaire& q);

  // The first tabled range whose condition holds, within the question's limits; nullopt when
  // none is tabled.
  std::optional<Range> range(const questionnaire::Question& question,
                             const nlohmann::json& answers) const;

 private:
  struct Rule {
    Condition when;
    Range range;
  };
  std::unordered_map<std::string, std::vector<Rule>> m_rules;
};

}  // namespace needsmap::synthetic
