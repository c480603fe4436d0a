// The published results of a campaign ("збирни резултати") as a report document: the method
// (who, when, how many, which modes, weighting, limits), then every section of the questionnaire
// with the shares of each choice question, and for a citizens' campaign the resources of the
// registry, the need by vulnerable group, the gaps and the priorities. Everything published is
// suppressed as for the public: no figure of fewer than the campaign's k respondents.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "analysis/estimates.hpp"
#include "analysis/groups.hpp"
#include "analysis/monitoring.hpp"
#include "report/document.hpp"
#include "web/i18n.hpp"
#include "web/plan_analysis.hpp"

namespace needsmap::web {

// The estimates a report shows, worked out once for every language it is written in.
struct QuestionFigures {
  std::size_t question{0};  // index into Questionnaire::questions()
  std::string row;          // a matrix row's name; empty for other questions
  std::vector<analysis::Estimate> rows;
  std::vector<bool> hidden;  // withheld for the public
  std::int64_t answered{0};  // respondents who answered
};

// A vulnerable group's risk factors (the citizens' risk_factors question), as the group
// profiles page has them, with what the public may not see withheld.
struct GroupRisks {
  std::string group;  // the group's name
  analysis::RiskProfile profile;
  analysis::ProfileWithholding withheld;
};

struct ResultsFigures {
  std::vector<QuestionFigures> questions;  // in questionnaire order
  std::vector<GroupRisks> group_risks;     // per applicable group, when the plan has groups
};

// The shares of every single, multiple and scale question and of every matrix row the data has
// (heavy: run it off the io threads).
ResultsFigures results_figures(const WeightedData& data, const questionnaire::Questionnaire& q,
                               std::int64_t min_cell_size);

// The risk factors of each group of `groups` (applicable ones), added to `figures` when the
// questionnaire asks `risk_question` as a multiple choice.
void add_group_risks(ResultsFigures& figures, const WeightedData& data,
                     const questionnaire::Questionnaire& q,
                     std::span<const analysis::GroupMembership> groups, std::int64_t min_cell_size,
                     const std::string& risk_question = "risk_factors");

struct ResultsSource {
  const store::Municipality& municipality;
  const store::Campaign& campaign;
  const questionnaire::Questionnaire& questionnaire;
  const WeightedData& data;
  const ResultsFigures& figures;
  const analysis::Monitor& monitor;   // already suppressed
  const PlanAnalysis* plan{nullptr};  // null: not a citizens' campaign, or no unmet need asked
  std::string published_on;           // YYYY-MM-DD
  // A registry taxonomy term's label in a language (service types of the resources table).
  std::function<std::string(std::string_view code, const std::string& language)> term_label;
};

// The public address of a campaign's published results: /r/{municipality}/{campaign}.
std::string results_path(const store::Municipality& m, const store::Campaign& campaign);

// The languages results are published in: Serbian in both scripts and English, and Macedonian
// when the questionnaire speaks it.
std::vector<std::string> results_languages(const questionnaire::Questionnaire& q);

// The report in `language` (sr-Cyrl, en or mk; sr-Latn is converted from sr-Cyrl).
report::Document results_document(const Translations& t, const ResultsSource& source,
                                  const std::string& language);

}  // namespace needsmap::web
