#include "interop/lss_import.hpp"

#include <gtest/gtest.h>

#include "interop/lss_expression.hpp"
#include "test_support.hpp"

using namespace needsmap;
using namespace needsmap::interop;

namespace {

// A LimeSurvey 6 structure (DBVersion ≥ 400, texts in *_l10ns) of our own: two groups, Serbian
// and English, a list with "other", a multiple choice, an array, a number, conditions in the
// conditions table and in a relevance equation, and things needsmap cannot import.
constexpr std::string_view modern_lss = R"(<?xml version="1.0" encoding="UTF-8"?>
<document>
 <LimeSurveyDocType>Survey</LimeSurveyDocType>
 <DBVersion>624</DBVersion>
 <languages><language>sr</language><language>en</language></languages>
 <groups><rows>
  <row><gid>10</gid><sid>4242</sid><group_order>1</group_order><grelevance>1</grelevance></row>
  <row><gid>11</gid><sid>4242</sid><group_order>2</group_order><grelevance><![CDATA[HH.NAOK >= 2]]></grelevance></row>
 </rows></groups>
 <group_l10ns><rows>
  <row><id>1</id><gid>10</gid><group_name>Домаћинство</group_name><description><![CDATA[<p>О вашем домаћинству</p>]]></description><language>sr</language></row>
  <row><id>2</id><gid>10</gid><group_name>Household</group_name><description/><language>en</language></row>
  <row><id>3</id><gid>11</gid><group_name>Услуге</group_name><description/><language>sr</language></row>
  <row><id>4</id><gid>11</gid><group_name>Services</group_name><description/><language>en</language></row>
 </rows></group_l10ns>
 <questions><rows>
  <row><qid>100</qid><parent_qid>0</parent_qid><sid>4242</sid><gid>10</gid><type>N</type><title>HH</title><other>N</other><mandatory>Y</mandatory><question_order>1</question_order><scale_id>0</scale_id><relevance>1</relevance></row>
  <row><qid>101</qid><parent_qid>0</parent_qid><sid>4242</sid><gid>10</gid><type>L</type><title>Tenure</title><other>Y</other><mandatory>N</mandatory><question_order>2</question_order><scale_id>0</scale_id><relevance>1</relevance></row>
  <row><qid>102</qid><parent_qid>0</parent_qid><sid>4242</sid><gid>10</gid><type>K</type><title>Ages</title><other>N</other><mandatory>N</mandatory><question_order>3</question_order><scale_id>0</scale_id><relevance>1</relevance></row>
  <row><qid>110</qid><parent_qid>0</parent_qid><sid>4242</sid><gid>11</gid><type>M</type><title>Used</title><other>N</other><mandatory>N</mandatory><question_order>1</question_order><scale_id>0</scale_id><relevance><![CDATA[((Tenure.NAOK == "A1" or Tenure.NAOK == "A2"))]]></relevance></row>
  <row><qid>111</qid><parent_qid>0</parent_qid><sid>4242</sid><gid>11</gid><type>F</type><title>Rate</title><other>N</other><mandatory>Y</mandatory><question_order>2</question_order><scale_id>0</scale_id><relevance>1</relevance></row>
  <row><qid>112</qid><parent_qid>0</parent_qid><sid>4242</sid><gid>11</gid><type>T</type><title>Why</title><other>N</other><mandatory>N</mandatory><question_order>3</question_order><scale_id>0</scale_id><relevance><![CDATA[Rate_SQ001.NAOK == "B1"]]></relevance></row>
  <row><qid>113</qid><parent_qid>0</parent_qid><sid>4242</sid><gid>11</gid><type>S</type><title>Care</title><other>N</other><mandatory>N</mandatory><question_order>4</question_order><scale_id>0</scale_id><relevance><![CDATA[Used_SQ002 == "Y"]]></relevance></row>
  <row><qid>114</qid><parent_qid>0</parent_qid><sid>4242</sid><gid>11</gid><type>S</type><title>Odd</title><other>N</other><mandatory>N</mandatory><question_order>5</question_order><scale_id>0</scale_id><relevance><![CDATA[sum(HH, 2) > 3]]></relevance></row>
 </rows></questions>
 <subquestions><rows>
  <row><qid>120</qid><parent_qid>110</parent_qid><sid>4242</sid><gid>11</gid><type>T</type><title>SQ001</title><question_order>1</question_order><scale_id>0</scale_id></row>
  <row><qid>121</qid><parent_qid>110</parent_qid><sid>4242</sid><gid>11</gid><type>T</type><title>SQ002</title><question_order>2</question_order><scale_id>0</scale_id></row>
  <row><qid>122</qid><parent_qid>111</parent_qid><sid>4242</sid><gid>11</gid><type>T</type><title>SQ001</title><question_order>1</question_order><scale_id>0</scale_id></row>
  <row><qid>123</qid><parent_qid>111</parent_qid><sid>4242</sid><gid>11</gid><type>T</type><title>SQ002</title><question_order>2</question_order><scale_id>0</scale_id></row>
 </rows></subquestions>
 <question_l10ns><rows>
  <row><qid>100</qid><question><![CDATA[<p>Колико чланова има ваше домаћинство?</p>]]></question><help>Рачунајући и вас</help><language>sr</language></row>
  <row><qid>100</qid><question>How many people live in your household?</question><help>Including you</help><language>en</language></row>
  <row><qid>101</qid><question>Где станујете?</question><help/><language>sr</language></row>
  <row><qid>101</qid><question>Where do you live?</question><help/><language>en</language></row>
  <row><qid>102</qid><question>Године чланова</question><help/><language>sr</language></row>
  <row><qid>110</qid><question>Које услуге користите?</question><help/><language>sr</language></row>
  <row><qid>110</qid><question>Which services do you use?</question><help/><language>en</language></row>
  <row><qid>111</qid><question>Оцените услуге</question><help/><language>sr</language></row>
  <row><qid>112</qid><question>Зашто сте незадовољни?</question><help/><language>sr</language></row>
  <row><qid>113</qid><question>Ко вам пружа негу?</question><help/><language>sr</language></row>
  <row><qid>114</qid><question>Нешто друго</question><help/><language>sr</language></row>
  <row><qid>120</qid><question>Помоћ у кући</question><help/><language>sr</language></row>
  <row><qid>120</qid><question>Home care</question><help/><language>en</language></row>
  <row><qid>121</qid><question>Дневни боравак</question><help/><language>sr</language></row>
  <row><qid>121</qid><question>Day care</question><help/><language>en</language></row>
  <row><qid>122</qid><question>Доступност</question><help/><language>sr</language></row>
  <row><qid>123</qid><question>Квалитет</question><help/><language>sr</language></row>
 </rows></question_l10ns>
 <answers><rows>
  <row><aid>1</aid><qid>101</qid><code>A1</code><sortorder>1</sortorder><scale_id>0</scale_id></row>
  <row><aid>2</aid><qid>101</qid><code>A2</code><sortorder>2</sortorder><scale_id>0</scale_id></row>
  <row><aid>3</aid><qid>111</qid><code>B1</code><sortorder>1</sortorder><scale_id>0</scale_id></row>
  <row><aid>4</aid><qid>111</qid><code>B2</code><sortorder>2</sortorder><scale_id>0</scale_id></row>
 </rows></answers>
 <answer_l10ns><rows>
  <row><id>1</id><aid>1</aid><answer>У свом стану</answer><language>sr</language></row>
  <row><id>2</id><aid>1</aid><answer>In my own flat</answer><language>en</language></row>
  <row><id>3</id><aid>2</aid><answer>Као подстанар</answer><language>sr</language></row>
  <row><id>4</id><aid>3</aid><answer>Лоше</answer><language>sr</language></row>
  <row><id>5</id><aid>4</aid><answer>Добро</answer><language>sr</language></row>
 </rows></answer_l10ns>
 <conditions><rows>
  <row><cid>1</cid><qid>113</qid><cqid>110</cqid><cfieldname>4242X11X110SQ002</cfieldname><method>==</method><value>Y</value><scenario>1</scenario></row>
 </rows></conditions>
 <question_attributes><rows>
  <row><qid>100</qid><attribute>num_value_int_only</attribute><value>1</value></row>
  <row><qid>100</qid><attribute>min_num_value_n</attribute><value>1</value></row>
  <row><qid>100</qid><attribute>max_num_value_n</attribute><value>20</value></row>
  <row><qid>110</qid><attribute>max_answers</attribute><value>2</value></row>
 </rows></question_attributes>
 <surveys><rows><row><sid>4242</sid><language>sr</language><additional_languages>en</additional_languages></row></rows></surveys>
 <surveys_languagesettings><rows>
  <row><surveyls_survey_id>4242</surveyls_survey_id><surveyls_language>sr</surveyls_language><surveyls_title>Потребе домаћинстава</surveyls_title><surveyls_description/></row>
  <row><surveyls_survey_id>4242</surveyls_survey_id><surveyls_language>en</surveyls_language><surveyls_title>Household needs</surveyls_title><surveyls_description/></row>
 </rows></surveys_languagesettings>
</document>)";

// LimeSurvey 3 (texts in each row, one row per language).
constexpr std::string_view older_lss = R"(<?xml version="1.0" encoding="UTF-8"?>
<document>
 <LimeSurveyDocType>Survey</LimeSurveyDocType>
 <DBVersion>366</DBVersion>
 <languages><language>sr</language><language>mk</language></languages>
 <groups><rows>
  <row><gid>1</gid><sid>77</sid><group_name>Прва</group_name><group_order>0</group_order><description/><language>sr</language><grelevance/></row>
  <row><gid>1</gid><sid>77</sid><group_name>Прва мк</group_name><group_order>0</group_order><description/><language>mk</language><grelevance/></row>
 </rows></groups>
 <questions><rows>
  <row><qid>5</qid><parent_qid>0</parent_qid><sid>77</sid><gid>1</gid><type>Y</type><title>Q1</title><question>Да ли радите?</question><help/><other>N</other><mandatory>Y</mandatory><question_order>1</question_order><language>sr</language><scale_id>0</scale_id><relevance>1</relevance></row>
  <row><qid>5</qid><parent_qid>0</parent_qid><sid>77</sid><gid>1</gid><type>Y</type><title>Q1</title><question>Дали работите?</question><help/><other>N</other><mandatory>Y</mandatory><question_order>1</question_order><language>mk</language><scale_id>0</scale_id><relevance>1</relevance></row>
  <row><qid>6</qid><parent_qid>0</parent_qid><sid>77</sid><gid>1</gid><type>!</type><title>Q2</title><question>Где?</question><help/><other>N</other><mandatory>N</mandatory><question_order>2</question_order><language>sr</language><scale_id>0</scale_id><relevance>Q1 == "Y"</relevance></row>
 </rows></questions>
 <answers><rows>
  <row><qid>6</qid><code>X1</code><answer>У граду</answer><sortorder>1</sortorder><language>sr</language><scale_id>0</scale_id></row>
  <row><qid>6</qid><code>X1</code><answer>Во градот</answer><sortorder>1</sortorder><language>mk</language><scale_id>0</scale_id></row>
  <row><qid>6</qid><code>X2</code><answer>На селу</answer><sortorder>2</sortorder><language>sr</language><scale_id>0</scale_id></row>
 </rows></answers>
 <surveys_languagesettings><rows>
  <row><surveyls_language>sr</surveyls_language><surveyls_title>Стара анкета</surveyls_title></row>
 </rows></surveys_languagesettings>
</document>)";

std::string all_lss_notes(const SheetNotes& notes) {
  return describe(notes, "survey.lss");
}

bool has_note(const SheetNotes& notes, std::string_view name, std::string_view text) {
  return std::any_of(notes.begin(), notes.end(), [&](const SheetNote& n) {
    return n.name == name && n.message.find(text) != std::string::npos;
  });
}

}  // namespace

TEST(LssImport, groups_questions_subquestions_answers_and_translations_map_onto_the_model) {
  auto imported = import_lss(modern_lss, {}, "survey.lss");
  ASSERT_TRUE(imported.has_value()) << all_lss_notes(imported.error().errors);
  const auto& q = imported->questionnaire;
  using questionnaire::QuestionType;
  EXPECT_EQ(q.name(), "limesurvey_4242");
  EXPECT_EQ(q.title().get("en"), "Household needs");
  EXPECT_EQ(q.languages(), (std::vector<std::string>{"sr-Cyrl", "sr-Latn", "en"}));
  ASSERT_EQ(q.sections().size(), 2u);
  EXPECT_EQ(q.sections()[0].title.get("sr-Cyrl"), "Домаћинство");
  EXPECT_EQ(q.sections()[0].description.get("sr-Cyrl"), "О вашем домаћинству");
  EXPECT_EQ(q.sections()[1].relevant->source(), "${hh} >= 2");

  const auto* hh = q.find("hh");
  ASSERT_NE(hh, nullptr);
  EXPECT_EQ(hh->type, QuestionType::integer);
  EXPECT_TRUE(hh->required);
  EXPECT_EQ(*hh->min, 1);
  EXPECT_EQ(*hh->max, 20);
  EXPECT_EQ(hh->label.get("sr-Cyrl"), "Колико чланова има ваше домаћинство?");
  EXPECT_EQ(hh->hint.get("en"), "Including you");

  const auto* tenure = q.find("tenure");
  EXPECT_EQ(tenure->type, QuestionType::single);
  EXPECT_EQ(tenure->choices.size(), 3u);
  EXPECT_EQ(tenure->find_choice("a1")->label.get("en"), "In my own flat");
  EXPECT_TRUE(tenure->find_choice("other")->other);
  EXPECT_NE(q.find("tenure_other"), nullptr);

  const auto* used = q.find("used");
  EXPECT_EQ(used->type, QuestionType::multiple);
  EXPECT_EQ(used->max_selections, 2);
  EXPECT_EQ(used->find_choice("sq002")->label.get("en"), "Day care");
  EXPECT_EQ(used->relevant->source(), "((${tenure} = 'a1' or ${tenure} = 'a2'))");

  const auto* rate = q.find("rate");
  EXPECT_EQ(rate->type, QuestionType::matrix);
  ASSERT_EQ(rate->rows.size(), 2u);
  EXPECT_EQ(rate->rows[1].label.get("sr-Cyrl"), "Квалитет");
  EXPECT_EQ(rate->choices[0].name, "b1");
  EXPECT_EQ(q.find("why")->type, QuestionType::long_text);
  EXPECT_EQ(q.find("why")->relevant->source(), "${rate/sq001} = 'b1'");
  // The conditions table wins over the equation.
  EXPECT_EQ(q.find("care")->relevant->source(), "selected(${used}, 'sq002')");
}

TEST(LssImport, what_cannot_be_imported_is_reported) {
  auto imported = import_lss(modern_lss, {}, "survey.lss");
  ASSERT_TRUE(imported.has_value()) << all_lss_notes(imported.error().errors);
  const auto& skipped = imported->skipped;
  EXPECT_TRUE(has_note(skipped, "Ages", "multiple numerical (K) cannot be imported"))
      << all_lss_notes(skipped);
  EXPECT_TRUE(has_note(skipped, "Odd", "condition is not imported")) << all_lss_notes(skipped);
  EXPECT_EQ(imported->questionnaire.find("ages"), nullptr);
  EXPECT_EQ(imported->questionnaire.find("odd")->relevant, std::nullopt);
  EXPECT_EQ(skipped.size(), 2u) << all_lss_notes(skipped);
}

TEST(LssImport, the_older_layout_with_texts_in_each_row_imports_too) {
  auto imported = import_lss(older_lss, {}, "old.lss");
  ASSERT_TRUE(imported.has_value()) << all_lss_notes(imported.error().errors);
  const auto& q = imported->questionnaire;
  EXPECT_EQ(q.languages(), (std::vector<std::string>{"sr-Cyrl", "sr-Latn", "mk"}));
  EXPECT_EQ(q.find("q1")->label.get("mk"), "Дали работите?");
  EXPECT_EQ(q.find("q1")->choices.size(), 2u);
  EXPECT_EQ(q.find("q2")->relevant->source(), "${q1} = 'y'");
  EXPECT_EQ(q.find("q2")->find_choice("x1")->label.get("mk"), "Во градот");
  EXPECT_EQ(q.sections()[0].title.get("mk"), "Прва мк");
}

TEST(LssImport, a_file_that_is_not_a_limesurvey_structure_is_refused) {
  auto not_xml = import_lss("PK\x03\x04 this is a zip", {}, "x.lss");
  ASSERT_FALSE(not_xml.has_value());
  EXPECT_NE(not_xml.error().errors[0].message.find("not a LimeSurvey .lss file"),
            std::string::npos);
  auto other = import_lss("<document><LimeSurveyDocType>Question</LimeSurveyDocType></document>",
                          {}, "x.lss");
  ASSERT_FALSE(other.has_value());
  EXPECT_NE(other.error().errors[0].message.find("not a LimeSurvey survey"), std::string::npos);
}

TEST(LssExpression, translates_comparisons_joined_by_and_or_and_leaves_the_rest) {
  LssLookup lookup = [](std::string_view name) -> std::optional<LssVariable> {
    if (name == "Age") {
      return LssVariable{.kind = LssVariable::Kind::answer,
                         .question = "age",
                         .choice_or_row = "",
                         .coded = false};
    }
    if (name == "Sex") {
      return LssVariable{
          .kind = LssVariable::Kind::answer, .question = "sex", .choice_or_row = "", .coded = true};
    }
    return std::nullopt;
  };
  EXPECT_EQ(translate_lss_expression("Age.NAOK > 17 && Sex == 'F'", lookup),
            "${age} > 17 and ${sex} = 'f'");
  EXPECT_EQ(translate_lss_expression("(Age >= 65 || Age < 18) and !is_empty(Sex)", lookup),
            "(${age} >= 65 or ${age} < 18) and not(${sex} = '')");
  EXPECT_EQ(translate_lss_expression("18 <= Age", lookup), "${age} >= 18");
  EXPECT_EQ(translate_lss_expression("Unknown == 1", lookup), std::nullopt);
  EXPECT_EQ(translate_lss_expression("sum(Age, 1) > 3", lookup), std::nullopt);
  EXPECT_EQ(translate_lss_expression("Age == Sex", lookup), std::nullopt);
}
