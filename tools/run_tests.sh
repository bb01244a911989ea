#!/usr/bin/env bash
# Install everything the tests need into .venv and run them all, as CI does:
#   bash tools/run_tests.sh [more pytest args]
# ruff, mypy and the import contracts; then pytest on two processes (pytest-xdist): every
# service test on SQLite and on a throw-away PostgreSQL server, the GUI offscreen, and the
# PyInstaller bundle built and run from itself.
#   COUNTER_TEST_DB=sqlite|postgresql|both   the databases of the service tests (both)
#   COUNTER_BUILD_BUNDLE=0                   leave the bundle out (about a minute)
#   COUNTER_TEST_WORKERS=N                   pytest processes (2: this machine's cores)
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/install_system_deps.sh
source tools/pick_python.sh  # PY: the interpreter for a new .venv
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e ".[dev]"
.venv/bin/ruff check app tests bench tools
.venv/bin/mypy
out=$(.venv/bin/lint-imports --no-cache 2>&1) || { echo "$out"; exit 1; }
echo "import contracts kept: Qt only in app/ui; imports point down the layers"
export COUNTER_TEST_DB=${COUNTER_TEST_DB:-both}
export COUNTER_BUILD_BUNDLE=${COUNTER_BUILD_BUNDLE:-1}
# loadgroup: the bundle's tests stay on one worker, which builds it once.
.venv/bin/python -m pytest -q -p no:cacheprovider -n "${COUNTER_TEST_WORKERS:-2}" \
  --dist loadgroup --durations=10 "$@"
