#!/usr/bin/env bash
# Install the app into .venv and start the counter window: bash tools/run_app.sh [--db URL]
# On an empty database the first start offers the demo hall (or a first-run set-up).
set -euo pipefail
cd "$(dirname "$0")/.."
source tools/pick_python.sh  # PY: the interpreter for a new .venv
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e .
exec .venv/bin/counter "$@"
