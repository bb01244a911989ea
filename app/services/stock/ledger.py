"""What a counter holds now, from its last count and every movement since.

The count is the truth: while a shift is open at the counter, its stock is the shift's
opening count less what left since (orders' uses, transfers out) plus what came in (voids'
returns, receipts, transfers in): the same sum the closing expects
(`app.services.day.counts.expected_at_close`). With no shift open, it is the last closing
count there plus the movements since that close (a receipt before the morning's opening):
what the next opening count should find.

An issue (a SIM card, a campaign gift, a value card) or a transfer out needs that many on
hand at the counter (`require_on_hand`): stock never goes below zero. Only the counter
channel counts here; the batch channel hands nothing over a counter.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import Counter
from app.models.day import Shift, StockCount, StockMovement
from app.services.day.errors import DayError
from app.services.day.hooks import open_shift_at
from app.services.day.items import INVOICE, describe_quantity, is_cash, item_label

USE_KINDS = ("use", "void_return")  # what orders took or gave back
IN_KINDS = ("receipt", "transfer_in")
OUT_KINDS = ("transfer_out",)
# Items an order hands to the customer: refused when none is on hand. Invoices are counted
# too but are the receipt of any payment: a missing count of them never stops a payment.
UNCHECKED_ITEMS = (INVOICE,)


class StockShortage(DayError):
    """Not enough of an item at the counter for an issue or a transfer out."""

    def __init__(self, item: str, have: int, need: int, *, transfer: bool = False) -> None:
        label = item_label(item)
        have_text, need_text = describe_quantity(item, max(have, 0)), describe_quantity(item, need)
        if transfer:
            zh = (f"调出柜台库存不足：{label}现有 {have_text}，调出 {need_text}；"
                  "请先入库，或减少调拨数量")
            en = (f"not enough {item} at the sending counter ({max(have, 0)} on hand, "
                  f"{need} to transfer): receive stock first or transfer fewer")
        else:
            zh = (f"本柜台无库存：{label}现有 {have_text}，需要 {need_text}。"
                  "请先入库或从其他柜台调拨")
            en = (f"no stock at this counter: {item} ({max(have, 0)} on hand, {need} needed); "
                  "receive stock first or transfer it from another counter")
        super().__init__(zh, en)
        self.item, self.have, self.need = item, have, need


def _counted(s: Session, shift_id: int, phase: str) -> dict[str, int]:
    return {item: qty for item, qty in s.execute(
        select(StockCount.item, StockCount.quantity).where(
            StockCount.shift_id == shift_id, StockCount.phase == phase)).all()
        if not is_cash(item)}


def _net_out(s: Session, *where: object) -> dict[str, int]:
    rows = s.execute(select(StockMovement.item, func.sum(StockMovement.quantity))
                     .where(StockMovement.channel == "counter", *where)  # type: ignore[arg-type]
                     .group_by(StockMovement.item)).all()
    return {item: int(q or 0) for item, q in rows}


def on_hand(s: Session, counter_id: int) -> dict[str, int]:
    """Item -> quantity at the counter now (items never counted nor moved are absent)."""
    shift = open_shift_at(s, counter_id)
    if shift is not None:
        base = _counted(s, shift.id, "open")
        out = _net_out(s, StockMovement.shift_id == shift.id,
                       StockMovement.counter_id == counter_id)
    else:
        last = s.execute(select(Shift).where(
            Shift.counter_id == counter_id, Shift.closed_at.is_not(None))
            .order_by(Shift.closed_at.desc(), Shift.id.desc()).limit(1)).scalar_one_or_none()
        base = _counted(s, last.id, "close") if last is not None else {}
        since = [StockMovement.at > last.closed_at] if last is not None else []
        out = _net_out(s, StockMovement.shift_id.is_(None),
                       StockMovement.counter_id == counter_id, *since)
    totals: dict[str, int] = defaultdict(int, base)
    for item, quantity in out.items():
        totals[item] -= quantity
    return dict(totals)


def require_on_hand(s: Session, counter_id: int, needs: Mapping[str, int], *,
                    transfer: bool = False) -> None:
    """`StockShortage` for the first item the counter has fewer of than `needs` says."""
    if not needs:
        return
    # Two writers taking from one counter at once (PostgreSQL, read committed) queue on its
    # row, so the second sees what the first took; SQLite's write transactions are serial.
    s.execute(select(Counter.id).where(Counter.id == counter_id).with_for_update())
    have = on_hand(s, counter_id)
    for item, need in needs.items():
        if need > 0 and (transfer or item not in UNCHECKED_ITEMS) and have.get(item, 0) < need:
            raise StockShortage(item, have.get(item, 0), need, transfer=transfer)
