#!/usr/bin/env bash
# README command 2 (and what CI runs): install what is missing, build, and run every test under
# the `dev` preset (warnings as errors), the Debian packages built from it (installed, run and
# purged on this machine), the `asan` preset (AddressSanitizer + UBSan), the
# threaded suites under the `tsan` preset (ThreadSanitizer), then every libFuzzer target for a
# bounded time (the `fuzz` preset, clang).
set -euo pipefail
cd "$(dirname "$0")/.."

started=$SECONDS
phase() { echo "== [$(( (SECONDS - started) / 60 )) min $(( (SECONDS - started) % 60 )) s] $*"; }

bash scripts/install-deps.sh

# Test databases and folders on tmpfs where there is one: the suites fsync thousands of small
# SQLite transactions, and a disk's flush latency only slows them (a kill -9 is still a crash:
# the crash tests kill processes, not the machine).
if [ -z "${TMPDIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ]; then
  export TMPDIR=/dev/shm
fi

phase "format check (clang-format, .clang-format)"
files=$(git ls-files '*.cpp' '*.h' 2>/dev/null || find engine app sync tests -name '*.cpp' -o -name '*.h')
clang-format --dry-run --Werror $files

jobs=$(nproc)
# The asan preset builds only what its quick tests run (CMakePresets.json), not the slow twins,
# tools and benchmarks.
for preset in dev asan; do
  phase "$preset: configure and build"
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset" -j "$jobs"
  phase "$preset: test"
  if [ "$preset" = dev ]; then
    ctest --preset dev -j "$jobs"                       # quick and slow suites
    phase "packages: build smp-kiosk and smp-server .debs from the dev build, install, run, purge"
    bash scripts/package.sh dev
    bash scripts/package-test.sh build/dev/packages
  else
    ctest --preset "$preset" -j "$jobs" --label-regex quick
  fi
done
phase "tsan: the threaded suites (server, sync, staff, camera) under ThreadSanitizer"
cmake --preset tsan >/dev/null
cmake --build --preset tsan -j "$jobs"
# One at a time: with two ThreadSanitizer processes on a 2-core machine the raw-socket
# hostile-client tests sometimes waited past their 3 s reads (a different one each run).
ctest --preset tsan -j 1
phase "fuzz: each target for ${SMP_FUZZ_SECONDS:-8} s"
bash scripts/fuzz.sh "${SMP_FUZZ_SECONDS:-8}"
phase "all tests passed under dev, asan and tsan, and the fuzzers found nothing"
