#!/usr/bin/env bash
# Installs every Debian package Staycast needs to build, test and run its demo. One list; skips what is
# already installed, so a second run costs a dpkg query and nothing else. Given package names as
# arguments, it installs those instead (bench/install-peers.sh uses this for the Python peers).
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
  # benchmarks: the HTTP load generator and the Flask peer of the serving benchmark
  wrk python3-flask
)

if [ $# -gt 0 ]; then PACKAGES=("$@"); fi

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
