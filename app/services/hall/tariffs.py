"""The hall's tariff with validity dates: each change is a new `tariff_rate` row that applies
from a business date on; rows are never changed or deleted, so the table is the history.

An order is priced by the table of its business date (`HallConfig.as_of`), so an order of a
day before a change keeps the old amount, and a change set for a later date waits for it.
A change may not apply from a past date: orders of that day were priced already.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.config import HallConfig, TariffChange
from app.core.money import format_yuan
from app.models import Hall, Staff
from app.models.org import TariffRate
from app.services.hall.registry import Actor
from app.services.hall.settings_keys import SettingsError

MAX_TARIFF_FEN: Final = 10**9  # ten million yuan: a typo guard, not a business limit
LAST_DAY: Final = date(2099, 12, 31)


@dataclass(frozen=True)
class TariffEntry:
    """One row of the tariff's history, as the settings screen and `hall show` list it."""

    item: str
    amount_fen: int
    valid_from: date
    set_by: str
    set_at: datetime
    reason: str


def tariff_changes(session: Session, hall_id: int) -> tuple[TariffChange, ...]:
    rows = session.execute(
        select(TariffRate.valid_from, TariffRate.id, TariffRate.item, TariffRate.amount_fen)
        .where(TariffRate.hall_id == hall_id)).all()
    return tuple(TariffChange(valid_from, seq, item, fen) for valid_from, seq, item, fen in rows)


def tariff_history(session: Session, hall_id: int) -> list[TariffEntry]:
    rows = session.execute(
        select(TariffRate, Staff.staff_no).outerjoin(Staff, Staff.id == TariffRate.set_by)
        .where(TariffRate.hall_id == hall_id)
        .order_by(TariffRate.valid_from, TariffRate.id)).all()
    return [TariffEntry(r.item, r.amount_fen, r.valid_from, staff_no or "", r.set_at, r.reason)
            for r, staff_no in rows]


def amount_fen(item: str, value: object) -> int:
    """A tariff amount in yuan (text or number) as fen, or `SettingsError` naming the item."""
    key = f"tariff.{item}"
    if isinstance(value, bool) or not isinstance(value, int | str | Decimal | float):
        raise SettingsError(key, "应为金额（元）", "expected an amount in yuan")
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        raise SettingsError(key, f"不是有效金额：{str(value)[:20]}",
                            f"not an amount: {str(value)[:20]!r}") from None
    if not amount.is_finite() or amount < 0 or amount != amount.quantize(Decimal("0.01")):
        raise SettingsError(key, "应为不小于0、最多两位小数的金额",
                            "a non-negative amount with at most 2 decimals")
    if amount * 100 > MAX_TARIFF_FEN:
        raise SettingsError(key, "金额过大", "amount too large")
    return int(amount * 100)


def check_from(valid_from: object, today: date) -> date:
    if not isinstance(valid_from, date) or isinstance(valid_from, datetime):
        raise SettingsError("from", "生效日期应为日期 YYYY-MM-DD", "expected a date YYYY-MM-DD")
    if valid_from < today:
        raise SettingsError("from", f"生效日期不能早于今天（{today.isoformat()}）：之前的订单已按"
                            "原资费受理", f"a change cannot apply before today "
                            f"({today.isoformat()}): earlier orders were priced already")
    if valid_from > LAST_DAY:
        raise SettingsError("from", "生效日期不能晚于 2099-12-31", "the date is after 2099-12-31")
    return valid_from


def schedule(session: Session, hall: Hall, actor: Actor, current: HallConfig,
             changes: Mapping[str, object], valid_from: date, reason: str) -> dict[str, Any]:
    """Add the rows of a tariff change (all checked before any is added); the changes made,
    item -> {"from_fen", "to_fen"}: an amount already in force from that date is left out."""
    if not isinstance(changes, Mapping) or not changes:
        raise SettingsError("tariff", "没有要修改的资费", "no tariff change given")
    on_day = current.as_of(valid_from).tariff_fen
    amounts: dict[str, int] = {}
    for item, value in changes.items():
        if not isinstance(item, str) or item not in current.tariff_fen:
            raise SettingsError(f"tariff.{str(item)[:40]}", "资费表中没有这个项目",
                                "not an item of the hall's tariff table")
        amounts[item] = amount_fen(item, value)
    diff: dict[str, Any] = {}
    for item, fen in amounts.items():
        if fen == on_day[item]:  # a later change still wins from its own, later date
            continue
        session.add(TariffRate(hall_id=hall.id, item=item, amount_fen=fen, valid_from=valid_from,
                               set_by=actor.staff_id, reason=reason))
        diff[item] = {"from_fen": on_day[item], "to_fen": fen}
    session.flush()
    return diff


def describe(diff: Mapping[str, Any], valid_from: date) -> str:
    """"sim_card_fee 10.00 → 12.00" lines, for a command's answer."""
    return "; ".join(f"{item} {format_yuan(d['from_fen'])} → {format_yuan(d['to_fen'])}"
                     for item, d in diff.items()) + f" (from {valid_from.isoformat()})"
