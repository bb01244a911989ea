"""Queue tickets travel with central sync: a workstation's visits and the orders linked to them
reach the hall's PostgreSQL server, the link turned into the server's own ids."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from app.clock import FixedClock
from app.db import open_database
from app.models import QueueTicket, ServiceOrder
from app.services.day.queue_visits import finish_visit, record_ticket
from app.services.hall.demo import fill_demo
from app.services.orders.service import OrderService
from app.services.sync.run import run_sync
from tests.test_queue_times import at, clerk_on_shift, pay_bill

pytestmark = pytest.mark.postgres


def test_visits_and_their_orders_reach_the_server(tmp_path: Path, pg_url: str,
                                                  clock: FixedClock) -> None:
    server = open_database(pg_url, clock=clock)
    ws = open_database(f"sqlite:///{tmp_path / 'ws.sqlite3'}", clock=clock)
    try:
        fill_demo(ws, customers=5)
        li = clerk_on_shift(ws, "C001", "C01")
        record_ticket(ws, li, "A001", "9:50")
        order_no = pay_bill(OrderService(ws), li, "18612340401")
        run_sync(ws, pg_url, origin="WS1")
        clock.set(at(10, 6))
        finish_visit(ws, li)  # an update after the first push travels too
        run_sync(ws, pg_url)
        with server.read() as s:
            ticket = s.execute(select(QueueTicket)).scalar_one()
            linked = s.execute(select(ServiceOrder.queue_ticket_id)
                               .where(ServiceOrder.order_no == order_no)).scalar_one()
            assert linked == ticket.id
            assert (ticket.ticket_no, ticket.issued_at, ticket.finished_at) == (
                "A001", at(9, 50), at(10, 6))
    finally:
        ws.dispose()
        server.dispose()
