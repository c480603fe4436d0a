#include "analysis/monitoring.hpp"

#include <gtest/gtest.h>

#include "analysis_support.hpp"
#include "store/progress.hpp"
#include "test_database.hpp"
#include "test_support.hpp"

namespace needsmap::analysis {
namespace {

using fixtures::Backend;
class MonitoringTest : public testing::TestWithParam<Backend> {};

const QuestionTable& table(const Monitor& m, const questionnaire::Questionnaire& q,
                           const std::string& name, const std::string& row = "") {
  for (const auto& t : m.questions) {
    if (q.questions()[t.question].name == name && t.row == row) return t;
  }
  throw std::runtime_error("no table for " + name);
}

std::int64_t count_of(const QuestionTable& t, const std::string& choice) {
  for (const auto& c : t.choices) {
    if (c.choice == choice) return c.count.count;
  }
  throw std::runtime_error("no choice " + choice);
}

struct Campaign {
  explicit Campaign(Backend backend) : database(backend) {}
  void add(const std::string& id, const std::string& date, const std::string& mode,
           const std::string& answers) {
    store->insert_response({id, campaign.id, id, date, mode, "sr-Cyrl", answers});
  }
  fixtures::TestDatabase database;
  std::unique_ptr<store::Store> store = database.open();
  store::Campaign campaign = fixtures::mini_campaign(*store);
  questionnaire::Questionnaire q = fixtures::mini_questionnaire();
};

TEST_P(MonitoringTest, counts_dates_pages_times_and_answers_as_stored) {
  Campaign c(GetParam());
  c.add("a", "2025-11-15", "web",
        R"({"age":30,"works":"yes","job":"a","risks":["poverty","illness"],"household":2})");
  c.add("b", "2025-11-15", "web", R"({"age":70,"works":"no","risks":["none"],"alone":"yes"})");
  c.add("c", "2025-11-16", "paper", R"({"age":50,"works":"yes","risks":["poverty"]})");
  for (int i = 0; i < 4; ++i) store::count_page_reached(*c.store, c.campaign.id, 0);
  for (int i = 0; i < 3; ++i) store::count_page_reached(*c.store, c.campaign.id, 2);
  for (int minutes : {5, 7, 9}) store::count_completion(*c.store, c.campaign.id, minutes);

  Monitor m = build_monitor(*c.store, c.campaign, c.q, "2025-11-20");
  EXPECT_EQ(m.responses.count, 3);
  EXPECT_EQ(m.modes, (std::vector<std::string>{"web", "paper"}));
  ASSERT_EQ(m.dates.size(), 2u);
  EXPECT_EQ(m.dates[0].date, "2025-11-15");
  EXPECT_EQ(m.dates[0].by_mode[0].count, 2);
  EXPECT_EQ(m.dates[0].by_mode[1].count, 0);
  EXPECT_EQ(m.dates[1].total.count, 1);
  EXPECT_EQ(m.mode_totals[1].count, 1);
  EXPECT_EQ(m.started.count, 4);
  EXPECT_EQ(m.finished.count, 3);
  ASSERT_EQ(m.pages.size(), 2u);
  EXPECT_EQ(m.pages[1].section, 2u);
  EXPECT_EQ(m.pages[1].reached.count, 3);
  EXPECT_EQ(m.timed.count, 3);
  EXPECT_EQ(m.median_minutes, 7.0);

  const auto& works = table(m, c.q, "works");
  EXPECT_TRUE(works.additive);
  EXPECT_EQ(count_of(works, "yes"), 2);
  EXPECT_EQ(count_of(works, "no"), 1);
  EXPECT_EQ(works.asked.count, 3);
  EXPECT_EQ(works.no_answer.count, 0);
  // Asked only of those who work; one of them left it empty.
  const auto& job = table(m, c.q, "job");
  EXPECT_EQ(job.asked.count, 2);
  EXPECT_EQ(job.answered.count, 1);
  EXPECT_EQ(job.no_answer.count, 1);
  const auto& risks = table(m, c.q, "risks");
  EXPECT_FALSE(risks.additive);
  EXPECT_EQ(count_of(risks, "poverty"), 2);
  EXPECT_EQ(count_of(risks, "illness"), 1);
  EXPECT_EQ(count_of(risks, "none"), 1);
  // The second page applies from 65 on: one respondent.
  EXPECT_EQ(table(m, c.q, "alone").asked.count, 1);
  EXPECT_EQ(table(m, c.q, "age").median, 50.0);
  const auto& home_care = table(m, c.q, "services", "home_care");
  EXPECT_EQ(home_care.asked.count, 3);
  EXPECT_EQ(home_care.no_answer.count, 3);
}

TEST_P(MonitoringTest, below_analyst_every_group_under_k_is_hidden_and_so_are_small_medians) {
  Campaign c(GetParam());
  for (int i = 0; i < 7; ++i) {
    c.add("w" + std::to_string(i), "2025-11-15", "web", R"({"age":40,"works":"yes"})");
  }
  c.add("p", "2025-11-15", "paper", R"({"age":80,"works":"no"})");
  for (int minutes : {5, 7, 9}) store::count_completion(*c.store, c.campaign.id, minutes);
  Monitor m = with_suppression(build_monitor(*c.store, c.campaign, c.q, "2025-11-20"));
  EXPECT_TRUE(m.suppressed);
  EXPECT_FALSE(m.responses.hidden);
  // Paper 1 is hidden; with the day's total shown, web 7 is hidden too.
  EXPECT_TRUE(m.dates[0].by_mode[1].hidden);
  EXPECT_TRUE(m.dates[0].by_mode[0].hidden);
  EXPECT_FALSE(m.dates[0].total.hidden);
  const auto& works = table(m, c.q, "works");
  EXPECT_TRUE(works.choices[1].count.hidden);  // no: 1
  EXPECT_TRUE(works.choices[0].count.hidden);  // yes: 7, its complement
  EXPECT_FALSE(works.asked.hidden);
  EXPECT_FALSE(m.median_minutes) << "three timings are fewer than k";
  EXPECT_EQ(table(m, c.q, "age").median, 40.0) << "eight ages are enough";
}

TEST(Monitoring, the_median_of_a_histogram_of_minutes) {
  EXPECT_FALSE(histogram_median({}));
  EXPECT_EQ(histogram_median({{4, 1}}), 4.0);
  EXPECT_EQ(histogram_median({{4, 1}, {6, 1}}), 5.0);
  EXPECT_EQ(histogram_median({{3, 2}, {10, 1}}), 3.0);
  EXPECT_EQ(histogram_median({{1, 1}, {2, 1}, {8, 2}}), 5.0);
}

INSTANTIATE_TEST_SUITE_P(Backends, MonitoringTest,
                         testing::Values(Backend::sqlite, Backend::postgres),
                         fixtures::backend_name);

}  // namespace
}  // namespace needsmap::analysis
