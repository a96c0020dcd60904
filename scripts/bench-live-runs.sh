#!/usr/bin/env bash
# Live runs table benchmarks at 100k and 1M runs (bytes per run, 10k updates, filter, sort,
# paint, with QSortFilterProxyModel and Qt's delegate as baselines), then the latency from an
# event written by a fleet at a high rate to the console's model, against a private sandbox.
# Prints medians of 5 repetitions. Extra arguments go to the benchmark binary.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x build/bench/bench_live_runs ] || { cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo && cmake --build build; }
ctl=./build/app/pitwallctl
export QT_QPA_PLATFORM=offscreen XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-/tmp/pitwall-xdg}
mkdir -m 700 -p "$XDG_RUNTIME_DIR"

./build/bench/bench_live_runs --benchmark_filter='-BM_FeedEventToModel' \
  --benchmark_repetitions=5 --benchmark_report_aggregates_only=true \
  --benchmark_display_aggregates_only=true "$@" 2>&1 | grep -v '_mean\|_stddev\|_cv'

dir=$(mktemp -d /var/tmp/pitwall-bench.XXXXXX)
cleanup() {
  $ctl sandbox down --dir "$dir" > /dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT
eval "$($ctl sandbox up --dir "$dir" 2>/dev/null)"
PITWALL_BENCH_AGENT_PG=$PITWALL_AGENT_PG PITWALL_BENCH_REDIS=$PITWALL_REDIS \
  ./build/bench/bench_live_runs --benchmark_filter='BM_FeedEventToModel' 2>&1 | grep 'BM_'
