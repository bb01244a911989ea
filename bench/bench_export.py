"""Exporting a million orders (figures, not a test).

    python bench/bench_export.py [--orders 1000000] [--db PATH]

Makes (once, kept for later runs) a workstation database with `--orders` orders and as many
customers (`bench/generate.py`), then, each in a fresh subprocess so that its peak memory
(VmHWM) is its own:

* ``raw csv``: one sqlite3 query producing the orders file's columns (joins for the codes,
  ``group_concat`` for fees and payments), written with `csv.writer` -- the yardstick;
* ``export csv`` / ``export xlsx``: `export_data` (masked) writing every file of the range;
  the orders file's own time is shown beside the whole export's.

Targets: orders CSV within 2x the raw dump; XLSX of the orders under 60 s. For comparison,
openpyxl's write-only mode is timed on the first 50,000 orders.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT)]

DAY = date(2026, 11, 22)
RAW_SQL = """
SELECT o.order_no, o.uid, o.business_date, h.code, c.code, st.staff_no, o.channel, o.service,
       o.carrier, o.status, cu.uid, cu.kind, cu.name, cu.id_type, cu.id_masked, cu.unit_name,
       cu.reg_type, cu.reg_masked, o.line_number, o.presenter_role, o.presenter_name,
       o.presenter_id_type, o.presenter_id_masked, o.total_fen,
       (SELECT group_concat(item || ':' || printf('%.2f', amount_fen / 100.0), '; ')
          FROM order_fee WHERE order_id = o.id),
       (SELECT group_concat(method || ':' || printf('%.2f', amount_fen / 100.0), '; ')
          FROM order_payment WHERE order_id = o.id),
       (SELECT group_concat(code, ' ') FROM order_document WHERE order_id = o.id),
       (SELECT CASE WHEN on_paper THEN 'paper' ELSE 'pad' END FROM signature_record
          WHERE order_id = o.id),
       o.effective, o.details, o.created_at, o.voided_at, vb.staff_no, o.void_reason,
       ab.staff_no, o.content_hash
FROM service_order o
JOIN hall h ON h.id = o.hall_id
LEFT JOIN counter c ON c.id = o.counter_id
LEFT JOIN staff st ON st.id = o.staff_id
LEFT JOIN customer cu ON cu.id = o.customer_id
LEFT JOIN staff vb ON vb.id = o.voided_by
LEFT JOIN staff ab ON ab.id = o.authorized_by
WHERE o.business_date >= ? AND o.business_date <= ?
ORDER BY o.business_date, o.order_no
"""


def peak_mb() -> float:
    """This process's peak resident memory. VmHWM, not ru_maxrss: Linux carries the parent's
    peak over into a child's ru_maxrss at exec (the parent held the generated data)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child_raw(db: Path, out: Path) -> dict[str, float]:
    import sqlite3

    from app.services.exchange.export_columns import ORDER_COLUMNS

    started = time.perf_counter()
    con = sqlite3.connect(db)
    rows = 0
    with out.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(ORDER_COLUMNS)
        cur = con.execute(RAW_SQL, (DAY.isoformat(), DAY.isoformat()))
        while True:
            batch = cur.fetchmany(5000)
            if not batch:
                break
            writer.writerows(batch)
            rows += len(batch)
    con.close()
    return {"seconds": time.perf_counter() - started, "rows": rows, "peak_mb": peak_mb()}


def child_export(db: Path, out: Path, fmt: str) -> dict[str, float]:
    from app.db import open_database
    from app.services.exchange.export import ExportRequest, export_data
    from app.services.hall.registry import batch_actor

    database = open_database(f"sqlite:///{db}")
    actor = batch_actor(database)
    started = time.perf_counter()
    result = export_data(database, actor, ExportRequest(DAY, DAY, fmt, out))  # type: ignore[arg-type]
    total = time.perf_counter() - started
    orders = next(f for f in result.files if f.dataset == "orders")
    database.dispose()
    return {"seconds": total, "orders_seconds": orders.seconds, "rows": orders.rows,
            "bytes": orders.bytes, "peak_mb": peak_mb(),
            "files": {f.name: f.seconds for f in result.files}}  # type: ignore[dict-item]


def child_openpyxl(db: Path, out: Path, rows: int) -> dict[str, float]:
    """openpyxl's write-only mode on the first `rows` orders of the CSV export's rows (why
    the export writes XLSX itself)."""
    from openpyxl import Workbook

    from app.db import open_database
    from app.services.exchange.export import ExportRequest
    from app.services.exchange.export_columns import ORDER_COLUMNS
    from app.services.exchange.export_records import Exporter, Refs
    from app.services.hall.registry import batch_actor

    database = open_database(f"sqlite:///{db}")
    exporter = Exporter(database, batch_actor(database),
                        ExportRequest(DAY, DAY, "xlsx", out))
    book = Workbook(write_only=True)
    sheet = book.create_sheet("orders")
    sheet.append(list(ORDER_COLUMNS))
    started = time.perf_counter()
    n = 0
    with database.read() as s:
        for row in exporter.flat_orders(s, Refs(s)):
            sheet.append(row)
            n += 1
            if n >= rows:
                break
    book.save(out / "orders-openpyxl.xlsx")
    database.dispose()
    return {"seconds": time.perf_counter() - started, "rows": n, "peak_mb": peak_mb()}


def run_child(*args: str) -> dict[str, float]:
    proc = subprocess.run([sys.executable, __file__, "--child", *args], capture_output=True,
                          text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(proc.stderr)
    return json.loads(proc.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--orders", type=int, default=1_000_000)
    p.add_argument("--db", type=Path, help="workstation database (made when missing)")
    p.add_argument("--work", type=Path, default=Path("/tmp/counter-bench-export"))
    p.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.child:
        kind, db, out = args.child[0], Path(args.child[1]), Path(args.child[2])
        if kind == "openpyxl":
            result = child_openpyxl(db, out, int(args.child[3]))
        else:
            result = child_raw(db, out) if kind == "raw" else child_export(db, out, kind)
        print(json.dumps(result))
        return 0
    os.environ.setdefault("COUNTER_KEY_FILE", str(args.work / "bench-key.json"))
    os.environ.setdefault("COUNTER_KEY_PASSPHRASE", "bench-passphrase-not-secret")
    args.work.mkdir(parents=True, exist_ok=True)
    key = Path(os.environ["COUNTER_KEY_FILE"])
    if not key.exists():
        from app.security import create_key_file

        create_key_file(key, os.environ["COUNTER_KEY_PASSPHRASE"])
    db = args.db or args.work / f"orders-{args.orders}.sqlite3"
    if not db.exists():
        from bench.generate import generate

        made = generate(f"sqlite:///{db}", orders=args.orders, customers=args.orders, day=DAY)
        print(f"generated {made.orders:,} orders, {made.customers:,} customers in "
              f"{made.seconds:.1f} s")
    import shutil

    results = {}
    for kind in ("raw", "csv", "xlsx"):
        out = args.work / f"out-{kind}"
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir()
        target = out / "orders.csv" if kind == "raw" else out
        results[kind] = run_child(kind, str(db), str(target))
    sample = min(50_000, args.orders)
    out = args.work / "out-openpyxl"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir()
    results["openpyxl"] = run_child("openpyxl", str(db), str(out), str(sample))
    raw = results["raw"]
    print(f"\n{args.orders:,} orders (SQLite, {db.stat().st_size / 1e9:.2f} GB)")
    print(f"  raw sqlite3 -> csv (orders)   {raw['seconds']:7.1f} s   peak {raw['peak_mb']:6.0f} MB")
    for kind in ("csv", "xlsx"):
        r = results[kind]
        print(f"  export {kind:4} orders file      {r['orders_seconds']:7.1f} s   "
              f"(whole export {r['seconds']:.1f} s, all files)   peak {r['peak_mb']:6.0f} MB")
    op = results["openpyxl"]
    print(f"  openpyxl write-only, {sample:,} orders: {op['seconds']:.1f} s "
          f"(about {op['seconds'] * args.orders / sample:.0f} s for all {args.orders:,})")
    ratio = results["csv"]["orders_seconds"] / raw["seconds"]
    print(f"  csv / raw: {ratio:.2f}x (target <= 2x);  xlsx orders: "
          f"{results['xlsx']['orders_seconds']:.1f} s (target < 60 s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
