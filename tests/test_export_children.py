"""The CSV export's fees, payments, documents and signature columns, now aggregated by the
database in the orders' SELECT, read as the per-order Python did: amounts as
``f"{fen / 100:.2f}"`` (refunds and single fen included), each list in the order recorded,
and the signature as paper or pad; masked and unmasked alike, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from sqlalchemy import insert, select, update

from app.db import Database
from app.models import ServiceOrder
from app.models.order import OrderDocument, OrderFee, OrderPayment, SignatureRecord
from app.services.exchange.export import ExportRequest, export_data
from tests.builders import DAY
from tests.test_export import record_day, supervisor

FEES = [("sim_card_fee", 12345), ("refund", -150), ("tiny", 5), ("free", 0),
        ("big", 123456789012)]
PAYS = [("cash", 10000), ("card", -1), ("mobile_pay", 99)]
DOCS = ["zz_last", "aa_first", "resident_id"]


def expected(db: Database) -> dict[str, tuple[str, str, str, str]]:
    """What the per-order Python wrote, from the same rows."""
    out = {}
    with db.read() as s:
        for order in s.scalars(select(ServiceOrder).order_by(ServiceOrder.id)):
            fees = s.execute(select(OrderFee.item, OrderFee.amount_fen)
                             .where(OrderFee.order_id == order.id).order_by(OrderFee.id)).all()
            pays = s.execute(select(OrderPayment.method, OrderPayment.amount_fen)
                             .where(OrderPayment.order_id == order.id)
                             .order_by(OrderPayment.id)).all()
            docs = s.scalars(select(OrderDocument.code).where(OrderDocument.order_id == order.id)
                             .order_by(OrderDocument.id)).all()
            sig = s.scalar(select(SignatureRecord.on_paper)
                           .where(SignatureRecord.order_id == order.id))
            out[order.order_no] = (
                "; ".join(f"{i}:{a / 100:.2f}" for i, a in fees),
                "; ".join(f"{m}:{a / 100:.2f}" for m, a in pays),
                " ".join(docs), "" if sig is None else ("paper" if sig else "pad"))
    return out


@pytest.mark.parametrize("masked", [True, False])
def test_children_columns_read_as_before(demo_db: Database, tmp_path: Path,
                                         masked: bool) -> None:
    record_day(demo_db)
    with demo_db.session() as s:
        ids = s.scalars(select(ServiceOrder.id).order_by(ServiceOrder.id)).all()
        first, second = ids[0], ids[-1]
        s.execute(insert(OrderFee), [{"order_id": first, "item": i, "name": i, "amount_fen": a}
                                     for i, a in FEES])
        s.execute(insert(OrderPayment), [{"order_id": first, "method": m, "amount_fen": a,
                                          "tendered_fen": a, "change_fen": 0}
                                         for m, a in PAYS])
        s.execute(insert(OrderDocument), [{"order_id": second, "code": c, "original_seen": True,
                                           "copy_retained": False} for c in DOCS])
        signed = set(s.scalars(select(SignatureRecord.order_id)))
        for oid, paper in ((first, True), (second, False)):
            if oid not in signed:
                s.add(SignatureRecord(order_id=oid, on_paper=paper, content_hash="0" * 64))
        s.flush()
        s.execute(update(SignatureRecord).where(SignatureRecord.order_id == second)
                  .values(on_paper=False))
    want = expected(demo_db)
    assert "refund:-1.50" in want[next(iter(want))][0]
    assert {"paper", "pad"} <= {w[3] for w in want.values()}
    result = export_data(demo_db, supervisor(demo_db), ExportRequest(
        DAY, DAY, "csv", tmp_path / "out", masked=masked, reason="核对导出的费用列"))
    with (result.directory / "orders.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert rows and len(rows) == len(want)
    for row in rows:
        assert (row["fees"], row["payments"], row["documents"], row["signature"]) == \
            want[row["order_no"]], row["order_no"]
