// needsmap generate responses: realistic made-up responses for demos, benchmarks and tests.
#include <chrono>
#include <cstdio>
#include <iostream>
#include <optional>
#include <random>

#include "app/cli.hpp"
#include "core/clock.hpp"
#include "core/progress.hpp"
#include "synthetic/populate.hpp"

namespace needsmap::cli {

namespace {

struct GenerateOptions {
  std::string db, campaign, profile{"web-skewed"};
  std::uint64_t count{0};
  std::optional<std::uint64_t> seed;
};

int generate_responses(const GenerateOptions& o) {
  auto profile = synthetic::parse_profile(o.profile);
  if (!profile) return fail("--profile must be web-skewed or population");
  if (o.count == 0) return fail("--count must be at least 1");
  auto [store, campaign, q] = open_campaign(o.db, o.campaign);
  // Without --seed, a fresh one, printed so that the run can be repeated.
  std::uint64_t seed =
      o.seed ? *o.seed : (std::uint64_t{std::random_device{}()} << 32) ^ std::random_device{}();
  synthetic::PopulateOptions options{.count = o.count,
                                     .seed = seed,
                                     .profile = *profile,
                                     .today = clock::today_utc(),
                                     .batch = 1000};

  auto started = std::chrono::steady_clock::now();
  std::optional<ProgressBar> bar(std::in_place, "generating responses", o.count);
  std::uint64_t shown = 0;
  auto report = synthetic::populate(*store, campaign, *q, options, [&](std::uint64_t done) {
    bar->advance(done - shown);
    shown = done;
  });
  bar.reset();
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  char took[32];
  std::snprintf(took, sizeof took, "%.1f", seconds);
  std::cout << o.campaign << ": generated " << o.count << " responses to " << q->name() << " "
            << q->version() << " (seed " << seed << ", profile " << o.profile << ") in " << took
            << " s: " << report.stored << " stored, " << report.already_stored
            << " already stored by an earlier run with this seed\n";
  if (*profile == synthetic::Profile::population && !report.population_table) {
    std::cout << "the municipality has no population table: profile questions drawn uniformly\n";
  }
  if (report.counts.restarts > 0) {
    std::cout << report.counts.restarts
              << " draft(s) started again where no drawn value met a constraint\n";
  }
  if (report.counts.rejected > 0) {
    const auto& issue = *report.counts.first_rejection;
    std::cout << report.counts.rejected
              << " draft(s) failed validation and were generated again (the first: "
              << issue.question << ": " << questionnaire::to_string(issue.code) << ")\n";
  }
  return 0;
}

}  // namespace

void add_generate_command(CLI::App& app, Context& context) {
  auto* group = app.add_subcommand("generate", "generate made-up data for demos and tests");
  group->require_subcommand(1);
  auto o = std::make_shared<GenerateOptions>();
  auto* cmd = group->add_subcommand(
      "responses",
      "store realistic made-up responses to a campaign's questionnaire (mode import; never mix "
      "them with real answers)");
  cmd->add_option("--db", o->db, database_help)->required();
  cmd->add_option("--campaign", o->campaign, "MUNICIPALITY/CAMPAIGN")->required();
  cmd->add_option("--count", o->count, "how many responses")->required();
  cmd->add_option("--seed", o->seed, "the same seed generates the same answers (default: random)");
  cmd->add_option("--profile", o->profile,
                  "web-skewed (young, women and towns over-represented, as an open web survey "
                  "hears them) or population (the municipality's population table)")
      ->check(CLI::IsMember({"web-skewed", "population"}));
  on_run(cmd, context, [o] { return generate_responses(*o); });
}

}  // namespace needsmap::cli
