#!/usr/bin/env bash
# Measures the time from `pitwallctl kill` to the run ending as killed, over N kills of live
# runs of a simulated fleet in a private sandbox. Prints every figure and the median.
set -euo pipefail
cd "$(dirname "$0")/.."
kills=${1:-20}
ctl=./build/app/pitwallctl
dir=$(mktemp -d /var/tmp/pitwall-bench.XXXXXX)
fleet_pid=""
cleanup() {
  [ -n "$fleet_pid" ] && kill -INT "$fleet_pid" 2>/dev/null && wait "$fleet_pid" 2>/dev/null || true
  $ctl sandbox down --dir "$dir" > /dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT
eval "$($ctl sandbox up --dir "$dir" 2>/dev/null)"
$ctl fleet --rate 10 --runaway-rate 0.3 --seed 7 > /dev/null 2>&1 &
fleet_pid=$!
sleep 3
sock=${PITWALL_REDIS#unix://}
times=()
while [ ${#times[@]} -lt "$kills" ]; do
  run=$(redis-cli -s "$sock" zrevrange pitwall:live 0 0)
  [ -z "$run" ] && { sleep 0.2; continue; }
  line=$($ctl kill "$run" --reason "kill latency benchmark" --wait 5 | grep ' ms after the kill' || true)
  case "$line" in
    *"ended as killed"*) ms=$(sed -E 's/.* ([0-9]+) ms after.*/\1/' <<< "$line"); times+=("$ms"); echo "kill ${#times[@]}: $ms ms" ;;
    *) ;; # it ended on its own first; pick another
  esac
done
sorted=$(printf '%s\n' "${times[@]}" | sort -n)
n=${#times[@]}
median=$(awk -v n="$n" '{a[NR]=$1} END {if (n % 2) print a[(n+1)/2]; else print (a[n/2]+a[n/2+1])/2}' <<< "$sorted")
echo "pitwallctl kill -> run ended as killed, $n kills: median ${median} ms, min $(head -1 <<< "$sorted") ms, max $(tail -1 <<< "$sorted") ms"
