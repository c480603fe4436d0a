#!/usr/bin/env bash
# bench/analysis: the analysis engine's kernels (bench/analysis/analysis_bench.cpp, Google
# Benchmark) on a synthetic campaign of 1,000,000 responses to 100 questions, and the same
# weighted crosstab in pandas in the same run. Prints a table of the figures beside their goals:
# times as min / median of the repetitions, the ratio to pandas, the bytes the crosstab scans per
# second against a memcpy of the same bytes, and the dataset's memory.
#   bench/analysis.sh [build-dir=build]     (configured Release if it has no build files yet)
#   NEEDSMAP_BENCH_REPETITIONS=10
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
repetitions=${NEEDSMAP_BENCH_REPETITIONS:-10}
python=/usr/bin/python3

if ! "$python" -c 'import pandas, numpy' 2>/dev/null; then
  echo "bench/analysis compares with pandas, which $python cannot import." >&2
  echo "Install it with: sudo apt-get install python3-pandas" >&2
  exit 1
fi

if [ ! -f "$build/build.ninja" ] && [ ! -f "$build/Makefile" ]; then
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DNEEDSMAP_BENCH=ON
fi
cmake --build "$build" --target analysis_bench
bench=$build/bench/analysis_bench

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

echo "needsmap bench/analysis: $(nproc) cores, load average $(cut -d' ' -f1 /proc/loadavg)"
"$bench" --write-crosstab-columns="$dir/crosstab" \
  --benchmark_repetitions="$repetitions" --benchmark_report_aggregates_only=false \
  --benchmark_out="$dir/bench.json" --benchmark_out_format=json 2>"$dir/notes" ||
  { cat "$dir/notes" >&2; exit 1; }
cat "$dir/notes"
echo
"$python" bench/analysis/side_by_side.py "$dir/bench.json" "$dir/crosstab" "$dir/notes"
