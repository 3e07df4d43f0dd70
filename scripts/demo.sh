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

printf '\nDemo finished; outputs are in %s/\n' "$out"
