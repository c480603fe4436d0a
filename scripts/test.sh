#!/usr/bin/env bash
# Installs, builds and runs the whole test suite: unit tests (GoogleTest via CTest), integration
# tests against the real binary on loopback, the crash test, the browser tests in Chromium, then
# the unit tests under AddressSanitizer and UndefinedBehaviorSanitizer, the integration tests again
# on PostgreSQL under the sanitizers with several servers behind nginx, and the fuzzers for a
# bounded time.
# Prints how long each step took at the end (CI allows 30 minutes on 2 cores).
set -euo pipefail
cd "$(dirname "$0")/.."

# Node test files are independent (each server on its own port 0, its own temporary directory and
# database), and mostly wait on servers and disks: two at a time halve the time on 2 cores. The
# crash test runs alone afterwards (it kills the server a fixed time into a burst of submissions
# and needs some of them acknowledged by then, which a second test file's load can prevent), and so
# do the browser tests, which drive Chromium.
node_jobs=${NEEDSMAP_TEST_JOBS:-2}
alone=(tests/integration/crash.test.mjs tests/browser/*.test.mjs)
node_tests() {  # node_tests FILE...
  local together=() by_itself=() file
  for file in "$@"; do
    if [[ " ${alone[*]} " == *" $file "* ]]; then by_itself+=("$file"); else together+=("$file"); fi
  done
  node --test --test-concurrency="$node_jobs" "${together[@]}"
  if ((${#by_itself[@]})); then node --test --test-concurrency=1 "${by_itself[@]}"; fi
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

step "build"
# -O1 -g1: line tables only, enough for stack traces; full debug information, or -O2, costs minutes of
# compile time on 2 cores and the tests never use it.
scripts/build.sh build -DNEEDSMAP_BENCH=OFF -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG"

# The sanitizer and fuzzer trees are compiled in the background at the lowest priority while the
# tests below, which mostly wait on servers, disks and Chromium, run: the compiler takes only the
# processor time the tests leave, and the build is mostly done by the time they are.
sanitizers=$([ "${NEEDSMAP_SKIP_SANITIZERS:-0}" = 1 ] && echo 0 || echo 1)
background_log=$(mktemp /tmp/needsmap-background-build.XXXXXX)
background_builds() {
  if ((sanitizers)); then
    # -O0 -g1: the line numbers the sanitizers' reports need, at two thirds of the compile time
    # of -O1; the tests run a little slower.
    scripts/build.sh build-asan -DNEEDSMAP_SANITIZE=ON -DNEEDSMAP_BENCH=OFF \
      -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O0 -g1 -DNDEBUG"
  fi
  # libFuzzer targets (tests/fuzz): only they are built in this tree.
  cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DNEEDSMAP_BENCH=OFF \
    -DNEEDSMAP_FUZZ=ON -DNEEDSMAP_FUZZ_SECONDS="${NEEDSMAP_FUZZ_SECONDS:-30}" >/dev/null
  cmake --build build-fuzz --target xlsx_reader_fuzz expression_fuzz
}
setsid nice -n 19 bash -c "$(declare -f background_builds); sanitizers=$sanitizers; set -euo pipefail; background_builds" \
  >"$background_log" 2>&1 &
background_pid=$!
# setsid gave the background builds a process group of their own: stopping it stops the compilers.
stop_background() { kill -- "-$background_pid" 2>/dev/null || true; }
finish_background() {  # waits for the background builds; shows their output if they failed
  if ! wait "$background_pid"; then
    cat "$background_log"
    echo "the sanitizer or fuzzer build failed" >&2
    exit 1
  fi
  tail -n 3 "$background_log"
}
trap 'stop_background; report_timings' EXIT

step "unit tests"
ctest --test-dir build --output-on-failure -j2

step "integration, crash and browser tests"
NEEDSMAP_BIN="$PWD/build/needsmap" node_tests tests/integration/*.test.mjs tests/browser/*.test.mjs

step "the rest of the sanitizer and fuzzer builds"
finish_background
trap report_timings EXIT

if ((sanitizers)); then
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  step "unit tests under sanitizers"
  ctest --test-dir build-asan --output-on-failure -j2
fi
# Every integration test runs twice: above with the normal build on SQLite, here on PostgreSQL and
# under the sanitizers (or with the normal build when they are skipped), with the tests of several
# servers behind nginx. One pass per backend, each with a different build, gives the same coverage
# as four passes in half the time (docs/decisions/0018).
pg_bin=$PWD/build/needsmap
pg_label=
if ((sanitizers)); then
  pg_bin=$PWD/build-asan/needsmap pg_label=" under sanitizers"
  export NEEDSMAP_SANITIZED=1  # tests that generate much data make less of it
fi
step "integration, crash and nginx tests on PostgreSQL$pg_label"
# A throw-away cluster of its own on a free port (never 5432, which a system cluster may hold),
# under /tmp so that the postgres user can reach it when this runs as root; stopped and removed
# on exit, also when a test fails.
pg_dir=$(mktemp -d /tmp/needsmap-pg.XXXXXX)
trap 'scripts/postgres.sh stop "$pg_dir"; report_timings' EXIT
pg_url=$(scripts/postgres.sh start "$pg_dir" "$(scripts/postgres.sh free-port)")
NEEDSMAP_TEST_POSTGRES="${pg_url%/postgres}" NEEDSMAP_TEST_POSTGRES_DATA="$pg_dir" \
  NEEDSMAP_BIN="$pg_bin" node_tests tests/integration/*.test.mjs tests/cluster/*.test.mjs
scripts/postgres.sh stop "$pg_dir"
trap report_timings EXIT

step "fuzzing the .xlsx reader and the expression parser, for a bounded time"
ctest --test-dir build-fuzz -L fuzz --output-on-failure -j2

report_timings
trap - EXIT
echo
echo "all tests passed"
