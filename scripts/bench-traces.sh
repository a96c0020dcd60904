#!/usr/bin/env bash
# Trace viewer benchmarks at 10k, 100k and 1M spans on a private sandbox: skeleton load from
# PostgreSQL, layout, bytes per span, first paint, and frame times (p50/p99) zoomed out, at a
# mid zoom and on one span. Prints medians of 3 repetitions. Extra arguments go to the binary.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/bench-common.sh
private_sandbox
for n in 10000 100000 1000000; do $ctl fleet --giant-trace $n > /dev/null; done
# Settle the fresh data (autovacuum would otherwise run during the measurements).
psql "host=$sandbox_dir/pg dbname=pitwall user=postgres" -qc "VACUUM ANALYZE pitwall.spans" -c "CHECKPOINT"
PITWALL_BENCH_AGENT_PG=$PITWALL_AGENT_PG PITWALL_BENCH_PG=$PITWALL_PG \
  ./build/bench/bench_traces --benchmark_repetitions=3 --benchmark_report_aggregates_only=true \
  --benchmark_display_aggregates_only=true "$@" 2>&1 | grep -v '_mean\|_stddev\|_cv'
