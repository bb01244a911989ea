"""Syncing a workstation to the hall's PostgreSQL server against COPY of the same rows.

    python -m bench.fig_sync sync WS_URL SERVER_URL      # A
    python -m bench.fig_sync copy SYNCED_URL RAW_URL     # B

A: `run_sync` of the whole generated workstation into an empty, migrated server database
(change capture, every batch in its own server transaction, history and feed rows, the pull
that finds nothing new).
B: the rows as they ended up on the server (customers, lines, orders, fees, payments, the
audit events), read back beforehand (not timed), then written into another empty migrated
database with psycopg's `COPY ... FROM STDIN` (text format, as the sync uses), one table
after another, the indexes in place. Each prints one JSON line.
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any

from bench.harness import peak_mb

TABLES = ("customer", "line", "service_order", "order_fee", "order_payment",
          "synced_audit_event")
REFERENCE = ("hall", "counter", "staff")


def sync_child(ws: str, server: str) -> dict[str, Any]:
    from app.db import open_database
    from app.services.sync.run import run_sync

    db = open_database(ws)
    open_database(server).dispose()  # the schema exists before the clock starts, as for B
    started = time.perf_counter()
    report = run_sync(db, server, origin="BENCH")
    seconds = time.perf_counter() - started
    db.dispose()
    return {"seconds": seconds, "pushed": dict(report.pushed), "batches": report.batches,
            "peak_mb": peak_mb()}


def _connect(url: str) -> Any:
    import psycopg
    from sqlalchemy.engine import make_url

    u = make_url(url)
    return psycopg.connect(host=u.host, port=u.port, user=u.username, password=u.password,
                           dbname=u.database)


def copy_child(source: str, target: str) -> dict[str, Any]:
    from app.db import open_database

    open_database(target).dispose()  # migrated: the same schema and indexes
    src, dst = _connect(source), _connect(target)
    with dst.cursor() as cur:  # what migrations seeded, out of the way (not timed)
        for table in reversed(("hall", "counter", "staff", *TABLES)):
            cur.execute(f"DELETE FROM {table}")  # type: ignore[arg-type]
    dst.commit()
    seconds = 0.0
    counts: dict[str, int] = {}
    for table in (*REFERENCE, *TABLES):
        with src.cursor() as cur:  # read beforehand, not timed
            cur.execute(f"SELECT * FROM {table} ORDER BY id")  # type: ignore[arg-type]
            cols = [d.name for d in cur.description or ()]
            rows = cur.fetchall()
        names = ", ".join(f'"{c}"' for c in cols)
        started = time.perf_counter()
        with dst.cursor() as cur, cur.copy(
                f"COPY {table} ({names}) FROM STDIN") as copy:  # type: ignore[arg-type]
            for row in rows:
                copy.write_row(tuple(json.dumps(v) if isinstance(v, dict | list) else v
                                     for v in row))
        dst.commit()
        if table in TABLES:
            seconds += time.perf_counter() - started
            counts[table] = len(rows)
        del rows
    src.close()
    dst.close()
    return {"seconds": seconds, "rows": counts, "peak_mb": peak_mb()}


def main() -> int:
    kind, a, b = sys.argv[1:4]
    print(json.dumps(sync_child(a, b) if kind == "sync" else copy_child(a, b)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
