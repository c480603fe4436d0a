#!/usr/bin/env bash
# bench/export-http: downloads a campaign's answers from the administration of a running server
# (/admin/m/bench/c/C/export) in every format, at 10,000 and at 100,000 responses of the
# bench/export questionnaire (100 questions, 175 columns), and prints each download's time and
# the server's peak memory during it (VmHWM from /proc, reset before each download). Downloads
# are streamed while they are made, so the peak must stay flat as the count grows.
#   bench/export-http.sh [responses=100000] [smaller=10000]
# NEEDSMAP_BIN picks the binary; BENCH_FORMATS some of the formats (default: csv xlsx sav).
set -euo pipefail
cd "$(dirname "$0")/.."
large=${1:-100000}
small=${2:-10000}
bin=${NEEDSMAP_BIN:-build/needsmap}
python=/usr/bin/python3
. bench/admin-session.sh  # a temporary $dir, removed on exit with the server
. bench/export-data.sh

echo "needsmap bench/export-http: 100 questions (175 columns), $(nproc) cores, load average $(cut -d' ' -f1 /proc/loadavg)"
echo "filling the database…"
db="$dir/bench.db"
fill "$db" "$small" small
fill "$db" "$large" large
start_and_sign_in "$db" coordinator

peak_kb() { awk '/^VmHWM:/ { print $2 }' "/proc/$server/status"; }
printf '%-6s %9s %8s %14s %10s\n' format responses wall "server peak" file
echo "(server at rest: $(($(peak_kb) / 1024)) MiB)"
for format in ${BENCH_FORMATS:-csv xlsx sav}; do
  for campaign in small large; do
    count=$([ "$campaign" = small ] && echo "$small" || echo "$large")
    echo 5 >"/proc/$server/clear_refs"  # the peak starts again from what the server holds now
    read -r code seconds bytes < <(curl -s -o /dev/null -b "$jar" -w '%{http_code} %{time_total} %{size_download}\n' \
      "$base/admin/m/bench/c/$campaign/export?format=$format")
    [ "$code" = 200 ] || { echo "$format $campaign: HTTP $code"; exit 1; }
    printf '%-6s %9s %7.2fs %10.1f MiB %6.1f MiB\n' "$format" "$count" "$seconds" \
      "$(echo "$(peak_kb) / 1024" | bc -l)" "$(echo "$bytes / 1048576" | bc -l)"
  done
done
