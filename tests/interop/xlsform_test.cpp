#include <gtest/gtest.h>

#include <fstream>

#include "interop/xlsform_export.hpp"
#include "interop/xlsform_import.hpp"
#include "interop/xlsx_reader.hpp"
#include "interop/xlsx_writer.hpp"
#include "test_support.hpp"

using namespace needsmap;
using namespace needsmap::interop;
using nlohmann::json;
using Rows = std::vector<std::vector<std::string>>;

namespace {

questionnaire::Catalogs bundled_catalogs() {
  auto catalogs = questionnaire::load_catalogs(fixtures::source_dir() / "data/catalogs");
  EXPECT_TRUE(catalogs.has_value());
  return catalogs.value_or(questionnaire::Catalogs{});
}

// A form of our own with every type that maps, three languages and things that cannot be
// imported. Row numbers in the comments are the spreadsheet's.
Workbook every_type_form() {
  Rows survey = {
      {"type", "name", "label", "label::English (en)", "hint", "required", "required_message",
       "relevant", "constraint", "constraint_message", "calculation", "appearance", "parameters",
       "choice_filter"},
      {"begin_group", "about", "О вама", "About you"},                           // 2
      {"integer", "age", "Колико имате година?", "How old are you?", "", "yes",  // 3
       "Унесите године", "", ". >= 0 and . <= 120", "Од 0 до 120"},
      {"decimal", "income", "Приход", "Income"},  // 4
      {"range", "rooms", "Собе", "Rooms", "", "", "", "", "", "", "", "", "start=1 end=10"},
      {"text", "nickname", "Надимак", "Nickname"},                                   // 6
      {"text", "story", "Прича", "Story", "", "", "", "", "", "", "", "multiline"},  // 7
      {"date", "visit", "Датум посете", "Date of the visit"},                        // 8
      {"note", "intro_note", "Хвала што учествујете", "Thank you for taking part"},  // 9
      {"end_group"},                                                                 // 10
      {"begin_group", "needs", "Потребе", "Needs", "", "", "", "${age} >= 18"},      // 11
      {"select_one yes_no", "has_support", "Имате ли подршку?", "Do you have support?", "",
       "yes"},  // 12
      {"select_multiple services", "services_used", "Које услуге користите?", "Which services?", "",
       "", "", "${has_support} = 'yes'", "", "", "", "", "", "${age} > 1"},               // 13
      {"select_one services or_other", "main_service", "Главна услуга", "Main service"},  // 14
      {"rank services", "priorities", "Поређајте услуге", "Rank the services"},           // 15
      {"select_one rating", "satisfaction", "Задовољство", "Satisfaction", "", "", "", "", "", "",
       "", "likert"},  // 16
      {"begin_group", "grid", "Оцените услугу", "Rate the service", "", "", "", "", "", "", "",
       "table-list"},                                                              // 17
      {"select_one rating", "grid_speed", "Брзина", "Speed", "", "yes"},           // 18
      {"select_one rating", "grid_kindness", "Љубазност", "Kindness", "", "yes"},  // 19
      {"end_group"},                                                               // 20
      {"text", "speed_why", "Зашто споро?", "Why slow?", "", "", "", "${grid_speed} = 'bad'"},
      {"calculate", "adult", "", "", "", "", "", "", "", "", "if(${age} >= 18, 'yes', 'no')"},
      {"geopoint", "location", "Где живите?", "Where do you live?"},            // 23
      {"begin_repeat", "members", "Чланови домаћинства", "Household members"},  // 24
      {"text", "member_name", "Име", "Name"},                                   // 25
      {"end_repeat"},                                                           // 26
      {"start", "started"},                                                     // 27
      {"end_group"},                                                            // 28
  };
  Rows choices = {
      {"list_name", "name", "label", "label::English (en)", "label::Македонски (mk)",
       "needsmap_exclusive", "image"},
      {"yes_no", "yes", "Да", "Yes", "Да"},
      {"yes_no", "no", "Не", "No", "Не"},
      {"rating", "bad", "Лоше", "Bad", "Лошо"},
      {"rating", "good", "Добро", "Good", "Добро"},
      {"services", "home_care", "Помоћ у кући", "Home care", "Помош во домот"},
      {"services", "day_care", "Дневни боравак", "Day care", "Дневен престој"},
      {"services", "none", "Ништа од наведеног", "None of these", "Ништо од наведеното", "yes",
       "none.png"},
  };
  Rows settings = {
      {"form_title", "form_title::English (en)", "form_id", "version", "default_language"},
      {"Потребе грађана", "Citizens' needs", "needs_test", "2025.1", "Српски (sr)"}};
  return Workbook{.sheets = {{.name = "survey", .rows = survey},
                             {.name = "choices", .rows = choices},
                             {.name = "settings", .rows = settings}}};
}

// Written to .xlsx and read back, so every test goes through the file format.
Workbook through_xlsx(const Workbook& book) {
  fixtures::TemporaryDirectory dir;
  auto path = dir.path() / "form.xlsx";
  auto written = write_xlsx(book, path);
  EXPECT_TRUE(written.has_value()) << written.error().message;
  auto read = read_xlsform_file(path);
  EXPECT_TRUE(read.has_value()) << read.error().message;
  return read.value_or(Workbook{});
}

bool has_note(const SheetNotes& notes, std::string_view sheet, std::size_t row,
              std::string_view text) {
  return std::any_of(notes.begin(), notes.end(), [&](const SheetNote& n) {
    return n.sheet == sheet && n.row == row && n.message.find(text) != std::string::npos;
  });
}

std::string all(const SheetNotes& notes) {
  return describe(notes, "form.xlsx");
}

// The form with one survey row replaced (row is the spreadsheet's number).
Workbook with_survey_row(std::size_t row, std::vector<std::string> cells) {
  Workbook book = every_type_form();
  book.sheets[0].rows[row - 1] = std::move(cells);
  return book;
}

SheetNotes errors_of(const Workbook& book) {
  auto imported = import_xlsform(book, {}, "form.xlsx");
  EXPECT_FALSE(imported.has_value());
  return imported ? SheetNotes{} : imported.error().errors;
}

}  // namespace

TEST(XlsformImport, every_type_and_language_maps_onto_the_questionnaire_model) {
  auto imported = import_xlsform(through_xlsx(every_type_form()), {}, "form.xlsx");
  ASSERT_TRUE(imported.has_value()) << all(imported.error().errors);
  const auto& q = imported->questionnaire;
  using questionnaire::QuestionType;
  EXPECT_EQ(q.name(), "needs_test");
  EXPECT_EQ(q.version(), "2025.1");
  EXPECT_EQ(q.title().get("en"), "Citizens' needs");
  EXPECT_EQ(q.title().get("sr-Latn"), "Potrebe građana");
  EXPECT_EQ(q.languages(), (std::vector<std::string>{"sr-Cyrl", "sr-Latn", "en", "mk"}));
  ASSERT_EQ(q.sections().size(), 2u);
  EXPECT_EQ(q.sections()[1].relevant->source(), "${age} >= 18");

  auto type_of = [&](std::string_view name) {
    const auto* question = q.find(name);
    EXPECT_NE(question, nullptr) << name;
    return question ? question->type : QuestionType::note;
  };
  EXPECT_EQ(type_of("age"), QuestionType::integer);
  EXPECT_EQ(type_of("income"), QuestionType::decimal);
  EXPECT_EQ(type_of("rooms"), QuestionType::integer);
  EXPECT_EQ(type_of("nickname"), QuestionType::text);
  EXPECT_EQ(type_of("story"), QuestionType::long_text);
  EXPECT_EQ(type_of("visit"), QuestionType::date);
  EXPECT_EQ(type_of("intro_note"), QuestionType::note);
  EXPECT_EQ(type_of("has_support"), QuestionType::single);
  EXPECT_EQ(type_of("services_used"), QuestionType::multiple);
  EXPECT_EQ(type_of("main_service"), QuestionType::single);
  EXPECT_EQ(type_of("priorities"), QuestionType::ranking);
  EXPECT_EQ(type_of("satisfaction"), QuestionType::scale);
  EXPECT_EQ(type_of("grid"), QuestionType::matrix);
  EXPECT_EQ(type_of("adult"), QuestionType::calculate);

  const auto* age = q.find("age");
  EXPECT_TRUE(age->required);
  EXPECT_EQ(age->label.get("en"), "How old are you?");
  EXPECT_EQ(age->required_message.get("sr-Cyrl"), "Унесите године");
  EXPECT_EQ(age->constraint->source(), ". >= 0 and . <= 120");
  EXPECT_EQ(*q.find("rooms")->min, 1);
  EXPECT_EQ(*q.find("rooms")->max, 10);
  EXPECT_TRUE(q.find("services_used")->find_choice("none")->exclusive);
  EXPECT_EQ(q.find("services_used")->find_choice("day_care")->label.get("mk"), "Дневен престој");
  // or_other: an "other" choice and the text question <name>_other.
  EXPECT_TRUE(q.find("main_service")->find_choice("other")->other);
  EXPECT_NE(q.find("main_service_other"), nullptr);
  // The table-list group is a matrix whose rows keep their names without the group's prefix,
  // and references to a row's question become matrix-row references.
  const auto* grid = q.find("grid");
  ASSERT_EQ(grid->rows.size(), 2u);
  EXPECT_EQ(grid->rows[0].name, "speed");
  EXPECT_EQ(grid->rows[1].label.get("en"), "Kindness");
  EXPECT_TRUE(grid->required);
  EXPECT_EQ(q.find("speed_why")->relevant->source(), "${grid/speed} = 'bad'");
  EXPECT_EQ(q.find("adult")->calculation->source(), "if(${age} >= 18, 'yes', 'no')");
}

TEST(XlsformImport, what_cannot_be_imported_is_listed_by_sheet_and_row) {
  auto imported = import_xlsform(through_xlsx(every_type_form()), {}, "form.xlsx");
  ASSERT_TRUE(imported.has_value()) << all(imported.error().errors);
  const auto& skipped = imported->skipped;
  EXPECT_TRUE(has_note(skipped, "survey", 23, "\"geopoint\" cannot be imported")) << all(skipped);
  EXPECT_TRUE(has_note(skipped, "survey", 24, "repeat groups cannot be imported"));
  EXPECT_TRUE(has_note(skipped, "survey", 25, "inside the repeat group of row 24"));
  EXPECT_TRUE(has_note(skipped, "survey", 27, "anonymous"));
  EXPECT_TRUE(has_note(skipped, "survey", 1, "values in rows 13"));  // choice_filter
  EXPECT_TRUE(has_note(skipped, "choices", 1, "values in rows 8"));  // image
  EXPECT_EQ(imported->questionnaire.find("location"), nullptr);
  EXPECT_EQ(imported->questionnaire.find("member_name"), nullptr);
  EXPECT_EQ(skipped.size(), 7u) << all(skipped);
}

TEST(XlsformImport, a_form_in_one_csv_file_imports_like_the_spreadsheet) {
  fixtures::TemporaryDirectory dir;
  auto path = dir.path() / "form.csv";
  std::ofstream(path) << "survey,,,\n"
                         ",type,name,label,required\n"
                         ",select_one yes_no,works,Да ли ради?,yes\n"
                         ",text,why,Зашто?,\n"
                         "choices,,,\n"
                         ",list_name,name,label\n"
                         ",yes_no,yes,Да\n"
                         ",yes_no,no,Не\n"
                         "settings,,,\n"
                         ",form_title,form_id,version\n"
                         ",Провера,check_csv,3\n";
  auto book = read_xlsform_file(path);
  ASSERT_TRUE(book.has_value()) << book.error().message;
  auto imported = import_xlsform(*book, {}, path.string());
  ASSERT_TRUE(imported.has_value()) << all(imported.error().errors);
  EXPECT_EQ(imported->questionnaire.name(), "check_csv");
  EXPECT_EQ(imported->questionnaire.version(), "3");
  EXPECT_TRUE(imported->questionnaire.find("works")->required);
  // Questions outside any group make a page titled like the form.
  EXPECT_EQ(imported->questionnaire.sections()[0].title.get("sr-Cyrl"), "Провера");
}

TEST(XlsformImport, a_workbook_without_a_survey_sheet_is_refused) {
  Workbook book = every_type_form();
  book.sheets[0].name = "questions";
  auto errors = errors_of(book);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].message.find("no sheet named \"survey\""), std::string::npos);
}

TEST(XlsformImport, a_duplicate_name_is_reported_at_its_row) {
  auto errors = errors_of(with_survey_row(6, {"text", "income", "Надимак"}));
  EXPECT_TRUE(has_note(errors, "survey", 6, "duplicate name 'income'")) << all(errors);
}

TEST(XlsformImport, a_bad_expression_is_reported_at_its_row_column_and_position) {
  auto errors =
      errors_of(with_survey_row(6, {"text", "nickname", "Надимак", "", "", "", "", "${age} >> 3"}));
  ASSERT_EQ(errors.size(), 1u) << all(errors);
  EXPECT_EQ(errors[0].sheet, "survey");
  EXPECT_EQ(errors[0].row, 6u);
  EXPECT_EQ(errors[0].column, "relevant");
  EXPECT_EQ(errors[0].name, "nickname");
  EXPECT_GT(errors[0].position, 0u);
}

TEST(XlsformImport, a_reference_to_nothing_is_reported_at_its_row) {
  auto errors =
      errors_of(with_survey_row(6, {"text", "nickname", "Надимак", "", "", "", "", "${agee} > 3"}));
  ASSERT_EQ(errors.size(), 1u) << all(errors);
  EXPECT_EQ(
      errors[0].to_string("form.xlsx"),
      "form.xlsx: survey row 6, column relevant (\"nickname\"): unknown question ${agee} at 1");
}

TEST(XlsformImport, an_unknown_choice_list_and_a_bad_choice_name_are_reported_where_they_are) {
  auto errors = errors_of(with_survey_row(12, {"select_one yes_maybe", "has_support", "Подршка?"}));
  EXPECT_TRUE(has_note(errors, "survey", 12, "no choice list \"yes_maybe\"")) << all(errors);
  Workbook book = every_type_form();
  book.sheets[1].rows[2][1] = "No";
  auto choice_errors = errors_of(book);
  EXPECT_TRUE(has_note(choice_errors, "choices", 3, "must be lowercase")) << all(choice_errors);
}

TEST(XlsformImport, a_form_without_serbian_cyrillic_texts_gets_one_clear_error) {
  Workbook book = every_type_form();
  book.sheets[0].rows[0][2] = "label::English (en)";
  book.sheets[0].rows[0][3] = "label::Français (fr)";
  book.sheets[1].rows[0][2] = "label::English (en)";
  book.sheets[2].rows[1][4] = "English (en)";
  auto errors = errors_of(book);
  ASSERT_EQ(errors.size(), 1u) << all(errors);
  EXPECT_NE(errors[0].message.find("no Serbian Cyrillic texts"), std::string::npos);
}

TEST(XlsformImport, a_file_that_is_not_an_xlsx_is_refused) {
  fixtures::TemporaryDirectory dir;
  auto path = dir.path() / "form.xlsx";
  std::ofstream(path) << "this is not a spreadsheet";
  auto book = read_xlsform_file(path);
  ASSERT_FALSE(book.has_value());
  EXPECT_NE(book.error().message.find("not a zip archive"), std::string::npos);
}

TEST(XlsformExport, every_bundled_questionnaire_comes_back_the_same_after_export_and_import) {
  auto catalogs = bundled_catalogs();
  fixtures::TemporaryDirectory dir;
  std::size_t count = 0;
  for (const auto& entry :
       std::filesystem::directory_iterator(fixtures::source_dir() / "questionnaires")) {
    auto original = questionnaire::load_questionnaire_file(entry.path(), catalogs);
    ASSERT_TRUE(original.has_value()) << entry.path();
    auto path = dir.path() / (original->name() + ".xlsx");
    auto written = export_xlsform(original->resolved(), path);
    ASSERT_TRUE(written.has_value()) << written.error().message;
    auto book = read_xlsform_file(path);
    ASSERT_TRUE(book.has_value()) << book.error().message;
    auto imported = import_xlsform(*book, catalogs, path.string());
    ASSERT_TRUE(imported.has_value()) << all(imported.error().errors);
    EXPECT_TRUE(imported->skipped.empty()) << all(imported->skipped);
    const json& before = original->resolved();
    const json& after = imported->questionnaire.resolved();
    EXPECT_EQ(before, after) << original->name() << ": "
                             << json::diff(before, after).dump(1).substr(0, 2000);
    ++count;
  }
  EXPECT_EQ(count, 4u);
}

TEST(XlsformExport, the_sheets_have_one_label_column_per_language) {
  auto q = fixtures::mini_questionnaire();
  Workbook book = xlsform_workbook(q.resolved());
  const Sheet* survey = book.find("survey");
  ASSERT_NE(survey, nullptr);
  const auto& headers = survey->rows[0];
  for (const char* column : {"label::Српски (sr-Cyrl)", "label::Srpski (sr-Latn)",
                             "label::English (en)", "label::Македонски (mk)"}) {
    EXPECT_NE(std::find(headers.begin(), headers.end(), column), headers.end()) << column;
  }
  EXPECT_EQ(survey->cell(1, 0), "begin_group");
  EXPECT_NE(book.find("choices"), nullptr);
  const Sheet* settings = book.find("settings");
  const auto& names = settings->rows[0];
  auto form_id = std::find(names.begin(), names.end(), "form_id") - names.begin();
  EXPECT_EQ(settings->cell(1, static_cast<std::size_t>(form_id)), "mini");
}
