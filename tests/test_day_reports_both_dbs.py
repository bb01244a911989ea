"""The daily report and the supervisor's day figures give the same numbers on SQLite and on
PostgreSQL: local hours, handling times (a difference of two stored times), money, stock.

PostgreSQL once failed here: the hall's UTC offset, added to a stored time to get the local
hour, was bound through the column's UTC time type ("'timedelta' object has no attribute
'tzinfo'"); the seconds between two stored times are an INTERVAL there, a number on SQLite.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from app.clock import FixedClock
from app.core.request import parse_request
from app.db import Database, open_database
from app.printing.daily import DailyReport
from app.services.day.counts import Counts
from app.services.day.items import CHECKLIST_CODES, INVOICE, SIM_CARD
from app.services.day.reports import DayFigures, build_daily_report, day_figures
from app.services.day.shifts import open_shift
from app.services.hall.demo import DEMO_PASSWORD, fill_demo
from app.services.hall.registry import batch_actor
from app.services.orders.service import OrderService, PaymentIn, Submission
from app.services.staff.auth import login
from tests.builders import OWNER, PERSON
from tests.builders import counter_line as line

# 07:30 in the hall (UTC+8) on the business date below, while UTC is still on the day before:
# the day and the hours must come from the hall's zone, never from UTC.
START = datetime(2026, 11, 21, 23, 30, tzinfo=UTC)
DAY = date(2026, 11, 22)


def request(service: str, details: dict[str, Any],
            with_line: dict[str, Any] | None = None) -> Any:
    raw: dict[str, Any] = {"service": service, "customer": PERSON, "presenter": OWNER,
                           "documents": [], "details": details, "signature": True,
                           "business_date": DAY.isoformat()}
    if with_line is not None:
        raw["line"] = with_line
    return parse_request(raw)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A new, empty database of either kind."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'counter.sqlite3'}"
    else:
        yield request.getfixturevalue("pg_url")


def a_day(url: str) -> Database:
    """A morning at the counter: orders in two local hours with known handling times, a
    batch order, a refused request."""
    clock = FixedClock(START)
    db = open_database(url, clock=clock)
    fill_demo(db, customers=5)
    svc = OrderService(db)
    clerk = login(db, "C001", DEMO_PASSWORD, "C01")
    open_shift(db, clerk, {code: True for code in CHECKLIST_CODES},
               Counts(stock={SIM_CARD: 10, INVOICE: 20}, cash={10000: 2},
                      invoice_first="00000001", invoice_last="00000020"))

    def serve(req: Any, minutes: float, payments: list[PaymentIn] | None = None) -> Any:
        started = clock.now()
        clock.advance(minutes=minutes)
        result = svc.submit(Submission(req, payments=payments or [], started_at=started), clerk)
        clock.advance(minutes=1)
        return result

    assert serve(request("bill_payment", {"amount": 100}, line()), 3).order_no  # 07:30
    assert serve(request("sim_replacement", {"new_sim_serial": "89860112345678901234"},
                         line()), 5, [PaymentIn("card", 1000)]).order_no
    clock.set(START + timedelta(hours=1))  # 08:30
    assert serve(request("bill_payment", {"amount": 50}, line("18612345679")), 2).order_no
    refused = serve(request("number_change", {"new_number": "18612340000"},
                            line(arrears=58)), 1)
    assert refused.intake_id
    batch = svc.submit(Submission(request("bill_payment", {"amount": 30},
                                          line("18612345680"))), batch_actor(db))
    assert batch.order_no
    return db


def figures_of(db: Database) -> tuple[DayFigures, DailyReport]:
    try:
        return day_figures(db, DAY), build_daily_report(db, DAY)
    finally:
        db.dispose()


def test_day_figures_and_daily_report(url: str) -> None:
    figures, report = figures_of(a_day(url))
    assert figures.per_hour == {7: 2, 8: 1}  # the hall's local hours
    assert figures.batch_per_hour == {8: 1}
    assert {(s.service_code, s.orders, s.amount_fen) for s in figures.per_service} == {
        ("bill_payment", 2, 15000), ("sim_replacement", 1, 1000)}
    assert (figures.batch_orders, figures.batch_amount_fen) == (1, 3000)
    handling = {h.service_code: (h.orders, h.avg_seconds, h.max_seconds)
                for h in figures.handling}
    assert handling == {"bill_payment": (2, 150.0, 180.0), "sim_replacement": (1, 300.0, 300.0)}
    assert figures.handling_overall == (3, 200.0, 300.0)

    assert report.business_date == DAY.isoformat()
    assert report.generated_at == "2026-11-22 08:35:00"  # by the database's clock, local time
    assert any("07时 2，08时 1" in note for note in report.notes)
    assert any("平均 3.3 分钟" in note for note in report.notes)
    assert [(r.time, r.clerk_name) for r in report.rejections] == [("08:34", "李明")]
    assert [(c.clerk_no, c.orders, c.rejected, c.amount_fen) for c in report.clerks] == [
        ("C001", 3, 1, 16000), ("B01", 1, 0, 3000)]


@pytest.mark.postgres
def test_both_databases_give_the_same_report(tmp_path: Path, pg_url: str) -> None:
    on_sqlite = figures_of(a_day(f"sqlite:///{tmp_path / 'counter.sqlite3'}"))
    on_postgresql = figures_of(a_day(pg_url))
    assert asdict(on_sqlite[0]) == asdict(on_postgresql[0])
    assert asdict(on_sqlite[1]) == asdict(on_postgresql[1])
