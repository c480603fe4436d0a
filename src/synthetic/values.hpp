// A value for one question: choices drawn by their weights, numbers and dates in plausible ranges,
// texts from the built-in sentences.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "questionnaire/model.hpp"
#include "synthetic/random.hpp"
#include "synthetic/sentences.hpp"
#include "synthetic/tendencies.hpp"

namespace needsmap::synthetic {

struct Respondent {
  Random& random;
  const nlohmann::json& answers;  // so far
  Script script;                  // how this respondent writes
  const std::string& today;       // YYYY-MM-DD
};

class ValueMaker {
 public:
  ValueMaker(const questionnaire::Questionnaire& q, const ProfileShares& profile)
      : m_weights(q, profile), m_numbers(q) {}

  // A value for `question` (which takes an answer). A later `attempt` (after a constraint said
  // no) draws numbers and dates from a range shrunk towards the minimum.
  nlohmann::json value(const questionnaire::Question& question, const Respondent& who,
                       int attempt) const;

 private:
  nlohmann::json choice_list(const questionnaire::Question& question, const Respondent& who) const;
  nlohmann::json ranking(const questionnaire::Question& question, const Respondent& who) const;
  ChoiceWeights m_weights;
  TypicalNumbers m_numbers;
};

}  // namespace needsmap::synthetic
