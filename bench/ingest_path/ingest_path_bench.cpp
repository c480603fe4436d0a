// bench/ingest_path: the steps one API submission takes inside the server, each timed alone on
// the bench/ingest body (a valid citizens response), so bench/ingest's figure can be explained:
//   parse      the request body into JSON (and, as the baseline, nlohmann::json's own parser)
//   check      validation, relevance and calculations (collect::check_submission)
//   serialize  the checked answers back to the text that is stored
//   insert     one response into an SQLite database set up as the server's writer sets it up,
//              in transactions of --batch=N (16) responses with one commit (WAL, synchronous FULL);
//              beside it the same rows into a table without the UNIQUE submission index
// Run from the repository root (it reads questionnaires/ and data/catalogs/).
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>

#include "collect/campaigns.hpp"
#include "collect/collect.hpp"
#include "collect/json_body.hpp"
#include "core/random.hpp"
#include "store/database.hpp"
#include "store/store.hpp"

namespace {

using namespace needsmap;
using json = nlohmann::json;

std::size_t batch_size = 16;

// The answers bench/ingest/submit.lua sends, with every matrix row answered.
std::string body_for(const questionnaire::Questionnaire& q, const std::string& submission_id) {
  json services_known = json::object();
  for (const auto& question : q.questions()) {
    if (question.name != "services_known") continue;
    for (const auto& row : question.rows) services_known[row.name] = "dont_know";
  }
  json answers = {{"age_band", "65_79"},
                  {"sex", "female"},
                  {"settlement", "rural"},
                  {"employment", "retired"},
                  {"income_adequacy", "difficulty"},
                  {"household", "alone"},
                  {"household_size", 1},
                  {"hh_disability", "no"},
                  {"caring_duties", "no"},
                  {"risk_factors", {"poverty", "old_age_alone"}},
                  {"housing_condition", "poor"},
                  {"lonely", "often"},
                  {"help_source", {"family"}},
                  {"current_user", "no"},
                  {"services_known", services_known},
                  {"info_source", {"csr"}},
                  {"csr_contact", "no"},
                  {"barriers", {"distance_transport"}},
                  {"gave_up", "no"},
                  {"travel_time", "30_60"},
                  {"public_transport", "rarely"},
                  {"internet_use", "with_help"},
                  {"unmet_need", "no"},
                  {"needed_groups", {"older_alone"}},
                  {"top_services", {"home_care"}},
                  {"home_care_interest", "yes"},
                  {"co_payment", "small_part"},
                  {"volunteering", "no"},
                  {"municipality_care", "partly"},
                  {"fill_mode", "family_help"},
                  {"suggestions", "Више кућне неге у селима."}};
  return json{{"submission_id", submission_id}, {"answers", answers}}.dump();
}

// A database like the server's: migrated, with the demo campaigns.
struct Fixture {
  std::filesystem::path directory;
  std::unique_ptr<store::Store> store;
  store::Campaign campaign;
  std::shared_ptr<const questionnaire::Questionnaire> questionnaire;
  collect::QuestionnaireCache cache;

  Fixture() {
    char pattern[] = "/tmp/needsmap-ingest-path-XXXXXX";
    directory = mkdtemp(pattern);
    store = std::move(store::Store::open((directory / "bench.db").string()).value());
    store->migrate().value();
    collect::install_demo(*store, collect::ShareDir{std::filesystem::current_path()}).value();
    campaign = store->find_campaign("demo", "citizens").value();
    questionnaire = cache.get(*store, campaign.questionnaire_version_id).value();
  }
  ~Fixture() {
    store.reset();
    std::filesystem::remove_all(directory);
  }
};

Fixture& fixture() {
  static Fixture f;
  return f;
}

const std::string today = "2026-12-06";

// The answers as the server keeps them: checked, with calculated values.
const json& checked_answers() {
  static const json checked = [] {
    const auto& q = *fixture().questionnaire;
    return collect::check_submission(q, json::parse(body_for(q, ""))["answers"], today,
                                     questionnaire::IrrelevantAnswers::reject)
        .value();
  }();
  return checked;
}

// The same, serialized as they are stored.
const std::string& stored_answers() {
  static const std::string text = checked_answers().dump();
  return text;
}

// The server's parser (simdjson, building nlohmann::json) beside nlohmann::json's own, which the
// server used before: the baseline in the same run.
void parse(benchmark::State& state) {
  const std::string body = body_for(*fixture().questionnaire, random::uuid_v4());
  for (auto _ : state) {
    auto parsed = collect::parse_json_body(body);
    if (!parsed) state.SkipWithError("the bench body does not parse");
    benchmark::DoNotOptimize(parsed);
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(body.size()));
}

void parse_baseline_nlohmann(benchmark::State& state) {
  const std::string body = body_for(*fixture().questionnaire, random::uuid_v4());
  for (auto _ : state) {
    json parsed = json::parse(body, nullptr, false);
    benchmark::DoNotOptimize(parsed);
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(body.size()));
}

void check(benchmark::State& state) {
  const auto& q = *fixture().questionnaire;
  const json answers = json::parse(body_for(q, random::uuid_v4()))["answers"];
  for (auto _ : state) {
    auto checked =
        collect::check_submission(q, answers, today, questionnaire::IrrelevantAnswers::reject);
    if (!checked) state.SkipWithError("the bench body does not validate");
    benchmark::DoNotOptimize(checked);
  }
}

void serialize(benchmark::State& state) {
  const json& checked = checked_answers();
  for (auto _ : state) {
    std::string text = checked.dump();
    benchmark::DoNotOptimize(text);
  }
}

// Inserts `batch_size` rows per transaction with `insert_one`, committing each batch.
template <typename InsertOne>
void insert_in_batches(benchmark::State& state, InsertOne insert_one) {
  Fixture& f = fixture();
  std::size_t in_batch = 0;
  auto transaction = std::make_unique<store::Transaction>(f.store->connection());
  for (auto _ : state) {
    insert_one(store::ResponseRecord{random::uuid_v4(), f.campaign.id, random::uuid_v4(), today,
                                     "api", "sr-Cyrl", stored_answers()});
    if (++in_batch == batch_size) {
      transaction->commit();
      transaction = std::make_unique<store::Transaction>(f.store->connection());
      in_batch = 0;
    }
  }
  transaction->commit();
}

void insert(benchmark::State& state) {
  Fixture& f = fixture();
  insert_in_batches(state, [&](const store::ResponseRecord& record) {
    benchmark::DoNotOptimize(f.store->insert_response(record));
  });
  state.counters["responses_stored"] = static_cast<double>(f.store->count_responses(f.campaign.id));
}

// The same rows into a copy of the table without its UNIQUE (campaign, submission id) index:
// what the idempotency of submissions costs, as every insert lands on a random index page.
void insert_without_unique_index(benchmark::State& state) {
  Fixture& f = fixture();
  store::Connection& c = f.store->connection();
  c.exec(
      "CREATE TABLE IF NOT EXISTS responses_unindexed (id TEXT NOT NULL, campaign_id INTEGER "
      "NOT NULL REFERENCES campaigns (id), submission_id TEXT NOT NULL, submitted_on TEXT NOT "
      "NULL, mode TEXT NOT NULL, language TEXT NOT NULL, answers TEXT NOT NULL CHECK "
      "(json_valid(answers)))");
  insert_in_batches(state, [&](const store::ResponseRecord& r) {
    store::Statement& s =
        c.prepare("INSERT INTO responses_unindexed VALUES ($1, $2, $3, $4, $5, $6, $7)");
    s.bind(1, r.id).bind(2, r.campaign_id).bind(3, r.submission_id).bind(4, r.submitted_on);
    s.bind(5, r.mode).bind(6, r.language).bind(7, r.answers);
    s.run();
  });
}

}  // namespace

BENCHMARK(parse);
BENCHMARK(parse_baseline_nlohmann);
BENCHMARK(check);
BENCHMARK(serialize);
BENCHMARK(insert)->MinTime(3.0);
BENCHMARK(insert_without_unique_index)->MinTime(3.0);

int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], "--batch=", 8) == 0) {
      batch_size = std::stoul(argv[i] + 8);
      for (int j = i; j + 1 < argc; ++j) argv[j] = argv[j + 1];
      --argc;
      --i;
    }
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  std::cout << "bench/ingest_path: one citizens submission, step by step; commits every "
            << batch_size << " inserts\n";
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
