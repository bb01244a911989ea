"""The hall's totals of one business date, per counter: what every workstation of the hall and
the server must agree on once all have synced.

Computed as the daily report counts (`reports.run_queries`): an order counts unless voided;
the amount due is the orders' `total_fen`, the amount paid their payments. Filtered by the
hall, never by this workstation's counter, so any workstation that pulled the hall shows the
same figures.

    hall_day_totals(db, "DEMO01", date(2026, 11, 22))
    # {"hall": "DEMO01", "business_date": "2026-11-22", "orders": 40, "voided": 0,
    #  "amount_due_fen": 123400, "amount_paid_fen": 123400,
    #  "counters": {"C01": {"orders": 20, ...}, "C02": {...}}}
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import case, func, select

from app.db import Database
from app.models import Counter, Hall, OrderPayment, ServiceOrder


def _empty() -> dict[str, int]:
    return {"orders": 0, "voided": 0, "amount_due_fen": 0, "amount_paid_fen": 0}


def hall_day_totals(db: Database, hall_code: str, business_date: date) -> dict[str, Any]:
    """Orders kept, voided, amount due and paid (fen) of the hall on `business_date`, in all
    and per counter code. A hall this database does not know has all zeros."""
    so = ServiceOrder
    out: dict[str, Any] = {"hall": hall_code, "business_date": business_date.isoformat(),
                           **_empty(), "counters": {}}
    with db.read() as s:
        hall_id = s.execute(select(Hall.id).where(Hall.code == hall_code)).scalar()
        if hall_id is None:
            return out
        on_day = (so.hall_id == hall_id, so.business_date == business_date)
        kept = case((so.status == "voided", 0), else_=1)
        voided = case((so.status == "voided", 1), else_=0)
        due = case((so.status == "voided", 0), else_=so.total_fen)
        orders = s.execute(
            select(Counter.code, func.sum(kept), func.sum(voided), func.sum(due))
            .select_from(so).join(Counter, Counter.id == so.counter_id).where(*on_day)
            .group_by(Counter.code)).all()
        paid = dict(s.execute(
            select(Counter.code, func.sum(OrderPayment.amount_fen))
            .select_from(so).join(OrderPayment, OrderPayment.order_id == so.id)
            .join(Counter, Counter.id == so.counter_id)
            .where(*on_day, so.status != "voided").group_by(Counter.code)).all())
    counters: dict[str, dict[str, int]] = {}
    for code, n_kept, n_voided, amount in orders:
        counters[code] = {"orders": int(n_kept or 0), "voided": int(n_voided or 0),
                          "amount_due_fen": int(amount or 0),
                          "amount_paid_fen": int(paid.get(code) or 0)}
    for code in sorted(counters):
        for k, v in counters[code].items():
            out[k] += v
    out["counters"] = {code: counters[code] for code in sorted(counters)}
    return out
