#!/usr/bin/env bash
# Installs the Debian packages that the Python peers in bench/peers/ need (pandas for CSV ingestion;
# scikit-learn, xgboost and Flask for the model and serving peers; OpenBLAS so numpy is not measured
# on the reference BLAS). Skips what is already installed.
set -euo pipefail

PACKAGES=(python3-pandas python3-numpy libopenblas0-pthread python3-sklearn python3-xgboost
  python3-flask)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "install-peers: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-peers: done"
