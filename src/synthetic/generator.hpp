// Generated responses to any questionnaire: the questions walked in order, relevance evaluated
// with the answers so far, required questions always answered and optional ones most of the time,
// constraints honoured, and every response checked as the API checks a submission.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "questionnaire/answers.hpp"
#include "questionnaire/model.hpp"
#include "synthetic/profile.hpp"
#include "synthetic/values.hpp"

namespace needsmap::synthetic {

struct GeneratedResponse {
  nlohmann::json answers;  // as the API stores them: checked, with calculated values
  std::string language;
  std::string submission_id;  // shaped like a UUID, derived from the seed and the index
};

// What it took: drafts the generator gave up on (a required question whose constraint no drawn
// value met) and complete drafts the validation refused (each one a bug in the generator).
struct GeneratorCounts {
  std::uint64_t restarts{0};
  std::uint64_t rejected{0};
  std::optional<questionnaire::AnswerIssue> first_rejection;
};

class ResponseGenerator {
 public:
  ResponseGenerator(const questionnaire::Questionnaire& q, const ProfileShares& profile);

  // A valid response drawn with `random` as of `today` (YYYY-MM-DD). Throws std::runtime_error
  // when many drafts in a row were not valid.
  GeneratedResponse generate(Random& random, const std::string& today,
                             GeneratorCounts& counts) const;

  // One walk through the questionnaire, not yet checked; nullopt at a dead end.
  std::optional<nlohmann::json> draft(Random& random, const std::string& today,
                                      Script script) const;

 private:
  bool answer(const questionnaire::Question& question, const Respondent& who,
              nlohmann::json& answers) const;
  const questionnaire::Questionnaire& m_q;
  ValueMaker m_values;
};

}  // namespace needsmap::synthetic
