#include "collect/collect.hpp"

#include <gtest/gtest.h>

#include "test_support.hpp"

using namespace needsmap;
using namespace needsmap::collect;
using nlohmann::json;

namespace {
const std::string today = "2025-11-15";
const questionnaire::Questionnaire& mini() {
  static const questionnaire::Questionnaire q = fixtures::mini_questionnaire();
  return q;
}
}  // namespace

TEST(PageFields, numbers_accept_the_serbian_decimal_comma_and_reject_letters) {
  json answers = json::object();
  auto issues = read_page_fields(mini(), 0, {{"age", " 42 "}, {"household", "2,0"}}, answers);
  EXPECT_TRUE(issues.empty());
  EXPECT_EQ(answers["age"], 42);
  EXPECT_EQ(answers["household"], 2);
  issues = read_page_fields(mini(), 0, {{"age", "четрдесет"}}, answers);
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].code, questionnaire::IssueCode::not_a_number);
  EXPECT_FALSE(answers.contains("age"));
}

TEST(PageFields, checkboxes_become_a_list_and_blank_fields_are_unanswered) {
  json answers = json::object();
  read_page_fields(mini(), 0, {{"risks", "poverty"}, {"risks", "illness"}, {"job", "  "}}, answers);
  EXPECT_EQ(answers["risks"], json({"poverty", "illness"}));
  EXPECT_FALSE(answers.contains("job"));
}

TEST(PageFields, a_repeated_field_for_a_single_choice_is_an_issue) {
  json answers = json::object();
  auto issues = read_page_fields(mini(), 0, {{"works", "yes"}, {"works", "no"}}, answers);
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].question, "works");
}

TEST(PageFields, matrix_rows_and_ranking_places_have_their_own_fields) {
  json answers = json::object();
  read_page_fields(mini(), 2,
                   {{"services/home_care", "used"},
                    {"top/1", "shelter"},
                    {"top/2", ""},
                    {"visited", "31.12.2025."}},
                   answers);
  EXPECT_EQ(answers["services"], json({{"home_care", "used"}}));
  EXPECT_EQ(answers["top"], json({"shelter"}));
  EXPECT_EQ(answers["visited"], "2025-12-31");
}

TEST(PageFields, a_date_that_does_not_exist_is_an_issue) {
  json answers = json::object();
  auto issues = read_page_fields(mini(), 2, {{"visited", "30.2.2025"}}, answers);
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].code, questionnaire::IssueCode::invalid_date);
}

TEST(Pages, sections_that_do_not_apply_are_skipped_both_ways) {
  json young = {{"age", 30}};
  EXPECT_EQ(next_section(mini(), young, std::nullopt, today), 0u);
  EXPECT_EQ(next_section(mini(), young, 0, today), 2u);
  EXPECT_EQ(previous_section(mini(), young, 2, today), 0u);
  json old = {{"age", 70}};
  EXPECT_EQ(next_section(mini(), old, 0, today), 1u);
  EXPECT_FALSE(next_section(mini(), old, 2, today).has_value());
}

TEST(Pages, a_page_with_a_missing_answer_is_shown_again_with_its_issues) {
  json answers = json::object();
  auto outcome = submit_page(mini(), 0, {{"age", "40"}}, answers, today);
  EXPECT_EQ(outcome.kind, PageOutcome::Kind::show_errors);
  ASSERT_EQ(outcome.issues.size(), 1u);
  EXPECT_EQ(outcome.issues[0].question, "works");
  EXPECT_EQ(answers["age"], 40) << "what was typed is kept";
}

TEST(Pages, a_follow_up_that_appears_on_the_same_page_is_shown_before_moving_on) {
  json answers = json::object();
  auto outcome = submit_page(mini(), 0, {{"age", "40"}, {"works", "yes"}}, answers, today);
  // "job" became relevant and required, but the respondent has not seen it yet: the page is
  // shown again with it, without an error.
  EXPECT_EQ(outcome.kind, PageOutcome::Kind::show_again);
  EXPECT_TRUE(outcome.issues.empty());
  // Sent again without answering it, it is an error like any other.
  auto again = submit_page(mini(), 0, {{"age", "40"}, {"works", "yes"}}, answers, today);
  EXPECT_EQ(again.kind, PageOutcome::Kind::show_errors);
  ASSERT_EQ(again.issues.size(), 1u);
  EXPECT_EQ(again.issues[0].question, "job");
}

TEST(Pages, a_new_follow_up_is_not_reported_while_other_answers_have_errors) {
  json answers = json::object();
  auto outcome = submit_page(mini(), 0, {{"works", "yes"}}, answers, today);
  EXPECT_EQ(outcome.kind, PageOutcome::Kind::show_errors);
  ASSERT_EQ(outcome.issues.size(), 1u);
  EXPECT_EQ(outcome.issues[0].question, "age");
}

TEST(Pages, choosing_other_shows_the_page_again_to_ask_what_it_is) {
  json answers = json::object();
  auto outcome =
      submit_page(mini(), 0, {{"age", "40"}, {"works", "no"}, {"risks", "other"}}, answers, today);
  EXPECT_EQ(outcome.kind, PageOutcome::Kind::show_again);
  auto described = submit_page(
      mini(), 0, {{"age", "40"}, {"works", "no"}, {"risks", "other"}, {"risks_other", "дугови"}},
      answers, today);
  EXPECT_EQ(described.kind, PageOutcome::Kind::next_page);
  EXPECT_EQ(answers["risks_other"], "дугови");
}

TEST(Pages, a_complete_page_leads_to_the_next_page_that_applies) {
  json answers = json::object();
  auto outcome = submit_page(mini(), 0, {{"age", "70"}, {"works", "no"}}, answers, today);
  EXPECT_EQ(outcome.kind, PageOutcome::Kind::next_page);
  EXPECT_EQ(outcome.section, 1u);
}

TEST(Pages, changing_an_earlier_answer_drops_answers_that_no_longer_apply) {
  json answers = {{"age", 40}, {"works", "yes"}, {"job", "зидар"}};
  auto outcome = submit_page(mini(), 0, {{"age", "40"}, {"works", "no"}}, answers, today);
  EXPECT_EQ(outcome.kind, PageOutcome::Kind::next_page);
  EXPECT_FALSE(answers.contains("job"));
}

TEST(Submission, the_last_check_returns_what_is_stored) {
  json answers = {{"age", 40},
                  {"works", "no"},
                  {"services", {{"home_care", "unknown"}, {"day_care", "used"}}},
                  {"job", "dropped: not relevant"}};
  auto stored = check_submission(mini(), answers, today, questionnaire::IrrelevantAnswers::drop);
  ASSERT_TRUE(stored);
  EXPECT_FALSE(stored->contains("job"));
  auto rejected =
      check_submission(mini(), answers, today, questionnaire::IrrelevantAnswers::reject);
  ASSERT_FALSE(rejected);
  EXPECT_EQ(rejected.error()[0].code, questionnaire::IssueCode::not_relevant);
}
