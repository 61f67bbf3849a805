#!/usr/bin/env bash
# The main job: set up, then `xbarsim run` with its defaults: ResNet-18 (every layer) on isaac-like (32 tiles,
# 2304 crossbars), crossbars allocated by the DP, Algorithm 1 and the exact step model against
# a cycle-level simulation; writes out/run.h5 and out/run.png. Extra arguments go to `run`.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh
build/tools/xbarsim run "$@"
