// needsmap analyze: weighted shares (or means) of one question's answers, overall or by group, with
// their standard errors and intervals; raked to population margins when a margins file is given.
// For analysts, who may see every cell: no disclosure control here.
#include <cstdio>
#include <iostream>
#include <optional>

#include <nlohmann/json.hpp>

#include "analysis/dataset.hpp"
#include "analysis/estimates.hpp"
#include "analysis/population.hpp"
#include "analysis/weighting.hpp"
#include "app/cli.hpp"
#include "store/population.hpp"

namespace needsmap::cli {

namespace {

using json = nlohmann::json;

struct AnalyzeOptions {
  std::string db, campaign, question, by, margins;
  std::optional<double> lower, upper;
  int max_iterations{1000};
  bool mean{false};
  bool json{false};
  bool population{false};  // rake to the municipality's stored population table
};

constexpr const char* sampling_note =
    "An open web survey is not a probability sample: weighting to population margins corrects "
    "for who answered only as far as the margins explain it, and the standard errors assume the "
    "respondents were drawn at random.";

json report_json(const analysis::RakeReport& r) {
  return {{"converged", r.converged},
          {"iterations", r.iterations},
          {"max_relative_change", r.max_relative_change},
          {"max_margin_error", r.max_margin_error},
          {"min_weight", r.min_weight},
          {"max_weight", r.max_weight},
          {"bounded", r.bounded},
          {"effective_n", r.effective_n}};
}

json estimate_json(const analysis::Estimate& e, bool grouped, bool mean) {
  json row = json::object();
  if (!mean) row["category"] = e.category;
  if (grouped) row["group"] = e.group;
  row.update({{"estimate", e.estimate},
              {"se", e.se},
              {"ci_low", e.ci_low},
              {"ci_high", e.ci_high},
              {"count", e.count},
              {"n", e.n},
              {"n_eff", e.n_eff},
              {"deff", e.deff},
              {"low_n_eff", e.low_n_eff},
              {"high_rse", e.high_rse}});
  return row;
}

std::string format(const char* pattern, double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, pattern, value);
  return buffer;
}

void print_table(const std::vector<analysis::Estimate>& rows, bool grouped, bool mean) {
  for (const auto& e : rows) {
    if (mean) {
      std::cout << (grouped ? e.group + "\t" : "") << "mean " << format("%.3f", e.estimate) << " ± "
                << format("%.3f", e.se) << "\t[" << format("%.3f", e.ci_low) << ", "
                << format("%.3f", e.ci_high) << "]\tn=" << e.n << "\n";
      continue;
    }
    std::string flags =
        std::string(e.low_n_eff ? " n_eff<30" : "") + (e.high_rse ? " rse>=30%" : "");
    std::cout << (grouped ? e.group + "\t" : "") << e.category << "\t"
              << format("%.1f%%", 100 * e.estimate) << " ± " << format("%.1f", 100 * e.se) << "\t["
              << format("%.1f", 100 * e.ci_low) << ", " << format("%.1f", 100 * e.ci_high)
              << "]\tn=" << e.n << "\tdeff=" << format("%.2f", e.deff) << flags << "\n";
  }
}

// The margins to rake to: a CSV file, or the municipality's stored population table.
std::vector<analysis::MarginRow> margins_for(const AnalyzeOptions& o, store::Store& store,
                                             const store::Campaign& campaign) {
  if (!o.margins.empty()) return analysis::parse_margins_csv(read_file(o.margins));
  auto table = store::load_population(store, campaign.municipality_id);
  if (!table) throw std::runtime_error("the municipality has no population table");
  std::vector<analysis::MarginRow> rows;
  for (const auto& m : table->margins) rows.push_back({m.variable, m.category, m.population});
  return rows;
}

int analyze(const AnalyzeOptions& o) {
  auto [store, campaign, q] = open_campaign(o.db, o.campaign);
  analysis::Dataset data = analysis::build_dataset(*store, campaign.id, *q);
  if (data.rows() == 0) return fail("the campaign " + o.campaign + " has no responses yet");

  json out = {{"campaign", o.campaign}, {"question", o.question}, {"responses", data.rows()}};
  if (!o.by.empty()) out["by"] = o.by;
  std::optional<analysis::PopulationWeighting> weighting;
  if (!o.margins.empty() || o.population) {
    analysis::RakeOptions options;
    options.max_iterations = o.max_iterations;
    options.lower = o.lower;
    options.upper = o.upper;
    weighting = analysis::weight_to_population(data, margins_for(o, *store, campaign), options);
    const auto& r = weighting->rake.report;
    if (!r.converged) {
      return fail("raking did not converge after " + std::to_string(r.iterations) +
                  " iterations (weights still changing by " +
                  format("%.3g", r.max_relative_change) + ", margins off by " +
                  format("%.3g", r.max_margin_error) +
                  "); loosen the weight bounds or check the margins");
    }
    out["weighting"] = report_json(r);
    out["weighting"]["left_out"] = weighting->left_out;
    out["weighting"]["margins"] = weighting->used;
    out["weighting"]["not_asked"] = weighting->not_asked;
  }
  const bool raked = weighting.has_value();
  out["weights"] = raked ? "raked" : "none";
  const analysis::Dataset& weighted = raked ? weighting->data : data;
  analysis::Design design{
      .weights = weighted.weights(),
      .raking = raked ? std::span<const analysis::MarginFactor>(weighting->rake.factors)
                      : std::span<const analysis::MarginFactor>()};
  const analysis::Column* column = data.find(o.question);
  const bool mean = o.mean || (column && column->spec.kind == analysis::ColumnKind::number);
  auto rows = mean ? analysis::estimate_means(weighted, design, o.question, o.by)
                   : analysis::estimate_shares(weighted, design, o.question, o.by);
  out["statistic"] = mean ? "mean" : "share";

  if (o.json) {
    out["note"] = sampling_note;
    out["estimates"] = json::array();
    for (const auto& e : rows) out["estimates"].push_back(estimate_json(e, !o.by.empty(), mean));
    std::cout << out.dump(2) << "\n";
    return 0;
  }
  std::cout << o.question << (o.by.empty() ? "" : " by " + o.by) << ", " << weighted.rows()
            << " responses" << (raked ? ", raked" : ", unweighted") << "\n";
  if (raked && weighting->left_out > 0) {
    std::cout << weighting->left_out
              << " respondent(s) left out: the population table has no figure for their answer\n";
  }
  print_table(rows, !o.by.empty(), mean);
  std::cout << sampling_note << "\n";
  return 0;
}

}  // namespace

void add_analyze_command(CLI::App& app, Context& context) {
  auto o = std::make_shared<AnalyzeOptions>();
  auto* cmd =
      app.add_subcommand("analyze", "weighted shares of a question's answers, with intervals");
  cmd->add_option("--db", o->db, database_help)->required();
  cmd->add_option("--campaign", o->campaign, "municipality/campaign, e.g. demo/citizens")
      ->required();
  cmd->add_option("--question", o->question, "a choice, scale or number question's name")
      ->required();
  cmd->add_option("--by", o->by, "a single-choice question to group by");
  cmd->add_option("--margins", o->margins,
                  "CSV of population margins (variable,category,population) to rake to");
  cmd->add_flag("--population", o->population,
                "rake to the municipality's stored population table instead");
  cmd->add_option("--min-weight", o->lower, "lower weight bound, as a multiple of the mean weight");
  cmd->add_option("--max-weight", o->upper, "upper weight bound, as a multiple of the mean weight");
  cmd->add_option("--max-iterations", o->max_iterations, "raking passes before giving up")
      ->check(CLI::PositiveNumber);
  cmd->add_flag("--mean", o->mean, "a scale's mean position instead of shares (numbers always)");
  cmd->add_flag("--json", o->json, "print JSON");
  on_run(cmd, context, [o] { return analyze(*o); });
}

}  // namespace needsmap::cli
