// bench/analysis: the analysis engine's kernels on a synthetic campaign of 1,000,000 responses to
// 100 questions (70 single choice, 15 multiple choice, 15 numbers). Google Benchmark; besides its
// own flags:
//   --rows=N                           responses (1,000,000)
//   --write-crosstab-columns=PREFIX    writes the crosstab's two code columns and the weights as
//                                      PREFIX.rows.u8, PREFIX.columns.u8, PREFIX.weights.f64 (raw,
//                                      native byte order) for bench/analysis.sh's pandas run,
//                                      and its weighted cells as PREFIX.table.f64 (7 × 6,
//                                      row-major, the last row and column no answer) to check
//                                      pandas against
// The dataset's bytes, the peak resident memory after building it and the time to build it are
// printed first (and put in the JSON output's context).
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <string>
#include <string_view>

#include "analysis/dataset.hpp"
#include "analysis/tabulate.hpp"
#include "analysis/weighting.hpp"

namespace {

using namespace needsmap::analysis;

std::size_t rows_wanted = 1'000'000;

// splitmix64 (Steele, Lea & Flood 2014): fast, and the same numbers on every machine.
class Random {
 public:
  explicit Random(std::uint64_t seed) : m_state(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (m_state += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
  }
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  std::uint16_t below(std::size_t n) { return static_cast<std::uint16_t>(uniform() * n); }
  // An index drawn with these probabilities (adding up to 1).
  std::uint16_t pick(std::span<const double> probabilities) {
    double u = uniform();
    std::size_t i = 0;
    for (; i + 1 < probabilities.size() && u >= probabilities[i]; ++i) u -= probabilities[i];
    return static_cast<std::uint16_t>(i);
  }

 private:
  std::uint64_t m_state;
};

constexpr std::size_t choice_questions = 70, multiple_questions = 15, number_questions = 15;
// Choice columns 0-2 are the raking variables; column 3, a five-point scale, is crossed with age.
constexpr std::size_t age = 0, sex = 1, settlement = 2, scale = 3;
const std::vector<std::string> age_groups{"18-29", "30-44", "45-54", "55-64", "65-74", "75+"};

std::vector<std::string> numbered(std::size_t n) {
  std::vector<std::string> names;
  for (std::size_t i = 0; i < n; ++i) names.push_back(std::to_string(i + 1));
  return names;
}

// How many choices choice question i has: mostly five-point scales and matrix rows, some
// yes/no, some longer lists.
std::size_t choices_of(std::size_t i) {
  const std::size_t mix[] = {5, 5, 5, 2, 3, 4, 5, 7, 10, 12};
  return mix[i % std::size(mix)];
}

std::vector<ColumnSpec> specs() {
  std::vector<ColumnSpec> s;
  auto add = [&](std::string name, ColumnKind kind, std::vector<std::string> categories) {
    s.push_back({.name = std::move(name),
                 .kind = kind,
                 .categories = std::move(categories),
                 .question = "",
                 .row = ""});
  };
  add("age", ColumnKind::choice, age_groups);
  add("sex", ColumnKind::choice, {"m", "f"});
  add("settlement", ColumnKind::choice, {"urban", "rural"});
  for (std::size_t i = 3; i < choice_questions; ++i) {
    add("c" + std::to_string(i), ColumnKind::choice, numbered(i == scale ? 5 : choices_of(i)));
  }
  for (std::size_t i = 0; i < multiple_questions; ++i) {
    add("m" + std::to_string(i), ColumnKind::multiple, numbered(6 + i % 5));
  }
  for (std::size_t i = 0; i < number_questions; ++i)
    add("n" + std::to_string(i), ColumnKind::number, {});
  return s;
}

// One respondent: a sample too middle-aged, older people more often rural and male, so that
// raking takes several passes; 5% missing per choice, 10% per number and multiple choice.
void draw(Random& random, std::vector<std::uint16_t>& codes, std::vector<std::uint64_t>& chosen,
          std::vector<double>& numbers) {
  const double age_shares[] = {0.10, 0.22, 0.20, 0.20, 0.18, 0.10};
  codes[age] = random.pick(age_shares);
  codes[sex] = random.uniform() < 0.45 + 0.03 * codes[age] ? 0 : 1;
  codes[settlement] = random.uniform() < 0.25 + 0.06 * codes[age] ? 1 : 0;
  for (std::size_t i = 3; i < choice_questions; ++i) {
    std::size_t n = i == scale ? 5 : choices_of(i);
    codes[i] = random.uniform() < 0.05 ? ChoiceColumn::missing : random.below(n);
  }
  for (std::size_t i = 0; i < multiple_questions; ++i) {
    chosen[i] = 0;
    if (random.uniform() < 0.10) continue;
    for (std::size_t c = 0; c < 6 + i % 5; ++c) {
      if (random.uniform() < 0.3) chosen[i] |= std::uint64_t{1} << c;
    }
    if (chosen[i] == 0) chosen[i] = 1;  // an answer has at least one choice
  }
  for (double& x : numbers)
    x = random.uniform() < 0.10 ? NAN : std::floor(random.uniform() * 100000);
}

Dataset make_dataset(std::size_t rows) {
  Dataset data(specs());
  data.reserve(rows);
  Random random(20251115);
  std::vector<std::uint16_t> codes(choice_questions);
  std::vector<std::uint64_t> chosen(multiple_questions);
  std::vector<double> numbers(number_questions);
  for (std::size_t r = 0; r < rows; ++r) {
    draw(random, codes, chosen, numbers);
    // Design weights between 0.5 and 2.
    data.append({.codes = codes,
                 .chosen = chosen,
                 .numbers = numbers,
                 .weight = 0.5 + 1.5 * random.uniform()});
  }
  return data;
}

Dataset& dataset() {
  static Dataset data = make_dataset(rows_wanted);
  return data;
}

// A population of 100,000 in the age, sex and settlement of a Serbian municipality.
std::vector<MarginRow> margins() {
  const double age_shares[] = {0.17, 0.25, 0.16, 0.16, 0.15, 0.11};
  std::vector<MarginRow> rows;
  for (std::size_t i = 0; i < age_groups.size(); ++i)
    rows.push_back({"age", age_groups[i], 1e5 * age_shares[i]});
  rows.push_back({"sex", "m", 48000});
  rows.push_back({"sex", "f", 52000});
  rows.push_back({"settlement", "urban", 60000});
  rows.push_back({"settlement", "rural", 40000});
  return rows;
}

// The bytes the crosstab reads: two one-byte code columns and the weights.
std::size_t crosstab_bytes(const Dataset& data) {
  return data.rows() * (2 * sizeof(std::uint8_t) + sizeof(double));
}

void crosstab_2way_1M(benchmark::State& state) {
  const Dataset& data = dataset();
  const Column& rows = data.columns()[age];
  const Column& columns = data.columns()[scale];
  for (auto _ : state) benchmark::DoNotOptimize(weighted_table(data, rows, columns));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * crosstab_bytes(data)));
}

// The same bytes copied: how fast memory goes on this machine.
void memcpy_crosstab_bytes_1M(benchmark::State& state) {
  const Dataset& data = dataset();
  auto rows = data.columns()[age].choice.narrow_codes();
  auto columns = data.columns()[scale].choice.narrow_codes();
  const auto& weights = data.weights();
  std::vector<char> copy(crosstab_bytes(data));
  for (auto _ : state) {
    std::memcpy(copy.data(), rows.data(), rows.size());
    std::memcpy(copy.data() + rows.size(), columns.data(), columns.size());
    std::memcpy(copy.data() + 2 * rows.size(), weights.data(), weights.size() * sizeof(double));
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * crosstab_bytes(data)));
}

void frequencies_all_100_questions_1M(benchmark::State& state) {
  const Dataset& data = dataset();
  for (auto _ : state) benchmark::DoNotOptimize(frequencies_of_all(data));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * data.bytes()));
}

void rake_1M_3_margins(benchmark::State& state) {
  Dataset& data = dataset();
  const std::vector<double> design = data.weights();
  const auto population = margins();
  RakeReport report;
  for (auto _ : state) {
    state.PauseTiming();
    data.weights() = design;
    state.ResumeTiming();
    report = rake(data, population).report;
  }
  data.weights() = design;
  state.counters["passes"] = report.iterations;
  state.counters["converged"] = report.converged;
}

BENCHMARK(crosstab_2way_1M)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(memcpy_crosstab_bytes_1M)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(frequencies_all_100_questions_1M)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(rake_1M_3_margins)->Unit(benchmark::kMillisecond)->UseRealTime();

std::size_t peak_resident_bytes() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<std::size_t>(usage.ru_maxrss) * 1024;  // Linux counts kilobytes
}

// Removes --name=value from the arguments and gives the value ("" if absent).
std::string take_flag(int& argc, char** argv, std::string_view name) {
  std::string value;
  int kept = 0;
  for (int i = 0; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (i > 0 && arg.starts_with(name) && arg.substr(name.size()).starts_with('=')) {
      value = arg.substr(name.size() + 1);
    } else {
      argv[kept++] = argv[i];
    }
  }
  argc = kept;
  return value;
}

template <class T>
void write_raw(const std::string& path, std::span<const T> values) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(values.data()),
            static_cast<std::streamsize>(values.size_bytes()));
  if (!out) throw std::runtime_error("cannot write " + path);
}

void write_crosstab_columns(const Dataset& data, const std::string& prefix) {
  write_raw(prefix + ".rows.u8", data.columns()[age].choice.narrow_codes());
  write_raw(prefix + ".columns.u8", data.columns()[scale].choice.narrow_codes());
  write_raw(prefix + ".weights.f64", std::span<const double>(data.weights()));
  WeightedTable table = weighted_table(data, data.columns()[age], data.columns()[scale]);
  write_raw(prefix + ".table.f64", std::span<const double>(table.weighted));
}

void report_dataset(const Dataset& data, double build_seconds) {
  auto note = [](const std::string& key, const std::string& value) {
    std::cerr << key << ": " << value << "\n";
    benchmark::AddCustomContext(key, value);
  };
  note("dataset_rows", std::to_string(data.rows()));
  note("dataset_columns", std::to_string(data.columns().size()));
  note("dataset_bytes", std::to_string(data.bytes()));
  note("peak_rss_bytes_after_build", std::to_string(peak_resident_bytes()));
  note("build_seconds", std::to_string(build_seconds));
}

}  // namespace

int main(int argc, char** argv) {
  std::string rows = take_flag(argc, argv, "--rows");
  if (!rows.empty()) rows_wanted = std::stoul(rows);
  std::string prefix = take_flag(argc, argv, "--write-crosstab-columns");
  auto start = std::chrono::steady_clock::now();
  const Dataset& data = dataset();
  std::chrono::duration<double> built = std::chrono::steady_clock::now() - start;
  report_dataset(data, built.count());
  if (!prefix.empty()) write_crosstab_columns(data, prefix);

  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  std::cerr << "peak_rss_bytes_at_end: " << peak_resident_bytes() << "\n";
  return 0;
}
