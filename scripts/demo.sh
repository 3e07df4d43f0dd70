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

stage "9. The registry: models, and a check that every artifact verifies"
$bin models list --registry "$reg"
$bin models check --registry "$reg"

stage "10. Serve both champions over HTTP (docs/http-api.md), send a few requests, stop"
# The earlier stays of the generated patients feed history features at serving time.
$bin encounters load "$out/admissions.csv" --config examples/los.yaml --registry "$reg"
$bin serve --registry "$reg" --model los@champion --model readmission@champion --port 0 \
  >"$out/serve.out" 2>"$out/serve.log" &
serve_pid=$!
for _ in $(seq 100); do grep -q "listening on" "$out/serve.out" 2>/dev/null && break; sleep 0.1; done
url=$(sed -n 's/.*listening on \(http[^ ]*\).*/\1/p' "$out/serve.out")
show() { printf '\n$ %s\n' "$1"; shift; curl -sS "$@"; echo; }
show "a new admission (age missing: imputed, and said so)" -X POST "$url/v1/models/los/predict" \
  -d '{"admission_id": "NEW1", "patient_id": "NEW-PATIENT", "admit_time": "2024-03-01 09:00",
       "gender": "F", "insurance_type": "Medicare", "department": "Cardiology",
       "admission_type": "Emergency", "diagnosis_primary": "I21.4", "diagnosis_codes": "I21.4;I10",
       "severity": 3, "diabetes": 0, "hypertension": 1, "heart_disease": 1, "copd": 0, "ckd": 0}'
returning=$(awk -F, 'NR > 1 { n[$2]++; if (n[$2] == 3) { print $2; exit } }' "$out/admissions.csv")
show "a returning patient ($returning): history features from the encounter store" \
  -X POST "$url/v1/models/readmission/predict" \
  -d "{\"admission_id\": \"NEW2\", \"patient_id\": \"$returning\",
       \"admit_time\": \"2024-03-01 09:00\", \"discharge_time\": \"2024-03-06 12:00\",
       \"length_of_stay\": 5.1, \"age\": 71, \"gender\": \"M\", \"department\": \"General Medicine\",
       \"admission_type\": \"Emergency\", \"diagnosis_primary\": \"J18.9\", \"severity\": 2,
       \"discharge_disposition\": \"Home\"}"
show "a wrong type gets a 400 naming the field" -X POST "$url/v1/models/los/predict" -d '{"age": "old"}'
show "served models" "$url/v1/models"
kill -TERM "$serve_pid"
wait "$serve_pid" || true

printf '\nDemo finished; outputs are in %s/\n' "$out"
printf 'Reports (open in a browser):\n  %s\n  %s\n' "$(realpath "$out/los_report.html")" \
  "$(realpath "$out/readmission_report.html")"
