#!/usr/bin/env bash
# Builds the libFuzzer targets with clang and runs each for SECONDS (default 20) on its seed corpus.
# Usage: tests/fuzz/run.sh [SECONDS] [TARGET...]
# A crash, leak (LeakSanitizer is on), timeout (-timeout=10) or out-of-memory fails the run.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
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
# One target per core at a time: each libFuzzer run is single-threaded.
run_one() {
  local t=$1 name=${1#fuzz_} work corpus log
  work=$(mktemp -d)
  corpus=tests/fuzz/corpus/$name
  mkdir -p "$corpus"
  log=$work/log
  # A reproducer is written into the current directory, so each run gets its own.
  if (cd "$work" && "$root"/build-fuzz/tests/fuzz/"$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
       -print_final_stats=1 "$work" "$root/$corpus" >"$log" 2>&1); then
    runs=$(grep -E '^stat::number_of_executed_units' "$log" | awk '{print $2}')
    echo "fuzz: $t ok, ${runs:-?} executions in ${secs}s" >"$results/$t.ok"
  else
    { echo "fuzz: $t FAILED"; tail -40 "$log"
      for r in "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-* "$work"/slow-unit-*; do
        [ -e "$r" ] && cp "$r" . && echo "fuzz: reproducer $(basename "$r")"
      done; } >"$results/$t.failed"
  fi
  rm -rf "$work"
}
results=$(mktemp -d)
jobs=$(nproc)
for t in "${targets[@]}"; do
  while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n || true; done
  run_one "$t" &
done
wait
passed=0
failed=0
for t in "${targets[@]}"; do
  if [ -f "$results/$t.ok" ]; then
    cat "$results/$t.ok"; passed=$((passed + 1))
  else
    cat "$results/$t.failed" 2>/dev/null || echo "fuzz: $t FAILED (no result)"; failed=$((failed + 1))
  fi
done
rm -rf "$results"
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
