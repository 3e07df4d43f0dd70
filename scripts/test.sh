#!/usr/bin/env bash
# The whole test suite, as `make test` runs it: format check, the Release suite, the AddressSanitizer +
# UBSan suite (slow-labelled tests excluded), then clang-tidy. Assumes `make build` ran.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)

echo "== format check"
bash scripts/check-format.sh

echo "== release suite"
ctest --preset release -j "$jobs"

echo "== asan + ubsan suite"
cmake --preset asan >/dev/null
cmake --build --preset asan -j "$jobs" -- --no-print-directory >/dev/null
ASAN_OPTIONS=detect_leaks=1 ctest --preset asan -j "$jobs"

echo "== clang-tidy"
bash scripts/check-tidy.sh
