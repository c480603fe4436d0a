#!/usr/bin/env bash
# bench/ingest-postgres: bench/ingest's load (wrk, bench/ingest/submit.lua: many concurrent
# clients submit valid citizens responses, each with a fresh submission_id) against needsmap on
# PostgreSQL, in three set-ups, each on a fresh database of a throw-away cluster:
#   one        one server, wrk talks to it directly
#   one_nginx  one server behind nginx (what nginx itself costs)
#   three      three servers on the same database behind nginx (round-robin, keepalive)
# For each: GET /healthz requests/s (the ceiling of that set-up), durable (201) responses/s with
# p50/p99 latency, rows stored against responses acknowledged; then the scaling ratio three ÷ one.
#   bench/ingest-postgres.sh [seconds=10] [connections=64]
# Needs wrk, nginx (/usr/sbin/nginx: nginx-light) and PostgreSQL 15 (scripts/postgres.sh).
# NEEDSMAP_BIN picks the binary, NEEDSMAP_SERVE_ARGS adds serve options (e.g. "--threads 2").
#
# Read the ratio with the machine in mind: wrk, nginx, PostgreSQL and every needsmap server share
# its cores. On the 2-core development machine three servers do not scale: three runs of 10 s with
# 64 connections gave one server 4,700-6,700 responses/s directly and about 4,200 behind nginx,
# three behind nginx 4,300-5,700 (three ÷ one: 0.64-1.11). The cores are already busy with one
# server, its PostgreSQL backend, the WAL flushes and wrk; nginx adds a hop; and three writers
# commit smaller groups (about 6 responses a commit instead of 26), so PostgreSQL flushes its WAL
# more often. Several servers are for availability (one may die or be restarted while the others
# answer) and for machines with cores to spare or servers on separate machines.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
connections=${2:-64}
bin=${NEEDSMAP_BIN:-build/needsmap}
command -v wrk >/dev/null || { echo "bench/ingest-postgres needs wrk (apt-get install wrk)"; exit 1; }
command -v psql >/dev/null || { echo "bench/ingest-postgres needs psql (apt-get install postgresql-15)"; exit 1; }
source bench/nginx.sh

dir=$(mktemp -d /tmp/needsmap-bench.XXXXXX)
pg_dir="$dir/pg"
servers=()
nginx_pid=
cleanup() {
  for pid in "${servers[@]}" $nginx_pid; do kill "$pid" 2>/dev/null || true; done
  for pid in "${servers[@]}" $nginx_pid; do wait "$pid" 2>/dev/null || true; done
  scripts/postgres.sh stop "$pg_dir" || true
  rm -rf "$dir"
}
trap cleanup EXIT
# The cluster's directory must be reachable by the postgres user when this runs as root.
chmod 755 "$dir"
pg_url=$(scripts/postgres.sh start "$pg_dir" "$(scripts/postgres.sh free-port)")
pg_base=${pg_url%/postgres}

# start_server DATABASE LOG: starts `needsmap serve` on a free port; sets address=127.0.0.1:PORT.
start_server() {
  local database=$1 log=$2 port=
  "$bin" serve --db "$database" --demo --port 0 --rate-limit off ${NEEDSMAP_SERVE_ARGS:-} >"$log" 2>&1 &
  servers+=($!)
  for _ in $(seq 100); do
    port=$(grep -o 'serving http://127.0.0.1:[0-9]*' "$log" | grep -o '[0-9]*$' || true)
    [ -n "$port" ] && break
    sleep 0.1
  done
  [ -n "$port" ] || { cat "$log" >&2; exit 1; }
  address="127.0.0.1:$port"
}

stop_all() {
  for pid in "${servers[@]}" $nginx_pid; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${servers[@]}" $nginx_pid; do wait "$pid" 2>/dev/null || true; done
  servers=()
  nginx_pid=
}

# run NAME SERVERS NGINX(yes|no): a fresh database, SERVERS servers, optionally nginx in front;
# healthz then submissions; prints the figures and leaves them in $dir/NAME.result.
run() {
  local name=$1 count=$2 proxied=$3 database="$pg_base/bench_$1" base upstreams=()
  psql -X -q -v ON_ERROR_STOP=1 -d "$pg_url" -c "CREATE DATABASE bench_$name" >/dev/null
  "$bin" migrate --db "$database" >/dev/null
  for i in $(seq "$count"); do
    start_server "$database" "$dir/$name-$i.log"
    upstreams+=("$address")
  done
  if [ "$proxied" = yes ]; then
    local port
    port=$(scripts/postgres.sh free-port)
    mkdir -p "$dir/nginx-$name"
    nginx_start "$dir/nginx-$name" "$port" "${upstreams[@]}"
    base="http://127.0.0.1:$port"
  else
    base="http://${upstreams[0]}"
  fi
  # The matrix must answer every row; take the rows from the questionnaire itself.
  SERVICES_KNOWN=$(curl -s "$base/api/v1/campaigns/demo/citizens/questionnaire" |
    python3 -c 'import json,sys; q=json.load(sys.stdin)
rows=[r["name"] for s in q["sections"] for x in s["questions"] if x["name"]=="services_known" for r in x["rows"]]
print(json.dumps({r: "dont_know" for r in rows}, separators=(",",":")))')
  export SERVICES_KNOWN
  local health submit stored
  health=$(wrk -t2 -c"$connections" -d"${seconds}s" --latency -s bench/ingest/healthz.lua "$base/healthz" | grep RESULT)
  submit=$(wrk -t2 -c"$connections" -d"${seconds}s" --latency -s bench/ingest/submit.lua \
    "$base/api/v1/campaigns/demo/citizens/responses" | grep RESULT)
  stop_all
  stored=$(psql -X -At -d "$database" -c "SELECT count(*) FROM responses")
  local commits
  commits=$(cat "$dir/$name"-*.log | grep -o 'the writer committed [0-9]* writes in [0-9]* transactions' |
            awk '{w += $4; t += $7} END {if (t) printf "%d writes in %d transactions (%.1f a commit)", w, t, w / t}')
  echo "$name $health | $submit | stored=$stored" >"$dir/$name.result"
  python3 - "$name" "$health" "$submit" "$stored" "$commits" <<'PY'
import sys
name, health, submit, stored, commits = sys.argv[1:]
def parse(line): return {k: float(v) for k, v in (kv.split("=") for kv in line.split()[1:])}
h, s = parse(health), parse(submit)
print(f"{name}:")
print(f"  healthz (ceiling):   {h['requests'] / h['seconds']:10.0f} requests/s   p50 {h['p50_ms']:.2f} ms   p99 {h['p99_ms']:.2f} ms")
print(f"  submissions (201):   {s['created'] / s['seconds']:10.0f} responses/s  p50 {s['p50_ms']:.2f} ms   p99 {s['p99_ms']:.2f} ms")
print(f"  rows stored: {stored}, acknowledged (201): {int(s['created'])}, not acknowledged: {int(s['other'])}")
print(f"  the writers committed {commits}")
PY
}

echo "needsmap bench/ingest-postgres: $connections connections, ${seconds}s each, $(nproc) cores, PostgreSQL $(psql -X -At -d "$pg_url" -c 'SHOW server_version')"
run one 1 no
run one_nginx 1 yes
run three 3 yes

python3 - "$dir/one.result" "$dir/one_nginx.result" "$dir/three.result" <<'PY'
import sys
def load(path):
    name, rest = open(path).read().split(" ", 1)
    health, submit, stored = [p.strip() for p in rest.split("|")]
    s = {k: float(v) for k, v in (kv.split("=") for kv in submit.split()[1:])}
    return s, int(stored.split("=")[1])
results = [load(p) for p in sys.argv[1:]]
rate = [s["created"] / s["seconds"] for s, _ in results]
print(f"scaling three ÷ one: {rate[2] / rate[0]:.2f} (three behind nginx ÷ one behind nginx: {rate[2] / rate[1]:.2f})")
failed = False
for (s, stored), name in zip(results, ["one", "one_nginx", "three"]):
    if stored < s["created"]:
        print(f"ERROR: {name}: fewer rows ({stored}) than acknowledged responses ({int(s['created'])})")
        failed = True
sys.exit(1 if failed else 0)
PY
