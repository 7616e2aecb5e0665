#!/usr/bin/env bash
# Installs the dependencies, builds with warnings as errors and runs the whole test suite.
# Usage: installer/test.sh [--preset ci|asan]   (default: ci, RelWithDebInfo)
# With --preset asan the suite runs under ASan+UBSan (LeakSanitizer on). Every process the tests
# start writes its sanitizer reports to build-asan/sanitizer/, so a report from a child process
# (the sandbox server, the app binary) fails the run too, even when its exit code is not checked.
set -euo pipefail
cd "$(dirname "$0")/.."
preset=ci
while [ $# -gt 0 ]; do
  case "$1" in
    --preset) preset=${2:?}; shift 2 ;;
    --preset=*) preset=${1#--preset=}; shift ;;
    *) echo "usage: $0 [--preset ci|asan]" >&2; exit 2 ;;
  esac
done
jobs=$(nproc)
installer/install-deps.sh --test
start=$(date +%s)
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset" -j"$jobs"
echo "test.sh: configure and build ($preset) took $(($(date +%s) - start)) s"
if [ "$preset" != asan ]; then
  exec ctest --preset "$preset" -j"$jobs"
fi

reports=build-asan/sanitizer
rm -rf "$reports" && mkdir -p "$reports"
# Appended to the preset's options (later flags win).
export ASAN_OPTIONS="log_path=$PWD/$reports/asan"
export UBSAN_OPTIONS="log_path=$PWD/$reports/ubsan"
status=0
ctest --preset asan -j"$jobs" || status=$?
if compgen -G "$reports/*" >/dev/null; then
  for f in "$reports"/*; do echo "== sanitizer report $f"; head -80 "$f"; done
  echo "asan: sanitizer reports above fail the run"
  echo "sanitizer: 0 passed, $(ls "$reports" | wc -l) failed"
  status=1
fi
exit "$status"
