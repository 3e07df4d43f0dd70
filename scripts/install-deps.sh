#!/usr/bin/env bash
# Installs every Debian package Staycast needs to build, test and run its demo. One list; skips what is
# already installed, so a second run costs a dpkg query and nothing else. `--bench` also installs
# what `make bench` needs: the Python peers (Debian's pandas, scikit-learn, xgboost, Flask, with
# OpenBLAS so numpy is not measured on the reference BLAS) and the load generator.
set -euo pipefail

PACKAGES=(
  # toolchain and checks
  build-essential cmake pkg-config git clang-format clang-tidy
  # libraries
  libxgboost-dev libeigen3-dev libsvm-dev libsqlite3-dev libpq-dev libcpp-httplib-dev
  nlohmann-json3-dev libyaml-cpp-dev libcli11-dev libspdlog-dev libfmt-dev libfast-float-dev
  libssl-dev libarchive-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  # services and tools used by tests
  postgresql sqlite3 curl
  # headless browser for the report test
  chromium
)
BENCH_PACKAGES=(
  python3-pandas python3-numpy libopenblas0-pthread python3-sklearn python3-xgboost python3-flask
  wrk
)

if [ "${1:-}" = "--bench" ]; then PACKAGES+=("${BENCH_PACKAGES[@]}"); fi

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "$(basename "$0"): installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-deps: done"
