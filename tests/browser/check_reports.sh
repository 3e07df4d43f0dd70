#!/usr/bin/env bash
# Renders both example evaluation reports in headless Chromium and checks that every chart is
# present and drew something, and that the page logged no console errors. Usage:
#   check_reports.sh STAYCAST_BINARY SOURCE_DIR OUT_DIR
# The report carries a small inline self-check script that, on load, writes into #render-check how
# many svg.chart elements it found, which of them are empty (no marks or no size) and any script
# errors; --dump-dom prints the DOM after load, so this script reads those attributes back. Console
# errors are also caught from Chromium's own log (--enable-logging=stderr). Screenshots of both
# reports are left in OUT_DIR for people to look at.
set -euo pipefail
bin=$1
src=$2
out=$3
mkdir -p "$out"
if ! command -v chromium >/dev/null; then
  echo "chromium is not installed (scripts/install-deps.sh installs it)" >&2
  exit 1
fi
"$bin" generate --rows 8000 --seed 3 --out "$out/admissions.csv" >/dev/null
fail=0
check() {  # name config expected-chart-ids...
  local name=$1 config=$2
  shift 2
  "$bin" train "$config" --data "$out/admissions.csv" --out "$out/${name}_bundle" --overwrite \
    >/dev/null 2>&1
  "$bin" evaluate "$out/${name}_bundle" --report "$out/$name.html" >/dev/null
  local profile
  profile=$(mktemp -d)
  local flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run
    --disable-background-networking --disable-component-update --disable-sync
    --user-data-dir="$profile" --enable-logging=stderr --v=0 --virtual-time-budget=5000)
  timeout 120 chromium "${flags[@]}" --dump-dom "file://$out/$name.html" >"$out/$name.dom" \
    2>"$out/$name.chromium.log" || true
  timeout 120 chromium "${flags[@]}" --hide-scrollbars --window-size=1200,6000 \
    --screenshot="$out/$name.png" "file://$out/$name.html" >/dev/null 2>&1 || true
  rm -rf "$profile"
  local check_line
  check_line=$(grep -o '<div id="render-check"[^>]*>' "$out/$name.dom" || true)
  if [[ "$check_line" != *'data-done="1"'* ]]; then
    echo "FAIL $name: the self-check did not run (no data-done on #render-check)"
    fail=1
    return
  fi
  local charts empty errors
  charts=$(sed -n 's/.*data-charts="\([0-9]*\)".*/\1/p' <<<"$check_line")
  empty=$(sed -n 's/.*data-empty="\([^"]*\)".*/\1/p' <<<"$check_line")
  errors=$(sed -n 's/.*data-errors="\([^"]*\)".*/\1/p' <<<"$check_line")
  echo "$name: $charts charts, empty: [${empty}], script errors: [${errors}]"
  [[ -z "$empty" ]] || { echo "FAIL $name: empty charts: $empty"; fail=1; }
  [[ -z "$errors" ]] || { echo "FAIL $name: script errors: $errors"; fail=1; }
  for id in "$@"; do
    grep -q "<svg id=\"$id\"" "$out/$name.dom" || { echo "FAIL $name: chart $id missing"; fail=1; }
  done
  if grep -E 'CONSOLE.*(ERROR|Uncaught)|Uncaught ' "$out/$name.chromium.log"; then
    echo "FAIL $name: console errors (above)"
    fail=1
  fi
  [[ -s "$out/$name.png" ]] || { echo "FAIL $name: no screenshot"; fail=1; }
  local size
  size=$(stat -c %s "$out/$name.html")
  ((size < 5 * 1024 * 1024)) || { echo "FAIL $name: report is $size bytes"; fail=1; }
}
check los "$src/examples/los.yaml" chart-pred-vs-actual chart-residuals chart-error-by-band \
  chart-coverage chart-permutation
check readmission "$src/examples/readmission.yaml" chart-roc chart-pr chart-calibration \
  chart-decision-curve chart-confusion chart-permutation chart-shap-importance chart-shap-summary
echo "screenshots: $out/los.png $out/readmission.png"
exit $fail
