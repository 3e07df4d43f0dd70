#!/usr/bin/env bash
# Installs what the benchmarks need besides the build (the Python peers and wrk), through the
# project's one installer: `scripts/install-deps.sh --bench`.
set -euo pipefail
exec bash "$(dirname "$0")/../scripts/install-deps.sh" --bench
