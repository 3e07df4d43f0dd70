#!/usr/bin/env bash
# The whole test suite, as `make test` (and so CI) runs it: the format check, one AddressSanitizer +
# UBSan build (build-asan/, -O1 with line tables) running every test, then clang-tidy over that build's
# translation units. One sanitized build rather than a Release build plus a sanitized one: every test
# runs under both sanitizers, and a clean clone finishes in about half the time (README, Testing).
# `make test-release` runs the same suite against the Release build.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)
start=$SECONDS

echo "== format check"
bash scripts/check-format.sh

echo "== build (asan + ubsan)"
cmake --preset asan >/dev/null
cmake --build --preset asan -j "$jobs" -- --no-print-directory >/dev/null
echo "built in $((SECONDS - start)) s"

echo "== test suite (asan + ubsan)"
ASAN_OPTIONS=detect_leaks=1 ctest --preset asan -j "$jobs"

echo "== clang-tidy"
bash scripts/check-tidy.sh build-asan
echo "make test: all passed in $((SECONDS - start)) s"
