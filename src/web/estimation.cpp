#include "web/estimation.hpp"

namespace needsmap::web {

std::optional<Statistic> statistic_for(std::string_view text, const analysis::Column* column,
                                       const questionnaire::Questionnaire& q) {
  using analysis::ColumnKind;
  const ColumnKind kind = column ? column->spec.kind : ColumnKind::choice;
  if (text.empty()) return kind == ColumnKind::number ? Statistic::mean : Statistic::share;
  if (text == "share") {
    return kind != ColumnKind::number ? std::optional(Statistic::share) : std::nullopt;
  }
  // A scale's positions are ordered, so they have a mean, a median and a top two.
  const auto* question = column ? q.find(column->spec.question) : nullptr;
  const bool scale = question && question->type == questionnaire::QuestionType::scale;
  const bool ordered = kind == ColumnKind::number || scale;
  if (text == "mean" && ordered) return Statistic::mean;
  if (text == "median" && ordered) return Statistic::median;
  if (text == "top_two_box" && scale) return Statistic::top_two_box;
  return std::nullopt;
}

std::string_view to_string(Statistic statistic) {
  switch (statistic) {
    case Statistic::share:
      return "share";
    case Statistic::mean:
      return "mean";
    case Statistic::median:
      return "median";
    case Statistic::top_two_box:
      return "top_two_box";
  }
  return "share";
}

bool counts_respondents(Statistic statistic) {
  return statistic == Statistic::share || statistic == Statistic::top_two_box;
}

std::vector<analysis::Estimate> estimate(const WeightedData& data, Statistic statistic,
                                         std::string_view question, std::string_view by) {
  const analysis::Design design = data.design();
  switch (statistic) {
    case Statistic::share:
      return analysis::estimate_shares(*data.data, design, question, by);
    case Statistic::mean:
      return analysis::estimate_means(*data.data, design, question, by);
    case Statistic::median:
      return analysis::estimate_medians(*data.data, design, question, by);
    case Statistic::top_two_box:
      return analysis::estimate_top_two_box(*data.data, design, question, by);
  }
  return {};
}

LayeredShares layered_shares(const WeightedData& data, std::string_view question,
                             std::string_view by, std::string_view layer) {
  LayeredShares out;
  const analysis::Crosstab crosstab =
      analysis::crosstab(*data.data, data.design(), by, question, layer);
  for (const auto& table : crosstab.tables) {
    for (std::size_t r = 0; r < table.rows.size(); ++r) {
      for (std::size_t c = 0; c < table.columns.size(); ++c) {
        out.rows.push_back(table.cell(r, c).of_row);
        out.layers.push_back(table.layer);
      }
    }
  }
  return out;
}

std::vector<bool> withheld_by_layer(const LayeredShares& shares, std::int64_t k) {
  std::vector<bool> hidden;
  std::size_t begin = 0;
  while (begin < shares.rows.size()) {
    std::size_t end = begin;
    while (end < shares.rows.size() && shares.layers[end] == shares.layers[begin]) ++end;
    std::vector<analysis::Estimate> table(shares.rows.begin() + static_cast<std::ptrdiff_t>(begin),
                                          shares.rows.begin() + static_cast<std::ptrdiff_t>(end));
    auto withheld = analysis::withheld_estimates(table, true, k);
    hidden.insert(hidden.end(), withheld.begin(), withheld.end());
    begin = end;
  }
  return hidden;
}

std::optional<analysis::IndependenceTest> independence_of(const WeightedData& data,
                                                          std::string_view question,
                                                          std::string_view by) {
  const analysis::Column* column = data.data->find(question);
  if (by.empty() || !column || column->spec.kind != analysis::ColumnKind::choice) {
    return std::nullopt;
  }
  auto tests = analysis::test_independence(*data.data, data.design(), question, by);
  if (tests.empty() || !tests.front().tested) return std::nullopt;
  return tests.front();
}

nlohmann::json weighting_json(const WeightedData& w) {
  const analysis::RakeReport& r = w.weighting->rake.report;
  return {{"source", w.population->source},    {"demo", w.population->demo},
          {"margins", w.weighting->used},      {"not_asked", w.weighting->not_asked},
          {"left_out", w.weighting->left_out}, {"converged", r.converged},
          {"iterations", r.iterations},        {"max_margin_error", r.max_margin_error},
          {"min_weight", r.min_weight},        {"max_weight", r.max_weight},
          {"effective_n", r.effective_n}};
}

}  // namespace needsmap::web
