#!/usr/bin/env bash
# Installs, builds and starts the demo server at http://127.0.0.1:8080 on an embedded database.
set -euo pipefail
cd "$(dirname "$0")/.."
NEEDSMAP_SKIP_NPM=1 scripts/install-deps.sh
scripts/build.sh build
mkdir -p demo-data
exec build/needsmap serve --db demo-data/needsmap.db --demo --host 127.0.0.1 --port 8080
