#!/usr/bin/env bash
# The main job: set up, then describe the default network (VGG-A) on the default arch
# (isaac-like, 32 tiles). Extra arguments go to `xbarsim describe`.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh
build/tools/xbarsim describe --workload vgg-a --arch isaac-like "$@"
