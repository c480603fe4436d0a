#include "synthetic/profile.hpp"

#include <algorithm>
#include <array>

namespace needsmap::synthetic {

namespace {

using questionnaire::Question;
using questionnaire::QuestionType;

// How much more often than in the population an open web survey hears from each group. Women,
// the young and town dwellers answer more; the oldest hardly at all.
struct Skew {
  const char* question;
  const char* choice;
  double factor;
};
constexpr Skew web_skew[] = {
    {"age_band", "18_29", 2.0}, {"age_band", "30_44", 1.6},   {"age_band", "45_64", 1.0},
    {"age_band", "65_79", 0.5}, {"age_band", "80_plus", 0.2}, {"sex", "female", 1.5},
    {"sex", "male", 1.0},       {"settlement", "urban", 1.8}, {"settlement", "rural", 1.0},
};

constexpr std::array<std::string_view, 3> profile_questions = {"age_band", "sex", "settlement"};

// A choice a respondent may pick instead of answering: a small share of its own.
constexpr std::string_view declined = "prefer_not_to_say";
constexpr double declined_share = 0.03;

// The population's shares of one question's choices; uniform when the table lacks it.
std::map<std::string, double> population_shares(
    const Question& question, const std::optional<store::PopulationTable>& table) {
  std::map<std::string, double> shares;
  double total = 0;
  if (table) {
    for (const auto& margin : table->margins) {
      if (margin.variable != question.name || !question.find_choice(margin.category)) continue;
      shares[margin.category] += margin.population;
      total += margin.population;
    }
  }
  if (total <= 0) {
    shares.clear();
    for (const auto& choice : question.choices) {
      if (choice.name != declined) shares[choice.name] = 1;
    }
  }
  return shares;
}

}  // namespace

std::optional<Profile> parse_profile(std::string_view name) {
  if (name == "web-skewed") return Profile::web_skewed;
  if (name == "population") return Profile::population;
  return std::nullopt;
}

ProfileShares profile_shares(Profile profile, const questionnaire::Questionnaire& q,
                             const std::optional<store::PopulationTable>& population) {
  ProfileShares out;
  for (const auto& question : q.questions()) {
    if (question.type != QuestionType::single) continue;
    bool in_table = false;
    if (population) {
      for (const auto& margin : population->margins) in_table |= margin.variable == question.name;
    }
    bool profile_question =
        std::ranges::find(profile_questions, question.name) != profile_questions.end();
    if (!in_table && !profile_question) continue;
    auto shares = population_shares(question, population);
    if (profile == Profile::web_skewed) {
      for (const auto& skew : web_skew) {
        if (skew.question != question.name) continue;
        if (auto it = shares.find(skew.choice); it != shares.end()) it->second *= skew.factor;
      }
    }
    double total = 0;
    for (const auto& [choice, share] : shares) total += share;
    auto& weights = out[question.name];
    for (const auto& [choice, share] : shares) weights[choice] = share / total;
    // Without a table, some decline to say; a table's proportions are kept exactly.
    bool keep_exact = profile == Profile::population && in_table;
    if (question.find_choice(declined) && !keep_exact)
      weights[std::string(declined)] = declined_share;
  }
  return out;
}

}  // namespace needsmap::synthetic
