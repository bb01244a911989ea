"""Receipts (入库) into a counter's stock and transfers (调拨) between two counters.

    receive(db, supervisor, {"sim_card": 100}, supplier="市公司物流中心 出库单 2026-1122-07")
    transfer(db, supervisor, "C01", "C02", {"gift:cooking_oil_5l": 5}, note="C02 缺油")
    view = stock_view(db, actor)       # on hand per counter, the day's vouchers

Who: `stock.receive` / `stock.transfer`, held by supervisors and managers and checked here
(`auth.require`, refusals audited); a clerk does one with a supervisor's authorization typed
at the counter. Each is one transaction and one audit event (`stock.receive`,
`stock.transfer`) naming the voucher, the counters and the quantities. A receipt or
transfer into or out of a counter with an open shift belongs to that shift, so its closing
count expects it; with no shift open it is what the next opening count should find.
A transfer takes only what the sending counter has (`ledger.require_on_hand`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db import Database
from app.models import Counter, Staff
from app.models.base import new_uid
from app.models.day import StockMovement
from app.models.stock import StockVoucher
from app.security import Permission
from app.services.audit import events as audit
from app.services.day.errors import DayError
from app.services.day.hooks import ensure_day_open, local_today, open_shift_at
from app.services.day.items import item_label, stock_items
from app.services.hall.registry import Actor
from app.services.staff.auth import require
from app.services.stock.ledger import on_hand, require_on_hand

MAX_QUANTITY = 100_000  # per item and voucher: more is a typing mistake
MAX_SUPPLIER = 200
MAX_NOTE = 500


@dataclass(frozen=True)
class VoucherInfo:
    uid: str
    kind: str  # receipt | transfer
    business_date: date
    from_counter: str | None
    to_counter: str
    items: dict[str, int]
    supplier: str | None
    note: str
    staff_no: str
    at: datetime


@dataclass(frozen=True)
class CounterStock:
    code: str
    name: str
    shift_open: bool  # True: the on-hand is the open shift's; else the next opening's
    on_hand: dict[str, int]


@dataclass(frozen=True)
class StockView:
    counters: list[CounterStock]
    vouchers: list[VoucherInfo]  # the business date's, newest first
    items: list[str]  # every item code, in the order the screens show them


def checked_items(items: dict[str, int]) -> dict[str, int]:
    """Known items, whole positive quantities; `DayError` naming the first wrong one."""
    known = set(stock_items())
    out: dict[str, int] = {}
    for item, quantity in items.items():
        if item not in known:
            raise DayError(f"未知的物品：{item}", f"unknown item {item}")
        if isinstance(quantity, bool) or not isinstance(quantity, int) or not (
                0 < quantity <= MAX_QUANTITY):
            raise DayError(f"{item_label(item)}的数量应为 1 至 {MAX_QUANTITY} 的整数",
                           f"{item}: a whole number from 1 to {MAX_QUANTITY}")
        out[item] = quantity
    if not out:
        raise DayError("请至少填写一种物品的数量", "give the quantity of at least one item")
    return out


def _counter(s: Session, actor: Actor, code: str | None) -> Counter:
    if code is None:
        found = s.get(Counter, actor.counter_id)
    else:
        found = s.execute(select(Counter).where(Counter.hall_id == actor.hall_id,
                                                Counter.code == code.strip().upper())
                          ).scalar_one_or_none()
    if found is None or found.batch:  # the batch channel holds no stock
        raise DayError(f"柜台 {code} 不存在", f"no counter {code}")
    return found


def _text(value: str, limit: int, what_zh: str, what_en: str) -> str:
    value = " ".join(value.split())
    if len(value) > limit:
        raise DayError(f"{what_zh}不能超过 {limit} 个字", f"{what_en}: at most {limit} characters")
    return value


def _movement(s: Session, voucher: StockVoucher, counter: Counter, actor: Actor, kind: str,
              item: str, quantity: int) -> None:
    shift = open_shift_at(s, counter.id)
    s.add(StockMovement(uid=new_uid(), shift_id=shift.id if shift else None, order_id=None,
                        business_date=voucher.business_date, counter_id=counter.id,
                        staff_id=actor.staff_id, channel="counter", kind=kind, item=item,
                        quantity=quantity, voucher_id=voucher.id, at=voucher.at))


def receive(db: Database, actor: Actor, items: dict[str, int], *, supplier: str,
            counter: str | None = None, note: str = "") -> VoucherInfo:
    """Stock into `counter` (default: the actor's) from outside the hall; `supplier` says
    where it came from (the delivery note)."""
    require(db, actor, Permission.STOCK_RECEIVE)
    items = checked_items(items)
    supplier = _text(supplier, MAX_SUPPLIER, "供货方说明", "supplier")
    if not supplier:
        raise DayError("请填写供货方说明（来源、出库单号）", "say where the stock came from")
    note = _text(note, MAX_NOTE, "备注", "note")
    now = db.clock.now()
    with db.session() as s:
        to = _counter(s, actor, counter)
        day = local_today(s, actor.hall_id, now)
        ensure_day_open(s, actor.hall_id, day)
        voucher = StockVoucher(uid=new_uid(), hall_id=actor.hall_id, kind="receipt",
                               business_date=day, to_counter_id=to.id, staff_id=actor.staff_id,
                               authorized_by=actor.authorized_by, supplier=supplier, note=note,
                               at=now)
        s.add(voucher)
        s.flush()
        for item, quantity in items.items():
            _movement(s, voucher, to, actor, "receipt", item, -quantity)
        audit.record(s, "stock.receive", actor=actor.staff_no, actor_staff_id=actor.staff_id,
                     counter=actor.counter_code, target=f"stock_voucher:{voucher.uid}",
                     authorized_by=actor.authorized_by,
                     data={"to": to.code, "items": items, "supplier": supplier})
        return VoucherInfo(voucher.uid, "receipt", day, None, to.code, items, supplier, note,
                           actor.staff_no, now)


def transfer(db: Database, actor: Actor, from_counter: str, to_counter: str,
             items: dict[str, int], *, note: str = "") -> VoucherInfo:
    """Stock from one counter of the hall to another; never more than the sender has."""
    require(db, actor, Permission.STOCK_TRANSFER)
    items = checked_items(items)
    note = _text(note, MAX_NOTE, "备注", "note")
    now = db.clock.now()
    with db.session() as s:
        src, dst = _counter(s, actor, from_counter), _counter(s, actor, to_counter)
        if src.id == dst.id:
            raise DayError("调出和调入柜台不能相同", "the two counters must differ")
        day = local_today(s, actor.hall_id, now)
        ensure_day_open(s, actor.hall_id, day)
        require_on_hand(s, src.id, items, transfer=True)
        voucher = StockVoucher(uid=new_uid(), hall_id=actor.hall_id, kind="transfer",
                               business_date=day, from_counter_id=src.id, to_counter_id=dst.id,
                               staff_id=actor.staff_id, authorized_by=actor.authorized_by,
                               note=note, at=now)
        s.add(voucher)
        s.flush()
        for item, quantity in items.items():
            _movement(s, voucher, src, actor, "transfer_out", item, quantity)
            _movement(s, voucher, dst, actor, "transfer_in", item, -quantity)
        audit.record(s, "stock.transfer", actor=actor.staff_no, actor_staff_id=actor.staff_id,
                     counter=actor.counter_code, target=f"stock_voucher:{voucher.uid}",
                     authorized_by=actor.authorized_by,
                     data={"from": src.code, "to": dst.code, "items": items})
        return VoucherInfo(voucher.uid, "transfer", day, src.code, dst.code, items, None, note,
                           actor.staff_no, now)


def stock_view(db: Database, actor: Actor, day: date | None = None) -> StockView:
    """On hand at every counter of the hall and the vouchers of the business date (default
    today). Counts of stock are no personal data: any staff member may look."""
    with db.read() as s:
        day = day or local_today(s, actor.hall_id)
        counters = s.execute(select(Counter).where(Counter.hall_id == actor.hall_id,
                                                   Counter.batch.is_(False))
                             .order_by(Counter.code)).scalars().all()
        codes = {c.id: c.code for c in counters}
        view = [CounterStock(c.code, c.name or c.code, open_shift_at(s, c.id) is not None,
                             on_hand(s, c.id)) for c in counters]
        vouchers = s.execute(select(StockVoucher).where(
            StockVoucher.hall_id == actor.hall_id, StockVoucher.business_date == day)
            .order_by(StockVoucher.at.desc(), StockVoucher.id.desc())).scalars().all()
        staff = dict(s.execute(select(Staff.id, Staff.staff_no)).all())
        infos = []
        for v in vouchers:
            rows = s.execute(select(StockMovement.item, StockMovement.quantity).where(
                StockMovement.voucher_id == v.id, StockMovement.counter_id == v.to_counter_id)
                .order_by(StockMovement.id)).all()
            infos.append(VoucherInfo(
                v.uid, v.kind, v.business_date, codes.get(v.from_counter_id or -1),
                codes.get(v.to_counter_id, "?"), {item: -q for item, q in rows}, v.supplier,
                v.note, staff.get(v.staff_id or -1, "?"), v.at))
        return StockView(view, infos, stock_items())
