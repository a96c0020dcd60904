#!/usr/bin/env bash
# Runs every test: installs what is missing, builds, starts private PostgreSQL and Redis
# servers (through `pitwallctl sandbox`), runs unit, integration and GUI tests, stops them.
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build

dir=$(mktemp -d /var/tmp/pitwall-test.XXXXXX)
cleanup() {
  ./build/app/pitwallctl sandbox down --dir "$dir" || true
  rm -rf "$dir"
}
trap cleanup EXIT
./build/app/pitwallctl sandbox up --dir "$dir" > /dev/null

export PITWALL_TEST_PG="host=$dir/pg user=postgres dbname=postgres"
export PITWALL_TEST_REDIS="unix://$dir/redis/redis.sock"
export XDG_RUNTIME_DIR="$dir/xdg"
mkdir -m 700 -p "$XDG_RUNTIME_DIR"
ctest --test-dir build --output-on-failure --parallel 2 "$@"
