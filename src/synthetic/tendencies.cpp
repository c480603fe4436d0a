#include "synthetic/tendencies.hpp"

#include <algorithm>

namespace needsmap::synthetic {

namespace {

using nlohmann::json;
using questionnaire::Question;
using questionnaire::QuestionType;

// Choices whose usual weight would be far off: most people belong to no minority, few have
// experienced violence, most are not service users. Applies to every row of a matrix.
struct BaseWeight {
  const char* question;
  const char* choice;
  double weight;
};
constexpr BaseWeight base_weights[] = {
    {"employment", "employed", 4},
    {"employment", "self_employed", 1},
    {"employment", "retired", 2.5},
    {"employment", "unemployed", 1.2},
    {"employment", "homemaker", 0.6},
    {"employment", "unable_to_work", 0.4},
    {"employment", "farmer", 0.5},
    {"employment", "occasional", 0.6},
    {"employment", "in_education", 0.6},
    {"household", "alone", 1.2},
    {"household", "couple", 1.5},
    {"household", "couple_children", 2.5},
    {"household", "single_parent", 0.5},
    {"hh_disability", "yes", 0.35},
    {"hh_disability", "no", 2},
    {"caring_duties", "no", 3},
    {"caring_duties", "yes_household", 0.6},
    {"caring_duties", "yes_outside", 0.4},
    {"minority", "no", 12},
    {"minority", "roma", 0.6},
    {"minority", "other_minority", 0.8},
    {"minority", "prefer_not_to_say", 0.5},
    {"lonely", "never", 2},
    {"lonely", "rarely", 2},
    {"lonely", "sometimes", 1.5},
    {"lonely", "often", 0.6},
    {"lonely", "almost_always", 0.3},
    {"violence_experience", "yes", 0.08},
    {"violence_experience", "no", 2},
    {"violence_experience", "prefer_not_to_say", 0.2},
    {"risk_factors", "none", 2},
    {"help_source", "no_one", 0.6},
    {"current_user", "yes", 0.3},
    {"current_user", "no", 2},
    {"services_known", "dont_know", 1},
    {"services_known", "know_not_used", 1.5},
    {"services_known", "used", 0.25},
    {"unmet_need", "no", 1.2},
    {"gave_up", "yes", 0.4},
    {"gave_up", "no", 2},
    {"fill_mode", "alone", 5},
    {"fill_mode", "family_help", 1},
    {"fill_mode", "worker_help", 0.2},
    {"fill_mode", "on_behalf", 0.3},
    {"internet_use", "yes_alone", 3},
    {"internet_use", "with_help", 0.6},
    {"internet_use", "no", 0.5},
    {"barriers", "no_barriers", 1.5},
    {"licence", "yes", 3},
    {"waiting_list", "yes", 1.5},
    {"interview_mode", "web", 3},
};

// Tendencies: when the answer to if_question is one of if_choices, the weights of `choices` of
// `question` ("question/row" for a matrix row) are multiplied by factor. Lists are
// space-separated; a question answered later than `question` has no effect.
struct Tendency {
  const char* if_question;
  const char* if_choices;
  const char* question;
  const char* choices;
  double factor;
};
constexpr const char* older = "65_79 80_plus";
constexpr const char* low_income = "great_difficulty difficulty";
constexpr const char* caring = "yes_household yes_outside";
constexpr Tendency tendencies[] = {
    // Age: work, household, health, loneliness, internet, and the services that follow.
    {"age_band", older, "employment", "retired", 15},
    {"age_band", older, "employment", "employed self_employed in_education", 0.1},
    {"age_band", older, "employment", "unemployed occasional", 0.2},
    {"age_band", older, "household", "alone", 3},
    {"age_band", older, "household", "couple", 2},
    {"age_band", older, "household", "couple_children single_parent with_parents", 0.1},
    {"age_band", "80_plus", "household", "alone", 1.5},
    {"age_band", older, "hh_disability", "yes", 2},
    {"age_band", "80_plus", "hh_disability", "yes", 1.8},
    {"age_band", older, "risk_factors", "old_age_alone", 3},
    {"age_band", older, "risk_factors", "chronic_illness", 4},
    {"age_band", older, "risk_factors", "isolation", 4},
    {"age_band", older, "risk_factors", "unemployment", 0.05},
    {"age_band", older, "risk_factors", "none", 0.4},
    {"age_band", "18_29 30_44", "risk_factors", "old_age_alone", 0.02},
    {"age_band", older, "lonely", "often", 2.5},
    {"age_band", older, "lonely", "almost_always", 3},
    {"age_band", older, "lonely", "never", 0.4},
    {"age_band", older, "internet_use", "no", 6},
    {"age_band", older, "internet_use", "with_help", 3},
    {"age_band", older, "internet_use", "yes_alone", 0.15},
    {"age_band", older, "services_known/home_care", "used", 4},
    {"age_band", older, "services_known/day_care_older", "used", 4},
    {"age_band", older, "unmet_need", "yes", 1.8},
    {"age_band", older, "unmet_need_what", "home_care day_care_older", 4},
    {"age_band", older, "top_services", "home_care", 4},
    {"age_band", older, "top_services", "day_care_older personal_companion", 2.5},
    {"age_band", older, "home_care_interest", "yes already", 2.5},
    {"age_band", older, "home_care_interest", "no", 0.5},
    {"age_band", older, "barriers", "digital", 3},
    {"age_band", older, "barriers", "distance_transport", 1.5},
    {"age_band", older, "needed_groups", "older_alone older_needing_care", 2},
    {"age_band", older, "fill_mode", "family_help", 3},
    {"age_band", older, "fill_mode", "on_behalf", 2},
    {"age_band", "18_29", "employment", "in_education", 3},
    {"age_band", "18_29", "employment", "retired", 0.01},
    {"age_band", "18_29", "household", "with_parents", 4},
    {"age_band", "18_29", "internet_use", "yes_alone", 5},
    {"age_band", "18_29", "risk_factors", "unemployment", 2},
    {"age_band", "30_44", "household", "couple_children", 2},
    {"age_band", "30_44", "employment", "retired", 0.02},
    // Villages: distance, isolation, farming, firewood.
    {"settlement", "rural", "risk_factors", "remoteness", 6},
    {"settlement", "rural", "risk_factors", "isolation", 1.8},
    {"settlement", "rural", "risk_factors", "poor_housing", 1.5},
    {"settlement", "rural", "barriers", "distance_transport", 5},
    {"settlement", "rural", "employment", "farmer", 2.5},
    {"settlement", "rural", "needed_groups", "rural_households", 4},
    {"settlement", "rural", "top_services", "firewood_utilities home_care", 1.8},
    {"settlement", "rural", "unmet_need_what", "firewood_utilities home_care", 1.8},
    {"settlement", "rural", "lonely", "often almost_always", 1.4},
    {"settlement", "urban", "risk_factors", "remoteness", 0.15},
    {"settlement", "urban", "employment", "farmer", 0.05},
    {"settlement", "urban", "barriers", "distance_transport", 0.5},
    // Disability in the household: caring burden, personal assistance, respite.
    {"hh_disability", "yes", "caring_duties", "yes_household", 8},
    {"hh_disability", "yes", "risk_factors", "disability", 8},
    {"hh_disability", "yes", "risk_factors", "caring_burden", 5},
    {"hh_disability", "yes", "risk_factors", "chronic_illness", 2},
    {"hh_disability", "yes", "services_known/day_care_disability", "used", 3},
    {"hh_disability", "yes", "barriers", "physical_access", 4},
    {"hh_disability", "yes", "unmet_need", "yes", 2},
    {"hh_disability", "yes", "unmet_need_what",
     "personal_assistance day_care_disability respite carer_support", 3},
    {"hh_disability", "yes", "top_services",
     "personal_assistance day_care_disability respite carer_support", 3},
    {"hh_disability", "yes", "needed_groups", "persons_with_disability", 3},
    {"caring_duties", caring, "risk_factors", "caring_burden", 3},
    {"caring_duties", caring, "needed_groups", "informal_carers", 3},
    {"caring_duties", caring, "top_services", "respite carer_support", 2},
    {"sex", "female", "caring_duties", "yes_household yes_outside", 1.5},
    {"sex", "female", "household", "single_parent", 2.5},
    {"sex", "male", "household", "single_parent", 0.4},
    // Income and work: poverty, debt, cash assistance, what people can pay.
    {"employment", "unemployed", "income_adequacy", "great_difficulty difficulty", 3},
    {"employment", "unemployed", "risk_factors", "unemployment", 10},
    {"employment", "employed self_employed", "income_adequacy", "fairly_easily easily", 2},
    {"employment", "employed self_employed", "risk_factors", "unemployment", 0.1},
    {"income_adequacy", low_income, "risk_factors", "poverty", 5},
    {"income_adequacy", low_income, "risk_factors", "debt poor_housing", 2.5},
    {"income_adequacy", low_income, "risk_factors", "none", 0.3},
    {"income_adequacy", low_income, "co_payment", "cannot_afford should_be_free", 3},
    {"income_adequacy", low_income, "barriers", "cost", 3},
    {"income_adequacy", low_income, "top_services",
     "one_off_cash_assistance cash_social_assistance food_hygiene_packages", 3},
    {"income_adequacy", low_income, "unmet_need", "yes", 1.8},
    {"minority", "roma", "risk_factors", "discrimination missing_documents low_education", 5},
    {"household", "single_parent", "needed_groups", "single_parents", 4},
    {"household", "alone", "risk_factors", "isolation old_age_alone", 2.5},
    {"household", "alone", "lonely", "often almost_always", 1.8},
};

// Typical numbers: the first row of a question whose condition holds gives the range its answers
// are drawn from (uniformly); an empty if_question always holds.
struct TypicalNumber {
  const char* question;
  const char* if_question;
  const char* if_choices;
  double lo;
  double hi;
};
constexpr TypicalNumber typical_numbers[] = {
    {"household_size", "household", "alone", 1, 1},
    {"household_size", "household", "couple", 2, 2},
    {"household_size", "household", "couple_children", 3, 6},
    {"household_size", "household", "single_parent", 2, 4},
    {"household_size", "household", "with_parents", 2, 5},
    {"household_size", "household", "extended", 4, 9},
    {"household_size", "", "", 2, 5},
    {"children_under_18", "household", "couple_children single_parent", 1, 3},
    {"children_under_18", "household", "extended", 0, 3},
    {"children_under_18", "", "", 0, 1},
    {"caring_hours", "caring_duties", "yes_household", 5, 60},
    {"caring_hours", "", "", 2, 20},
    {"experience_years", "", "", 1, 30},
    {"capacity_places", "", "", 5, 200},
    {"volunteers", "", "", 0, 20},
    {"annual_budget", "", "", 100'000, 50'000'000},
};

// A fixed weight in [0.3, 1.7] from the names: each question gets its own shape, the same for
// every seed.
double shaped_weight(std::string_view key, std::string_view choice) {
  std::uint64_t h = 14695981039346656037ull;
  for (std::string_view part : {key, std::string_view("/"), choice}) {
    for (unsigned char c : part) h = (h ^ c) * 1099511628211ull;
  }
  return 0.3 + 1.4 * static_cast<double>(h >> 11) * 0x1.0p-53;
}

std::vector<double> base_of(const Question& question, std::string_view key,
                            const ProfileShares& profile) {
  const auto& choices = question.choices;
  std::vector<double> base(choices.size());
  auto shares = profile.find(question.name);
  double others = 0;
  std::size_t exclusive = 0;
  for (std::size_t c = 0; c < choices.size(); ++c) {
    const auto& choice = choices[c];
    if (shares != profile.end()) {
      auto share = shares->second.find(choice.name);
      base[c] = share == shares->second.end() ? 0 : share->second;
      continue;
    }
    base[c] = shaped_weight(key, choice.name);
    if (choice.other) base[c] = 0.06;
    if (choice.name == "prefer_not_to_say") base[c] = 0.05;
    if (choice.name == "dont_know") base[c] *= 0.3;
    if (choice.exclusive && question.type == QuestionType::multiple) {
      ++exclusive;
    } else {
      others += base[c];
    }
  }
  // "None of these" about one time in ten, unless tabled below.
  for (std::size_t c = 0; c < choices.size(); ++c) {
    if (choices[c].exclusive && question.type == QuestionType::multiple &&
        choices[c].name != "prefer_not_to_say") {
      base[c] = 0.1 * others / static_cast<double>(exclusive);
    }
  }
  for (const auto& tabled : base_weights) {
    if (tabled.question != question.name) continue;
    if (const auto* choice = question.find_choice(tabled.choice)) {
      base[static_cast<std::size_t>(choice - choices.data())] = tabled.weight;
    }
  }
  return base;
}

}  // namespace

ChoiceWeights::ChoiceWeights(const questionnaire::Questionnaire& q, const ProfileShares& profile) {
  for (const auto& question : q.questions()) {
    if (!questionnaire::has_choices(question.type)) continue;
    if (question.type == QuestionType::matrix) {
      for (const auto& row : question.rows) {
        std::string key = question.name + "/" + row.name;
        m_targets[key].base = base_of(question, key, profile);
      }
    } else {
      m_targets[question.name].base = base_of(question, question.name, profile);
    }
  }
  for (const auto& t : tendencies) {
    std::string_view target(t.question);
    auto slash = target.find('/');
    const Question* question = q.find(target.substr(0, slash));
    auto it = m_targets.find(std::string(target));
    if (!question || !q.find(t.if_question) || it == m_targets.end()) continue;
    for (const auto& choice_name : words(t.choices)) {
      const auto* choice = question->find_choice(choice_name);
      if (!choice) continue;
      it->second.rules.push_back(
          {.when = {.question = t.if_question, .choices = words(t.if_choices)},
           .choice = static_cast<std::size_t>(choice - question->choices.data()),
           .factor = t.factor});
    }
  }
}

void ChoiceWeights::weights(const Question& question, std::string_view row, const json& answers,
                            std::vector<double>& out) const {
  auto it = row.empty() ? m_targets.find(question.name)
                        : m_targets.find(question.name + "/" + std::string(row));
  if (it == m_targets.end()) {
    out.assign(question.choices.size(), 1.0);
    return;
  }
  out = it->second.base;
  for (const auto& rule : it->second.rules) {
    if (rule.when.holds(answers)) out[rule.choice] *= rule.factor;
  }
}

TypicalNumbers::TypicalNumbers(const questionnaire::Questionnaire& q) {
  for (const auto& t : typical_numbers) {
    const Question* question = q.find(t.question);
    if (!question || !questionnaire::is_numeric(question->type)) continue;
    m_rules[t.question].push_back(
        {.when = {.question = t.if_question, .choices = words(t.if_choices)},
         .range = {.lo = t.lo, .hi = t.hi}});
  }
}

std::optional<Range> TypicalNumbers::range(const Question& question, const json& answers) const {
  auto it = m_rules.find(question.name);
  if (it == m_rules.end()) return std::nullopt;
  for (const auto& rule : it->second) {
    if (!rule.when.holds(answers)) continue;
    double lo = std::max(rule.range.lo, question.min.value_or(rule.range.lo));
    double hi = std::min(rule.range.hi, question.max.value_or(rule.range.hi));
    if (lo <= hi) return Range{.lo = lo, .hi = hi};
  }
  return std::nullopt;
}

}  // namespace needsmap::synthetic
