#!/usr/bin/env bash
# The main job end to end on generated data, as `make demo` runs it. Outputs go to demo-out/.
# Each stage prints what it did; the first failing stage stops the demo with its error.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=build/staycast
out=demo-out
shared=${STAYCAST_SHARED_DATA:-../shared/data}
rm -rf "$out"
mkdir -p "$out"

stage() { printf '\n== %s\n' "$*"; }

stage "staycast $($bin --version | awk '{print $2}')"

stage "1. Generate 50,000 synthetic admissions (seed 1)"
$bin generate --rows 50000 --seed 1 --out "$out/admissions.csv"

stage "2. Summary of the generated table"
$bin summary "$out/admissions.csv"

stage "3. Import the real demo data sets (used in place from $shared)"
if [ -d "$shared/mimic-iv-demo" ]; then
  $bin import mimic-iv "$shared/mimic-iv-demo" --out "$out/mimic_admissions.csv"
  $bin import synthea "$shared/synthea-sample" --out "sqlite:$out/synthea.db?table=admissions"
  $bin summary "sqlite:$out/synthea.db?table=admissions"
else
  echo "(skipped: $shared not found; set STAYCAST_SHARED_DATA to its path)"
fi

stage "4. Leakage audit of the length-of-stay config, with the seed's naive history mean for contrast"
$bin audit examples/los.yaml --data "$out/admissions.csv" --naive-history

stage "5. Train and compare the length-of-stay models (registered as 'los')"
reg="sqlite:$out/staycast.db"
$bin train examples/los.yaml --data "$out/admissions.csv" --out "$out/los_bundle" \
  --register los --registry "$reg"

stage "6. Train and compare the readmission models (registered as 'readmission')"
$bin train examples/readmission.yaml --data "$out/admissions.csv" --out "$out/readmission_bundle" \
  --register readmission --registry "$reg"

stage "7. Promote both to champion, then batch-score through the registry"
$bin models promote los 1 --alias champion --registry "$reg" --reason "first model"
$bin models promote readmission 1 --alias champion --registry "$reg" --reason "first model"
$bin predict models:/los@champion "$out/admissions.csv" --registry "$reg" --out "$out/los_predictions.csv"
$bin predict models:/readmission@champion "$out/admissions.csv" --registry "$reg" \
  --out "$out/readmission_predictions.csv"
head -4 "$out/los_predictions.csv"

stage "8. The HTML reports of both champions' test-split evaluations (stored in their bundles)"
$bin evaluate models:/los@champion --registry "$reg" \
  --report "$out/los_report.html" --json "$out/los_evaluation.json"
$bin evaluate models:/readmission@champion --registry "$reg" \
  --report "$out/readmission_report.html" --json "$out/readmission_evaluation.json"

stage "9. The registry"
$bin models list --registry "$reg"

printf '\nDemo finished; outputs are in %s/\n' "$out"
printf 'Reports (open in a browser):\n  %s\n  %s\n' "$(realpath "$out/los_report.html")" \
  "$(realpath "$out/readmission_report.html")"
