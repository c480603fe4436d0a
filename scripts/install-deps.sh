#!/usr/bin/env bash
# Installs everything needsmap needs to build, run and test, from Debian 12 packages (and npm
# for the browser-test tooling only). Safe to run again: it installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  cmake ninja-build g++ pkg-config git
  libboost1.81-dev
  nlohmann-json3-dev libkainjow-mustache-dev libcli11-dev libspdlog-dev libfmt-dev
  libsqlite3-dev sqlite3 libicu-dev libsodium-dev libjemalloc-dev
  libgtest-dev libgmock-dev
  # Google Benchmark, for bench/analysis (built unless -DNEEDSMAP_BENCH=OFF).
  libbenchmark-dev
  chromium wrk clang-format curl ca-certificates
  # The PostgreSQL backend: the client library to build against, and a server and its tools for
  # the tests' throw-away cluster (scripts/postgres.sh). Debian 12 ships contrib (amcheck, for the
  # tests' integrity check) inside postgresql-15; the package may also create and start a default
  # cluster on port 5432, which the tests leave alone.
  libpq-dev postgresql-15 postgresql-client-15
  # A reverse proxy in front of several servers, for the multi-server test. (nginx-light is only
  # a name for nginx plus a module in Debian 12.)
  nginx
  # Exports: XLSX (deflated by zlib; libxlsxwriter for XLSForm), SPSS .sav (ReadStat), fast
  # reading of stored answers (simdjson); the tests read the files back with ReadStat's own tools,
  # openpyxl and unzip.
  zlib1g-dev libxlsxwriter-dev libreadstat-dev libsimdjson-dev readstat python3-openpyxl unzip
  # The report's Word document is read back in the tests by python-docx.
  python3-docx
  # The registry's HSDS exports are checked in the tests by an independent JSON Schema validator.
  python3-jsonschema
  # XLSForm import: .xlsx files read with libzip and pugixml.
  libzip-dev libpugixml-dev
  # Word frequencies of open answers: Snowball's stemmers (Serbian, English).
  libstemmer-dev
  # The fuzzers link clang's libFuzzer runtime (tests/fuzz).
  clang
  # The campaign poster: PDF with cairo and pango, QR codes, a font with Serbian Cyrillic; the
  # tests read it back with poppler's tools, check its syntax and catalog with qpdf and decode
  # the QR code with zbar.
  libcairo2-dev libpango1.0-dev libqrencode-dev fonts-dejavu-core poppler-utils qpdf zbar-tools
)
# Node.js (with npm) runs the integration and browser tests. Machines often bring their own
# (NodeSource's nodejs conflicts with Debian's npm); install Debian's only when there is none.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  packages+=(nodejs npm)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "Installing: ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -q
  # --no-install-recommends: recommendations pull Boost 1.74 headers back in and conflict.
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

if [ "${NEEDSMAP_SKIP_NPM:-0}" != 1 ]; then
  (cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)
fi
