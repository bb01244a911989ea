"""What a clerk counted, from the options of `counter day shift open|close` (declared in
`day.py`), checked before anything is opened (bad input: exit 2).

    --count sim_card=50 --count gift:rice_5kg=5 --count invoice=100   stock items by code
    --cash 100=5 --cash 0.5=4                                         pieces per note or coin
    --invoices 00010001-00010100                                      the blank invoices' numbers
    --money mobile_pay=139.00                                         a settlement slip's total
    --explain money:cash=找零少收                                      why an item differs
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import TYPE_CHECKING

from app.core import domain
from app.core.money import MoneyError, yuan_to_fen

if TYPE_CHECKING:
    from app.services.day.counts import Counts


def _bad(message: str) -> Exception:
    from app.cli import EXIT_BAD_INPUT, CliError

    return CliError(message, EXIT_BAD_INPUT)


def _pairs(raw: Sequence[str], option: str, example: str) -> list[tuple[str, str]]:
    out = []
    for pair in raw:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise _bad(f"{option} 应为 {example} / {option} expects {example}: {pair}")
        out.append((key.strip(), value.strip()))
    return out


def _stock(raw: Sequence[str]) -> dict[str, int]:
    from app.services.day.items import stock_items

    known = set(stock_items())
    out: dict[str, int] = {}
    for item, number in _pairs(raw, "--count", "物品=数量 / ITEM=N"):
        if item not in known:
            raise _bad(f"未知的清点项目 / unknown item: {item}（可用 / known: "
                       f"{', '.join(stock_items())}）")
        if not number.isdigit():
            raise _bad(f"--count {item}: 数量应为不小于0的整数 / a whole number >= 0: {number}")
        out[item] = out.get(item, 0) + int(number)
    return out


def _fen(text: str, what: str) -> int:
    try:
        return yuan_to_fen(text)
    except MoneyError:
        raise _bad(f"{what}: 金额应为元，最多两位小数 / an amount in yuan: {text}") from None


def _cash(raw: Sequence[str]) -> dict[int, int]:
    from app.services.day.items import DENOMINATIONS_FEN

    out: dict[int, int] = {}
    for yuan, pieces in _pairs(raw, "--cash", "面额=张数 / YUAN=PIECES"):
        denomination = _fen(yuan, "--cash")
        if denomination not in DENOMINATIONS_FEN:
            shown = ", ".join(f"{d / 100:g}" for d in DENOMINATIONS_FEN)
            raise _bad(f"--cash: 不支持的面额 / unknown denomination {yuan}（{shown}）")
        if not pieces.isdigit():
            raise _bad(f"--cash {yuan}: 张数应为不小于0的整数 / a whole number >= 0: {pieces}")
        out[denomination] = out.get(denomination, 0) + int(pieces)
    return out


def _money(raw: Sequence[str]) -> dict[str, int]:
    methods = [m for m in domain.PAYMENT_METHODS if m != "cash"]
    out: dict[str, int] = {}
    for method, yuan in _pairs(raw, "--money", "方式=金额 / METHOD=YUAN"):
        if method not in methods:
            raise _bad(f"--money: 未知的结算方式 / unknown method {method}（{', '.join(methods)}）")
        out[method] = out.get(method, 0) + _fen(yuan, f"--money {method}")
    return out


def counts_of(args: argparse.Namespace) -> Counts:
    from app.services.day.counts import Counts

    first = last = None
    if args.invoices:
        first, sep, last = (part.strip() for part in args.invoices.partition("-"))
        if not sep or not first or not last:
            raise _bad(f"--invoices 应为 起始号-终止号 / FIRST-LAST: {args.invoices}")
    return Counts(stock=_stock(args.count), cash=_cash(args.cash), invoice_first=first,
                  invoice_last=last, money=_money(getattr(args, "money", [])))


def explanations_of(args: argparse.Namespace) -> dict[str, str]:
    """ITEM=TEXT, by the item codes `counter day shift preview` prints (`cash` for
    `money:cash`, a payment method for its slips)."""
    from app.services.day.items import money_item, stock_items

    methods = set(domain.PAYMENT_METHODS)
    known = set(stock_items()) | {money_item(m) for m in methods}
    out: dict[str, str] = {}
    for item, text in _pairs(args.explain, "--explain", "物品=说明 / ITEM=TEXT"):
        code = money_item(item) if item in methods else item
        if code not in known:
            raise _bad(f"--explain: 未知的项目 / unknown item: {item}")
        out[code] = text
    return out
