#include "questionnaire/loader.hpp"

#include <gtest/gtest.h>

#include "test_support.hpp"

using namespace needsmap;
using namespace needsmap::questionnaire;
using nlohmann::json;

namespace {

json minimal_with(json questions, json extra_sections = json::array()) {
  json sections = json::array({{{"name", "s1"}, {"title", "Страна"}, {"questions", questions}}});
  for (auto& s : extra_sections) sections.push_back(s);
  return {{"format", "needsmap-questionnaire/1"},
          {"name", "t"},
          {"version", "1"},
          {"title", {{"sr-Cyrl", "Тест"}}},
          {"sections", sections}};
}

json text_question(const std::string& name) {
  return {{"name", name}, {"type", "text"}, {"label", {{"sr-Cyrl", "Питање"}}}};
}

// The first error's message, or "" when the questionnaire loaded.
LoadErrors errors_of(const json& doc) {
  auto q = load_questionnaire(doc, fixtures::test_catalogs(), "t.json");
  return q ? LoadErrors{} : q.error();
}

}  // namespace

TEST(Loader, the_small_test_questionnaire_loads_with_catalogs_resolved) {
  auto q = fixtures::mini_questionnaire();
  EXPECT_EQ(q.name(), "mini");
  EXPECT_EQ(q.sections().size(), 3u);
  const Question* top = q.find("top");
  ASSERT_NE(top, nullptr);
  ASSERT_EQ(top->choices.size(), 3u);
  EXPECT_EQ(top->choices[0].label.get("en"), "Home care");
  EXPECT_EQ(top->max_selections, 2);
  // The resolved form carries the catalog's choices, so it needs no catalog to load again.
  auto again = load_questionnaire(q.resolved(), {}, "resolved");
  ASSERT_TRUE(again) << again.error().front().to_string();
  EXPECT_EQ(again->resolved(), q.resolved());
}

TEST(Loader, serbian_latin_is_derived_from_cyrillic_where_not_given) {
  auto q = fixtures::mini_questionnaire();
  EXPECT_EQ(q.title().get("sr-Latn"), "Mali upitnik");
  EXPECT_EQ(q.find("works")->label.get("sr-Latn"), "Da li radite?");
  EXPECT_EQ(q.resolved()["title"]["sr-Latn"], "Mali upitnik");
  // A language that is not given falls back to Cyrillic.
  EXPECT_EQ(q.find("works")->label.get("mk"), "Да ли радите?");
}

TEST(Loader, an_other_choice_adds_an_implicit_text_question_after_its_parent) {
  auto q = fixtures::mini_questionnaire();
  const Question* other = q.find("risks_other");
  ASSERT_NE(other, nullptr);
  EXPECT_EQ(other->type, QuestionType::text);
  EXPECT_EQ(other->other_of_question, "risks");
  EXPECT_TRUE(other->relevant.has_value());
}

TEST(Loader, calculations_are_ordered_after_what_they_depend_on) {
  auto q = fixtures::mini_questionnaire();
  auto position = [&](const char* name) {
    auto index = static_cast<std::size_t>(q.find(name) - q.questions().data());
    auto it = std::find(q.evaluation_order().begin(), q.evaluation_order().end(), index);
    return it - q.evaluation_order().begin();
  };
  EXPECT_LT(position("alone"), position("elderly_alone"));
  EXPECT_LT(position("age"), position("alone"));  // section relevance depends on age
}

struct BrokenCase {
  const char* name;
  json document;
  const char* message_part;
  const char* question;
  std::size_t position;
};

class BrokenQuestionnaire : public ::testing::TestWithParam<BrokenCase> {};

TEST_P(BrokenQuestionnaire, is_refused_with_file_question_and_position) {
  const auto& c = GetParam();
  auto errors = errors_of(c.document);
  ASSERT_FALSE(errors.empty()) << c.name;
  bool found = false;
  for (const auto& e : errors) {
    if (e.message.find(c.message_part) != std::string::npos) {
      found = true;
      EXPECT_EQ(e.file, "t.json");
      EXPECT_EQ(e.question, c.question) << e.to_string();
      if (c.position) {
        EXPECT_EQ(e.position, c.position) << e.to_string();
      }
    }
  }
  EXPECT_TRUE(found) << c.name << ": got " << errors.front().to_string();
}

INSTANTIATE_TEST_SUITE_P(
    Errors, BrokenQuestionnaire,
    ::testing::Values(
        BrokenCase{
            "unknown_reference",
            minimal_with({text_question("a"), json{{"name", "b"},
                                                   {"type", "text"},
                                                   {"label", "Б"},
                                                   {"relevant", "${a} = 'x' and ${missing} = 1"}}}),
            "unknown question ${missing}", "b", 16},
        BrokenCase{"bad_expression",
                   minimal_with({text_question("a"), json{{"name", "b"},
                                                          {"type", "text"},
                                                          {"label", "Б"},
                                                          {"relevant", "${a} = = 1"}}}),
                   "", "b", 0},
        BrokenCase{"duplicate_names", minimal_with({text_question("a"), text_question("a")}),
                   "duplicate name 'a'", "a", 0},
        BrokenCase{"missing_cyrillic_label",
                   minimal_with({json{{"name", "a"}, {"type", "text"}, {"label", {{"en", "A"}}}}}),
                   "missing sr-Cyrl text", "a", 0},
        BrokenCase{
            "calculation_cycle",
            minimal_with({json{{"name", "x"}, {"type", "calculate"}, {"calculation", "${y} + 1"}},
                          json{{"name", "y"}, {"type", "calculate"}, {"calculation", "${x} + 1"}}}),
            "cycle", "", 0},
        BrokenCase{"unknown_function",
                   minimal_with({json{{"name", "a"},
                                      {"type", "text"},
                                      {"label", "А"},
                                      {"constraint", "frobnicate(.)"}}}),
                   "unknown function", "a", 1},
        BrokenCase{"unknown_type",
                   minimal_with({json{{"name", "a"}, {"type", "slider"}, {"label", "А"}}}),
                   "unknown type 'slider'", "a", 0},
        BrokenCase{"unknown_key_is_a_typo",
                   minimal_with(
                       {json{{"name", "a"}, {"type", "text"}, {"label", "А"}, {"requried", true}}}),
                   "unknown key 'requried'", "a", 0},
        BrokenCase{
            "unknown_choice_list",
            minimal_with(
                {json{{"name", "a"}, {"type", "single"}, {"label", "А"}, {"choices", "nope"}}}),
            "unknown choice list 'nope'", "a", 0},
        BrokenCase{"unknown_catalog",
                   minimal_with({json{{"name", "a"},
                                      {"type", "single"},
                                      {"label", "А"},
                                      {"choices", "catalog:nope"}}}),
                   "unknown catalog 'nope'", "a", 0},
        BrokenCase{
            "duplicate_choice",
            minimal_with({json{
                {"name", "a"},
                {"type", "single"},
                {"label", "А"},
                {"choices", {{{"name", "x"}, {"label", "X"}}, {{"name", "x"}, {"label", "Y"}}}}}}),
            "duplicate choice name 'x'", "a", 0},
        BrokenCase{"bad_name", minimal_with({text_question("Bad Name")}), "name must match",
                   "Bad Name", 0},
        BrokenCase{
            "min_above_max",
            minimal_with(
                {json{{"name", "a"}, {"type", "integer"}, {"label", "А"}, {"min", 5}, {"max", 1}}}),
            "min is greater than max", "a", 0},
        BrokenCase{
            "dot_in_relevance",
            minimal_with(
                {json{{"name", "a"}, {"type", "text"}, {"label", "А"}, {"relevant", ". = 1"}}}),
            "only in a constraint", "a", 0}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(Loader, invalid_json_is_refused_with_the_byte_position) {
  fixtures::TemporaryDirectory dir;
  auto path = dir.path() / "broken.json";
  std::ofstream(path) << "{\"format\": \"needsmap-questionnaire/1\",\n  \"name\": }";
  auto q = load_questionnaire_file(path, {});
  ASSERT_FALSE(q);
  EXPECT_NE(q.error().front().message.find("invalid JSON"), std::string::npos);
  EXPECT_GT(q.error().front().position, 40u);
  EXPECT_EQ(q.error().front().file, path.string());
}

TEST(Loader, every_bundled_questionnaire_loads_against_the_bundled_catalogs) {
  auto catalogs = load_catalogs(fixtures::source_dir() / "data" / "catalogs");
  ASSERT_TRUE(catalogs);
  for (const char* name : {"citizens", "users", "stakeholders", "providers"}) {
    auto q = load_questionnaire_file(
        fixtures::source_dir() / "questionnaires" / (std::string(name) + ".json"), *catalogs);
    ASSERT_TRUE(q) << name << ": " << q.error().front().to_string();
    EXPECT_EQ(q->name(), name);
    for (const auto& question : q->questions()) {
      if (question.type == QuestionType::calculate) continue;
      EXPECT_FALSE(question.label.get("en").empty()) << name << "/" << question.name;
      EXPECT_TRUE(question.label.has("mk") || !question.other_of_question.empty())
          << name << "/" << question.name << " has no Macedonian label";
    }
  }
}
