#!/usr/bin/env bash
# Run a command with the machine's wall clock at another time (libfaketime), e.g.
#   bash tools/run_at.sh '@2026-12-31 23:59:30' .venv/bin/python -m pytest -m "not gui"
# The clock starts at that instant (UTC; the `@` is optional) and ticks. It is given to
# libfaketime as an offset from now, not as `faketime -f @...`: that would start every child
# process (each `counter` command a test runs) at the same instant again, so that time ran
# backwards between them. The tests' PostgreSQL server keeps the real time
# (tests/pg_server.py).
# The monotonic clock stays real: tools/faketime_sleep_fix.c, built here with the system's C
# compiler, works around libfaketime 0.9.10's monotonic sleeps; FAKETIME_FORCE_MONOTONIC_FIX=0
# keeps its condition-variable timeouts (Python's GIL) on the real monotonic clock too.
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: $0 '[@]YYYY-MM-DD hh:mm:ss' COMMAND [ARGS...]" >&2; exit 2; }
start=$(date -u -d "${1#@}" +%s)
shift
root=$(cd "$(dirname "$0")/.." && pwd)
command -v faketime >/dev/null || { echo "faketime is missing: bash tools/install_system_deps.sh" >&2; exit 1; }
fix="$root/build/faketime/sleep_fix.so"
if [ ! "$fix" -nt "$root/tools/faketime_sleep_fix.c" ]; then
  mkdir -p "$(dirname "$fix")"
  cc -shared -fPIC -O2 -o "$fix.tmp" "$root/tools/faketime_sleep_fix.c" -ldl
  mv "$fix.tmp" "$fix"
fi
export LD_PRELOAD="$fix${LD_PRELOAD:+:$LD_PRELOAD}" DONT_FAKE_MONOTONIC=1 FAKETIME_FORCE_MONOTONIC_FIX=0
offset=$((start - $(date -u +%s)))
# The wrapper names its semaphore and shared memory after its process id, which is ours once
# exec'd; a wrapper killed earlier under the same id left them behind ("sem_open: File exists").
rm -f "/dev/shm/sem.faketime_sem_$$" "/dev/shm/faketime_shm_$$"
exec faketime -f "$( ((offset < 0)) && echo "$offset" || echo "+$offset")" "$@"
