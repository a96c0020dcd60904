#!/usr/bin/env bash
# Fuzzes the OTLP/JSON importer and the traces page's text with libFuzzer, AddressSanitizer and
# UBSan. Installs clang and libFuzzer if missing, builds the fuzz targets alone in build-fuzz
# (clang, -DPITWALL_FUZZ=ON), runs each from a fresh corpus (tests/fuzz/corpus/<target>, the
# OTLP fixtures of tests/data/otlp and deeply nested inputs made here), keeps what crashes in
# build-fuzz/crashes/<target>/ and prints one line per target. Exits non-zero on any finding.
#
#   scripts/fuzz.sh [--runs N | --seconds S] [--jobs N] [--keep-going] [target...]
#
#   --runs N      inputs per target (default 200000)
#   --seconds S   time per target instead
#   --jobs N      build jobs (default: all cores)
#   --keep-going  go on after a finding (libFuzzer's fork mode), to collect several; --runs
#                 is then only roughly kept (fork mode counts per job), prefer --seconds
#   target        fuzz_otlp_import, fuzz_trace_text (default both)
#
# A finding: build-fuzz/crashes/<target>/crash-*, leak-*, timeout-* or oom-*; replay it with
# `build-fuzz/tests/fuzz/<target> FILE`. Once fixed, copy it into tests/fuzz/corpus/<target>/
# so that every later run tries it again.
set -euo pipefail
cd "$(dirname "$0")/.."

runs=200000 seconds="" jobs=$(nproc) keep_going=0
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2 seconds=""; shift 2 ;;
    --seconds) seconds=$2 runs=""; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    --keep-going) keep_going=1; shift ;;
    -h | --help) sed -n '2,19p' "$0" | cut -c3-; exit 0 ;;
    fuzz_otlp_import | fuzz_trace_text) targets+=("$1"); shift ;;
    *) echo "fuzz.sh: unknown argument $1 (--help)" >&2; exit 2 ;;
  esac
done
[ ${#targets[@]} -gt 0 ] || targets=(fuzz_otlp_import fuzz_trace_text)

# What the build needs, then what fuzzing alone needs (not part of the normal test run).
./scripts/install-deps.sh
fuzz_packages=(clang-14 libfuzzer-14-dev)
missing=()
for p in "${fuzz_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "Installing: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

build=build-fuzz
started=$(date +%s)
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_COMPILER=clang++-14 -DPITWALL_FUZZ=ON -DBUILD_TESTING=OFF > /dev/null
cmake --build "$build" -j "$jobs" --target "${targets[@]}"
echo "Built in $(($(date +%s) - started)) s"

work=$(mktemp -d /var/tmp/pitwall-fuzz.XXXXXX)
trap 'rm -rf "$work"' EXIT

repeat() { # STRING COUNT
  local spaces
  printf -v spaces '%*s' "$2" ''
  printf '%s' "${spaces// /"$1"}"
}

# A span whose one attribute is VALUE: the importer's recursion over AnyValue.
otlp_span_with() {
  printf '%s' '{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"0af7651916cd43dd8448eb211c80319c",'
  printf '%s' '"spanId":"b7ad6b7169203331","name":"deep","startTimeUnixNano":"1","attributes":[{"key":"deep","value":'
  printf '%s' "$1"
  printf '%s\n' '}]}]}]}]}'
}

# Inputs too large to commit, made the same way on each run.
make_deep_seeds() { # TARGET DIR
  local dir=$2
  { repeat '[' 100000; repeat ']' 100000; } > "$dir/deep-array.json"
  { repeat '{"a":' 20000; printf 1; repeat '}' 20000; } > "$dir/deep-object.json"
  case "$1" in
    fuzz_otlp_import)
      otlp_span_with "$(repeat '{"arrayValue":{"values":[' 20000)1$(repeat ']}}' 20000)" \
        > "$dir/deep-arrayValue.json"
      otlp_span_with "$(repeat '{"kvlistValue":{"values":[{"key":"k","value":' 10000){}$(
        repeat '}]}}' 10000)" > "$dir/deep-kvlistValue.json"
      ;;
    fuzz_trace_text)
      # Qt's JSON reader stops at 1024 levels: just under and just over it.
      { repeat '{"a":[' 511; printf 1; repeat ']}' 511; } > "$dir/nested-1022.json"
      { repeat '{"a":[' 513; printf 1; repeat ']}' 513; } > "$dir/nested-1026.json"
      ;;
  esac
}

max_len_of() {
  case "$1" in
    fuzz_otlp_import) echo $((1 << 20)) ;;
    fuzz_trace_text) echo $((512 << 10)) ;; # past formatPayload's 256 KiB cut
  esac
}

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
failed=0
for t in "${targets[@]}"; do
  corpus=$work/$t
  crashes=$build/crashes/$t
  log=$work/$t.log # copied to build-fuzz/logs/ at the end: runs side by side do not mix
  mkdir -p "$corpus" "$crashes" "$build/logs"
  cp tests/data/otlp/*.json tests/data/otlp/*.jsonl "$corpus/"
  cp tests/fuzz/corpus/"$t"/* "$corpus/"
  make_deep_seeds "$t" "$corpus"

  opts=(-dict=tests/fuzz/otlp.dict -max_len="$(max_len_of "$t")" -rss_limit_mb=2048 -timeout=10
    -artifact_prefix="$crashes/" -print_final_stats=1)
  if [ -n "$seconds" ]; then opts+=(-max_total_time="$seconds"); else opts+=(-runs="$runs"); fi
  if [ "$keep_going" -eq 1 ]; then
    opts+=(-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1)
  fi

  t0=$(date +%s)
  status=0
  "$build/tests/fuzz/$t" "${opts[@]}" "$corpus" > "$log" 2>&1 || status=$?
  elapsed=$(($(date +%s) - t0))

  cp "$log" "$build/logs/$t.log"
  log=$build/logs/$t.log
  # What this run found (another run may be writing to the same folder).
  if [ "$keep_going" -eq 1 ]; then
    found=$(grep -aoE 'oom/timeout/crash: [0-9]+/[0-9]+/[0-9]+' "$log" | tail -1 |
      grep -oE '[0-9]+/[0-9]+/[0-9]+' | awk -F/ '{print $1 + $2 + $3}' || true)
  else
    found=$(grep -ac 'Test unit written to' "$log" || true)
  fi
  found=${found:-0}
  executed=$(grep -a 'stat::number_of_executed_units' "$log" | tail -1 | awk '{print $2}' || true)
  if [ -z "$executed" ]; then # fork mode prints no final stats
    executed=$(grep -aoE '^#[0-9]+' "$log" | tail -1 | tr -d '#' || true)
  fi
  rate=$(grep -a 'stat::average_exec_per_sec' "$log" | tail -1 | awk '{print $2}' || true)
  [ -n "$rate" ] || rate=$((${executed:-0} / (elapsed > 0 ? elapsed : 1)))
  echo "$t: ${executed:-?} runs in ${elapsed} s (${rate} exec/s), $found new finding(s)" \
    "in $crashes, exit $status, log $log"
  if [ "$found" -gt 0 ] || [ "$status" -ne 0 ]; then
    failed=1
    grep -a -m1 -B2 -A40 -E '^==[0-9]+==ERROR|runtime error:|property violated|deadly signal|terminate called' "$log" |
      head -60 >&2 || tail -40 "$log" >&2
  fi
done
exit "$failed"
