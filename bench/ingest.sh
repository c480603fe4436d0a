#!/usr/bin/env bash
# bench/ingest: many concurrent clients submit valid citizens responses over loopback. Prints
# durable (201) responses per second with p50/p99 latency, and, in the same run against the
# same server, GET /healthz requests per second as the ceiling, with the ratio of the two; the
# same responses refused at validation (422: parsed and checked, nothing stored), which shows
# what storing costs beside reading and checking; and the server's CPU time per request of
# each (decision 0023 explains the figures).
#   bench/ingest.sh [seconds=10] [connections=64]
# NEEDSMAP_BIN picks the binary, NEEDSMAP_SERVE_ARGS adds serve options (e.g. "--threads 2").
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
connections=${2:-64}
bin=${NEEDSMAP_BIN:-build/needsmap}
command -v wrk >/dev/null || { echo "bench/ingest needs wrk (apt-get install wrk)"; exit 1; }

dir=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true; rm -rf "$dir"' EXIT
"$bin" serve --db "$dir/bench.db" --demo --port 0 --rate-limit off ${NEEDSMAP_SERVE_ARGS:-} >"$dir/server.log" 2>&1 &
server=$!
for _ in $(seq 100); do
  port=$(grep -o 'serving http://127.0.0.1:[0-9]*' "$dir/server.log" | grep -o '[0-9]*$' || true)
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || { cat "$dir/server.log"; exit 1; }
base="http://127.0.0.1:$port"

# The matrix must answer every row; take the rows from the questionnaire itself.
services_known=$(curl -s "$base/api/v1/campaigns/demo/citizens/questionnaire" |
  python3 -c 'import json,sys; q=json.load(sys.stdin)
rows=[r["name"] for s in q["sections"] for x in s["questions"] if x["name"]=="services_known" for r in x["rows"]]
print(json.dumps({r: "dont_know" for r in rows}, separators=(",",":")))')
export SERVICES_KNOWN=$services_known

# The server's CPU time (user + system, in clock ticks) so far: the cores are shared with wrk
# and with whatever else the host runs, so CPU per request is steadier than requests per second.
server_ticks() { awk '{print $14 + $15}' "/proc/$server/stat"; }

echo "needsmap bench/ingest: $connections connections, ${seconds}s each, $(nproc) cores"
t0=$(server_ticks)
health=$(wrk -t2 -c"$connections" -d"${seconds}s" --latency -s bench/ingest/healthz.lua "$base/healthz" | grep RESULT)
t1=$(server_ticks)
refused=$(SUBMIT_REFUSED=1 wrk -t2 -c"$connections" -d"${seconds}s" --latency -s bench/ingest/submit.lua \
  "$base/api/v1/campaigns/demo/citizens/responses" | grep RESULT)
t1r=$(server_ticks)
submit=$(wrk -t2 -c"$connections" -d"${seconds}s" --latency -s bench/ingest/submit.lua \
  "$base/api/v1/campaigns/demo/citizens/responses" | grep RESULT)
t2=$(server_ticks)
ticks_per_second=$(getconf CLK_TCK)
stored=$("$bin" campaign list --db "$dir/bench.db" | awk '$1=="demo/citizens"{print $3}')
kill -TERM "$server"
wait "$server" || true
grep -o 'the writer committed.*' "$dir/server.log" || true

python3 - "$health" "$refused" "$submit" "$stored" "$((t1 - t0))" "$((t1r - t1))" "$((t2 - t1r))" \
  "$ticks_per_second" <<'PY'
import sys
def parse(line): return {k: float(v) for k, v in (kv.split("=") for kv in line.split()[1:])}
h, r, s, stored = parse(sys.argv[1]), parse(sys.argv[2]), parse(sys.argv[3]), int(sys.argv[4])
h_cpu, r_cpu, s_cpu, tick = int(sys.argv[5]), int(sys.argv[6]), int(sys.argv[7]), 1e6 / int(sys.argv[8])
h_rate = h["requests"] / h["seconds"]
r_rate = r["created"] / r["seconds"]
s_rate = s["created"] / s["seconds"]
h_us = h_cpu * tick / h["requests"]
r_us = r_cpu * tick / max(r["created"], 1)
s_us = s_cpu * tick / max(s["created"], 1)
print(f"healthz (ceiling):   {h_rate:10.0f} requests/s   p50 {h['p50_ms']:.2f} ms   p99 {h['p99_ms']:.2f} ms"
      f"   server CPU {h_us:.0f} µs/request")
print(f"refused (422):       {r_rate:10.0f} responses/s  p50 {r['p50_ms']:.2f} ms   p99 {r['p99_ms']:.2f} ms"
      f"   server CPU {r_us:.0f} µs/response")
print(f"submissions (201):   {s_rate:10.0f} responses/s  p50 {s['p50_ms']:.2f} ms   p99 {s['p99_ms']:.2f} ms"
      f"   server CPU {s_us:.0f} µs/response")
print(f"ratio submissions/healthz: {s_rate / h_rate:.2f}   (server CPU per request: {h_us / s_us:.2f})")
print(f"ratio refused/healthz:     {r_rate / h_rate:.2f}   (reading and checking alone, nothing stored)")
if r["other"]:
    print(f"ERROR: {int(r['other'])} refused-run responses were not 422"); sys.exit(1)
print(f"not stored (non-201): {int(s['other'])};  rows in the database: {stored} (acknowledged: {int(s['created'])})")
if stored < s["created"]:
    print("ERROR: fewer rows than acknowledged responses"); sys.exit(1)
PY
