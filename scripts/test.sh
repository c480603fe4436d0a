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
