#include "store/open_answers.hpp"

#include <gtest/gtest.h>

#include "analysis/analysis_support.hpp"
#include "analysis/open_answers.hpp"
#include "test_database.hpp"
#include "test_support.hpp"

using namespace needsmap;
using namespace needsmap::store;

namespace {

using fixtures::Backend;

// Every test runs once on SQLite and once on PostgreSQL.
class OpenAnswersTest : public testing::TestWithParam<Backend> {};

struct OpenAnswersFixture {
  explicit OpenAnswersFixture(Backend backend) : database(backend) {}
  fixtures::TestDatabase database;
  std::unique_ptr<Store> store = database.open();
  Campaign campaign = fixtures::mini_campaign(*store);

  void respond(const std::string& id, const std::string& answers) {
    store->insert_response({id, campaign.id, id, "2025-11-15", "web", "sr-Cyrl", answers});
  }
  // Runs `work` in a transaction, as the writer thread does.
  template <typename Work>
  void write(Work work) {
    Transaction t(store->connection());
    work();
    t.commit();
  }
};

std::vector<std::string> names(const std::vector<AnswerTheme>& themes) {
  std::vector<std::string> out;
  for (const auto& t : themes) out.push_back(t.name);
  return out;
}

}  // namespace

TEST_P(OpenAnswersTest, themes_are_added_once_renamed_and_listed_by_name) {
  OpenAnswersFixture f(GetParam());
  const std::int64_t c = f.campaign.id;
  EXPECT_TRUE(answer_themes(*f.store, c).empty());
  EXPECT_TRUE(add_answer_theme(*f.store, c, {"transport", "Превоз"}));
  EXPECT_TRUE(add_answer_theme(*f.store, c, {"care", "Нега у кући"}));
  EXPECT_FALSE(add_answer_theme(*f.store, c, {"care", "Друго"}));
  EXPECT_EQ(names(answer_themes(*f.store, c)), (std::vector<std::string>{"care", "transport"}));
  EXPECT_EQ(find_answer_theme(*f.store, c, "care")->label, "Нега у кући");

  EXPECT_TRUE(rename_answer_theme(*f.store, c, "care", "Помоћ у кући"));
  EXPECT_FALSE(rename_answer_theme(*f.store, c, "nothing", "Ништа"));
  EXPECT_EQ(find_answer_theme(*f.store, c, "care")->label, "Помоћ у кући");
  EXPECT_FALSE(find_answer_theme(*f.store, c, "nothing"));
}

TEST_P(OpenAnswersTest, themes_belong_to_their_campaign) {
  OpenAnswersFixture f(GetParam());
  Campaign other = f.campaign;
  other.slug = "d";
  other.id = f.store->create_campaign(other).value();
  ASSERT_TRUE(add_answer_theme(*f.store, f.campaign.id, {"care", "Нега"}));
  EXPECT_TRUE(answer_themes(*f.store, other.id).empty());
  EXPECT_TRUE(add_answer_theme(*f.store, other.id, {"care", "Брига"}));
  EXPECT_EQ(find_answer_theme(*f.store, f.campaign.id, "care")->label, "Нега");
}

TEST_P(OpenAnswersTest, the_tags_of_an_answer_are_replaced_whole) {
  OpenAnswersFixture f(GetParam());
  const std::int64_t c = f.campaign.id;
  add_answer_theme(*f.store, c, {"care", "Нега"});
  add_answer_theme(*f.store, c, {"transport", "Превоз"});
  f.write([&] { set_answer_tags(*f.store, c, "r1", "job", {"transport", "care"}); });
  f.write([&] { set_answer_tags(*f.store, c, "r2", "job", {"care"}); });
  f.write([&] { set_answer_tags(*f.store, c, "r1", "risks_other", {"care"}); });
  EXPECT_EQ(answer_tags(*f.store, c, "r1", "job"), (std::vector<std::string>{"care", "transport"}));

  f.write([&] { set_answer_tags(*f.store, c, "r1", "job", {"transport"}); });
  EXPECT_EQ(answer_tags(*f.store, c, "r1", "job"), (std::vector<std::string>{"transport"}));
  auto tags = question_tags(*f.store, c, "job");
  ASSERT_EQ(tags.size(), 2u);
  EXPECT_EQ(tags["r1"], (std::vector<std::string>{"transport"}));
  EXPECT_EQ(tags["r2"], (std::vector<std::string>{"care"}));

  f.write([&] { set_answer_tags(*f.store, c, "r2", "job", {}); });
  EXPECT_TRUE(answer_tags(*f.store, c, "r2", "job").empty());
  EXPECT_EQ(question_tags(*f.store, c, "job").size(), 1u);
}

TEST_P(OpenAnswersTest, deleting_a_theme_removes_its_tags_everywhere) {
  OpenAnswersFixture f(GetParam());
  const std::int64_t c = f.campaign.id;
  add_answer_theme(*f.store, c, {"care", "Нега"});
  add_answer_theme(*f.store, c, {"transport", "Превоз"});
  f.write([&] { set_answer_tags(*f.store, c, "r1", "job", {"care", "transport"}); });
  f.write([&] { set_answer_tags(*f.store, c, "r2", "risks_other", {"care"}); });
  bool deleted = false;
  f.write([&] { deleted = delete_answer_theme(*f.store, c, "care"); });
  EXPECT_TRUE(deleted);
  f.write([&] { deleted = delete_answer_theme(*f.store, c, "care"); });
  EXPECT_FALSE(deleted);
  EXPECT_EQ(names(answer_themes(*f.store, c)), (std::vector<std::string>{"transport"}));
  EXPECT_EQ(answer_tags(*f.store, c, "r1", "job"), (std::vector<std::string>{"transport"}));
  EXPECT_TRUE(question_tags(*f.store, c, "risks_other").empty());
}

TEST_P(OpenAnswersTest, a_review_records_who_decided_what_and_when_and_can_be_undone) {
  OpenAnswersFixture f(GetParam());
  const std::int64_t c = f.campaign.id;
  EXPECT_FALSE(find_answer_review(*f.store, c, "r1", "job"));
  review_answer(*f.store, c, "r1", "job", {true, "analiticar@bac.rs", 1764000000});
  review_answer(*f.store, c, "r2", "job", {false, "analiticar@bac.rs", 1764000100});
  auto review = find_answer_review(*f.store, c, "r1", "job");
  ASSERT_TRUE(review);
  EXPECT_TRUE(review->publishable);
  EXPECT_EQ(review->reviewed_by, "analiticar@bac.rs");
  EXPECT_EQ(review->reviewed_at, 1764000000);
  EXPECT_FALSE(find_answer_review(*f.store, c, "r1", "risks_other"));

  review_answer(*f.store, c, "r1", "job", {false, "koordinator@bac.rs", 1764000200});
  review = find_answer_review(*f.store, c, "r1", "job");
  EXPECT_FALSE(review->publishable);
  EXPECT_EQ(review->reviewed_by, "koordinator@bac.rs");
  EXPECT_EQ(question_reviews(*f.store, c, "job").size(), 2u);

  review_answer(*f.store, c, "r2", "job", {true, "koordinator@bac.rs", 1764000300});
  auto counts = review_counts(*f.store, c);
  EXPECT_EQ(counts["job"].reviewed, 2);
  EXPECT_EQ(counts["job"].publishable, 1);

  clear_answer_review(*f.store, c, "r1", "job");
  EXPECT_FALSE(find_answer_review(*f.store, c, "r1", "job"));
  EXPECT_EQ(question_reviews(*f.store, c, "job").size(), 1u);
}

TEST_P(OpenAnswersTest, only_answers_reviewed_as_publishable_are_quotes) {
  OpenAnswersFixture f(GetParam());
  const std::int64_t c = f.campaign.id;
  f.respond("r1", R"({"job":"Возач аутобуса","risks_other":"Самоћа"})");
  f.respond("r2", R"({"job":"Негујем мајку, Петра Петровића из Бача"})");
  f.respond("r3", R"({"job":"Пензионер"})");
  f.respond("r4", R"({"age":70})");
  review_answer(*f.store, c, "r1", "job", {true, "a@bac.rs", 1});
  review_answer(*f.store, c, "r2", "job", {false, "a@bac.rs", 2});
  review_answer(*f.store, c, "r4", "job", {true, "a@bac.rs", 3});    // no text to quote
  review_answer(*f.store, c, "gone", "job", {true, "a@bac.rs", 4});  // no such response
  EXPECT_EQ(analysis::publishable_quotes(*f.store, c, "job"),
            (std::vector<std::string>{"Возач аутобуса"}));
  EXPECT_TRUE(analysis::publishable_quotes(*f.store, c, "risks_other").empty());
  review_answer(*f.store, c, "r1", "risks_other", {true, "a@bac.rs", 5});
  EXPECT_EQ(analysis::publishable_quotes(*f.store, c, "risks_other"),
            (std::vector<std::string>{"Самоћа"}));
}

TEST_P(OpenAnswersTest, open_answers_are_gathered_with_words_of_both_scripts_together) {
  OpenAnswersFixture f(GetParam());
  f.respond("r1", R"({"job":"Потребан ми је превоз до града"})");
  f.respond("r2", R"({"job":"Nema prevoza, a treba mi pomoć u kući","risks_other":"Самоћа"})");
  f.respond("r3", R"({"job":"   ","age":40})");
  f.respond("r4", R"({"age":70})");
  analysis::OpenAnswers open =
      analysis::collect_open_answers(*f.store, f.campaign.id, fixtures::mini_questionnaire());
  std::vector<std::string> questions;
  for (const auto& q : open.questions) questions.push_back(q.name);
  EXPECT_EQ(questions, (std::vector<std::string>{"job", "risks_other"}));
  const analysis::OpenQuestion* job = open.find("job");
  ASSERT_NE(job, nullptr);
  ASSERT_EQ(job->answers.size(), 2u);  // blank and missing answers are none
  EXPECT_EQ(job->answers[0].response_id, "r1");
  EXPECT_EQ(job->answers[1].text, "Nema prevoza, a treba mi pomoć u kući");
  ASSERT_FALSE(job->words.empty());
  EXPECT_EQ(job->words[0].stem, "prevoz");
  EXPECT_EQ(job->words[0].answers, 2);
  EXPECT_EQ(job->words[0].shown, "превоз");
  for (const auto& answer : job->answers) {
    EXPECT_TRUE(std::ranges::binary_search(answer.stems, std::string("prevoz"))) << answer.text;
  }
  EXPECT_EQ(open.find("risks_other")->answers.size(), 1u);
  EXPECT_EQ(open.find("age"), nullptr);
}

INSTANTIATE_TEST_SUITE_P(Backends, OpenAnswersTest,
                         testing::Values(Backend::sqlite, Backend::postgres),
                         fixtures::backend_name);
