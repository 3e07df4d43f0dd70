#!/usr/bin/env bash
# Runs clang-tidy (.clang-tidy: naming, bugprone, performance) over the library and CLI sources in
# src/ (not tests or benchmarks), in parallel, against BUILD_DIR/compile_commands.json (the first
# argument; default build). The presets are unity builds, so clang-tidy checks their merged translation
# units: each parses the headers once for several .cc files (about 2x less work than one run per file)
# and reports in the .cc files, which HeaderFilterRegex covers. bugprone-suspicious-include is off for
# those runs only: the merged units include .cc files by construction; the sources never do (checked
# below with grep).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
[ -f "$build/compile_commands.json" ] || { echo "no $build/compile_commands.json: configure first (make build)"; exit 1; }
if git grep -n '#include ".*\.cc"' -- 'src/*' >/dev/null; then
  git grep -n '#include ".*\.cc"' -- 'src/*'
  echo "clang-tidy: a source includes a .cc file"
  exit 1
fi
# The translation units of src/ targets that are not tests: unity files, and any file built alone.
units=$(BUILD="$build" /usr/bin/python3 - <<'EOF'
import json, os, re
root = os.getcwd()
build = os.path.join(root, os.environ["BUILD"])
for entry in json.load(open(os.path.join(build, "compile_commands.json"))):
    path = entry["file"]
    target = re.search(r"/CMakeFiles/([^/]+)\.dir/", path)
    if target:  # a unity file: build/src/<dir>/CMakeFiles/<target>.dir/Unity/unity_N_cxx.cxx
        name = target.group(1)
        if path.startswith(os.path.join(build, "src")) and not re.search(
                r"_test$|_tests$", name):
            print(path)
    elif path.startswith(os.path.join(root, "src")) and not path.endswith("_test.cc"):
        print(path)
EOF
)
[ -n "$units" ] || { echo "clang-tidy: no translation units found in $build/compile_commands.json"; exit 1; }
log=$(mktemp)
if ! echo "$units" | xargs -P "$(nproc)" -n 2 clang-tidy -p "$build" --quiet \
    --checks=-bugprone-suspicious-include >"$log" 2>&1; then
  grep -E 'error:|warning:' "$log" | head -50
  rm -f "$log"
  echo "clang-tidy: failed"
  exit 1
fi
rm -f "$log"
echo "clang-tidy: ok ($(echo "$units" | wc -l) translation units)"
