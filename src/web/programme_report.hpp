// The draft Programme for improving social protection (in Macedonian, the Local Social Plan),
// drawn from the same figures as the published results (programme_report.cpp).
#pragma once

#include <string>

#include "report/document.hpp"
#include "web/results_report.hpp"

namespace needsmap::web {

// The draft in `language` (sr-Cyrl, sr-Latn, en or mk); `source.plan` must be set.
report::Document programme_document(const Translations& t, const ResultsSource& source,
                                    const std::string& language);

}  // namespace needsmap::web
