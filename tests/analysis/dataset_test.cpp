#include "analysis/dataset.hpp"

#include <gtest/gtest.h>

#include "analysis_support.hpp"
#include "test_database.hpp"
#include "test_support.hpp"

namespace needsmap::analysis {
namespace {

using fixtures::Backend;
class DatasetTest : public testing::TestWithParam<Backend> {};

std::size_t index_of(const Column& c, const std::string& choice) {
  for (std::size_t i = 0; i < c.spec.categories.size(); ++i) {
    if (c.spec.categories[i] == choice) return i;
  }
  throw std::runtime_error("no choice " + choice);
}

TEST_P(DatasetTest, builds_columns_from_stored_responses) {
  fixtures::TestDatabase database(GetParam());
  auto store = database.open();
  store::Campaign campaign = fixtures::mini_campaign(*store);
  auto add = [&](const std::string& id, const std::string& answers) {
    store->insert_response({id, campaign.id, id, "2025-11-15", "web", "sr-Cyrl", answers});
  };
  add("a", R"({"age":30,"works":"yes","risks":["poverty","illness"],
              "services":{"home_care":"used"}})");
  add("b", R"({"age":70,"works":"no","risks":["none"],"alone":"yes"})");
  add("c", R"({"works":"maybe","risks":[]})");

  auto q = fixtures::mini_questionnaire();
  Dataset data = build_dataset(*store, campaign.id, q);
  ASSERT_EQ(data.rows(), 3u);
  EXPECT_EQ(data.weights(), (std::vector<double>{1, 1, 1}));

  const Column& works = data.require("works", ColumnKind::choice);
  EXPECT_EQ(works.choice.code(0), index_of(works, "yes"));
  EXPECT_EQ(works.choice.code(1), index_of(works, "no"));
  EXPECT_EQ(works.choice.code(2), ChoiceColumn::missing);  // not one of the choices

  const Column& risks = data.require("risks", ColumnKind::multiple);
  EXPECT_TRUE(risks.multiple.chosen[index_of(risks, "poverty")][0]);
  EXPECT_TRUE(risks.multiple.chosen[index_of(risks, "illness")][0]);
  EXPECT_FALSE(risks.multiple.chosen[index_of(risks, "none")][0]);
  EXPECT_TRUE(risks.multiple.chosen[index_of(risks, "none")][1]);
  EXPECT_TRUE(risks.multiple.answered[0]);
  EXPECT_FALSE(risks.multiple.answered[2]);  // an empty list is no answer

  const Column& age = data.require("age", ColumnKind::number);
  EXPECT_EQ(age.numbers[1], 70.0);
  EXPECT_TRUE(is_missing(age.numbers[2]));

  const Column& home_care = data.require("services/home_care", ColumnKind::choice);
  EXPECT_EQ(home_care.choice.code(0), index_of(home_care, "used"));
  EXPECT_EQ(home_care.choice.code(1), ChoiceColumn::missing);

  EXPECT_EQ(data.find("job"), nullptr);  // free text is not a column
  EXPECT_THROW(data.require("age", ColumnKind::choice), std::invalid_argument);
  EXPECT_THROW(data.require("nothing", ColumnKind::choice), std::invalid_argument);
}

INSTANTIATE_TEST_SUITE_P(Backends, DatasetTest, testing::Values(Backend::sqlite, Backend::postgres),
                         fixtures::backend_name);

TEST(DatasetColumns, choice_codes_take_one_byte_until_a_question_has_255_choices) {
  std::vector<std::string> many;
  for (int i = 0; i < 300; ++i) many.push_back("c" + std::to_string(i));
  Dataset data({{.name = "few",
                 .kind = ColumnKind::choice,
                 .categories = {"a", "b"},
                 .question = "",
                 .row = ""},
                {.name = "many",
                 .kind = ColumnKind::choice,
                 .categories = many,
                 .question = "",
                 .row = ""}});
  for (int i = 0; i < 1000; ++i) {
    data.append({{"few", i % 2 ? "a" : "b"}, {"many", "c" + std::to_string(i % 300)}});
  }
  data.append(nlohmann::json::object());
  const Column& few = *data.find("few");
  const Column& lots = *data.find("many");
  EXPECT_EQ(few.choice.code(1), 0u);
  EXPECT_EQ(lots.choice.code(299), 299u);
  EXPECT_EQ(few.choice.code(1000), ChoiceColumn::missing);
  EXPECT_EQ(lots.choice.code(1000), ChoiceColumn::missing);
  EXPECT_LT(few.choice.bytes(), 2 * 1001u);
  EXPECT_GE(lots.choice.bytes(), 2 * 1001u);
}

// The issue's budget: 1,000,000 responses of 100 questions in 300 MB, i.e. 300 bytes a response.
TEST(DatasetColumns, a_response_of_100_choice_questions_takes_well_under_300_bytes) {
  std::vector<ColumnSpec> specs;
  for (int q = 0; q < 100; ++q) {
    specs.push_back({.name = "q" + std::to_string(q),
                     .kind = ColumnKind::choice,
                     .categories = {"a", "b", "c", "d", "e"},
                     .question = "",
                     .row = ""});
  }
  Dataset data(specs);
  nlohmann::json answers = nlohmann::json::object();
  for (int q = 0; q < 100; ++q) answers["q" + std::to_string(q)] = q % 2 ? "b" : "e";
  for (int i = 0; i < 5000; ++i) data.append(answers);
  EXPECT_LE(data.bytes() / data.rows(), 300u);
}

}  // namespace
}  // namespace needsmap::analysis
