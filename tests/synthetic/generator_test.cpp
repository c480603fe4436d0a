// Generated responses: valid for every bundled questionnaire, the same for the same seed, shaped
// like an open web survey, and with needs that depend on who answers.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

#include "collect/campaigns.hpp"
#include "collect/collect.hpp"
#include "questionnaire/loader.hpp"
#include "store/population.hpp"
#include "synthetic/populate.hpp"
#include "test_database.hpp"
#include "test_support.hpp"

namespace needsmap::synthetic {
namespace {

// Under the sanitizers every draw costs ten times as much: a quarter of the sample still holds
// the same properties (the seeds are fixed, so the samples are too), at a quarter of CI's time.
#if defined(__SANITIZE_ADDRESS__) || defined(NEEDSMAP_SMALL_SAMPLES)
constexpr std::size_t sample_divisor = 4;
#else
constexpr std::size_t sample_divisor = 1;
#endif
constexpr std::size_t sample(std::size_t n) {
  return n / sample_divisor;
}

using nlohmann::json;
using questionnaire::Questionnaire;

const std::string today = "2025-11-15";

Questionnaire bundled(const std::string& name) {
  auto catalogs = questionnaire::load_catalogs(fixtures::source_dir() / "data/catalogs");
  EXPECT_TRUE(catalogs.has_value());
  auto q = questionnaire::load_questionnaire_file(
      fixtures::source_dir() / "questionnaires" / (name + ".json"), catalogs.value());
  if (!q) {
    ADD_FAILURE() << name << ": " << q.error().front().to_string();
    std::abort();
  }
  return std::move(*q);
}

// data/analysis/demo_population.csv: variable,category,population.
store::PopulationTable demo_population() {
  std::ifstream in(fixtures::source_dir() / "data/analysis/demo_population.csv");
  store::PopulationTable table;
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string variable, category, population;
    std::getline(fields, variable, ',');
    std::getline(fields, category, ',');
    std::getline(fields, population, ',');
    table.margins.push_back({variable, category, std::stod(population)});
  }
  return table;
}

std::vector<json> generate(const Questionnaire& q, std::uint64_t seed, std::size_t n,
                           Profile profile, GeneratorCounts& counts) {
  ResponseGenerator generator(q, profile_shares(profile, q, demo_population()));
  std::vector<json> out;
  for (std::size_t i = 0; i < n; ++i) {
    Random random(mix_seed(seed, i));
    out.push_back(generator.generate(random, today, counts).answers);
  }
  return out;
}

bool has(const json& answers, const std::string& question, const std::string& choice) {
  auto it = answers.find(question);
  if (it == answers.end()) return false;
  if (it->is_array()) return std::ranges::find(*it, json(choice)) != it->end();
  return *it == choice;
}

// The share of respondents with `choice` among those `in_group`.
template <typename Group>
double share(const std::vector<json>& responses, Group in_group, const std::string& question,
             const std::string& choice) {
  double n = 0, with = 0;
  for (const auto& r : responses) {
    if (!in_group(r)) continue;
    ++n;
    with += has(r, question, choice);
  }
  EXPECT_GT(n, 30) << question;
  return with / n;
}

class EveryQuestionnaire : public testing::TestWithParam<const char*> {};

TEST_P(EveryQuestionnaire, TwoThousandResponsesAllPassTheApisValidation) {
  Questionnaire q = bundled(GetParam());
  GeneratorCounts counts;
  auto responses = generate(q, 42, 2000, Profile::web_skewed, counts);
  EXPECT_EQ(counts.rejected, 0u) << counts.first_rejection->question << ": "
                                 << questionnaire::to_string(counts.first_rejection->code);
  std::map<std::string, std::size_t> answered;
  for (const auto& stored : responses) {
    // Checked again from scratch, as a client would send them (calculated values are not sent).
    json sent = stored;
    for (const auto& question : q.questions()) {
      if (question.type == questionnaire::QuestionType::calculate) sent.erase(question.name);
    }
    auto checked =
        collect::check_submission(q, sent, today, questionnaire::IrrelevantAnswers::reject);
    ASSERT_TRUE(checked) << checked.error().front().question << ": "
                         << questionnaire::to_string(checked.error().front().code) << "\n"
                         << stored.dump();
    EXPECT_EQ(*checked, stored);
    for (const auto& [name, value] : stored.items()) ++answered[name];
  }
  // Every question that takes an answer is answered by someone.
  for (const auto& question : q.questions()) {
    if (!questionnaire::takes_answer(question.type)) continue;
    EXPECT_GT(answered[question.name], 0u) << question.name;
  }
}

INSTANTIATE_TEST_SUITE_P(Bundled, EveryQuestionnaire,
                         testing::Values("citizens", "providers", "stakeholders", "users"));

TEST(GeneratedResponses, TheSameSeedGivesTheSameAnswers) {
  Questionnaire q = bundled("citizens");
  GeneratorCounts counts;
  auto first = generate(q, 7, 300, Profile::web_skewed, counts);
  auto again = generate(q, 7, 300, Profile::web_skewed, counts);
  auto other = generate(q, 8, 300, Profile::web_skewed, counts);
  EXPECT_EQ(first, again);
  EXPECT_NE(first, other);
}

TEST(GeneratedResponses, WebSkewedOverRepresentsTheYoungWomenAndTowns) {
  Questionnaire q = bundled("citizens");
  GeneratorCounts counts;
  auto web = generate(q, 42, sample(4000), Profile::web_skewed, counts);
  auto population = generate(q, 42, sample(4000), Profile::population, counts);
  auto everyone = [](const json&) { return true; };
  // The demo population: 2,600 of 17,400 aged 18 to 29; 9,050 women; half urban.
  double young = 2600.0 / 17400, women = 9050.0 / 17400;
  EXPECT_GT(share(web, everyone, "age_band", "18_29"), young + 0.07);
  EXPECT_GT(share(web, everyone, "sex", "female"), women + 0.03);
  EXPECT_GT(share(web, everyone, "settlement", "urban"), 0.6);
  double declined = share(web, everyone, "sex", "prefer_not_to_say");
  EXPECT_GT(declined, 0.01);
  EXPECT_LT(declined, 0.06);
  // The population profile keeps the table's proportions.
  EXPECT_NEAR(share(population, everyone, "age_band", "18_29"), young, 0.02);
  EXPECT_NEAR(share(population, everyone, "sex", "female"), women, 0.025);
  EXPECT_NEAR(share(population, everyone, "settlement", "urban"), 0.5, 0.025);
  EXPECT_EQ(share(population, everyone, "sex", "prefer_not_to_say"), 0);
}

TEST(GeneratedResponses, NeedsDependOnWhoAnswers) {
  Questionnaire q = bundled("citizens");
  GeneratorCounts counts;
  auto r = generate(q, 42, sample(4000), Profile::web_skewed, counts);
  auto rural = [](const json& a) { return has(a, "settlement", "rural"); };
  auto urban = [](const json& a) { return has(a, "settlement", "urban"); };
  auto older = [](const json& a) {
    return has(a, "age_band", "65_79") || has(a, "age_band", "80_plus");
  };
  auto younger = [&](const json& a) { return !older(a); };
  auto disability = [](const json& a) { return has(a, "hh_disability", "yes"); };
  auto no_disability = [](const json& a) { return has(a, "hh_disability", "no"); };
  EXPECT_GT(share(r, rural, "risk_factors", "remoteness"),
            3 * share(r, urban, "risk_factors", "remoteness"));
  EXPECT_GT(share(r, older, "risk_factors", "isolation"),
            1.5 * share(r, younger, "risk_factors", "isolation"));
  EXPECT_GT(share(r, older, "top_services", "home_care"),
            1.5 * share(r, younger, "top_services", "home_care"));
  EXPECT_GT(share(r, disability, "risk_factors", "caring_burden"),
            2 * share(r, no_disability, "risk_factors", "caring_burden"));
}

TEST(GeneratedResponses, AreStoredAsImportedResponsesAndAgainNotTwice) {
  fixtures::TestDatabase database(fixtures::Backend::sqlite);
  auto store = database.open();
  ASSERT_TRUE(collect::install_demo(*store, collect::ShareDir{fixtures::source_dir()}));
  auto campaign = store->find_campaign("demo", "citizens");
  ASSERT_TRUE(campaign);
  ASSERT_TRUE(store->update_anonymity(campaign->id, campaign->min_cell_size, "month"));
  campaign->date_precision = "month";
  collect::QuestionnaireCache cache;
  auto q = cache.get(*store, campaign->questionnaire_version_id);
  ASSERT_TRUE(q);

  PopulateOptions options{
      .count = 250, .seed = 3, .profile = Profile::web_skewed, .today = today, .batch = 100};
  std::vector<std::uint64_t> progress;
  auto report = populate(*store, *campaign, **q, options,
                         [&](std::uint64_t done) { progress.push_back(done); });
  EXPECT_EQ(report.stored, 250u);
  EXPECT_EQ(report.counts.rejected, 0u);
  EXPECT_TRUE(report.population_table == false);  // install_demo alone sets none
  EXPECT_EQ(progress, (std::vector<std::uint64_t>{100, 200, 250}));
  EXPECT_EQ(store->count_responses(campaign->id), 250);
  std::map<std::string, int> languages;
  store->for_each_response(campaign->id, [&](const store::ResponseRecord& r) {
    EXPECT_EQ(r.mode, "import");
    EXPECT_EQ(r.submitted_on.size(), 7u) << r.submitted_on;  // the month only
    ++languages[r.language];
  });
  EXPECT_GT(languages["sr-Cyrl"], 150);
  EXPECT_GT(languages["sr-Latn"], 5);

  auto again = populate(*store, *campaign, **q, options);
  EXPECT_EQ(again.stored, 0u);
  EXPECT_EQ(again.already_stored, 250u);
}

}  // namespace
}  // namespace needsmap::synthetic
