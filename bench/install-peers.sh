#!/usr/bin/env bash
# Installs the Debian packages that the Python peers in bench/peers/ need (pandas for CSV ingestion;
# scikit-learn, xgboost and Flask for the model and serving peers; OpenBLAS so numpy is not measured
# on the reference BLAS), through the project's one installer. Skips what is already installed.
set -euo pipefail
exec bash "$(dirname "$0")/../scripts/install-deps.sh" python3-pandas python3-numpy \
  libopenblas0-pthread python3-sklearn python3-xgboost python3-flask
