#!/usr/bin/env bash
# Installs what is needed, builds, and opens the console on a local sandbox with a simulated
# fleet running. The sandbox stops when the console closes.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build
if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  echo "No display: running the console under Xvfb (xvfb-run)." >&2
  exec xvfb-run -a -s "-screen 0 1600x1000x24" ./build/app/pitwall --demo "$@"
fi
exec ./build/app/pitwall --demo "$@"
