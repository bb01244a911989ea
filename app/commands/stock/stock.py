"""`counter stock receive|transfer|show`: the counters' stock from the command line.

    counter stock receive --counter C01 --item sim_card=100 --item value_card:5000=50 \\
        --supplier "市公司物流中心 出库单 1122-07" [--note TEXT]
    counter stock transfer --from C01 --to C02 --item gift:cooking_oil_5l=5 [--note TEXT]
    counter stock show [--json]

Items by code: `sim_card`, `invoice`, `value_card:<face in fen>`, `gift:<gift code>`
(`counter stock show` lists them). Receipts and transfers need a supervisor's (or manager's)
own account, `show` any active staff account: the staff number and password come from
`COUNTER_STAFF` / `COUNTER_STAFF_PASSWORD` or are asked on a terminal. A refusal (unknown
item, not enough at the sending counter) is one line and exit status 2; wrong credentials
exit 1, as do problems of the machine.
"""

from __future__ import annotations

import argparse
import json
from typing import Any


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("stock", help="receive stock, transfer it between counters, show it")
    actions = p.add_subparsers(dest="stock_action", metavar="ACTION", required=True)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", help="database URL (default: SQLite in the user's data folder)")
    common.add_argument("--staff", help="staff number (default: COUNTER_STAFF, or asked); the "
                                        "password: COUNTER_STAFF_PASSWORD, or asked")
    common.add_argument("--at", default="C01", metavar="COUNTER",
                        help="the counter the staff member logs in at (default C01)")
    items = argparse.ArgumentParser(add_help=False)
    items.add_argument("--item", action="append", required=True, metavar="ITEM=N",
                       help="an item code and a quantity, e.g. sim_card=100 (repeatable)")
    items.add_argument("--note", default="", help="a note kept with the voucher")

    rec = actions.add_parser("receive", parents=[common, items],
                             help="stock into a counter (入库), with the supplier's note")
    rec.add_argument("--counter", help="the receiving counter (default: --at)")
    rec.add_argument("--supplier", required=True,
                     help="where the stock came from (supplier, delivery note number)")
    rec.set_defaults(handler=run_receive)
    tra = actions.add_parser("transfer", parents=[common, items],
                             help="stock from one counter to another (调拨)")
    tra.add_argument("--from", dest="source", required=True, metavar="COUNTER")
    tra.add_argument("--to", dest="target", required=True, metavar="COUNTER")
    tra.set_defaults(handler=run_transfer)
    show = actions.add_parser("show", parents=[common],
                              help="on hand per counter and today's receipts and transfers")
    show.add_argument("--json", action="store_true", help="one JSON object instead of a table")
    show.set_defaults(handler=run_show)


def _items(raw: list[str]) -> dict[str, int]:
    """ITEM=N pairs, checked before anything is opened (bad input: exit 2)."""
    from app.cli import EXIT_BAD_INPUT, CliError
    from app.services.day.errors import DayError
    from app.services.stock.vouchers import checked_items

    out: dict[str, int] = {}
    for pair in raw:
        item, sep, number = pair.partition("=")
        if not sep or not number.strip().lstrip("-").isdigit():
            raise CliError(f"--item 应为 物品=数量，例如 sim_card=100 / --item expects ITEM=N: "
                           f"{pair}", EXIT_BAD_INPUT)
        out[item.strip()] = out.get(item.strip(), 0) + int(number)
    try:
        return checked_items(out)
    except DayError as exc:
        raise CliError(f"{exc.zh} / {exc.en}", EXIT_BAD_INPUT) from None


def _acting(args: argparse.Namespace) -> tuple[Any, Any]:
    from app.commands.credentials import supervisor_credentials
    from app.db import open_database
    from app.services.staff.auth import login

    who = supervisor_credentials(args.staff)
    db = open_database(args.db, must_exist=True)
    try:
        return db, login(db, who.staff_no, who.password, args.at)
    except BaseException:
        db.dispose()
        raise


def _refusals(run: Any) -> Any:
    from app.cli import EXIT_BAD_INPUT, CliError
    from app.services.day.errors import DayError

    try:
        return run()
    except DayError as exc:  # a refusal of the request, not of the machine
        raise CliError(f"{exc.zh} / {exc.en}", EXIT_BAD_INPUT) from None


def _print_voucher(v: Any) -> None:
    from app.services.day.items import describe_quantity, item_label

    what = "入库 / receipt" if v.kind == "receipt" else "调拨 / transfer"
    where = v.to_counter if v.kind == "receipt" else f"{v.from_counter} -> {v.to_counter}"
    print(f"{what} {where} ({v.business_date.isoformat()}, {v.staff_no})"
          + (f" 供货方 / supplier: {v.supplier}" if v.supplier else ""))
    for item, quantity in v.items.items():
        print(f"  {item_label(item)} [{item}]: {describe_quantity(item, quantity)}")


def run_receive(args: argparse.Namespace) -> int:
    from app.services.stock.vouchers import receive

    items = _items(args.item)
    db, actor = _acting(args)
    try:
        _print_voucher(_refusals(lambda: receive(db, actor, items, supplier=args.supplier,
                                                 counter=args.counter or args.at,
                                                 note=args.note)))
    finally:
        db.dispose()
    return 0


def run_transfer(args: argparse.Namespace) -> int:
    from app.services.stock.vouchers import transfer

    items = _items(args.item)
    db, actor = _acting(args)
    try:
        _print_voucher(_refusals(lambda: transfer(db, actor, args.source, args.target, items,
                                                  note=args.note)))
    finally:
        db.dispose()
    return 0


def run_show(args: argparse.Namespace) -> int:
    from app.services.day.items import describe_quantity, item_label
    from app.services.stock.vouchers import stock_view

    db, actor = _acting(args)
    try:
        view = stock_view(db, actor)
    finally:
        db.dispose()
    if args.json:
        print(json.dumps({
            "counters": [{"counter": c.code, "shift_open": c.shift_open,
                          "on_hand": {i: c.on_hand.get(i, 0) for i in view.items}}
                         for c in view.counters],
            "vouchers": [{"kind": v.kind, "from": v.from_counter, "to": v.to_counter,
                          "items": v.items, "supplier": v.supplier, "note": v.note,
                          "staff": v.staff_no, "at": v.at.isoformat()} for v in view.vouchers],
        }, ensure_ascii=False))
        return 0
    for c in view.counters:
        state = "班次中 / shift open" if c.shift_open else "未开班（下次开班应点到）/ closed"
        print(f"{c.code} {c.name}  {state}")
        for item in view.items:
            print(f"  {item_label(item)} [{item}]: "
                  f"{describe_quantity(item, c.on_hand.get(item, 0))}")
    for v in view.vouchers:
        _print_voucher(v)
    return 0
