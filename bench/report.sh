#!/usr/bin/env bash
# bench/report: the published results of the demo citizens' survey filled with generated
# responses (100,000 by default): publishing them (the coordinator's form, which builds the report
# in every language from all the responses, weighted to the demo population, and stores it), then
# what the public downloads from what was stored: the results page in Serbian Cyrillic and in
# English (HTML, target 0.300 s), the report as PDF (target 3 s, with its size and pages), DOCX and
# XLSX. The baseline of the same run is GET /healthz and a CSV export of the same campaign, which
# also reads every response.
#   bench/report.sh [responses=100000]
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-100000}
bin=${NEEDSMAP_BIN:-build/needsmap}
bench_municipality=demo
. bench/admin-session.sh  # a temporary $dir, removed on exit with the server
command -v pdfinfo >/dev/null || { echo "bench/report needs pdfinfo (poppler-utils)"; exit 1; }

echo "needsmap bench/report: $count citizens' responses, $(nproc) cores, load average $(cut -d' ' -f1 /proc/loadavg)"
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

get() {  # get PATH → "status seconds size", the body in $dir/last
  curl -s -o "$dir/last" -b "$jar" -w '%{http_code} %{time_total} %{size_download}\n' "$base$1"
}
times() {  # times RUNS PATH → the seconds of each run, one a line (every run must answer 200)
  local code seconds _size
  for _ in $(seq "$1"); do
    read -r code seconds _size < <(get "$2")
    [ "$code" = 200 ] || { echo "$2: HTTP $code" >&2; head -c 400 "$dir/last" >&2; exit 1; }
    echo "$seconds"
  done
}
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
maximum() { sort -g | tail -1; }
row() {  # row LABEL MEDIAN [MAX] [NOTE]
  printf '%-44s %9.3f s %9s %s\n' "$1" "$2" "${3:+$(printf '%.3f s' "$3")}" "${4:-}"
}
target() {  # target LABEL SECONDS LIMIT
  if [ "$(echo "$2 <= $3" | bc -l)" = 1 ]; then verdict=met; else verdict="NOT met"; fi
  printf '  %s: target %s s: %s\n' "$1" "$3" "$verdict"
}

# Publishing: the form's CSRF token, then the form, as the coordinator's browser does.
page=/admin/m/demo/c/citizens/publish
csrf=$(curl -s -c "$jar" -b "$jar" "$base$page" | grep -o 'name="_csrf" value="[^"]*"' |
  head -1 | sed 's/.*value="//; s/"$//')
[ -n "$csrf" ] || { echo "no _csrf field on $page"; exit 1; }
read -r status published < <(curl -s -o "$dir/published" -c "$jar" -b "$jar" --max-time 1800 \
  -w '%{http_code} %{time_total}\n' --data-urlencode "_csrf=$csrf" --data-urlencode "action=publish" \
  "$base$page" || true)
if [ "$status" != 303 ]; then
  echo "publishing: HTTP ${status:-none} after ${published:-?} s"
  head -c 400 "$dir/published"; echo
  echo "server log (last lines):"; tail -20 "$dir/server.log"
  exit 1
fi

printf '%-44s %11s %11s\n' "request" "median" "max"
row "publish the results (every language)" "$published" "" "(one run)"
html_sr=$(times 5 /r/demo/citizens)
row "results page, sr-Cyrl (5 runs)" "$(median <<<"$html_sr")" "$(maximum <<<"$html_sr")"
html_en=$(times 5 '/r/demo/citizens?lang=en')
row "results page, en (5 runs)" "$(median <<<"$html_en")" "$(maximum <<<"$html_en")"
pdf=$(times 3 /r/demo/citizens/report.pdf)
cp "$dir/last" "$dir/report.pdf"
pages=$(pdfinfo "$dir/report.pdf" | awk '/^Pages:/ { print $2 }')
kb=$(( $(stat -c %s "$dir/report.pdf") / 1024 ))
row "report.pdf (3 runs)" "$(median <<<"$pdf")" "$(maximum <<<"$pdf")" "$kb KB, $pages pages"
docx=$(times 3 /r/demo/citizens/report.docx)
row "report.docx (3 runs)" "$(median <<<"$docx")" "$(maximum <<<"$docx")" "$(( $(stat -c %s "$dir/last") / 1024 )) KB"
xlsx=$(times 3 /r/demo/citizens/report.xlsx)
row "report.xlsx (3 runs)" "$(median <<<"$xlsx")" "$(maximum <<<"$xlsx")" "$(( $(stat -c %s "$dir/last") / 1024 )) KB"
healthz=$(times 5 /healthz)
row "baseline: /healthz (5 runs)" "$(median <<<"$healthz")" "$(maximum <<<"$healthz")"
csv=$(times 1 '/admin/m/demo/c/citizens/export?format=csv')
row "baseline: CSV export of the campaign" "$csv" "" "(one run)"
echo
target "results page, sr-Cyrl, max" "$(maximum <<<"$html_sr")" 0.300
target "results page, en, max" "$(maximum <<<"$html_en")" 0.300
target "report.pdf, max" "$(maximum <<<"$pdf")" 3
