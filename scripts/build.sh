#!/usr/bin/env bash
# Builds needsmap into build/ (or the folder given), e.g. `scripts/build.sh build-asan -DNEEDSMAP_SANITIZE=ON`.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-build}
shift || true
cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DNEEDSMAP_WERROR=ON "$@" >/dev/null
cmake --build "$dir"
