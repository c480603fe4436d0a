// Population tables: read and checked with every problem named by kind and line; respondents
// weighted to the margins their questionnaire asks about, the others left out and counted.
#include "analysis/population.hpp"

#include <gtest/gtest.h>

#include "analysis_support.hpp"

namespace needsmap::analysis {
namespace {

using Kind = PopulationIssue::Kind;

std::vector<Kind> kinds(const PopulationRead& read) {
  std::vector<Kind> out;
  for (const auto& issue : read.issues) out.push_back(issue.kind);
  return out;
}

TEST(PopulationCsv, names_every_problem_with_its_line) {
  PopulationRead read = read_population_csv(
      "variable,category,population\n"
      "age,young,many\n"
      "age,old,-3\n"
      "age\n"
      "sex,female,10\n"
      "sex,female,12\n"
      "age*sex,old,4\n");
  EXPECT_EQ(kinds(read), (std::vector<Kind>{Kind::number, Kind::negative, Kind::fields,
                                            Kind::duplicate, Kind::joint}));
  EXPECT_EQ(read.issues[0].line, 2u);
  EXPECT_EQ(read.issues[0].value, "many");
  EXPECT_EQ(read.issues[3].line, 6u);
  EXPECT_EQ(describe(read.issues[4]),
            "line 7: category old does not have one part per question of its variable");
}

TEST(PopulationCsv, variables_must_add_up_to_the_same_population) {
  PopulationRead read = read_population_csv(
      "variable,category,population\nsex,female,10\nsex,male,10\nplace,town,5\nplace,village,5\n");
  ASSERT_EQ(kinds(read), std::vector<Kind>{Kind::totals});
  EXPECT_EQ(read.issues[0].variable, "place");
  EXPECT_EQ(read.issues[0].total, 10);
  EXPECT_EQ(read.issues[0].expected, 20);
  EXPECT_EQ(describe(read.issues[0]),
            "variables disagree on the population: place adds up to 10, sex to 20");
}

TEST(PopulationCsv, an_empty_table_and_a_wrong_header_are_refused) {
  EXPECT_EQ(kinds(read_population_csv("")), std::vector<Kind>{Kind::empty});
  EXPECT_EQ(kinds(read_population_csv("variable,category,population\n\n")),
            std::vector<Kind>{Kind::empty});
  EXPECT_EQ(kinds(read_population_csv("name,count\nsex,3\n")), std::vector<Kind>{Kind::header});
}

TEST(PopulationCsv, writes_back_what_it_reads) {
  const std::string csv =
      "variable,category,population\nage*sex,\"old, very*female\",1200.5\nsex,male,1200.5\n";
  PopulationRead read = read_population_csv(csv);
  ASSERT_TRUE(read.issues.empty());
  EXPECT_EQ(population_csv(read.rows), csv);
  EXPECT_EQ(variable_parts("age*sex"), (std::vector<std::string>{"age", "sex"}));
}

Dataset survey() {
  Dataset data({fixtures::choice_column("sex", {"female", "male", "rather_not_say"}),
                fixtures::choice_column("place", {"town", "village"}),
                fixtures::choice_column("care", {"yes", "no"})});
  for (int i = 0; i < 30; ++i) {
    data.append({{"sex", i % 3 ? "female" : "male"},
                 {"place", i % 4 ? "town" : "village"},
                 {"care", i % 5 ? "no" : "yes"}});
  }
  data.append({{"sex", "rather_not_say"}, {"place", "town"}, {"care", "yes"}});
  data.append({{"place", "village"}, {"care", "no"}});  // sex not answered
  return data;
}

TEST(PopulationWeighting, leaves_out_respondents_the_table_has_no_population_for) {
  PopulationWeighting w = weight_to_population(survey(), {{"sex", "female", 600},
                                                          {"sex", "male", 400},
                                                          {"place", "town", 700},
                                                          {"place", "village", 300},
                                                          {"education", "any", 1000}});
  EXPECT_EQ(w.left_out, 2u);
  EXPECT_EQ(w.data.rows(), 30u);
  EXPECT_EQ(w.used, (std::vector<std::string>{"sex", "place"}));
  EXPECT_EQ(w.not_asked, std::vector<std::string>{"education"});
  ASSERT_TRUE(w.rake.report.converged);
  double female = 0, total = 0;
  const Column& sex = w.data.require("sex", ColumnKind::choice);
  for (std::size_t r = 0; r < w.data.rows(); ++r) {
    total += w.data.weights()[r];
    if (sex.choice.code(r) == 0) female += w.data.weights()[r];
  }
  EXPECT_NEAR(total, 1000, 1e-6);
  EXPECT_NEAR(female, 600, 1e-6);
}

TEST(PopulationWeighting, needs_a_margin_the_questionnaire_asks_about) {
  try {
    weight_to_population(survey(), {{"education", "any", 1000}});
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "the population table names none of the questionnaire's questions");
  }
}

}  // namespace
}  // namespace needsmap::analysis
