"""The masked CSV orders file byte for byte against a file known to be right
(tests/examples/export_orders_masked.csv, written by the export as it was before its SQLite
lines were reworked for speed, #17): a change that alters the bytes of both paths alike is
caught too. On SQLite the lines come from SQLite itself (`export_csv_lines`), on PostgreSQL
from Python rows and `csv`: the same file from both. The day is `record_day` with the texts
that need care (`tricky`); the random uids are replaced by ones from each row's place."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select, update

from app.db import Database
from app.models import Customer, ServiceOrder
from tests.test_export import record_day
from tests.test_export_csv_lines import export_orders, tricky

GOLDEN = Path(__file__).resolve().parent / "examples" / "export_orders_masked.csv"


def settle_uids(db: Database) -> None:
    """Each order's uid from its place in the file, each customer's from its first order."""
    with db.session() as s:
        rows = s.execute(select(ServiceOrder.id, ServiceOrder.customer_id)
                         .order_by(ServiceOrder.order_no)).all()
        customers: dict[int, int] = {}
        for i, (oid, cid) in enumerate(rows):
            s.execute(update(ServiceOrder).where(ServiceOrder.id == oid)
                      .values(uid=f"00000000-0000-4000-8000-{i:012d}"))
            if cid is not None and cid not in customers:
                customers[cid] = len(customers)
        for cid, i in customers.items():
            s.execute(update(Customer).where(Customer.id == cid)
                      .values(uid=f"00000000-0000-4000-9000-{i:012d}"))


def golden_day(db: Database) -> None:
    record_day(db)
    tricky(db)
    settle_uids(db)


def test_masked_orders_file_is_the_known_good_one(demo_db: Database, tmp_path: Path) -> None:
    golden_day(demo_db)
    assert export_orders(demo_db, tmp_path / "out") == GOLDEN.read_bytes()
