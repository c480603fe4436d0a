// Vulnerable groups (issue 5, item 3): named expressions over a respondent's answers in the
// questionnaire expression language (docs/questionnaire-format.md), e.g. older people living
// alone. Shipped defaults (data/analysis/vulnerable_groups.json) or a municipality's own
// (store::VulnerableGroup); checked against a questionnaire, evaluated for every row of a
// Dataset, and profiled: how common each risk factor is in the group and among everyone else,
// how many risks come together, and which risks set the group apart.
#pragma once

#include <cstdint>
#include <expected>
#include <filesystem>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "analysis/dataset.hpp"
#include "analysis/estimates.hpp"
#include "analysis/variance.hpp"
#include "questionnaire/expression.hpp"
#include "questionnaire/model.hpp"
#include "questionnaire/text.hpp"
#include "store/population.hpp"

namespace needsmap::analysis {

// --- Definitions ---------------------------------------------------------------------------

struct GroupDefinition {
  std::string name;  // a stable identifier: lower-case letters, digits and '_'
  questionnaire::LocalizedText label;
  std::string expression;  // true for a member
};

// The shipped defaults: the groups and the multiple-choice question of risk factors.
struct GroupDefaults {
  std::string risk_question;
  std::vector<GroupDefinition> groups;
};

struct GroupFileError {
  std::string where;  // JSON pointer, e.g. /groups/3/expression
  std::string message;
  std::string to_string() const;
};
using GroupFileErrors = std::vector<GroupFileError>;

// Reads a "needsmap-vulnerable-groups/1" document, checking its format, every group's name (an
// identifier, unique), sr-Cyrl label and expression (it must parse and must not use `.`).
std::expected<GroupDefaults, GroupFileErrors> read_group_defaults(const nlohmann::json& document);
// The same from a file; an unreadable file or invalid JSON is one error at "".
std::expected<GroupDefaults, GroupFileErrors> load_group_defaults(
    const std::filesystem::path& path);

GroupDefinition group_from_store(const store::VulnerableGroup& row);
store::VulnerableGroup group_to_store(const GroupDefinition& group);

// What a definition means for one questionnaire, for the administration's messages.
struct GroupCheck {
  std::optional<questionnaire::ExpressionError> error;  // does not parse, or uses `.`
  // ${references} the questionnaire does not ask (or a row its matrix does not have): the group
  // is not applicable to campaigns of this questionnaire.
  std::vector<std::string> unknown;
  // Questions it asks whose answers are not analysed (text, date, a whole matrix),
  // directly or through a calculation: not applicable either.
  std::vector<std::string> unanalysed;

  bool valid() const { return !error.has_value(); }
  bool applicable() const { return valid() && unknown.empty() && unanalysed.empty(); }
  // English sentences, one per problem: "unknown function foo() at 5", "${x} is not asked".
  std::vector<std::string> messages() const;
};

GroupCheck check_group(const GroupDefinition& group, const questionnaire::Questionnaire& q);

// --- Membership ----------------------------------------------------------------------------

struct GroupMembership {
  std::string name;
  // The expression parses and every reference is a column of the dataset or a calculation of
  // the questionnaire over such columns.
  bool applicable{false};
  std::vector<char> member;  // one per row, 1 for a member; empty when not applicable
  std::int64_t members{0};
};

// Evaluates each group for every row. A row's answers are seen as the expression language
// expects them: a choice as its name, a multiple choice as its chosen names separated by
// spaces, a number in the language's decimal form, ${question/row} as a matrix row's choice,
// and a calculate question of `q` (may be null) as its calculation over the same answers.
// `today` is what today() gives (YYYY-MM-DD).
std::vector<GroupMembership> evaluate_groups(const Dataset& data,
                                             std::span<const GroupDefinition> groups,
                                             const questionnaire::Questionnaire* q = nullptr,
                                             std::string today = "");

// --- Risk profiles -------------------------------------------------------------------------

// One risk factor in the group against everyone else: shares of the respondents who answered
// the risk question (each Estimate with its count of those who chose it and n who answered,
// se, logit interval, as estimate_shares gives them).
struct RiskFactorFigure {
  std::string factor;  // the choice name
  Estimate group;      // Estimate::group is the group's name
  Estimate others;     // Estimate::group is empty: everyone not in the group
  // group − others as a proportion (0.12 is 12 percentage points), its linearised standard error
  // and 95% t interval; distinct when that interval excludes 0.
  double difference{0};
  double difference_se{0};
  double difference_low{0};
  double difference_high{0};
  bool distinct{false};
  double ratio{std::numeric_limits<double>::quiet_NaN()};  // group / others; NaN if others 0
};

// How many risk factors (non-exclusive choices, "other" included) respondents chose at once.
struct Cooccurrence {
  std::vector<Estimate> shares;  // categories "0", "1", "2", "3+"; count and n as for shares
  Estimate mean;                 // mean number of factors, with a t interval
};

struct RiskProfile {
  std::string group;
  std::string question;
  std::vector<RiskFactorFigure> factors;  // in choice order, exclusive choices left out
  // Indexes into factors, largest difference first: what is most over-represented in the group
  // leads, what is under-represented comes last.
  std::vector<std::size_t> ranking;
  Cooccurrence group_cooccurrence;
  Cooccurrence others_cooccurrence;
};

// The exclusive choices ("none of these") of a multiple-choice question of q.
std::vector<std::string> exclusive_choices(const questionnaire::Questionnaire& q,
                                           std::string_view question);

// The profile of a group (applicable, with one membership entry per row) on the multiple choice
// `risk_question`, leaving out the choices in `exclusive`. Throws std::invalid_argument when the
// question is not a multiple choice of the dataset or the membership does not fit it.
RiskProfile risk_profile(const Dataset& data, const Design& design,
                         const GroupMembership& membership, std::string_view risk_question,
                         std::span<const std::string> exclusive = {});

// Which figures of a profile to withhold from anyone below analyst for a minimum cell size k.
struct ProfileWithholding {
  bool whole{false};                // everything, the group's size included
  std::vector<bool> factors;        // per factor: both shares, their difference and ratio
  std::vector<bool> group_counts;   // per co-occurrence class of the group
  std::vector<bool> others_counts;  // per co-occurrence class of the others
};

ProfileWithholding withheld_profile(const RiskProfile& profile, std::int64_t k);

}  // namespace needsmap::analysis
