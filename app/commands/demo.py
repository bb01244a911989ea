"""`counter demo [--db URL]`: fill an empty database with the demo hall."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("demo", help="fill an empty database with a demo hall")
    p.add_argument("--db", help="database URL (default: SQLite in the user's data folder)")
    p.add_argument("--customers", type=int, default=200)
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from app.db import open_database
    from app.services.hall.demo import DEMO_PASSWORD, STAFF, fill_demo

    db = open_database(args.db)
    try:
        summary = fill_demo(db, customers=args.customers)
    finally:
        db.dispose()
    print(f"示例营业厅已建立 / demo hall ready: {summary.customers} customers, "
          f"{summary.lines} lines, {summary.staff} staff")
    for staff_no, name, role in STAFF:
        print(f"  {staff_no} {name} ({role})  password: {DEMO_PASSWORD}")
    return 0
