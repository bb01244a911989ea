"""What a clerk counts at opening and closing (stock, cash by denomination, settlement
slips), what the orders say should be there at closing, and the hall's tolerance for a
difference."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.core import domain
from app.models import Hall
from app.models.day import CashEntry, Shift, StockCount, StockMovement
from app.services.day.errors import DayError
from app.services.day.items import (
    DENOMINATIONS_FEN,
    INVOICE,
    cash_item,
    cash_total,
    denomination_of,
    is_cash,
    item_label,
    money_item,
    stock_items,
)

DEFAULT_CASH_TOLERANCE_FEN = 1000
DEFAULT_STOCK_TOLERANCE = 0
DEFAULT_OTHER_MONEY_TOLERANCE_FEN = 0


@dataclass(frozen=True)
class Counts:
    """What the clerk counted. Cash by denomination (fen -> pieces); stock items by code;
    at closing also the totals of the non-cash settlement slips (`money`: method -> fen)."""

    stock: dict[str, int] = field(default_factory=dict)
    cash: dict[int, int] = field(default_factory=dict)
    invoice_first: str | None = None
    invoice_last: str | None = None
    money: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Tolerance:
    cash_fen: int = DEFAULT_CASH_TOLERANCE_FEN
    stock: int = DEFAULT_STOCK_TOLERANCE
    other_money_fen: int = DEFAULT_OTHER_MONEY_TOLERANCE_FEN
    items: dict[str, int] = field(default_factory=dict)

    def of(self, item: str) -> int:
        if item in self.items:
            return self.items[item]
        if item == money_item("cash"):
            return self.cash_fen
        if item.startswith("money:"):
            return self.other_money_fen
        return self.stock


@dataclass(frozen=True)
class ExpectedLine:
    item: str
    money: bool
    opening: int
    used: int  # stock used, or money taken (net) for a money line
    expected: int
    tolerance: int
    received: int = 0  # stock received or transferred in during the shift
    sent: int = 0  # stock transferred out to another counter

    @property
    def label(self) -> str:
        return item_label(self.item)


@dataclass(frozen=True)
class CloseLine:
    item: str
    money: bool
    expected: int
    counted: int
    tolerance: int
    explanation: str = ""

    @property
    def difference(self) -> int:
        return self.counted - self.expected

    @property
    def beyond_tolerance(self) -> bool:
        return abs(self.difference) > self.tolerance

    @property
    def label(self) -> str:
        return item_label(self.item)


def tolerances(raw: Any) -> Tolerance:
    """The hall's `difference_tolerance_fen` setting: an int (the cash tolerance) or a table
    {"cash": 1000, "stock": 0, "money": 0, "<item code>": n}."""
    if raw is None:
        return Tolerance()
    if isinstance(raw, bool) or not isinstance(raw, int | dict):
        raise DayError("营业厅设置 difference_tolerance_fen 应为整数或表",
                       "difference_tolerance_fen must be an integer or a table")
    if isinstance(raw, int):
        return Tolerance(cash_fen=_non_negative(raw, "difference_tolerance_fen"))
    items = {k: _non_negative(v, f"difference_tolerance_fen.{k}") for k, v in raw.items()
             if k not in ("cash", "stock", "money")}
    return Tolerance(
        cash_fen=_non_negative(raw.get("cash", DEFAULT_CASH_TOLERANCE_FEN),
                               "difference_tolerance_fen.cash"),
        stock=_non_negative(raw.get("stock", DEFAULT_STOCK_TOLERANCE),
                            "difference_tolerance_fen.stock"),
        other_money_fen=_non_negative(raw.get("money", DEFAULT_OTHER_MONEY_TOLERANCE_FEN),
                                      "difference_tolerance_fen.money"),
        items=items)


def _non_negative(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise DayError(f"营业厅设置 {name} 应为不小于0的整数", f"{name} must be an integer >= 0")
    return value


def hall_tolerance(session: Session, hall_id: int) -> Tolerance:
    hall = session.get(Hall, hall_id)
    return tolerances((hall.config or {}).get("difference_tolerance_fen") if hall else None)


def check_counts(counts: Counts, known: set[str]) -> None:
    """Whole, non-negative numbers of known items; invoice numbers that agree with the count."""
    for item, quantity in counts.stock.items():
        if item not in known:
            raise DayError(f"未知的清点项目：{item}", f"unknown item {item}")
        if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 0:
            raise DayError(f"{item_label(item)}的数量应为不小于0的整数",
                           f"{item}: a whole number >= 0")
    for denomination, pieces in counts.cash.items():
        if denomination not in DENOMINATIONS_FEN:
            raise DayError(f"不支持的面额：{denomination} 分", f"unknown denomination {denomination}")
        if isinstance(pieces, bool) or not isinstance(pieces, int) or pieces < 0:
            raise DayError(f"现金 {item_label(cash_item(denomination))} 的张数应为不小于0的整数",
                           "cash pieces: a whole number >= 0")
    for method, amount in counts.money.items():
        if method not in domain.PAYMENT_METHODS or method == "cash":
            raise DayError(f"未知的结算方式：{method}", f"unknown payment method {method}")
        if isinstance(amount, bool) or not isinstance(amount, int):
            raise DayError(f"{item_label(money_item(method))}结算金额应为整数（分）",
                           "settlement totals are whole fen")
    invoices = counts.stock.get(INVOICE, 0)
    first, last = (counts.invoice_first or "").strip(), (counts.invoice_last or "").strip()
    if invoices and not (first and last):
        raise DayError("请填写空白发票的起止号码", "enter the first and last blank invoice numbers")
    if first and last and first.isdigit() and last.isdigit():
        span = int(last) - int(first) + 1
        if span != invoices:
            raise DayError(f"发票起止号码 {first}–{last} 共 {max(span, 0)} 份，与清点数量 "
                           f"{invoices} 份不符", "the invoice number range does not match the count")


def known_items(session: Session) -> set[str]:
    return set(stock_items())  # the catalog's gifts may change; counts follow it


def expected_at_close(s: Session, shift: Shift) -> tuple[list[ExpectedLine], str | None]:
    """What the clerk should find at closing: opening less what the orders used, plus what
    was received or transferred in, less what was transferred out; money taken; and the next
    blank invoice number, if they are numbered."""
    tol = hall_tolerance(s, shift.hall_id)
    opening: dict[str, int] = {}
    cash_open = 0
    invoice_first: str | None = None
    for row in s.execute(select(StockCount).where(StockCount.shift_id == shift.id,
                                                  StockCount.phase == "open")).scalars():
        if is_cash(row.item):
            cash_open += denomination_of(row.item) * row.quantity
        else:
            opening[row.item] = row.quantity
            if row.item == INVOICE:
                invoice_first = row.first_no
    moved: dict[str, dict[str, int]] = {"use": {}, "in": {}, "out": {}}
    for kind, item, quantity in s.execute(
            select(StockMovement.kind, StockMovement.item, func.sum(StockMovement.quantity))
            .where(StockMovement.shift_id == shift.id, StockMovement.counter_id == shift.counter_id)
            .group_by(StockMovement.kind, StockMovement.item)).all():
        # receipts and transfers in are stored negative (stock in): shown as positive counts
        side = {"receipt": "in", "transfer_in": "in", "transfer_out": "out"}.get(kind, "use")
        sign = -1 if side == "in" else 1
        moved[side][item] = moved[side].get(item, 0) + sign * int(quantity or 0)
    used, received, sent = moved["use"], moved["in"], moved["out"]
    money = dict(s.execute(select(CashEntry.method, func.sum(CashEntry.amount_fen)).where(
        CashEntry.shift_id == shift.id).group_by(CashEntry.method)).all())
    order = {item: i for i, item in enumerate(stock_items())}
    items = sorted(set(opening) | set(used) | set(received) | set(sent),
                   key=lambda it: (order.get(it, len(order)), it))
    lines = [ExpectedLine(item, False, opening.get(item, 0), used.get(item, 0),
                          opening.get(item, 0) - used.get(item, 0) + received.get(item, 0)
                          - sent.get(item, 0), tol.of(item), received.get(item, 0),
                          sent.get(item, 0))
             for item in items]
    cash_in = int(money.pop("cash", 0) or 0)
    lines.append(ExpectedLine(money_item("cash"), True, cash_open, cash_in, cash_open + cash_in,
                              tol.of(money_item("cash"))))
    for method in sorted(money, key=lambda m: domain.PAYMENT_METHODS.index(m)
                         if m in domain.PAYMENT_METHODS else 99):
        net = int(money[method] or 0)
        lines.append(ExpectedLine(money_item(method), True, 0, net, net,
                                  tol.of(money_item(method))))
    next_invoice = None
    if invoice_first and invoice_first.isdigit():
        width = len(invoice_first)
        next_invoice = str(int(invoice_first) + used.get(INVOICE, 0)).zfill(width)
    return lines, next_invoice


def compare(expected: list[ExpectedLine], counts: Counts,
            explanations: dict[str, str]) -> list[CloseLine]:
    """Counted against expected for every line; an item left out of `counts` is refused."""
    out: list[CloseLine] = []
    missing: list[str] = []
    for line in expected:
        if line.item == money_item("cash"):
            counted: int | None = cash_total(counts.cash)
        elif line.money:
            counted = counts.money.get(line.item.split(":", 1)[1])
        else:
            counted = counts.stock.get(line.item)
        if counted is None:
            missing.append(line.label)
            continue
        out.append(CloseLine(line.item, line.money, line.expected, counted, line.tolerance,
                             (explanations.get(line.item) or "").strip()))
    if missing:
        raise DayError(f"请清点并填写：{'、'.join(missing)}", "count every item")
    return out
