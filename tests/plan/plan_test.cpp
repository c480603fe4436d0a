// The gap analysis and the priority score on small hand-made data sets whose every figure is
// worked out in the comments.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "plan/gaps.hpp"
#include "plan/priorities.hpp"

namespace needsmap::plan {
namespace {

using analysis::ColumnKind;
using analysis::ColumnSpec;
using analysis::Dataset;
using nlohmann::json;

const std::vector<std::string> services = {"home_care", "day_care_older", "soup_kitchen"};

ColumnSpec column(std::string name, ColumnKind kind, std::vector<std::string> categories = {}) {
  return {.name = std::move(name),
          .kind = kind,
          .categories = std::move(categories),
          .question = {},
          .row = {}};
}

// Five citizens. Those who answered the filter question (rows 0–3) weigh 500 in all:
//   row 0, weight 100: needed home care; 2 people, no children → 2 adults
//   row 1, weight 100: needed home care and the soup kitchen; 4 people, 2 children → 2 adults
//   row 2, weight 200: needed nothing; lives alone
//   row 3, weight 100: does not know; household size not given → counted as 1 adult
//   row 4, weight 500: skipped the question: not among the respondents of the need share
Dataset citizens() {
  Dataset data({column("unmet_need", ColumnKind::choice, {"yes", "no", "dk"}),
                column("unmet_need_what", ColumnKind::multiple, services),
                column("top_services", ColumnKind::multiple, {"home_care", "soup_kitchen"}),
                column("household_size", ColumnKind::number),
                column("children_under_18", ColumnKind::number)});
  data.append(json{{"unmet_need", "yes"},
                   {"unmet_need_what", {"home_care"}},
                   {"top_services", {"home_care"}},
                   {"household_size", 2},
                   {"children_under_18", 0}});
  data.append(json{{"unmet_need", "yes"},
                   {"unmet_need_what", {"home_care", "soup_kitchen"}},
                   {"top_services", {"soup_kitchen"}},
                   {"household_size", 4},
                   {"children_under_18", 2}});
  data.append(json{{"unmet_need", "no"}, {"top_services", {"home_care"}}, {"household_size", 1}});
  data.append(json{{"unmet_need", "dk"}});
  data.append(json::object());
  data.weights() = {100, 100, 200, 100, 500};
  return data;
}

// Rows 0, 2 and 4 are older people.
analysis::GroupMembership older() {
  return {.name = "older", .applicable = true, .member = {1, 0, 1, 0, 1}, .members = 3};
}

// The previous campaign: 1 of 4 equally weighted respondents needed home care.
Dataset previous_campaign() {
  Dataset data({column("unmet_need", ColumnKind::choice, {"yes", "no"}),
                column("unmet_need_what", ColumnKind::multiple, services)});
  data.append(json{{"unmet_need", "yes"}, {"unmet_need_what", {"home_care"}}});
  for (int i = 0; i < 3; ++i) data.append(json{{"unmet_need", "no"}});
  return data;
}

// Three stakeholders: home care ranked by both who answered, the soup kitchen by one.
Dataset stakeholders() {
  Dataset data({column("develop_first", ColumnKind::multiple, {"home_care", "soup_kitchen"})});
  data.append(json{{"develop_first", {"home_care"}}});
  data.append(json{{"develop_first", {"soup_kitchen", "home_care"}}});
  data.append(json::object());
  return data;
}

// Five users of social protection, in their own words: rows 0 and 1 miss help at home, row 1
// also company, row 2 food, row 3 nothing; row 4 did not answer.
Dataset users() {
  Dataset data({column("missing_help", ColumnKind::multiple,
                       {"help_at_home", "company", "food", "nothing"})});
  data.append(json{{"missing_help", {"help_at_home"}}});
  data.append(json{{"missing_help", {"company", "help_at_home"}}});
  data.append(json{{"missing_help", {"food"}}});
  data.append(json{{"missing_help", {"nothing"}}});
  data.append(json::object());
  return data;
}

// What each service gives, in the users' words (the catalog's "missing_help"). The day care
// centre gives company and also (for the test) help at home: a user who misses both counts once.
const ServiceNeeds users_needs = {{"home_care", {"help_at_home"}},
                                  {"day_care_older", {"company", "help_at_home"}},
                                  {"soup_kitchen", {"food", "not_in_the_questionnaire"}}};

std::optional<Provision> registry(std::string_view service) {
  if (service == "home_care") {
    return Provision{
        .services = 1, .places = 25, .users = 20, .waiting = 4, .sources = {"service A"}};
  }
  if (service == "soup_kitchen") return Provision{};  // the registry has none
  return std::nullopt;                                // not looked up
}

struct Fixture {
  Dataset citizens_data = citizens();
  Dataset previous_data = previous_campaign();
  Dataset stakeholder_data = stakeholders();
  Dataset users_data = users();
  std::vector<analysis::GroupMembership> groups = {older()};

  GapInputs inputs(std::int64_t k = 2) const {
    return {
        .citizens = {.data = &citizens_data,
                     .design = {.weights = citizens_data.weights(), .raking = {}},
                     .weighted = true,
                     .source = "citizens"},
        .previous = SurveyData{.data = &previous_data,
                               .design = {.weights = previous_data.weights(), .raking = {}},
                               .weighted = false,
                               .source = "previous"},
        .stakeholders = SurveyData{.data = &stakeholder_data,
                                   .design = {.weights = stakeholder_data.weights(), .raking = {}},
                                   .weighted = false,
                                   .source = "stakeholders"},
        .users = SurveyData{.data = &users_data,
                            .design = {.weights = users_data.weights(), .raking = {}},
                            .weighted = false,
                            .source = "users"},
        .users_needs = users_needs,
        .users_min_cell_size = k,
        .groups = groups,
        .resources = registry,
        .questions = {},
        .min_cell_size = k};
  }
};

const ServiceGap& row(const std::vector<ServiceGap>& gaps, std::string_view service,
                      std::string_view group = "") {
  for (const auto& g : gaps) {
    if (g.service == service && g.group == group) return g;
  }
  throw std::logic_error("no row " + std::string(service) + "/" + std::string(group));
}

TEST(Gaps, users_who_miss_what_a_service_gives) {
  const Fixture f;
  const auto gaps = gap_analysis(f.inputs(), services);
  // Of the 4 users who answered: 2 miss help at home; 2 miss company or help at home (row 1
  // once); 1 misses food.
  ASSERT_TRUE(row(gaps, "home_care").users_missing);
  EXPECT_DOUBLE_EQ(row(gaps, "home_care").users_missing->estimate, 0.5);
  EXPECT_EQ(row(gaps, "home_care").users_missing->n, 4);
  EXPECT_EQ(row(gaps, "home_care").users_missing->count, 2);
  EXPECT_DOUBLE_EQ(row(gaps, "day_care_older").users_missing->estimate, 0.5);
  EXPECT_DOUBLE_EQ(row(gaps, "soup_kitchen").users_missing->estimate, 0.25);
  // With k = 2, the one user who misses food would be pointed at; 2 and 2 would not.
  EXPECT_TRUE(row(gaps, "soup_kitchen").users_missing_withheld);
  EXPECT_FALSE(row(gaps, "home_care").users_missing_withheld);
  // Groups are of citizens: the users' figure is on everyone's rows only.
  EXPECT_FALSE(row(gaps, "home_care", "older").users_missing);

  // With k = 3, 2 users are too few as well.
  EXPECT_TRUE(row(gap_analysis(f.inputs(3), services), "home_care").users_missing_withheld);
  // The users' campaign's own smallest group counts, not the citizens'.
  GapInputs stricter_users = f.inputs(2);
  stricter_users.users_min_cell_size = 3;
  const auto gaps_k3 = gap_analysis(stricter_users, services);
  EXPECT_TRUE(row(gaps_k3, "home_care").users_missing_withheld);
  EXPECT_FALSE(row(gaps_k3, "home_care").withheld);  // the citizens' 2 of 5 at k = 2
}

TEST(Gaps, users_figure_is_unknown_without_their_campaign_or_a_need_for_the_service) {
  const Fixture f;
  GapInputs without = f.inputs();
  without.users.reset();
  for (const auto& g : gap_analysis(without, services)) EXPECT_FALSE(g.users_missing);

  GapInputs unmapped = f.inputs();
  unmapped.users_needs.erase("soup_kitchen");
  EXPECT_FALSE(row(gap_analysis(unmapped, services), "soup_kitchen").users_missing);

  // Users whose campaign has no answers yet have no figure, not a share of 0.
  Dataset empty({column("missing_help", ColumnKind::multiple, {"help_at_home"})});
  GapInputs none = f.inputs();
  none.users->data = &empty;
  none.users->design = {.weights = empty.weights(), .raking = {}};
  EXPECT_FALSE(row(gap_analysis(none, services), "home_care").users_missing);
}

TEST(Gaps, adults_per_household_divide_each_weight) {
  const Dataset data = citizens();
  EXPECT_EQ(adults_per_household(data, {}), (std::vector<double>{2, 2, 1, 1, 1}));
}

TEST(Gaps, need_shares_households_and_coverage) {
  const Fixture f;
  const auto gaps = gap_analysis(f.inputs(), services);
  ASSERT_EQ(gaps.size(), 6u);  // three services for everyone, then three for the group

  // Home care: rows 0 and 1 of the 500 who answered → 200 / 500.
  const ServiceGap& home = row(gaps, "home_care");
  EXPECT_DOUBLE_EQ(home.need.share.estimate, 0.4);
  EXPECT_EQ(home.need.share.count, 2);
  EXPECT_EQ(home.need.share.n, 4);
  EXPECT_LT(home.need.share.ci_low, 0.4);
  EXPECT_GT(home.need.share.ci_high, 0.4);
  // Households: 100 / 2 + 100 / 2.
  ASSERT_TRUE(home.need.households);
  EXPECT_DOUBLE_EQ(*home.need.households, 100);
  EXPECT_LT(home.need.households_low, 100);
  EXPECT_GT(home.need.households_high, 100);
  // 20 users of the registry against 100 households still in need.
  ASSERT_TRUE(home.coverage);
  EXPECT_DOUBLE_EQ(*home.coverage, 20.0 / 120.0);
  // Half the weight in need is the older group's (row 0), half not (row 1).
  EXPECT_DOUBLE_EQ(*home.vulnerable_share, 0.5);
  // The previous campaign: 1 in 4.
  EXPECT_DOUBLE_EQ(home.previous_share->estimate, 0.25);
  EXPECT_DOUBLE_EQ(*home.change, 0.15);
  // Citizens who ranked it: rows 0 and 2 of the 400 who answered; stakeholders: both.
  EXPECT_DOUBLE_EQ(home.citizen_priority->estimate, 0.75);
  EXPECT_DOUBLE_EQ(home.stakeholder_priority->estimate, 1.0);
  EXPECT_FALSE(home.withheld);  // 2 in need, 2 not: neither under k = 2

  // The soup kitchen: row 1 alone; the registry has no such service, so nothing is covered.
  const ServiceGap& soup = row(gaps, "soup_kitchen");
  EXPECT_DOUBLE_EQ(soup.need.share.estimate, 0.2);
  EXPECT_DOUBLE_EQ(*soup.need.households, 50);
  EXPECT_DOUBLE_EQ(*soup.coverage, 0.0);
  EXPECT_DOUBLE_EQ(*soup.vulnerable_share, 0.0);
  EXPECT_TRUE(soup.withheld);  // one household

  // Day care: nobody needed it, the registry was not asked, nobody ranked it.
  const ServiceGap& day = row(gaps, "day_care_older");
  EXPECT_DOUBLE_EQ(day.need.share.estimate, 0.0);
  EXPECT_FALSE(day.coverage);
  EXPECT_FALSE(day.vulnerable_share);
  EXPECT_FALSE(day.citizen_priority);
  EXPECT_FALSE(day.stakeholder_priority);
}

TEST(Gaps, group_rows_use_the_group_as_domain) {
  const Fixture f;
  const auto gaps = gap_analysis(f.inputs(), services);
  // Older respondents who answered: rows 0 (in need, weight 100) and 2 (not, 200).
  const ServiceGap& home = row(gaps, "home_care", "older");
  EXPECT_NEAR(home.need.share.estimate, 1.0 / 3.0, 1e-12);
  EXPECT_EQ(home.need.share.n, 2);
  EXPECT_DOUBLE_EQ(*home.need.households, 50);
  EXPECT_FALSE(home.coverage);  // the registry does not count users by group
  EXPECT_TRUE(home.withheld);   // one older household in need
  // With k = 5 every row here rests on too few people.
  for (const auto& g : gap_analysis(f.inputs(5), services)) {
    if (g.need.share.count > 0) {
      EXPECT_TRUE(g.withheld) << g.service << "/" << g.group;
    }
  }
}

TEST(Gaps, a_ranking_nobody_answered_is_unknown_not_zero) {
  Fixture f;
  Dataset nobody({column("develop_first", ColumnKind::multiple, {"home_care"})});
  nobody.append(json::object());
  f.stakeholder_data = std::move(nobody);
  EXPECT_FALSE(row(gap_analysis(f.inputs(), services), "home_care").stakeholder_priority);
}

TEST(Gaps, without_weights_there_are_no_household_counts) {
  Fixture f;
  GapInputs inputs = f.inputs();
  inputs.citizens.weighted = false;
  const auto gaps = gap_analysis(inputs, services);
  EXPECT_FALSE(row(gaps, "home_care").need.households);
  EXPECT_FALSE(row(gaps, "home_care").coverage);
  EXPECT_DOUBLE_EQ(row(gaps, "home_care").need.share.estimate, 0.4);
}

TEST(Gaps, a_service_not_offered_is_left_out_and_missing_question_throws) {
  const Fixture f;
  const std::vector<std::string> asked = {"home_care", "shelter"};
  EXPECT_EQ(gap_analysis(f.inputs(), asked).size(), 2u);  // home care, for everyone and older
  Dataset empty({column("age", ColumnKind::number)});
  GapInputs inputs = f.inputs();
  inputs.citizens.data = &empty;
  EXPECT_THROW(gap_analysis(inputs, services), std::invalid_argument);
}

// The scores of the fixture, by hand, with the default weights 3, 2, 2, 1, 1, 1 (sum 10):
// home care: need 100/100 → 1, vulnerability 0.5, coverage gap 1 − 1/6, stakeholders 1/1,
//   citizens 0.75/0.75, municipality 1 → (3 + 1 + 2·5/6 + 1 + 1 + 1) / 10 = 86.67
// soup kitchen: need 50/100, vulnerability 0, gap 1 (none in the registry), stakeholders 0.5/1,
//   citizens 0.25/0.75, municipality 1 → (1.5 + 0 + 2 + 0.5 + 1/3 + 1) / 10 = 53.33
// day care: need 0, so nothing uncovered (gap 0), municipality 1, the rest unknown →
//   (0 + 0 + 1) / (3 + 2 + 1) = 16.67
TEST(Priorities, weighted_mean_of_the_known_criteria) {
  const Fixture f;
  const auto gaps = gap_analysis(f.inputs(), services);
  const Responsibilities responsible = {{"home_care", "municipality"},
                                        {"soup_kitchen", "municipality"},
                                        {"day_care_older", "municipality"}};
  const auto ranked = prioritize(gaps, responsible);
  ASSERT_EQ(ranked.size(), 3u);  // group rows are not ranked
  EXPECT_EQ(ranked[0].service, "home_care");
  EXPECT_NEAR(ranked[0].score, 100.0 * (3 + 1 + 2 * 5.0 / 6.0 + 1 + 1 + 1) / 10, 1e-9);
  EXPECT_EQ(ranked[0].rank, 1);
  EXPECT_EQ(ranked[1].service, "soup_kitchen");
  EXPECT_NEAR(ranked[1].score, 100.0 * (1.5 + 0 + 2 + 0.5 + 1.0 / 3.0 + 1) / 10, 1e-9);
  EXPECT_EQ(ranked[2].service, "day_care_older");
  EXPECT_NEAR(ranked[2].score, 100.0 / 6.0, 1e-9);
  EXPECT_EQ(ranked[2].unknown.size(), 3u);

  // The parts add up to the score and come largest first.
  for (const auto& p : ranked) {
    double sum = 0;
    for (std::size_t i = 0; i < p.criteria.size(); ++i) {
      sum += p.criteria[i].contribution;
      if (i > 0) {
        EXPECT_GE(p.criteria[i - 1].contribution, p.criteria[i].contribution);
      }
    }
    EXPECT_NEAR(sum, p.score, 1e-9);
  }
  EXPECT_EQ(ranked[0].criteria.front().criterion, Criterion::unmet_need);  // 30 of 86.67 points
}

TEST(Priorities, weights_change_the_order_and_the_republic_scores_zero) {
  const Fixture f;
  const auto gaps = gap_analysis(f.inputs(), services);
  // Only the coverage gap counts: the soup kitchen (gap 1) passes home care (5/6).
  PriorityWeights gap_only;
  for (auto& [c, w] : gap_only.weight) w = c == Criterion::coverage_gap ? 1 : 0;
  const Responsibilities responsible = {{"home_care", "republic"}};
  const auto ranked = prioritize(gaps, responsible, gap_only);
  EXPECT_EQ(ranked[0].service, "soup_kitchen");
  EXPECT_NEAR(ranked[0].score, 100, 1e-9);
  EXPECT_NEAR(ranked[1].score, 100.0 * 5 / 6, 1e-9);
  // Only legal responsibility: home care is the Republic's (0); the others are not in the map.
  PriorityWeights legal_only;
  for (auto& [c, w] : legal_only.weight) w = c == Criterion::legal_responsibility ? 1 : 0;
  for (const auto& p : prioritize(gaps, responsible, legal_only)) {
    if (p.service == "home_care") {
      EXPECT_EQ(p.score, 0);
    }
  }
}

TEST(Priorities, equal_scores_share_a_rank) {
  ServiceGap a{.service = "a",
               .group = {},
               .need = {},
               .resources = {},
               .coverage = {},
               .change = {},
               .previous_share = {},
               .citizen_priority = {},
               .stakeholder_priority = {},
               .users_missing = {},
               .users_missing_withheld = false,
               .vulnerable_share = 0.5,
               .withheld = false};
  ServiceGap b = a;
  b.service = "b";
  ServiceGap c = a;
  c.service = "c";
  c.vulnerable_share = 0.1;
  const std::vector<ServiceGap> gaps = {a, b, c};
  const auto ranked = prioritize(gaps, {});
  EXPECT_EQ(ranked[0].rank, 1);
  EXPECT_EQ(ranked[1].rank, 1);
  EXPECT_EQ(ranked[2].rank, 3);
}

TEST(Priorities, criteria_names_round_trip) {
  for (Criterion c : all_criteria) EXPECT_EQ(criterion_from_string(to_string(c)), c);
  EXPECT_FALSE(criterion_from_string("size"));
}

}  // namespace
}  // namespace needsmap::plan
