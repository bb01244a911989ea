"""Helpers shared by the security tests (owned by the security work; conftest is the lead's)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select

from app.db import Database
from app.models import AuditEvent, Staff
from app.services.hall.registry import Actor, ensure_counter, ensure_hall, staff_actor

PASSWORD = "demo1234"  # the demo hall's password for every account
T0 = datetime(2026, 11, 22, 1, 0, tzinfo=UTC)  # 09:00 in the hall (Asia/Shanghai)


def actor(db: Database, staff_no: str, counter: str = "C01") -> Actor:
    """A staff member acting at a counter, as `auth.login` would return (no password cost)."""
    with db.session() as s:
        staff = s.execute(select(Staff).where(Staff.staff_no == staff_no)).scalar_one()
        return staff_actor(s, staff, ensure_counter(s, ensure_hall(s), counter))


def events(db: Database, action: str | None = None, **where: Any) -> list[AuditEvent]:
    with db.read() as s:
        query = select(AuditEvent).order_by(AuditEvent.seq)
        if action is not None:
            query = query.where(AuditEvent.action == action)
        for name, value in where.items():
            query = query.where(getattr(AuditEvent, name) == value)
        return list(s.execute(query).scalars())


def staff_row(db: Database, staff_no: str) -> Staff:
    with db.read() as s:
        return s.execute(select(Staff).where(Staff.staff_no == staff_no)).scalar_one()


def set_hall_config(db: Database, **values: Any) -> None:
    with db.session() as s:
        hall = ensure_hall(s)
        hall.config = {**(hall.config or {}), **values}


def open_shift(db: Database, clerk: Actor) -> None:
    """Open the clerk's shift (counter orders need one), all checks passed, blank SIM cards
    counted (an order that issues one needs one on hand)."""
    from app.services.day.counts import Counts
    from app.services.day.items import CHECKLIST_CODES
    from app.services.day.shifts import open_shift as open_

    open_(db, clerk, {code: True for code in CHECKLIST_CODES}, Counts(stock={"sim_card": 20}))


def row_counts(db: Database) -> dict[str, int]:
    """Rows per table: to show that a refused or malformed request wrote nothing."""
    from sqlalchemy import inspect, table

    names = inspect(db.engine).get_table_names()
    with db.read() as s:
        return {name: int(s.execute(select(func.count()).select_from(table(name))).scalar() or 0)
                for name in names}
