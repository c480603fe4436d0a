#!/usr/bin/env bash
# Installs, builds and runs the whole test suite, built with AddressSanitizer and
# UndefinedBehaviorSanitizer: unit tests (GoogleTest via CTest), integration tests against the
# real binary on loopback on SQLite and on PostgreSQL, the crash test, the browser tests in
# Chromium, several servers behind nginx, and the fuzzers for a bounded time.
# Prints how long each step took at the end (CI allows 30 minutes on 2 cores).
set -euo pipefail
cd "$(dirname "$0")/.."

# Node test files are independent (each server on its own port 0, its own temporary directory and
# database), and mostly wait on servers and disks: two at a time halve the time on 2 cores. The
# crash test runs alone afterwards (it kills the server a fixed time into a burst of submissions
# and needs some of them acknowledged by then, which a second test file's load can prevent); the
# browser tests, which drive Chromium, run two at a time after it (their time limits allow for
# the sanitizers, tests/browser/support.mjs).
node_jobs=${NEEDSMAP_TEST_JOBS:-2}
node_tests() {  # node_tests FILE...
  local together=() crash=() browser=() file
  for file in "$@"; do
    case "$file" in
      tests/integration/crash.test.mjs) crash+=("$file") ;;
      tests/browser/*) browser+=("$file") ;;
      *) together+=("$file") ;;
    esac
  done
  node --test --test-concurrency="$node_jobs" "${together[@]}"
  if ((${#crash[@]})); then node --test --test-concurrency=1 "${crash[@]}"; fi
  if ((${#browser[@]})); then node --test --test-concurrency="$node_jobs" "${browser[@]}"; fi
}

timings=()
step_name=
step_started=$SECONDS
end_step() {
  [ -z "$step_name" ] || timings+=("$(printf '%4d:%02d  %s' $(((SECONDS - step_started) / 60)) $(((SECONDS - step_started) % 60)) "$step_name")")
}
step() {
  end_step
  step_name="$*"
  step_started=$SECONDS
  printf '\n=== %s ===\n' "$*"
}
report_timings() {
  end_step
  step_name=
  printf '\n=== time per step ===\n'
  printf '%s\n' "${timings[@]}"
  printf '%4d:%02d  in all\n' $((SECONDS / 60)) $((SECONDS % 60))
}
trap report_timings EXIT

step "dependencies"
scripts/install-deps.sh

# One build runs every test: with AddressSanitizer and UndefinedBehaviorSanitizer, at -O0 -g1
# (the line numbers the sanitizers' reports need, at two thirds of the compile time of -O1), or,
# with NEEDSMAP_SKIP_SANITIZERS=1, the normal build at -O1. Two builds of every module no longer
# fit CI's 30 minutes on 2 cores (docs/decisions/0018).
sanitizers=$([ "${NEEDSMAP_SKIP_SANITIZERS:-0}" = 1 ] && echo 0 || echo 1)
step "build$([ "$sanitizers" = 1 ] && echo ' with sanitizers')"
if ((sanitizers)); then
  tree=build-asan
  scripts/build.sh "$tree" -DNEEDSMAP_SANITIZE=ON -DNEEDSMAP_BENCH=OFF \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O0 -g1 -DNDEBUG"
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  export NEEDSMAP_SANITIZED=1  # tests that generate much data make less of it, and wait longer
else
  tree=build
  scripts/build.sh "$tree" -DNEEDSMAP_BENCH=OFF -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG"
fi

# The fuzzer tree is compiled in the background at the lowest priority while the tests below,
# which mostly wait on servers, disks and Chromium, run.
background_log=$(mktemp /tmp/needsmap-background-build.XXXXXX)
background_builds() {
  # libFuzzer targets (tests/fuzz): only they are built in this tree.
  cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DNEEDSMAP_BENCH=OFF \
    -DNEEDSMAP_FUZZ=ON -DNEEDSMAP_FUZZ_SECONDS="${NEEDSMAP_FUZZ_SECONDS:-30}" \
    -DNEEDSMAP_FUZZ_RUNS="${NEEDSMAP_FUZZ_RUNS:-60000}" >/dev/null
  cmake --build build-fuzz --target xlsx_reader_fuzz expression_fuzz
}
setsid nice -n 19 bash -c "$(declare -f background_builds); set -euo pipefail; background_builds" \
  >"$background_log" 2>&1 &
background_pid=$!
# setsid gave the background build a process group of its own: stopping it stops the compilers.
stop_background() { kill -- "-$background_pid" 2>/dev/null || true; }
finish_background() {  # waits for the background build; shows its output if it failed
  if ! wait "$background_pid"; then
    cat "$background_log"
    echo "the fuzzer build failed" >&2
    exit 1
  fi
  tail -n 3 "$background_log"
}
trap 'stop_background; report_timings' EXIT

step "unit tests"
ctest --test-dir "$tree" --output-on-failure -j2

# Every integration test runs twice: on SQLite with the crash and browser tests, and on PostgreSQL
# with the tests of several servers behind nginx.
step "integration, crash and browser tests on SQLite"
NEEDSMAP_BIN="$PWD/$tree/needsmap" node_tests tests/integration/*.test.mjs tests/browser/*.test.mjs

step "integration, crash and nginx tests on PostgreSQL"
# A throw-away cluster of its own on a free port (never 5432, which a system cluster may hold),
# under /tmp so that the postgres user can reach it when this runs as root; stopped and removed
# on exit, also when a test fails.
pg_dir=$(mktemp -d /tmp/needsmap-pg.XXXXXX)
trap 'scripts/postgres.sh stop "$pg_dir"; stop_background; report_timings' EXIT
pg_url=$(scripts/postgres.sh start "$pg_dir" "$(scripts/postgres.sh free-port)")
NEEDSMAP_TEST_POSTGRES="${pg_url%/postgres}" NEEDSMAP_TEST_POSTGRES_DATA="$pg_dir" \
  NEEDSMAP_BIN="$PWD/$tree/needsmap" node_tests tests/integration/*.test.mjs tests/cluster/*.test.mjs
scripts/postgres.sh stop "$pg_dir"
trap 'stop_background; report_timings' EXIT

step "the rest of the fuzzer build"
finish_background
trap report_timings EXIT

step "fuzzing the .xlsx reader and the expression parser, for a bounded time"
ctest --test-dir build-fuzz -L fuzz --output-on-failure -j2

report_timings
trap - EXIT
echo
echo "all tests passed"
