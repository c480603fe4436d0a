// The sections of the published results, one language at a time, for the results report and the
// draft Programme, which repeats the situation, gaps and priorities (results_report.cpp).
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "report/document.hpp"
#include "web/results_report.hpp"

namespace needsmap::web {

// A whole number of people or households, "2443", with the number behind it.
report::Cell count_cell(double value);
// A share as the tables write it, "28.1 %", and the percentage behind it (28.1).
report::Cell percent_cell(double share);
// "2026-12-05" as the language writes a date ("5. 12. 2026." in Serbian and Macedonian).
std::string date_text(const std::string& iso, const std::string& language);

// A Serbian Cyrillic document in Serbian Latin script: every text transliterated.
report::Document in_serbian_latin(report::Document cyrillic);

class ReportSections {
 public:
  ReportSections(const Translations& t, const ResultsSource& source, std::string language);

  // The whole results report.
  report::Document results();

  report::Section method();
  // A level-1 section for every questionnaire section with figures, a level-2 one per question.
  void questions(std::vector<report::Section>& sections);
  // The plan's sections: only with ResultsSource::plan.
  report::Section resources();
  std::optional<report::Section> needs_by_group();
  std::optional<report::Section> risks_by_group();
  report::Section gaps();
  report::Section priorities();

  std::string text(std::string_view key) const { return m_t.text(m_lang, key); }
  std::string format(std::string_view key, const nlohmann::json& arguments) const;
  std::int64_t k() const { return m_source.campaign.min_cell_size; }
  // A service of the unmet-need question by its label in the language.
  std::string service_label(const std::string& code) const;

 private:
  report::Section question_section(const questionnaire::Question& question,
                                   const QuestionFigures& f);
  report::Section matrix_section(const questionnaire::Question& question,
                                 std::span<const QuestionFigures> rows);
  // A population group by its label in the language (its name when it has no definition).
  std::string group_label(const std::string& name) const;
  // A level-1 section of a lead paragraph and a table with a first column of row labels and a
  // percentage column per population group; the caller adds the rows.
  report::Section by_group_section(const std::string& id, std::string_view heading_key,
                                   std::string_view first_column_key,
                                   const std::vector<std::string>& groups);

  const Translations& m_t;
  const ResultsSource& m_source;
  std::string m_lang;
  std::string m_hidden;
};

}  // namespace needsmap::web
