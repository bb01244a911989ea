"""Core figures at hall scale (issue: foundation). Prints figures; it is not a test.

    python bench/bench_core.py [--orders 1000000] [--customers 1000000] [--runs 300]

On a database of N orders and N customers (made by bench/generate.py) it measures:
- evaluating and recording one request through OrderService.submit (no printing);
- finding a customer by ID number (keyed hash lookup) and a line by number;
and, in the same run, a raw-sqlite3 baseline of the same insert and lookups, so the ratio shows.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def show(label: str, ms: list[float], target: str = "") -> None:
    print(f"  {label:<48} median {statistics.median(ms):7.3f} ms   p95 {pct(ms, 95):7.3f} ms"
          f"   {target}")


def ensure_key(tmp: Path) -> None:
    if os.environ.get("COUNTER_KEY_FILE"):
        return
    from app.security import create_key_file

    key = tmp / "bench-key.json"
    create_key_file(key, "bench-passphrase-long")
    os.environ["COUNTER_KEY_FILE"], os.environ["COUNTER_KEY_PASSPHRASE"] = (
        str(key), "bench-passphrase-long")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--orders", type=int, default=1_000_000)
    ap.add_argument("--customers", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=300)
    ap.add_argument("--db", help="reuse an existing generated SQLite file")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-core-"))
    ensure_key(tmp)

    from sqlalchemy import select

    from app.core.request import parse_request
    from app.db import open_database
    from app.models import Customer, Line
    from app.services.customers.pii import default_personal_data
    from app.services.hall.registry import batch_actor
    from app.services.orders.service import OrderService, Submission
    from bench.generate import generate
    from tests.builders import personal

    path = Path(args.db) if args.db else tmp / "bench.sqlite3"
    url = f"sqlite:///{path}"
    if not args.db:
        t0 = time.perf_counter()
        info = generate(url, orders=args.orders, customers=args.customers)
        print(f"generated {args.orders:,} orders, {args.customers:,} customers in "
              f"{time.perf_counter() - t0:.1f} s ({info})")
    db = open_database(url)
    service = OrderService(db)
    actor = batch_actor(db)
    pd = default_personal_data()

    with db.read() as s:
        sample_lines = list(s.execute(select(Line.number).limit(args.runs)).scalars())
    print(f"database: {path} ({path.stat().st_size / 1e6:.0f} MB)")

    # evaluate + record one request (no printing)
    record_ms: list[float] = []
    for i in range(args.runs):
        req = personal("fault_report", details={"fault_type": "ordinary", "description": "无信号"})
        req["line"]["number"] = sample_lines[i % len(sample_lines)]
        parsed = parse_request(req)
        t0 = time.perf_counter()
        service.submit(Submission(parsed, occurrence=i), actor)  # each its own order
        record_ms.append((time.perf_counter() - t0) * 1000)

    # lookups through the ORM, as the counter does them
    ids = [f"11010519{1950 + i % 50}0101{i % 1000:03d}" for i in range(args.runs)]
    cust_ms, line_ms = [], []
    with db.read() as s:
        for i in range(args.runs):
            t0 = time.perf_counter()
            s.execute(select(Customer.id).where(Customer.id_lookup == pd.lookup_id(ids[i]))).first()
            cust_ms.append((time.perf_counter() - t0) * 1000)
            t0 = time.perf_counter()
            s.execute(select(Line).where(Line.number == sample_lines[i % len(sample_lines)])
                      ).scalar_one_or_none()
            line_ms.append((time.perf_counter() - t0) * 1000)
    db.dispose()

    # raw sqlite3 baseline on the same file: one order row insert (synchronous=FULL, WAL)
    con = sqlite3.connect(path, isolation_level=None)
    con.execute("PRAGMA synchronous=FULL")
    raw_ins, raw_cust, raw_line = [], [], []
    for i in range(args.runs):
        t0 = time.perf_counter()
        con.execute("BEGIN IMMEDIATE")
        con.execute("INSERT INTO intake_entry (uid, hall_id, counter_id, channel, service, "
                    "business_date, decision, violations, missing, created_at) VALUES "
                    "(?, 1, 1, 'bench', 'x', '2026-11-22', 'rejected', '[]', '[]', "
                    "'2026-11-22 00:00:00')", (f"bench-{i}-{time.time_ns()}",))
        con.execute("COMMIT")
        raw_ins.append((time.perf_counter() - t0) * 1000)
        h = pd.lookup_id(ids[i])
        t0 = time.perf_counter()
        con.execute("SELECT id FROM customer WHERE id_lookup = ?", (h,)).fetchone()
        raw_cust.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        con.execute("SELECT * FROM line WHERE number = ?",
                    (sample_lines[i % len(sample_lines)],)).fetchone()
        raw_line.append((time.perf_counter() - t0) * 1000)
    con.close()

    print(f"\n{args.runs} runs each")
    show("evaluate + record one request (OrderService)", record_ms, "target < 20 ms median")
    show("raw sqlite3: one-row insert transaction", raw_ins)
    show("find customer by ID number (ORM + keyed hash)", cust_ms, "target < 2 ms p95")
    show("raw sqlite3: customer by id_lookup", raw_cust)
    show("find line by number (ORM)", line_ms, "target < 2 ms p95")
    show("raw sqlite3: line by number", raw_line)
    print(f"\nratios (median): record/raw insert {statistics.median(record_ms) / statistics.median(raw_ins):.1f}x, "
          f"customer {statistics.median(cust_ms) / statistics.median(raw_cust):.1f}x, "
          f"line {statistics.median(line_ms) / statistics.median(raw_line):.1f}x")


if __name__ == "__main__":
    main()
