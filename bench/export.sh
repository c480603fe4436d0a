#!/usr/bin/env bash
# bench/export: the time and peak memory of `needsmap export` in every format, for a generated
# questionnaire of 100 questions (every type; 175 columns) at 100,000 responses and at 25,000, to
# show that memory stays flat as the count grows (responses stream from the database and to the
# file). Goal: under 10 s a format at 100,000.
#   bench/export.sh [responses=100000] [smaller=25000]
# BENCH_FORMATS picks some of the formats (default: csv xlsx sav codebook-html codebook-csv).
# NEEDSMAP_BIN picks the binary. The responses go straight into the SQLite database in one
# transaction (not through HTTP), with the schema the binary creates. Needs /usr/bin/time (GNU).
set -euo pipefail
cd "$(dirname "$0")/.."
large=${1:-100000}
small=${2:-25000}
bin=${NEEDSMAP_BIN:-build/needsmap}
[ -x /usr/bin/time ] || { echo "bench/export needs GNU time (apt-get install time)"; exit 1; }
python=/usr/bin/python3

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

. bench/export-data.sh

measure() {  # measure DATABASE FORMAT → "wall-seconds cpu-seconds peak-kilobytes file-bytes"
  local out="$dir/out.$2"
  /usr/bin/time -v -o "$dir/time.txt" "$bin" export --db "$1" --campaign bench/big --format "$2" --out "$out" >/dev/null
  awk -F': ' -v bytes="$(stat -c %s "$out")" '
    /Elapsed \(wall clock\)/ { n = split($2, p, ":"); wall = 0; for (i = 1; i <= n; i++) wall = wall * 60 + p[i] }
    /User time/ { cpu += $2 } /System time/ { cpu += $2 }
    /Maximum resident set size/ { kb = $2 }
    END { print wall, cpu, kb, bytes }' "$dir/time.txt"
  rm -f "$out"
}

echo "needsmap bench/export: 100 questions (175 columns), $(nproc) cores, load average $(cut -d' ' -f1 /proc/loadavg)"
echo "filling the databases…"
fill "$dir/small.db" "$small"
fill "$dir/large.db" "$large"
cat >"$dir/report.py" <<'PY'
import sys
small, large = sys.argv[1], sys.argv[2]
print(f"{'format':<14} {'responses':>9} {'wall':>8} {'cpu':>8} {'peak memory':>12} {'file':>10}")
for line in sys.stdin:
    f, *v = line.split()
    for count, (wall, cpu, kb, size) in ((small, v[0:4]), (large, v[4:8])):
        print(f"{f:<14} {count:>9} {float(wall):7.2f}s {float(cpu):7.2f}s {int(kb) / 1024:8.1f} MiB {int(size) / 2**20:6.1f} MiB")
    print(f"{'':<14} peak memory at {large} / at {small}: {int(v[6]) / int(v[2]):.2f}")
PY
for format in ${BENCH_FORMATS:-csv xlsx sav codebook-html codebook-csv}; do
  measure "$dir/small.db" "$format" >"$dir/small.txt"
  measure "$dir/large.db" "$format" >"$dir/large.txt"
  echo "$format $(cat "$dir/small.txt") $(cat "$dir/large.txt")"
done | "$python" "$dir/report.py" "$small" "$large"
