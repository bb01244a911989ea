#!/usr/bin/env bash
# Install everything the tests need into .venv and run them: bash tools/run_tests.sh [pytest args]
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/install_system_deps.sh
PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e ".[dev]"
.venv/bin/ruff check app tests bench tools
.venv/bin/mypy
out=$(.venv/bin/lint-imports --no-cache 2>&1) || { echo "$out"; exit 1; }
echo "import contracts kept: the core, services, security and printing are Qt-free"
.venv/bin/python -m pytest "$@"
