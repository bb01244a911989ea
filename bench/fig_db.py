"""Generating the data, and opening the database, against their floors (children of
`bench/run_all.py`; each prints one JSON line).

    python -m bench.fig_db generate DB N      # A: bench/generate.py, N orders and customers
    python -m bench.fig_db copy SRC DST       # B: the same rows by INSERT ... SELECT
    python -m bench.fig_db open DB ROUNDS     # open_database against a bare sqlite3 open

The generator's floor is the database it made, copied table by table with
``INSERT INTO main.t SELECT ... FROM src.t`` into a new file, migrated (timed, as the
generator's is) and emptied, with the generator's own pragmas: the same rows, the same
indexes and foreign keys, no Python per row.
"""

from __future__ import annotations

import json
import sqlite3
import sys
import time
from pathlib import Path
from typing import Any

from bench.harness import DAY, peak_mb, remove_db


def generate_child(path: Path, n: int) -> dict[str, Any]:
    from bench.generate import generate

    remove_db(path)
    made = generate(f"sqlite:///{path}", orders=n, customers=n, day=DAY)
    # The generator computes its rows in a forked process: its own memory counts too.
    return {"seconds": made.seconds, "peak_mb": peak_mb() + made.producer_mb,
            "timings": made.timings,
            "rows": made.customers + made.lines + made.orders + made.fees + made.payments
            + made.audit_events}


def copy_child(src: Path, dst: Path) -> dict[str, Any]:
    from app.db import open_database
    from app.models import Base

    remove_db(dst)
    started = time.perf_counter()
    open_database(f"sqlite:///{dst}").dispose()  # migrated, as the generator's file is
    con = sqlite3.connect(dst, isolation_level=None)
    tables = [t.name for t in Base.metadata.sorted_tables]
    con.execute("PRAGMA foreign_keys=OFF")
    con.execute("BEGIN")
    for table in reversed(tables):  # what migrations seeded, out of the way
        con.execute(f"DELETE FROM {table}")
    con.execute("COMMIT")
    # The generator's pragmas (bench.generate._Writer), foreign keys on as in the app.
    con.execute("PRAGMA foreign_keys=ON")
    con.execute("PRAGMA synchronous=OFF")
    con.execute("PRAGMA cache_size=-524288")
    con.execute(f"ATTACH DATABASE '{src}' AS src")
    rows = 0
    for table in tables:
        cols = [r[1] for r in con.execute(f"PRAGMA main.table_info({table})")]
        names = ", ".join(f'"{c}"' for c in cols)
        con.execute("BEGIN")
        cur = con.execute(f"INSERT INTO main.{table} ({names}) SELECT {names} FROM src.{table}")
        rows += max(0, cur.rowcount)
        con.execute("COMMIT")
    seconds = time.perf_counter() - started
    con.execute("DETACH DATABASE src")
    con.close()
    return {"seconds": seconds, "peak_mb": peak_mb(), "rows": rows}


def open_child(path: Path, rounds: int) -> dict[str, Any]:
    """`open_database` (integrity check on open, migrations' check) against a bare sqlite3
    connection reading the schema version, A B A B."""
    from app.db import open_database

    a: list[float] = []
    b: list[float] = []
    open_database(f"sqlite:///{path}").dispose()  # warm the file cache for both
    for _ in range(rounds):
        t0 = time.perf_counter()
        db = open_database(f"sqlite:///{path}")
        a.append(time.perf_counter() - t0)
        db.dispose()
        t0 = time.perf_counter()
        con = sqlite3.connect(path)
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("SELECT version_num FROM alembic_version").fetchall()
        b.append(time.perf_counter() - t0)
        con.close()
    return {"app": a, "floor": b}


def main() -> int:
    kind = sys.argv[1]
    if kind == "generate":
        out = generate_child(Path(sys.argv[2]), int(sys.argv[3]))
    elif kind == "copy":
        out = copy_child(Path(sys.argv[2]), Path(sys.argv[3]))
    else:
        out = open_child(Path(sys.argv[2]), int(sys.argv[3]))
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
