"""Receipts and transfers travel to the hall's PostgreSQL server with sync: the voucher by its
uid, its movements pointing at the server's voucher, the counters by their codes."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from app.clock import FixedClock
from app.db import open_database
from app.models import Counter
from app.models.day import StockMovement
from app.models.stock import StockVoucher
from app.services.day.items import SIM_CARD
from app.services.hall.demo import DEMO_PASSWORD, fill_demo
from app.services.staff.auth import login
from app.services.stock.vouchers import receive, transfer
from app.services.sync.run import run_sync
from tests.builders import DAY

pytestmark = pytest.mark.postgres


def test_vouchers_and_their_movements_reach_the_server(tmp_path: Path, pg_url: str,
                                                       clock: FixedClock) -> None:
    server = open_database(pg_url, clock=clock)
    ws = open_database(f"sqlite:///{tmp_path / 'ws.sqlite3'}", clock=clock)
    try:
        fill_demo(server, customers=5, today=DAY)
        fill_demo(ws, customers=5, today=DAY)
        sup = login(ws, "S001", DEMO_PASSWORD, "C03")
        got = receive(ws, sup, {SIM_CARD: 30}, counter="C01", supplier="物流中心 出库单 9")
        moved = transfer(ws, sup, "C01", "C02", {SIM_CARD: 10})
        run_sync(ws, pg_url, origin="WS1")
        with server.read() as s:
            vouchers = {v.uid: v for v in s.execute(select(StockVoucher)).scalars()}
            assert set(vouchers) == {got.uid, moved.uid}
            assert vouchers[got.uid].supplier == "物流中心 出库单 9"
            codes = dict(s.execute(select(Counter.id, Counter.code)).all())
            rows = s.execute(select(StockMovement.voucher_id, StockMovement.counter_id,
                                    StockMovement.kind, StockMovement.quantity)
                             .where(StockMovement.voucher_id.is_not(None))
                             .order_by(StockMovement.kind)).all()
        by_uid = {v.id: uid for uid, v in vouchers.items()}
        assert sorted((by_uid[v], codes[c], k, q) for v, c, k, q in rows) == sorted([
            (got.uid, "C01", "receipt", -30), (moved.uid, "C01", "transfer_out", 10),
            (moved.uid, "C02", "transfer_in", -10)])
    finally:
        ws.dispose()
        server.dispose()
