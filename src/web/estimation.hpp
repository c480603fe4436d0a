// What the estimates API and the analysis page share: which statistic a request asks for, the
// estimates it gives, the test of independence beside a split by groups, and how the weighting
// is described.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "analysis/crosstab.hpp"
#include "analysis/estimates.hpp"
#include "web/app.hpp"

namespace needsmap::web {

enum class Statistic { share, mean, median, top_two_box };

// The statistic named by `text` ("" picks shares, or the mean of a number question), nullopt
// when it is unknown or does not fit the question (means, medians and top-two-box are of
// numbers and scales). A missing column (unknown question) takes the default and fails later
// with its own message.
std::optional<Statistic> statistic_for(std::string_view text, const analysis::Column* column,
                                       const questionnaire::Questionnaire& q);
std::string_view to_string(Statistic statistic);
// Shares (and top-two-box) count respondents per category; means and medians do not.
bool counts_respondents(Statistic statistic);

// The estimates; throws std::invalid_argument with the engine's reason.
std::vector<analysis::Estimate> estimate(const WeightedData& data, Statistic statistic,
                                         std::string_view question, std::string_view by);

// Shares of `question` within each group of `by`, within each category of `layer` (a three-way
// table), each row's layer beside it; throws std::invalid_argument as estimate() does.
struct LayeredShares {
  std::vector<analysis::Estimate> rows;
  std::vector<std::string> layers;  // one per row
};
LayeredShares layered_shares(const WeightedData& data, std::string_view question,
                             std::string_view by, std::string_view layer);

// Which rows to withhold below analyst: withheld_estimates() within each layer's table.
std::vector<bool> withheld_by_layer(const LayeredShares& shares, std::int64_t k);

// The test of independence of a single-choice question and the groups it is split by; nullopt
// when there is no split or the question is not a single choice.
std::optional<analysis::IndependenceTest> independence_of(const WeightedData& data,
                                                          std::string_view question,
                                                          std::string_view by);

// How the answers were weighted, for the API: the table, margins, fit and who was left out.
nlohmann::json weighting_json(const WeightedData& data);

}  // namespace needsmap::web
