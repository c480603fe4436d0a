#!/usr/bin/env bash
# bench/monitoring: the administration's "monitoring and results" page of a campaign of the
# bench/export questionnaire (100 questions of every type) at 10,000 and 100,000 responses. Prints
# the time to make the page (every response read, relevance evaluated, a table per question), the
# same page again from the cache, and — as the baseline of the same run — a CSV export of the same
# campaign, which also reads every response. While the page is being made, /healthz is asked over
# and over: its slowest answer shows whether the work holds up the threads that serve respondents.
#   bench/monitoring.sh [responses=100000] [smaller=10000]
set -euo pipefail
cd "$(dirname "$0")/.."
large=${1:-100000}
small=${2:-10000}
bin=${NEEDSMAP_BIN:-build/needsmap}
python=/usr/bin/python3
. bench/admin-session.sh  # a temporary $dir, removed on exit with the server
. bench/export-data.sh

echo "needsmap bench/monitoring: 100 questions, $(nproc) cores, load average $(cut -d' ' -f1 /proc/loadavg)"
echo "filling the database…"
db="$dir/bench.db"
fill "$db" "$small" small
fill "$db" "$large" large
start_and_sign_in "$db" analyst

# The slowest /healthz answer while a request runs in the background.
slowest_health_during() {
  local pid=$1 worst=0 t
  while kill -0 "$pid" 2>/dev/null; do
    t=$(curl -s -o /dev/null -w '%{time_total}' "$base/healthz")
    worst=$(echo "if ($t > $worst) $t else $worst" | bc -l)
  done
  echo "$worst"
}

printf '%9s %12s %10s %12s %8s %16s\n' responses "page (new)" cached "CSV export" ratio "slowest healthz"
for campaign in small large; do
  count=$([ "$campaign" = small ] && echo "$small" || echo "$large")
  page="$base/admin/m/bench/c/$campaign/results"
  curl -s -o "$dir/page.html" -b "$jar" -w '%{http_code} %{time_total}\n' "$page" >"$dir/first" &
  request=$!
  worst=$(slowest_health_during "$request")
  wait "$request"
  read -r code first <"$dir/first"
  [ "$code" = 200 ] || { echo "results $campaign: HTTP $code"; exit 1; }
  grep -q "$count" "$dir/page.html" || { echo "the page does not show $count responses"; exit 1; }
  cached=$(curl -s -o /dev/null -b "$jar" -w '%{time_total}' "$page")
  csv=$(curl -s -o /dev/null -b "$jar" -w '%{time_total}' "$base/admin/m/bench/c/$campaign/export?format=csv")
  printf '%9s %11.2fs %9.3fs %11.2fs %8.2f %15.3fs\n' "$count" "$first" "$cached" "$csv" \
    "$(echo "$first / $csv" | bc -l)" "$worst"
done
