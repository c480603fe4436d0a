#!/usr/bin/env bash
# Installs, builds and runs the whole test suite: unit tests (GoogleTest via CTest), integration
# tests against the real binary on loopback, the crash test, the browser test in Chromium, and
# the unit and integration tests again under AddressSanitizer and UndefinedBehaviorSanitizer.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n=== %s ===\n' "$*"; }

step "dependencies"
scripts/install-deps.sh

step "build"
scripts/build.sh build

step "unit tests"
ctest --test-dir build --output-on-failure -j2

step "integration, crash and browser tests"
NEEDSMAP_BIN="$PWD/build/needsmap" node --test --test-concurrency=1 \
  tests/integration/*.test.mjs tests/browser/*.test.mjs

step "integration and crash tests on PostgreSQL, and several servers behind nginx"
# A throw-away cluster of its own on a free port (never 5432, which a system cluster may hold),
# under /tmp so that the postgres user can reach it when this runs as root; stopped and removed
# on exit, also when a test fails.
free_port() {
  local port
  for _ in $(seq 100); do
    port=$(shuf -i 20000-60000 -n 1)
    # Nothing answers a connection to it: it is free (for the moment it takes to start the cluster).
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  echo "no free port found" >&2
  return 1
}
pg_dir=$(mktemp -d /tmp/needsmap-pg.XXXXXX)
trap 'scripts/postgres.sh stop "$pg_dir"' EXIT
pg_url=$(scripts/postgres.sh start "$pg_dir" "$(free_port)")
NEEDSMAP_TEST_POSTGRES="${pg_url%/postgres}" NEEDSMAP_TEST_POSTGRES_DATA="$pg_dir" \
  NEEDSMAP_BIN="$PWD/build/needsmap" node --test --test-concurrency=1 tests/integration/*.test.mjs \
  tests/cluster/*.test.mjs
scripts/postgres.sh stop "$pg_dir"
trap - EXIT

if [ "${NEEDSMAP_SKIP_SANITIZERS:-0}" != 1 ]; then
  step "build with AddressSanitizer and UndefinedBehaviorSanitizer"
  scripts/build.sh build-asan -DNEEDSMAP_SANITIZE=ON -DNEEDSMAP_BENCH=OFF
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  step "unit tests under sanitizers"
  ctest --test-dir build-asan --output-on-failure -j2
  step "integration tests under sanitizers"
  NEEDSMAP_BIN="$PWD/build-asan/needsmap" NEEDSMAP_SANITIZED=1 node --test --test-concurrency=1 \
    tests/integration/*.test.mjs
fi
echo
echo "all tests passed"
