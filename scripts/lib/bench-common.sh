# Sourced by the benchmark scripts, from the repository's root: an up-to-date build, Qt
# offscreen, and private_sandbox, which starts PostgreSQL and Redis of the script's own (its
# exports in the environment, $sandbox_dir its directory) and stops them when the script exits.
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo > /dev/null
cmake --build build > /dev/null
ctl=./build/app/pitwallctl
export QT_QPA_PLATFORM=offscreen XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-/tmp/pitwall-xdg}
mkdir -m 700 -p "$XDG_RUNTIME_DIR"

private_sandbox() {
  sandbox_dir=$(mktemp -d /var/tmp/pitwall-bench.XXXXXX)
  trap '$ctl sandbox down --dir "$sandbox_dir" > /dev/null 2>&1 || true; rm -rf "$sandbox_dir"' EXIT
  eval "$($ctl sandbox up --dir "$sandbox_dir" 2>/dev/null)"
}
