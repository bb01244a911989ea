"""Syncing 100,000 orders to PostgreSQL (figures, not a test).

    python bench/bench_sync.py [--orders 100000]

Starts a throw-away PostgreSQL server (`tests/pg_server.py`: Debian's binaries), makes a
workstation database with `--orders` orders (and as many customers with a line each, fees,
payments and audit events: `bench/generate.py`), then, each in a fresh subprocess so that its
peak memory (VmHWM) is its own:

* ``sync``: `run_sync` of the whole workstation into an empty server database (change capture
  installed, every batch in its own server transaction, history and feed rows written, then
  the pull that finds nothing new);
* ``raw``: the same rows as they ended up on the server (customers, lines, orders, fees,
  payments, audit events), inserted into another empty database with psycopg's
  `executemany`, one transaction per 20,000 rows: the yardstick. Only the inserts are timed.

Target: sync within 2x the raw insert.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT)]

DAY = date(2026, 11, 22)
TABLES = ("customer", "line", "service_order", "order_fee", "order_payment",
          "synced_audit_event")


def peak_mb() -> float:
    """This process's peak resident memory (VmHWM: ru_maxrss would include the parent's)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child_sync(ws: str, server: str) -> dict[str, object]:
    from app.db import open_database
    from app.services.sync.run import run_sync

    db = open_database(ws)
    open_database(server).dispose()  # the schema exists before the clock starts, as for raw
    started = time.perf_counter()
    report = run_sync(db, server, origin="BENCH")
    seconds = time.perf_counter() - started
    db.dispose()
    return {"seconds": seconds, "pushed": dict(report.pushed), "batches": report.batches,
            "peak_mb": peak_mb()}


def child_raw(source: str, target: str) -> dict[str, object]:
    """Copy the synced rows into an empty database with executemany; time the inserts."""
    import psycopg
    from sqlalchemy.engine import make_url

    from app.db import open_database

    open_database(target).dispose()  # migrated: the same schema, no sync triggers

    def connect(url: str) -> psycopg.Connection:  # type: ignore[type-arg]
        u = make_url(url)
        return psycopg.connect(host=u.host, port=u.port, user=u.username, password=u.password,
                               dbname=u.database)

    src, dst = connect(source), connect(target)
    rows: dict[str, tuple[list[str], list[tuple[object, ...]]]] = {}
    with src.cursor() as cur:
        for table in ("hall", "counter", "staff", *TABLES):
            cur.execute(f"SELECT * FROM {table} ORDER BY id")  # type: ignore[arg-type]
            cols = [d.name for d in cur.description or ()]
            data = [tuple(json.dumps(v) if isinstance(v, dict | list) else v for v in r)
                    for r in cur.fetchall()]
            rows[table] = (cols, data)
    with dst.cursor() as cur:  # the reference rows, not timed (sync makes them too)
        dst.execute("DELETE FROM staff")
        dst.execute("DELETE FROM counter")
        dst.execute("DELETE FROM hall")
        for table in ("hall", "counter", "staff"):
            cols, data = rows[table]
            cur.executemany(f"INSERT INTO {table} ({', '.join(cols)}) VALUES "  # type: ignore[arg-type]
                            f"({', '.join(['%s'] * len(cols))})", data)
    dst.commit()
    started = time.perf_counter()
    counts = {}
    for table in TABLES:
        cols, data = rows[table]
        sql = f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join(['%s'] * len(cols))})"
        for i in range(0, len(data), 20000):
            with dst.cursor() as cur:
                cur.executemany(sql, data[i:i + 20000])  # type: ignore[arg-type]
            dst.commit()
        counts[table] = len(data)
    seconds = time.perf_counter() - started
    src.close()
    dst.close()
    return {"seconds": seconds, "rows": counts, "peak_mb": peak_mb()}


def run_child(*args: str) -> dict[str, object]:
    proc = subprocess.run([sys.executable, __file__, "--child", *args], capture_output=True,
                          text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(proc.stderr)
    return json.loads(proc.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--orders", type=int, default=100_000)
    p.add_argument("--work", type=Path, default=Path("/tmp/counter-bench-sync"))
    p.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.child:
        kind, a, b = args.child
        print(json.dumps(child_sync(a, b) if kind == "sync" else child_raw(a, b)))
        return 0
    os.environ.setdefault("COUNTER_KEY_FILE", str(args.work / "bench-key.json"))
    os.environ.setdefault("COUNTER_KEY_PASSPHRASE", "bench-passphrase-not-secret")
    args.work.mkdir(parents=True, exist_ok=True)
    key = Path(os.environ["COUNTER_KEY_FILE"])
    if not key.exists():
        from app.security import create_key_file

        create_key_file(key, os.environ["COUNTER_KEY_PASSPHRASE"])
    from bench.generate import generate
    from tests.pg_server import start_server

    ws_path = args.work / f"ws-{args.orders}.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{ws_path}{suffix}").unlink(missing_ok=True)
    made = generate(f"sqlite:///{ws_path}", orders=args.orders, customers=args.orders, day=DAY)
    print(f"workstation: {made.orders:,} orders, {made.customers:,} customers, {made.fees:,} "
          f"fees, {made.payments:,} payments, {made.audit_events:,} audit events "
          f"(generated in {made.seconds:.1f} s)")
    server = start_server()
    try:
        synced = server.url(server.create_database("bench"))
        raw_db = server.url(server.create_database("raw"))
        sync = run_child("sync", f"sqlite:///{ws_path}", synced)
        raw = run_child("raw", synced, raw_db)
    finally:
        server.stop("fast")
        shutil.rmtree(server.root, ignore_errors=True)
    rows = sum(raw["rows"].values())  # type: ignore[attr-defined]
    print(f"\nsync    {sync['seconds']:7.1f} s  ({sync['batches']} batches; pushed "
          f"{', '.join(f'{k} {v:,}' for k, v in sync['pushed'].items())})"  # type: ignore[attr-defined]
          f"  peak {sync['peak_mb']:.0f} MB")
    print(f"raw     {raw['seconds']:7.1f} s  (executemany of the same {rows:,} rows)"
          f"  peak {raw['peak_mb']:.0f} MB")
    ratio = float(sync["seconds"]) / float(raw["seconds"])  # type: ignore[arg-type]
    print(f"sync / raw: {ratio:.2f}x (target <= 2x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
