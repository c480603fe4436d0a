#include "questionnaire/answers.hpp"

#include <gtest/gtest.h>

#include "test_support.hpp"

using namespace needsmap;
using namespace needsmap::questionnaire;
using nlohmann::json;

namespace {

const std::string today = "2025-11-15";

json valid_answers() {
  return {{"age", 40},
          {"works", "no"},
          {"risks", {"poverty"}},
          {"household", 2},
          {"services", {{"home_care", "unknown"}, {"day_care", "used"}}},
          {"top", {"home_care", "shelter"}}};
}

std::vector<AnswerIssue> check(json answers,
                               IrrelevantAnswers irrelevant = IrrelevantAnswers::reject) {
  static const Questionnaire q = fixtures::mini_questionnaire();
  return validate(q, answers, today, {std::nullopt, irrelevant});
}

struct IssueCase {
  const char* name;
  json changes;  // merged into valid answers; null removes a key
  const char* question;
  IssueCode code;
};

class AnswerValidation : public ::testing::TestWithParam<IssueCase> {};

}  // namespace

TEST(Answers, a_complete_valid_set_has_no_issues) {
  EXPECT_TRUE(check(valid_answers()).empty());
}

TEST_P(AnswerValidation, reports_exactly_the_expected_issue) {
  const auto& c = GetParam();
  json answers = valid_answers();
  answers.merge_patch(c.changes);
  auto issues = check(answers);
  ASSERT_EQ(issues.size(), 1u) << c.name << ": "
                               << (issues.empty() ? "none" : issues.front().question);
  EXPECT_EQ(issues[0].question, c.question);
  EXPECT_EQ(to_string(issues[0].code), to_string(c.code));
}

INSTANTIATE_TEST_SUITE_P(
    Issues, AnswerValidation,
    ::testing::Values(
        IssueCase{"missing_required", {{"age", nullptr}}, "age", IssueCode::required},
        IssueCase{"below_minimum", {{"age", 17}}, "age", IssueCode::below_minimum},
        IssueCase{
            "above_maximum", {{"age", 111}, {"alone", "no"}}, "age", IssueCode::above_maximum},
        IssueCase{"fraction_for_integer", {{"age", 40.5}}, "age", IssueCode::not_whole_number},
        IssueCase{"string_for_number", {{"age", "40"}}, "age", IssueCode::wrong_type},
        IssueCase{"unknown_choice", {{"works", "maybe"}}, "works", IssueCode::not_a_choice},
        IssueCase{"number_for_single", {{"works", 5}}, "works", IssueCode::wrong_type},
        IssueCase{"required_when_relevant", {{"works", "yes"}}, "job", IssueCode::required},
        IssueCase{"not_relevant", {{"job", "зидар"}}, "job", IssueCode::not_relevant},
        IssueCase{"too_long",
                  {{"works", "yes"}, {"job", "ааааааааааааааааааааа"}},
                  "job",
                  IssueCode::too_long},
        IssueCase{"too_many",
                  {{"risks", {"poverty", "illness", "isolation"}}},
                  "risks",
                  IssueCode::too_many},
        IssueCase{"exclusive_combined",
                  {{"risks", {"poverty", "none"}}},
                  "risks",
                  IssueCode::exclusive_combined},
        IssueCase{"duplicate_choice",
                  {{"risks", {"poverty", "poverty"}}},
                  "risks",
                  IssueCode::duplicate_choice},
        IssueCase{"other_needs_text", {{"risks", {"other"}}}, "risks_other", IssueCode::required},
        IssueCase{"matrix_incomplete",
                  {{"services", {{"home_care", nullptr}}}},
                  "services",
                  IssueCode::required},
        IssueCase{"matrix_unknown_row",
                  {{"services", {{"nursing", "used"}}}},
                  "services",
                  IssueCode::unknown_row},
        IssueCase{"matrix_bad_cell",
                  {{"services", {{"day_care", "often"}}}},
                  "services",
                  IssueCode::not_a_choice},
        IssueCase{"ranking_too_long",
                  {{"top", {"home_care", "day_care", "shelter"}}},
                  "top",
                  IssueCode::too_many},
        IssueCase{"ranking_repeats",
                  {{"top", {"home_care", "home_care"}}},
                  "top",
                  IssueCode::duplicate_choice},
        IssueCase{"bad_date", {{"visited", "2025-02-30"}}, "visited", IssueCode::invalid_date},
        IssueCase{
            "date_too_early", {{"visited", "2019-12-31"}}, "visited", IssueCode::date_too_early},
        IssueCase{"note_answered", {{"note_end", "x"}}, "note_end", IssueCode::not_answerable},
        IssueCase{"calculate_answered",
                  {{"age", 70}, {"alone", "no"}, {"elderly_alone", "1"}},
                  "elderly_alone",
                  IssueCode::not_answerable},
        IssueCase{
            "unknown_question", {{"shoe_size", 42}}, "shoe_size", IssueCode::unknown_question}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(Answers, a_failed_constraint_carries_the_authors_message) {
  json answers = valid_answers();
  answers["household"] = 0;  // passes nothing: min is 1, so the range check reports first
  auto issues = check(answers);
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].code, IssueCode::below_minimum);

  static const Questionnaire q = fixtures::mini_questionnaire();
  json no_work = valid_answers();
  no_work.erase("works");
  no_work["household"] = 3;
  // "works" is required, so it is reported; the constraint sees works = '' and fails too.
  auto both = validate(q, no_work, today, {});
  ASSERT_EQ(both.size(), 2u);
  EXPECT_EQ(both[1].question, "household");
  EXPECT_EQ(both[1].code, IssueCode::constraint);
  ASSERT_NE(both[1].custom_message, nullptr);
  EXPECT_EQ(both[1].custom_message->get("en"), "Check the number.");
}

TEST(Answers, a_section_that_does_not_apply_hides_its_questions) {
  json answers = valid_answers();
  answers["alone"] = "yes";  // section "second" applies only from 65
  auto issues = check(answers);
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].question, "alone");
  EXPECT_EQ(issues[0].code, IssueCode::not_relevant);
  answers["age"] = 70;
  EXPECT_TRUE(check(answers).empty());
}

TEST(Answers, irrelevant_answers_are_dropped_when_asked_to) {
  static const Questionnaire q = fixtures::mini_questionnaire();
  json answers = valid_answers();
  answers["job"] = "зидар";
  auto issues = validate(q, answers, today, {std::nullopt, IrrelevantAnswers::drop});
  EXPECT_TRUE(issues.empty());
  EXPECT_FALSE(answers.contains("job"));
}

TEST(Answers, empty_values_count_as_unanswered) {
  json answers = valid_answers();
  answers["age"] = "";
  answers["risks"] = json::array();
  auto issues = check(answers);
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].question, "age");
  EXPECT_EQ(issues[0].code, IssueCode::required);
}

TEST(Answers, final_answers_keep_relevant_answers_and_add_calculations) {
  static const Questionnaire q = fixtures::mini_questionnaire();
  json answers = valid_answers();
  answers["age"] = 70;
  answers["alone"] = "yes";
  answers["job"] = "stale answer from an earlier branch";
  json stored = final_answers(q, answers, today);
  EXPECT_EQ(stored["elderly_alone"], "1");
  EXPECT_FALSE(stored.contains("job"));
  EXPECT_EQ(stored["risks"], json({"poverty"}));
}

TEST(Answers, expressions_see_multiple_choices_as_space_separated_names) {
  static const Questionnaire q = fixtures::mini_questionnaire();
  EXPECT_EQ(expression_value(*q.find("risks"), json({"poverty", "illness"})), "poverty illness");
  EXPECT_EQ(expression_value(*q.find("age"), json(40)), "40");
  EXPECT_EQ(expression_value(*q.find("age"), json(2.5)), "2.5");
}

TEST(Answers, matrix_rows_are_visible_to_expressions) {
  static const Questionnaire q = fixtures::mini_questionnaire();
  auto state = evaluate(q, valid_answers(), today);
  auto doc = json::parse(R"({"format":"needsmap-questionnaire/1","name":"m","version":"1",
    "title":"М","sections":[{"name":"s","title":"С","questions":[
      {"name":"grid","type":"matrix","label":"Г","rows":[{"name":"r1","label":"Р"}],
       "choices":[{"name":"a","label":"А"},{"name":"b","label":"Б"}]},
      {"name":"follow","type":"text","label":"Ф","relevant":"${grid/r1} = 'b'"}]}]})");
  auto m = load_questionnaire(doc, {}, "m.json");
  ASSERT_TRUE(m) << m.error().front().to_string();
  auto shown = evaluate(*m, {{"grid", {{"r1", "b"}}}}, today);
  auto hidden = evaluate(*m, {{"grid", {{"r1", "a"}}}}, today);
  EXPECT_TRUE(shown.relevant[1]);
  EXPECT_FALSE(hidden.relevant[1]);
  EXPECT_TRUE(state.relevant[0]);
}
