#!/usr/bin/env bash
# Builds the libFuzzer targets with clang and runs each for SECONDS (default 20) on its seed corpus.
# Usage: tests/fuzz/run.sh [SECONDS] [TARGET...]
# A crash, leak (LeakSanitizer is on), timeout (-timeout=10) or out-of-memory fails the run.
set -euo pipefail
cd "$(dirname "$0")/../.."
secs=${1:-20}
shift || true
start=$(date +%s)
cmake --preset fuzz >/dev/null
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  mapfile -t targets < <(ls tests/fuzz/fuzz_*.cpp | xargs -n1 basename | sed 's/\.cpp$//')
fi
cmake --build --preset fuzz -j"$(nproc)" --target "${targets[@]}"
echo "fuzz: configure and build took $(($(date +%s) - start)) s"
failed=0
passed=0
for t in "${targets[@]}"; do
  name=${t#fuzz_}
  work=$(mktemp -d)
  corpus=tests/fuzz/corpus/$name
  mkdir -p "$corpus"
  log=$work/log
  if ./build-fuzz/tests/fuzz/"$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
       "$work" "$corpus" >"$log" 2>&1; then
    runs=$(grep -E '^stat::number_of_executed_units' "$log" | awk '{print $2}')
    echo "fuzz: $t ok, ${runs:-?} executions in ${secs}s"
    passed=$((passed + 1))
  else
    echo "fuzz: $t FAILED"; tail -40 "$log"; failed=$((failed + 1))
    # Keep the reproducer: libFuzzer wrote it into the current directory.
    ls crash-* leak-* timeout-* oom-* slow-unit-* 2>/dev/null | sed 's/^/fuzz: reproducer /' || true
  fi
  rm -rf "$work"
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
