#!/usr/bin/env bash
# Builds the libFuzzer harnesses (fuzz/) with clang in build-fuzz/ and runs them.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: tools/fuzz.sh [arch|network|onnx|all] [SECONDS] [JOBS]

Configures and builds the clang fuzz build in build-fuzz/ (XBARSIM_FUZZ=ON: the harnesses
and the three libraries they need, with libFuzzer, AddressSanitizer and UBSan), then runs
the chosen fuzzer(s), one after the other, for SECONDS each.

  arch|network|onnx|all  which harness to run (default: all)
  SECONDS           how long each one runs (default: 600)
  JOBS              parallel fuzzing processes (libFuzzer -fork) and build jobs (default: 1)

Seeds are the committed configs (configs/arch, configs/workloads) and models
(tests/data/onnx), read only; the inputs a
run finds go to build-fuzz/corpus/<fuzzer>/ and are reused by the next run. Crashes go to
build-fuzz/crashes/. Each crash becomes a regression: see fuzz/README.md.
Exit status: 0 when no crash was found, 1 when there are crash files, 2 on a usage error.
Environment: XBARSIM_FUZZ_BUILD, another build folder than build-fuzz/.
USAGE
}

case "${1:-}" in
  -h | --help)
    usage
    exit 0
    ;;
esac

which="${1:-all}"
seconds="${2:-600}"
jobs="${3:-1}"
case "$which" in
  arch | network | onnx) fuzzers=("$which") ;;
  all) fuzzers=(arch network onnx) ;;
  *)
    echo "fuzz.sh: unknown fuzzer '$which' (arch, network, onnx or all)" >&2
    usage >&2
    exit 2
    ;;
esac
if ! [[ "$seconds" =~ ^[1-9][0-9]*$ && "$jobs" =~ ^[1-9][0-9]*$ ]]; then
  echo "fuzz.sh: SECONDS and JOBS must be positive integers" >&2
  exit 2
fi

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
build="${XBARSIM_FUZZ_BUILD:-build-fuzz}"  # relative to the source tree, or absolute
[[ "$build" == /* ]] || build="$root/$build"

CC=clang CXX=clang++ cmake -S . -B "$build" -DXBARSIM_FUZZ=ON -DXBARSIM_TESTS=OFF \
  -DXBARSIM_BENCHMARKS=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
nice cmake --build "$build" --target fuzzers -j "$jobs"

crashes="$build/crashes"
mkdir -p "$crashes"
declare -A seeds=([arch]=configs/arch [network]=configs/workloads [onnx]=tests/data/onnx)
for f in "${fuzzers[@]}"; do
  corpus="$build/corpus/${f}_fuzzer"
  mkdir -p "$corpus"
  echo "== ${f}_fuzzer for ${seconds}s, ${jobs} job(s); log: $build/${f}_fuzzer.log"
  # The writable corpus comes first: libFuzzer adds the inputs it finds to the first folder,
  # so the committed seeds are never touched. Fork mode goes on after a crash (each one is
  # saved), so one run reports them all.
  status=0
  nice "$build/fuzz/${f}_fuzzer" -fork="$jobs" -ignore_crashes=1 -ignore_ooms=1 \
    -ignore_timeouts=1 -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 \
    -artifact_prefix="$crashes/${f}-" "$corpus" "$root/${seeds[$f]}" \
    >"$build/${f}_fuzzer.log" 2>&1 || status=$?
  tail -n 3 "$build/${f}_fuzzer.log"
  if [[ $status -ne 0 ]]; then echo "(${f}_fuzzer exited with status $status)"; fi
done

found=$(find "$crashes" -type f | wc -l)
echo
echo "Crash files: $found in $crashes, from this run and earlier ones (crash-*: an exception"
echo "other than xbarsim::Error or a sanitizer finding; oom-*, timeout-*: memory or time limits)."
if [[ $found -gt 0 ]]; then
  find "$crashes" -type f | sort
  cat <<MSG

Each one should become a regression file: reproduce it with
  $build/fuzz/<fuzzer> <file>
minimize it with
  $build/fuzz/<fuzzer> -minimize_crash=1 -max_total_time=60 -exact_artifact_path=min.yaml <file>
fix the loader, and save the minimized input as fuzz/regressions/arch/<what-it-triggers>.yaml
or fuzz/regressions/network/<what-it-triggers>.yaml (tests/io/loader_regressions_test.cpp
loads them all), then delete the crash file. See fuzz/README.md.
MSG
  exit 1
fi
echo "No crashes. Any crash found later becomes a regression file under fuzz/regressions/."
