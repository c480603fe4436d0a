#!/usr/bin/env bash
# bench/analysis-pages: the analysis a coordinator sees, on the demo citizens' survey filled with
# generated responses (100,000 by default): the estimates API unweighted and weighted to the
# demo population (first request: the dataset is built, or raked; then from the cache), the
# analysis page split by settlement with its test, the page of needs by vulnerable group
# (weighted), and the estimates again after one more response arrives through the API (the
# dataset grows by one row instead of being read again). The baseline of the same run is a CSV
# export of the same campaign, which also reads every response.
#   bench/analysis-pages.sh [responses=100000]
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-100000}
bin=${NEEDSMAP_BIN:-build/needsmap}
bench_municipality=demo
. bench/admin-session.sh  # a temporary $dir, removed on exit with the server

echo "needsmap bench/analysis-pages: $count citizens' responses, $(nproc) cores, load average $(cut -d' ' -f1 /proc/loadavg)"
db="$dir/demo.db"
# The demo municipality, its campaigns and population table, as `serve --demo` makes them.
"$bin" serve --db "$db" --demo --port 0 >"$dir/demo.log" 2>&1 &
demo=$!
for _ in $(seq 100); do grep -q 'http://127.0.0.1' "$dir/demo.log" && break; sleep 0.1; done
kill "$demo"; wait "$demo" 2>/dev/null || true
start=$(date +%s.%N)
"$bin" generate responses --db "$db" --campaign demo/citizens --count "$count" --seed 1 >/dev/null
echo "generated in $(echo "$(date +%s.%N) - $start" | bc -l | xargs printf '%.1f') s"
start_and_sign_in "$db" coordinator

# The session cookie is scoped to /admin: the API under /api gets it as a header, as API clients
# send it.
session=$(awk '$6 == "nm_admin" { print $7 }' "$jar")
get() {  # get PATH → "status seconds"
  curl -s -o "$dir/last" -H "Cookie: nm_admin=$session" -w '%{http_code} %{time_total}\n' "$base$1"
}
row() {  # row LABEL PATH
  local code seconds
  read -r code seconds < <(get "$2")
  [ "$code" = 200 ] || { echo "$1: HTTP $code"; head -c 400 "$dir/last"; exit 1; }
  printf '%-52s %9.3f s\n' "$1" "$seconds"
}
api=/api/v1/campaigns/demo/citizens/estimates
printf '%-52s %11s\n' "request" "time"
row "estimates, unweighted (dataset built)" "$api?question=unmet_need&by=settlement"
row "estimates, unweighted (cached)" "$api?question=unmet_need&by=settlement"
row "estimates, weighted (raked)" "$api?question=unmet_need&by=settlement&weights=raked"
row "estimates, weighted, another split (raking cached)" "$api?question=unmet_need&by=age_band&weights=raked"
row "analysis page, weighted, by settlement, with test" \
  "/admin/m/demo/c/citizens/analysis?question=barriers&by=settlement&weights=raked"
row "needs by vulnerable group, weighted" \
  "/admin/m/demo/c/citizens/groups?group=elderly_alone&question=risk_factors&weights=raked"
answers=$(cat <<'JSON'
{"submission_id":"7d4f3c2a-1b5e-4c6d-8e9f-0a1b2c3d4e5f","answers":{"age_band":"80_plus","sex":"female","settlement":"rural","employment":"retired","income_adequacy":"difficulty","household":"alone","household_size":1,"hh_disability":"no","caring_duties":"no","risk_factors":["isolation","remoteness"],"housing_condition":"poor","lonely":"often","help_source":["friends_neighbours"],"current_user":"no","services_known":{"one_off_cash_assistance":"dont_know","cash_social_assistance":"dont_know","home_care":"dont_know","day_care_older":"dont_know","day_care_disability":"dont_know","personal_companion":"dont_know","soup_kitchen":"dont_know","firewood_utilities":"dont_know","counselling_family_support":"dont_know"},"info_source":["csr"],"csr_contact":"no","barriers":["distance_transport"],"gave_up":"no","travel_time":"30_60","public_transport":"rarely","internet_use":"no","unmet_need":"no","needed_groups":["older_alone"],"top_services":["home_care"],"home_care_interest":"yes","co_payment":"small_part","volunteering":"no","municipality_care":"partly","fill_mode":"alone"}}
JSON
)
status=$(curl -s -o "$dir/posted" -w '%{http_code}' -H 'content-type: application/json' \
  --data "$answers" "$base/api/v1/campaigns/demo/citizens/responses")
[ "$status" = 201 ] || { echo "one more response: HTTP $status"; cat "$dir/posted"; exit 1; }
row "estimates after one more response (row appended)" "$api?question=unmet_need&by=settlement"
read -r _ csv < <(get "/admin/m/demo/c/citizens/export?format=csv")
printf '%-52s %9.3f s\n' "baseline: CSV export of the campaign" "$csv"
