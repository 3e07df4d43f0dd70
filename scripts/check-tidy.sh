#!/usr/bin/env bash
# Runs clang-tidy (.clang-tidy: naming, bugprone, performance) over the sources in src/, in parallel,
# against build/compile_commands.json. Tests and benchmarks are not checked.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f build/compile_commands.json ] || { echo "run 'make build' first"; exit 1; }
files=$( (git ls-files 'src/*.cc'; git ls-files --others --exclude-standard 'src/*.cc') | grep -v '_test\.cc$' | sort -u)
[ -n "$files" ] || exit 0
log=$(mktemp)
if ! echo "$files" | xargs -P "$(nproc)" -n 4 clang-tidy -p build --quiet >"$log" 2>&1; then
  grep -E 'error:|warning:' "$log" | head -50
  rm -f "$log"
  echo "clang-tidy: failed"
  exit 1
fi
rm -f "$log"
echo "clang-tidy: ok"
