#!/usr/bin/env bash
# OTLP import in bounded memory: imports a 200 MB export (one document, then the same size as
# JSON Lines) into a private sandbox and prints wall time and maximum RSS of pitwallctl; then
# the hostile files that used to take memory growing with the square of their nesting depth
# (refused now, in constant memory). Usage: scripts/bench-import.sh [MB]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/bench-common.sh
mb=${1:-200}
private_sandbox
work=$(mktemp -d /var/tmp/pitwall-import.XXXXXX)
trap '$ctl sandbox down --dir "$sandbox_dir" > /dev/null 2>&1 || true; rm -rf "$sandbox_dir" "$work"' EXIT

measure() { # label, files...
  local label=$1; shift
  /usr/bin/time -f '%e %M' -o "$work/time" $ctl import-otlp "$@" > "$work/out" 2>&1 || true
  read -r seconds kb < <(tail -1 "$work/time")
  printf '%-34s %8s s  max RSS %7d MB  %s\n' "$label" "$seconds" $((kb / 1024)) \
    "$(head -c 150 "$work/out" | head -1)"
}
python3 scripts/gen-otlp.py "$work/one.json" --mb "$mb"
python3 scripts/gen-otlp.py "$work/lines.jsonl" --mb "$mb" --lines
for depth in 1000 2000 4000 100000; do python3 scripts/gen-otlp.py "$work/nest$depth.json" --nest $depth; done
echo "file sizes: $(du -h "$work/one.json" | cut -f1) (one document), $(du -h "$work/lines.jsonl" | cut -f1) (JSON Lines)"
measure "$mb MB, one document" "$work/one.json"
measure "$mb MB, JSON Lines" "$work/lines.jsonl"
for depth in 1000 2000 4000 100000; do
  measure "nesting depth $depth ($(du -h "$work/nest$depth.json" | cut -f1))" "$work/nest$depth.json"
done
