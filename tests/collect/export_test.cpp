// The export column model, SPSS variable names, and the exports read through a real store.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "collect/export_codebook.hpp"
#include "collect/export_columns.hpp"
#include "collect/export_csv.hpp"
#include "collect/export_sav.hpp"
#include "collect/export_snapshot.hpp"
#include "collect/export_xlsx.hpp"
#include "test_database.hpp"

using namespace needsmap;
using namespace needsmap::collect;
using fixtures::Backend;

namespace {

const questionnaire::Questionnaire& mini() {
  static const questionnaire::Questionnaire q = fixtures::mini_questionnaire();
  return q;
}

std::vector<std::string> names(const ExportColumns& columns) {
  std::vector<std::string> out;
  for (const auto& c : columns.columns()) out.push_back(c.name);
  return out;
}

std::size_t index_of(const ExportColumns& columns, std::string_view name) {
  const auto& cols = columns.columns();
  for (std::size_t i = 0; i < cols.size(); ++i) {
    if (cols[i].name == name) return i;
  }
  ADD_FAILURE() << "no column " << name;
  return 0;
}

store::ResponseRecord response(std::string answers, std::string id = "r1") {
  return {id, 1, "s-" + id, "2025-11-15", "web", "sr-Cyrl", std::move(answers)};
}

}  // namespace

TEST(ExportColumns, follow_the_questionnaire_with_an_option_row_or_place_per_column_and_no_notes) {
  ExportColumns columns(mini());
  EXPECT_EQ(names(columns), (std::vector<std::string>{"response_id",
                                                      "submitted_on",
                                                      "mode",
                                                      "language",
                                                      "age",
                                                      "works",
                                                      "job",
                                                      "risks/poverty",
                                                      "risks/illness",
                                                      "risks/isolation",
                                                      "risks/other",
                                                      "risks/none",
                                                      "risks_other",
                                                      "household",
                                                      "alone",
                                                      "elderly_alone",
                                                      "services/home_care",
                                                      "services/day_care",
                                                      "top/1",
                                                      "top/2",
                                                      "visited"}));
  const auto& cols = columns.columns();
  EXPECT_EQ(cols[index_of(columns, "risks/poverty")].kind, ColumnKind::selected);
  EXPECT_EQ(cols[index_of(columns, "services/day_care")].kind, ColumnKind::choice);
  EXPECT_EQ(cols[index_of(columns, "top/2")].kind, ColumnKind::choice);
  EXPECT_EQ(cols[index_of(columns, "visited")].kind, ColumnKind::date);
  EXPECT_EQ(cols[index_of(columns, "elderly_alone")].kind, ColumnKind::calculated);
  EXPECT_EQ(cols[index_of(columns, "risks_other")].kind, ColumnKind::text);
  EXPECT_EQ(cols[index_of(columns, "age")].kind, ColumnKind::number);
}

TEST(ExportColumns, labels_name_the_option_row_or_place_after_the_question) {
  ExportColumns columns(mini());
  const auto& cols = columns.columns();
  EXPECT_EQ(cols[index_of(columns, "works")].label("sr-Cyrl"), "Да ли радите?");
  EXPECT_EQ(cols[index_of(columns, "risks/poverty")].label("sr-Cyrl"), "Ризици — Сиромаштво");
  EXPECT_EQ(cols[index_of(columns, "services/home_care")].label("sr-Cyrl"),
            "Услуге — Помоћ у кући");
  EXPECT_EQ(cols[index_of(columns, "top/2")].label("sr-Cyrl"), "Најпотребније — 2");
  EXPECT_EQ(cols[index_of(columns, "risks_other")].label("sr-Cyrl"), "Ризици — Друго");
  EXPECT_EQ(cols[index_of(columns, "elderly_alone")].label("sr-Cyrl"),
            "Calculated: if(selected(${alone}, 'yes'), 1, 0)");
  // A language the texts lack falls back to sr-Cyrl, and says so.
  EXPECT_EQ(cols[index_of(columns, "works")].label("en"), "Да ли радите?");
  EXPECT_EQ(cols[index_of(columns, "works")].label_language("en"), "sr-Cyrl");
  EXPECT_EQ(cols[index_of(columns, "works")].label_language("sr-Latn"), "sr-Latn");
  EXPECT_EQ(cols[index_of(columns, "works")].choices().size(), 2u);
  EXPECT_TRUE(cols[index_of(columns, "risks/none")].choices().empty());
}

TEST(ExportColumns, a_response_reads_into_one_cell_per_column) {
  ExportColumns columns(mini());
  std::vector<Cell> row;
  auto read = columns.read(response(R"({"age": 70, "works": "no", "risks": ["illness", "other"],
      "risks_other": "=cmd|' /C calc'!A0", "alone": "yes", "elderly_alone": "1",
      "services": {"day_care": "used"}, "top": ["shelter"], "visited": "2025-12-31"})"),
                           row);
  ASSERT_TRUE(read);
  ASSERT_EQ(row.size(), columns.columns().size());
  auto cell = [&](std::string_view name) -> const Cell& { return row[index_of(columns, name)]; };
  EXPECT_EQ(cell("response_id").text, "r1");
  EXPECT_EQ(cell("submitted_on").text, "2025-11-15");
  EXPECT_EQ(cell("age").type, Cell::Type::number);
  EXPECT_EQ(cell("age").number, 70);
  EXPECT_EQ(cell("works").type, Cell::Type::choice);
  EXPECT_EQ(cell("works").number, 2) << "codes count from 1 in choice order";
  EXPECT_EQ(cell("works").choice->name, "no");
  EXPECT_EQ(cell("job").type, Cell::Type::missing);
  EXPECT_EQ(cell("risks/poverty").type, Cell::Type::number);
  EXPECT_EQ(cell("risks/poverty").number, 0);
  EXPECT_EQ(cell("risks/illness").number, 1);
  EXPECT_EQ(cell("risks/other").number, 1);
  EXPECT_EQ(cell("risks_other").text, "=cmd|' /C calc'!A0");
  EXPECT_EQ(cell("household").type, Cell::Type::missing);
  EXPECT_EQ(cell("elderly_alone").text, "1");
  EXPECT_EQ(cell("services/home_care").type, Cell::Type::missing);
  EXPECT_EQ(cell("services/day_care").choice->name, "used");
  EXPECT_EQ(cell("services/day_care").number, 2);
  EXPECT_EQ(cell("top/1").choice->name, "shelter");
  EXPECT_EQ(cell("top/2").type, Cell::Type::missing);
  EXPECT_EQ(cell("visited").text, "2025-12-31");

  // The same row storage, reused: nothing of the first response is left over.
  ASSERT_TRUE(columns.read(response(R"({"age": 30, "works": "yes", "job": "кувар"})", "r2"), row));
  EXPECT_EQ(cell("response_id").text, "r2");
  EXPECT_EQ(cell("risks/illness").type, Cell::Type::missing) << "an unanswered multiple choice";
  EXPECT_EQ(cell("risks_other").type, Cell::Type::missing);
  EXPECT_EQ(cell("top/1").type, Cell::Type::missing);
  EXPECT_EQ(cell("job").text, "кувар");
}

TEST(ExportColumns, a_choice_that_is_not_in_the_list_is_kept_as_text_and_unreadable_answers_fail) {
  ExportColumns columns(mini());
  std::vector<Cell> row;
  ASSERT_TRUE(columns.read(response(R"({"works": "maybe"})"), row));
  EXPECT_EQ(row[index_of(columns, "works")].type, Cell::Type::text);
  EXPECT_EQ(row[index_of(columns, "works")].text, "maybe");
  EXPECT_FALSE(columns.read(response("[1, 2]"), row));
  EXPECT_FALSE(columns.read(response("not json"), row));
}

TEST(ExportColumns, the_csv_spells_numbers_choices_and_missing_cells_as_before) {
  ExportColumns columns(mini());
  std::vector<Cell> row;
  ASSERT_TRUE(columns.read(response(R"({"age": 70, "works": "no", "household": 2.5})"), row));
  std::string scratch;
  ExportOptions codes;
  ExportOptions labels{true, "sr-Cyrl"};
  EXPECT_EQ(cell_text(row[index_of(columns, "age")], codes, scratch), "70");
  EXPECT_EQ(cell_text(row[index_of(columns, "household")], codes, scratch), "2.5");
  EXPECT_EQ(cell_text(row[index_of(columns, "works")], codes, scratch), "no");
  EXPECT_EQ(cell_text(row[index_of(columns, "works")], labels, scratch), "Не");
  EXPECT_EQ(cell_text(row[index_of(columns, "job")], codes, scratch), "");
}

TEST(SpssNames, are_valid_distinct_and_derived_the_same_way_every_time) {
  struct Case {
    std::vector<std::string> names;
    std::vector<std::string> expected;
  };
  const std::string long_a(70, 'a');
  const std::vector<Case> cases{
      {{"q/opt", "top/1"}, {"q_opt", "top_1"}},
      // A question keeps its own name; the derived one gives way, whichever comes first.
      {{"risks/other", "risks_other"}, {"risks_other_2", "risks_other"}},
      {{"risks_other", "risks/other"}, {"risks_other", "risks_other_2"}},
      {{"a/b", "a_b", "a/b", "a_b_2"}, {"a_b_3", "a_b", "a_b_4", "a_b_2"}},
      // SPSS's reserved words, in any case.
      {{"to", "and", "WITH", "by/x", "not"}, {"to_", "and_", "WITH_", "by_x", "not_"}},
      // A letter first; characters SPSS does not take become `_`.
      {{"1st", "_x", "пол", "a-b c"}, {"v1st", "v_x", "v___", "a_b_c"}},
      // SPSS ignores case.
      {{"Age", "age"}, {"Age", "age_2"}},
      // At most 64 bytes, the suffix included.
      {{long_a + "/x", long_a + "/y"}, {std::string(64, 'a'), std::string(62, 'a') + "_2"}},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(spss_variable_names(c.names), c.expected) << c.names.front();
    EXPECT_EQ(spss_variable_names(c.names), spss_variable_names(c.names));
  }
}

TEST(SpssNames, the_column_model_gives_every_column_one) {
  ExportColumns columns(mini());
  const auto& cols = columns.columns();
  EXPECT_EQ(cols[index_of(columns, "risks_other")].spss_name, "risks_other");
  EXPECT_EQ(cols[index_of(columns, "risks/other")].spss_name, "risks_other_2");
  EXPECT_EQ(cols[index_of(columns, "services/home_care")].spss_name, "services_home_care");
  EXPECT_EQ(cols[index_of(columns, "top/1")].spss_name, "top_1");
}

TEST(Utf8Prefix, never_splits_a_character) {
  const std::string name = "Ђорђе";  // 2 bytes a letter
  EXPECT_EQ(utf8_prefix(name, 100), name);
  EXPECT_EQ(utf8_prefix(name, 4), "Ђо");
  EXPECT_EQ(utf8_prefix(name, 5), "Ђо");
  EXPECT_EQ(utf8_prefix(name, 1), "");
  EXPECT_EQ(utf8_prefix("a€b", 3), "a");  // € is 3 bytes
  EXPECT_EQ(utf8_prefix("a€b", 4), "a€");
}

TEST(Codebook, lists_every_column_with_its_values_codes_and_section) {
  ExportColumns columns(mini());
  auto entries = codebook_entries(columns, "en");
  ASSERT_EQ(entries.size(), columns.columns().size());
  const auto& works = entries[index_of(columns, "works")];
  EXPECT_EQ(works.type, "single");
  EXPECT_EQ(works.section, "first");
  ASSERT_EQ(works.values.size(), 2u);
  EXPECT_EQ(works.values[0].value, "yes");
  EXPECT_EQ(works.values[0].code, "1");
  EXPECT_EQ(works.values[0].label, "Yes");
  EXPECT_EQ(works.values[1].code, "2");
  const auto& poverty = entries[index_of(columns, "risks/poverty")];
  EXPECT_EQ(poverty.spss_variable, "risks_poverty");
  ASSERT_EQ(poverty.values.size(), 2u);
  EXPECT_EQ(poverty.values[1].code, "1");
  EXPECT_TRUE(entries[index_of(columns, "age")].values.empty());
  EXPECT_EQ(entries[index_of(columns, "alone")].section, "second");
}

namespace {

// Every test below runs once on SQLite and once on PostgreSQL.
class ExportStoreTest : public testing::TestWithParam<Backend> {};

store::Campaign mini_campaign(store::Store& s) {
  store::Municipality m;
  m.slug = "bac";
  m.name_cyrl = "Бач";
  std::int64_t municipality = s.upsert_municipality(m);
  auto version = s.store_questionnaire_version("mini", "1", mini().resolved().dump());
  EXPECT_TRUE(version);
  store::Campaign c;
  c.municipality_id = municipality;
  c.municipality_slug = "bac";
  c.slug = "mini";
  c.questionnaire_version_id = *version;
  c.status = store::CampaignStatus::open;
  c.id = s.create_campaign(c).value();
  return c;
}

store::ResponseRecord stored(const store::Campaign& c, const std::string& id,
                             const std::string& answers) {
  return {id, c.id, "submission-" + id, "2025-11-15", "api", "sr-Cyrl", answers};
}

}  // namespace

TEST_P(ExportStoreTest, an_export_reads_as_of_one_moment_while_responses_keep_arriving) {
  fixtures::TestDatabase database(GetParam());
  auto reader = database.open();
  auto writer = database.open();
  auto campaign = mini_campaign(*writer);
  writer->insert_response(stored(campaign, "a", R"({"age": 40})"));
  {
    ExportSnapshot snapshot(reader->connection());
    EXPECT_EQ(reader->count_responses(campaign.id), 1);
    writer->insert_response(stored(campaign, "b", R"({"age": 41})"));
    EXPECT_EQ(reader->count_responses(campaign.id), 1) << "the snapshot does not see b";
    int rows = 0;
    reader->for_each_response(campaign.id, [&](const store::ResponseRecord&) { ++rows; });
    EXPECT_EQ(rows, 1);
  }
  EXPECT_EQ(reader->count_responses(campaign.id), 2) << "the snapshot has ended";
}

TEST_P(ExportStoreTest, every_format_writes_every_response) {
  fixtures::TestDatabase database(GetParam());
  auto s = database.open();
  auto campaign = mini_campaign(*s);
  s->insert_response(stored(campaign, "a", R"({"age": 70, "works": "yes", "job": "a \"cook\", <b>",
      "risks": ["poverty"], "alone": "no", "elderly_alone": "0", "visited": "2025-01-02"})"));
  s->insert_response(stored(campaign, "b", R"({"age": 30, "works": "no"})"));

  std::ostringstream csv;
  auto count = export_csv(*s, campaign, mini(), {false, "sr-Cyrl", false}, csv);
  ASSERT_TRUE(count) << count.error().message;
  EXPECT_EQ(*count, 2u);
  EXPECT_EQ(csv.str().substr(0, csv.str().find("\r\n")),
            "response_id,submitted_on,mode,language,age,works,job,risks/poverty,risks/illness,"
            "risks/isolation,risks/other,risks/none,risks_other,household,alone,elderly_alone,"
            "services/home_care,services/day_care,top/1,top/2,visited");
  EXPECT_NE(
      csv.str().find("a,2025-11-15,api,sr-Cyrl,70,yes,\"a \"\"cook\"\", <b>\",1,0,0,0,0,,,no,0"
                     ",,,,,2025-01-02\r\n"),
      std::string::npos)
      << csv.str();

  std::ostringstream xlsx_bytes;
  auto xlsx = export_xlsx(*s, campaign, mini(), {}, xlsx_bytes);
  ASSERT_TRUE(xlsx) << xlsx.error().message;
  EXPECT_EQ(*xlsx, 2u);
  EXPECT_EQ(xlsx_bytes.str().substr(0, 2), "PK");

  std::ostringstream sav;
  auto cases = export_sav(*s, campaign, mini(), {}, sav);
  ASSERT_TRUE(cases) << cases.error().message;
  EXPECT_EQ(*cases, 2u);
  EXPECT_EQ(sav.str().substr(0, 4), "$FL2");
  EXPECT_NE(sav.str().find("risks_other_2"), std::string::npos) << "the long variable names";
}

INSTANTIATE_TEST_SUITE_P(Backends, ExportStoreTest,
                         testing::Values(Backend::sqlite, Backend::postgres),
                         fixtures::backend_name);
