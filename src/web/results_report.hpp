// The published results of a campaign ("збирни резултати") as a report document: the method
// (who, when, how many, which modes, weighting, limits), then every section of the questionnaire
// with the shares of each choice question, and for a citizens' campaign the resources of the
// registry, the need by vulnerable group, the gaps and the priorities. Everything published is
// suppressed as for the public: no figure of fewer than the campaign's k respondents.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "analysis/estimates.hpp"
#include "analysis/monitoring.hpp"
#include "report/document.hpp"
#include "web/i18n.hpp"
#include "web/plan_analysis.hpp"

namespace needsmap::web {

// The estimates a report shows, worked out once for every language it is written in.
struct QuestionFigures {
  std::size_t question{0};  // index into Questionnaire::questions()
  std::vector<analysis::Estimate> rows;
  std::vector<bool> hidden;  // withheld for the public
  std::int64_t answered{0};  // respondents who answered
};

struct ResultsFigures {
  std::vector<QuestionFigures> questions;  // in questionnaire order
};

// The shares of every single, multiple and scale question the data has (heavy: run it off the io
// threads).
ResultsFigures results_figures(const WeightedData& data, const questionnaire::Questionnaire& q,
                               std::int64_t min_cell_size);

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
