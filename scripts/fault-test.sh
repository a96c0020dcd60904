#!/usr/bin/env bash
# Fault test: restarts Redis (without persistence: it loses everything) and then PostgreSQL
# under a running fleet and a console session, with operator actions before, during and after
# each outage, and checks what an operator must be able to rely on:
#   - no action lost: every row of pitwall.actions ends up applied to Redis and marked once,
#     and each action recorded after the Redis restart is in the event stream exactly once;
#   - no run left running for ever once the fleet has stopped;
#   - caps held: no user spent more than the daily cap plus what was reserved in flight at
#     the moment Redis was lost (the bound of seeding counters from the ledger).
# Prints the figures and exits non-zero on a failed check. Usage: scripts/fault-test.sh [BUILD]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
ctl=$build/app/pitwallctl
dir=$(mktemp -d /var/tmp/pitwall-fault.XXXXXX)
console=""
fleet=""
cleanup() {
  [ -n "$console" ] && kill "$console" 2>/dev/null || true
  [ -n "$fleet" ] && kill "$fleet" 2>/dev/null || true
  wait 2>/dev/null || true
  $ctl sandbox down --dir "$dir" > /dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT
export QT_QPA_PLATFORM=offscreen XDG_RUNTIME_DIR="$dir/xdg"
mkdir -m 700 -p "$XDG_RUNTIME_DIR"

eval "$($ctl sandbox up --dir "$dir" 2>/dev/null)"
su="host=$dir/pg dbname=pitwall user=postgres"
sock="$dir/redis/redis.sock"
sql() { psql "$su" -XAtqc "$1"; }
rcli() { redis-cli -s "$sock" "$@"; }
failed=0
check() { # description, condition result (0 = ok)
  if [ "$2" -eq 0 ]; then echo "ok    $1"; else echo "FAIL  $1"; failed=1; fi
}
# Waits until the SQL query returns a value >= $2 (at most $3 seconds).
wait_sql() {
  local deadline=$((SECONDS + $3))
  until [ "$(sql "$1" 2>/dev/null || echo 0)" -ge "$2" ]; do
    [ $SECONDS -lt $deadline ] || { echo "timed out waiting for: $1 >= $2"; return 1; }
    sleep 0.2
  done
}
# Some running runs, from PostgreSQL (Redis may be down).
running_runs() { sql "SELECT run_id FROM pitwall.runs WHERE status = 'running' ORDER BY random() LIMIT $1"; }
act() { # an action that may be refused or left for the outbox: its exit code is reported
  local code=0
  "$@" > "$dir/act.out" 2>&1 || code=$?
  echo "$code"
}

cap_micros=300000 # $0.30 a day for every user: the fleet's few users reach it
$ctl cap set user '*' --daily 0.30 --reason "fault test: users reach their cap" > /dev/null
$build/app/pitwall --pg "$PITWALL_PG" --redis "$PITWALL_REDIS" > "$dir/console.log" 2>&1 &
console=$!
$ctl fleet --users 6 --rate 12 --duration 75 --latency-scale 0.3 --seed 11 \
  > "$dir/fleet.out" 2> "$dir/fleet.err" &
fleet=$!

runs="SELECT count(*) FROM pitwall.runs"
wait_sql "$runs" 40 60
for run in $(running_runs 2); do act $ctl kill "$run" --reason "fault test: before" > /dev/null; done
act $ctl breaker force-open crm_lookup --for 1h --new --reason "fault test: before" > /dev/null

# Redis is lost: what was reserved in flight then is the bound on any overshoot.
in_flight=0
for key in $(rcli --scan --pattern "pitwall:spend:user:*:$(date -u +%Y%m%d)"); do
  r=$(rcli hget "$key" reserved_micros); in_flight=$((in_flight > ${r:-0} ? in_flight : ${r:-0}))
done
rcli shutdown nosave > /dev/null 2>&1 || true
restart_ms=$(($(date +%s%N) / 1000000))
codes=""
for run in $(running_runs 3); do
  code=$(act $ctl kill "$run" --reason "fault test: Redis down")
  # A run may end between being picked and being killed: refused with that reason, fine.
  grep -q "already ended" "$dir/act.out" && code=ended
  codes="$codes $code"
done
codes="$codes $(act $ctl breaker force-closed web_search --new --reason "fault test: Redis down")"
check "actions with Redis down are recorded for the outbox (exit 3):$codes" \
  "$([[ "$codes" =~ ^( (3|ended))+$ && "$codes" =~ 3 ]] && echo 0 || echo 1)"
$ctl sandbox up --dir "$dir" > /dev/null 2>&1 # Redis again, empty
wait_sql "$runs" 120 90

# PostgreSQL restarts (fast shutdown: sessions are cut).
(cd / && runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl -D "$dir/pg/data" -m fast -w stop > /dev/null)
code=$(act $ctl kill 00000000-0000-0000-0000-000000000001 --reason "fault test: PostgreSQL down")
check "an action with PostgreSQL down is refused, not half done (exit $code)" "$([ "$code" -eq 1 ] && echo 0 || echo 1)"
grep -q "Cannot reach PostgreSQL" "$dir/act.out"; check "and says PostgreSQL cannot be reached" $?
$ctl sandbox up --dir "$dir" > /dev/null 2>&1
wait_sql "$runs" 200 90
for run in $(running_runs 2); do act $ctl kill "$run" --reason "fault test: after" > /dev/null; done
$ctl cap set user '*' --daily 0.30 --reason "fault test: after" > /dev/null

wait "$fleet" || true
fleet=""
# The console (or a drain) applies what the outbox holds.
wait_sql "SELECT count(*) FILTER (WHERE mirrored_at IS NOT NULL) - count(*) + 1 FROM pitwall.actions" 1 30 \
  || $ctl drain > /dev/null
pending=$(sql "SELECT count(*) FROM pitwall.actions WHERE mirrored_at IS NULL")
total=$(sql "SELECT count(*) FROM pitwall.actions")
check "no action lost: $total actions, $pending not applied to Redis" "$([ "$pending" -eq 0 ] && echo 0 || echo 1)"
twice=0
# The stream's "action" entries by action id (a kill's id also stands in its kill_requested
# and run_ended entries).
rcli xrange pitwall:events - + | awk '
  /^[0-9]+-[0-9]+$/ { type = ""; next }
  prev == "type" { type = $0 }
  prev == "action_id" && type == "action" { print $0 }
  { prev = $0 }' > "$dir/applied"
for id in $(sql "SELECT action_id FROM pitwall.actions WHERE requested_at >= to_timestamp($restart_ms / 1000.0)"); do
  n=$(grep -c "^$id\$" "$dir/applied" || true)
  [ "$n" -eq 1 ] || { echo "  action $id is in the stream $n times"; twice=1; }
done
check "each action since the Redis restart applied exactly once" $twice
forced=$(rcli hget pitwall:breaker:crm_lookup forced)
check "the breaker forced before the restart is forced again (\"$forced\")" "$([ "$forced" = open ] && echo 0 || echo 1)"
wait_sql "SELECT (count(*) FILTER (WHERE status <> 'running') = count(*))::int FROM pitwall.runs" 1 30 || true
left=$(sql "SELECT count(*) FROM pitwall.runs WHERE status = 'running'")
check "no run left running after the fleet stopped ($left)" "$([ "$left" -eq 0 ] && echo 0 || echo 1)"
read -r worst user < <(sql "SELECT coalesce(max(spent), 0), coalesce((array_agg(user_id ORDER BY spent DESC))[1], '-')
  FROM (SELECT user_id, (sum(cost_usd) * 1000000)::bigint AS spent FROM pitwall.runs GROUP BY user_id) s" | tr '|' ' ')
overshoot=$((worst > cap_micros ? worst - cap_micros : 0))
echo "spend: the most a user spent is $worst micro-dollars ($user) against a cap of $cap_micros;" \
  "overshoot $overshoot, bound (reserved in flight at the loss) $in_flight"
check "caps held within the bound" "$([ "$overshoot" -le "$in_flight" ] && echo 0 || echo 1)"
echo "runs: $(sql "SELECT string_agg(status || ' ' || n, ', ') FROM (SELECT status, count(*) n FROM pitwall.runs GROUP BY status ORDER BY 1) s")"
[ "$failed" -eq 0 ] && echo "fault test: 1 passed, 0 failed" || echo "fault test: 0 passed, 1 failed"
exit "$failed"
