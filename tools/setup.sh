#!/usr/bin/env bash
# Installs the Debian packages xbarsim needs (only those missing, so a second run is fast) and
# builds it in build/. Used by tools/run-main.sh and tools/run-tests.sh; safe to run alone.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  g++ cmake make pkg-config procps
  clang libclang-rt-14-dev  # libFuzzer harnesses (fuzz/, tools/fuzz.sh)
  libsystemc-dev libboost-graph-dev libyaml-cpp-dev libhdf5-dev libcli11-dev nlohmann-json3-dev
  libglpk-dev
  libonnx-dev libprotobuf-dev  # ONNX import (workloads/onnx_network.cpp)
  libopenmpi-dev openmpi-bin  # sweeps and validation under mpirun (validation/cluster.cpp)
  libgtest-dev libgmock-dev libbenchmark-dev
  python3 python3-h5py python3-matplotlib python3-numpy
  python3-torchvision  # tools/export_weights.py and its test
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

jobs=$(nproc 2>/dev/null || echo 2)
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DXBARSIM_WERROR=ON >/dev/null
cmake --build build -j "$jobs"
