// An answer's problem in words, as the questionnaire pages say it: the questionnaire author's
// message when there is one, else the interface's, in the language asked for. Also what the
// reports of imported responses say about a rejected row.
#pragma once

#include <string>

#include "questionnaire/answers.hpp"
#include "questionnaire/model.hpp"
#include "web/i18n.hpp"

namespace needsmap::web {

std::string answer_issue_text(const Translations& t, const std::string& language,
                              const questionnaire::Questionnaire& q,
                              const questionnaire::AnswerIssue& issue);

}  // namespace needsmap::web
