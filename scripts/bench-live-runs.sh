#!/usr/bin/env bash
# Live runs table benchmarks at 100k and 1M runs (bytes per run, 10k updates, filter, sort,
# paint, with QSortFilterProxyModel and Qt's delegate as baselines), then the latency from an
# event written by a fleet at a high rate to the console's model, against a private sandbox.
# Prints medians of 5 repetitions. Extra arguments go to the benchmark binary.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/bench-common.sh

./build/bench/bench_live_runs --benchmark_filter='-BM_FeedEventToModel' \
  --benchmark_repetitions=5 --benchmark_report_aggregates_only=true \
  --benchmark_display_aggregates_only=true "$@" 2>&1 | grep -v '_mean\|_stddev\|_cv'

private_sandbox
PITWALL_BENCH_AGENT_PG=$PITWALL_AGENT_PG PITWALL_BENCH_REDIS=$PITWALL_REDIS \
  ./build/bench/bench_live_runs --benchmark_filter='BM_FeedEventToModel' 2>&1 | grep 'BM_'
