#!/bin/sh
# PostgreSQL for the sync and export tests (pytest -m postgres; tests/pg_server.py).
#
# The tests need only the server binaries: tests/pg_server.py runs its own throw-away server
# (initdb into a temporary folder, postgres on a free port of 127.0.0.1, stopped at the end).
# Debian/Ubuntu's `postgresql` package installs them in /usr/lib/postgresql/<version>/bin and
# creates the `postgres` system user, as which the fixture runs initdb and postgres when the
# tests run as root (initdb refuses root). No cluster of the package is needed: the one the
# package may start is stopped so it holds no port or memory.
# Set COUNTER_PG_BINDIR to use binaries elsewhere.
set -eu

if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    echo "pg_setup: PostgreSQL binaries present: $(ls -d /usr/lib/postgresql/*/bin | tail -n 1)"
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends postgresql
# The tests start their own server; the package's cluster is not used.
if command -v pg_lsclusters >/dev/null 2>&1; then
    pg_lsclusters -h 2>/dev/null | while read -r version cluster _rest; do
        $SUDO pg_ctlcluster "$version" "$cluster" stop 2>/dev/null || true
    done
fi
ls /usr/lib/postgresql/*/bin/initdb
