#!/usr/bin/env bash
# Runs the unit and integration tests under AddressSanitizer (with LeakSanitizer) and UBSan:
# builds what they need in build-asan (gcc, -fsanitize=address,undefined, -O1 with assertions),
# starts private PostgreSQL and Redis servers as scripts/test.sh does, runs
# `ctest -L 'unit|integration'`, stops the servers and prints how long each step took.
#
#   scripts/test-sanitizers.sh [--jobs N] [ctest arguments...]
#
# --jobs N: build jobs and tests run side by side (default: all cores). A finding aborts the
# test that made it; ctest shows its report. Leaks of third-party libraries are suppressed in
# tests/sanitizers/lsan.supp (never a frame of ours).
set -euo pipefail
cd "$(dirname "$0")/.."

jobs=$(nproc)
if [ "${1:-}" = --jobs ]; then
  jobs=$2
  shift 2
fi

./scripts/install-deps.sh

build=build-asan
sanitize="-fsanitize=address,undefined -fno-omit-frame-pointer"
# gcc's -Wmaybe-uninitialized sees through the sanitizers' instrumentation into libstdc++
# (std::function inside <regex>) and warns where nothing is uninitialized; -Werror stays on.
warnings="-Wno-maybe-uninitialized"
t0=$SECONDS
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-g -O1" \
  -DCMAKE_CXX_FLAGS="$sanitize $warnings" -DCMAKE_EXE_LINKER_FLAGS="$sanitize" > /dev/null
# Only what these tests run: their executables and the sandbox's pitwallctl.
# (The fault test runs the whole console and fleet for minutes: the plain run has it.)
mapfile -t tests < <(ctest --test-dir "$build" -N -L 'unit|integration' -E fault_restarts |
  sed -n 's/^ *Test *#[0-9]*: //p' | grep -v -e '_keychain$' -e '^layering$')
cmake --build "$build" -j "$jobs" --target pitwallctl "${tests[@]}"
built=$SECONDS

# Full stacks on malloc (libpqxx and libpq have no frame pointers): a leak names its callers,
# and a suppression can name the third-party function it is about.
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1:fast_unwind_on_malloc=0"
export LSAN_OPTIONS="suppressions=$PWD/tests/sanitizers/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"

dir=$(mktemp -d /var/tmp/pitwall-asan.XXXXXX)
cleanup() {
  "./$build/app/pitwallctl" sandbox down --dir "$dir" || true
  rm -rf "$dir"
}
trap cleanup EXIT
"./$build/app/pitwallctl" sandbox up --dir "$dir" > /dev/null

export PITWALL_TEST_PG="host=$dir/pg user=postgres dbname=postgres"
export PITWALL_TEST_REDIS="unix://$dir/redis/redis.sock"
export XDG_RUNTIME_DIR="$dir/xdg"
mkdir -m 700 -p "$XDG_RUNTIME_DIR"
status=0
ctest --test-dir "$build" --output-on-failure --parallel "$jobs" -L 'unit|integration' \
  -E fault_restarts "$@" ||
  status=$?
echo "Sanitizers: built ${#tests[@]} tests in $((built - t0)) s (-j $jobs)," \
  "ran them in $((SECONDS - built)) s, exit $status"
exit "$status"
