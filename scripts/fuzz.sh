#!/usr/bin/env bash
# Builds the libFuzzer targets (the `fuzz` preset: clang, ASan, UBSan) and runs each for
# SECONDS (default 60) on its seed corpus, after replaying every regression input once.
# A crash fails the run; its input is saved in build/fuzz/crashes/TARGET/ and belongs in
# tests/fuzz/regressions/TARGET/ with the fix. Prints runs, exec/s and coverage per target.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}

cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j "$(nproc)"

declare -A dict=([fuzz_protocol]=tests/fuzz/json.dict [fuzz_http_server]=tests/fuzz/http.dict)
declare -A maxlen=([fuzz_protocol]=65536 [fuzz_http_server]=65536 [fuzz_image_decode]=65536
                   [fuzz_store_open]=131072)
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
for target in fuzz_protocol fuzz_http_server fuzz_image_decode fuzz_store_open; do
  binary=build/fuzz/tests/fuzz/$target
  seeds=tests/fuzz/corpus/$target
  regressions=tests/fuzz/regressions/$target
  work=build/fuzz/corpus/$target
  crashes=build/fuzz/crashes/$target
  mkdir -p "$work" "$crashes" "$regressions"
  if compgen -G "$regressions/*" >/dev/null; then
    "$binary" -runs=0 "$regressions"/* 2>&1 | tail -n 1
  fi
  args=(-max_total_time="$seconds" -max_len="${maxlen[$target]}" -timeout=10 -rss_limit_mb=2048
        -artifact_prefix="$crashes/" -print_final_stats=1)
  [ -n "${dict[$target]:-}" ] && args+=(-dict="${dict[$target]}")
  log=build/fuzz/$target.log
  if ! "$binary" "${args[@]}" "$work" "$seeds" >"$log" 2>&1; then
    tail -n 40 "$log"
    echo "fuzz: $target found a crash; the input is in $crashes/" >&2
    exit 1
  fi
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1)
  echo "fuzz: $target: $runs runs in ${seconds}s ($speed exec/s), $cov edges, no crash"
done
