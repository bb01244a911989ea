"""`counter reprint ORDER_NO --out DIR [--db URL]`: the papers again, marked 补打."""

from __future__ import annotations

import argparse
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("reprint", help="print an order's papers again (marked 补打)")
    p.add_argument("order_no")
    p.add_argument("--out", required=True, help="folder for the PDFs")
    p.add_argument("--db", help="database URL (default: SQLite in the user's data folder)")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from app.db import open_database
    from app.services.hall.registry import batch_actor
    from app.services.orders.papers import reprint_order

    db = open_database(args.db)
    try:
        for path in reprint_order(db, args.order_no.strip().upper(), Path(args.out),
                                  batch_actor(db)):
            print(path)
    finally:
        db.dispose()
    return 0
