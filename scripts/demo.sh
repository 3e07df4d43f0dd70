#!/usr/bin/env bash
# The main job end to end on generated data, as `make demo` runs it. Outputs go to demo-out/.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=build/staycast
out=demo-out
mkdir -p "$out"
echo "== staycast $($bin --version)"
