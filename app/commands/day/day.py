"""`counter day shift open|preview|close`, `record`, `checklist`, `approve`, `signoff`: the
hall's day from the command line, on any database (`--db URL`), through the same services as
the counter window.

A clerk opens a shift at their counter after the opening checklist and counts, records the
customers' requests there, and closes it against what the orders used and took. The supervisor
then sees what must be settled, approves the shifts' differences with their own credentials and
signs the day off. Whoever acts gives their own staff number and password in `COUNTER_STAFF` /
`COUNTER_STAFF_PASSWORD` (or types them on a terminal); never as an option. Bad input exits 2
with one line naming the option; a refusal (wrong password, no right, the checklist not
settled) or a problem of the machine exits 1.
"""

from __future__ import annotations

import argparse
from datetime import date


def _day(text: str) -> date:
    from app.core.request import RequestError, parse_business_date

    try:
        return parse_business_date(text, "--date")
    except RequestError as exc:
        raise argparse.ArgumentTypeError(f"{exc.problem_zh} / {exc.problem}: {text}") from None


def _common(role: str) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(add_help=False)
    p.add_argument("--db", help="database URL (default: SQLite in the user's data folder)")
    p.add_argument("--staff", help=f"the {role}'s staff number (default: COUNTER_STAFF, or "
                                   "asked); the password: COUNTER_STAFF_PASSWORD, or asked")
    p.add_argument("--counter", default="C01", help="the counter to act at (default C01)")
    return p


def _counts(p: argparse.ArgumentParser, *, closing: bool) -> None:
    p.add_argument("--count", action="append", default=[], metavar="ITEM=N",
                   help="a stock item counted: sim_card, invoice, value_card:<fen>, "
                        "gift:<code> (repeatable)")
    p.add_argument("--cash", action="append", default=[], metavar="YUAN=PIECES",
                   help="notes or coins of one denomination, e.g. 100=5 or 0.5=4 (repeatable)")
    p.add_argument("--invoices", metavar="FIRST-LAST",
                   help="the first and last number of the blank invoices counted")
    if closing:
        p.add_argument("--money", action="append", default=[], metavar="METHOD=YUAN",
                       help="a settlement slip's total: card, mobile_pay, bank_transfer, other")
        p.add_argument("--explain", action="append", default=[], metavar="ITEM=TEXT",
                       help="why an item differs from what was expected (repeatable)")


def _shift(verbs: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    from app.commands.day import shift

    clerk = _common("clerk")
    p = verbs.add_parser("shift", help="a clerk's shift: open, what closing expects, close")
    actions = p.add_subparsers(dest="shift_action", metavar="open|preview|close", required=True)
    op = actions.add_parser("open", parents=[clerk], help="open the shift after the opening "
                            "checklist (三清三检) and counts")
    op.add_argument("--checked", action="store_true",
                    help="every item of the opening checklist was checked and passed, but "
                         "those named with --failed")
    op.add_argument("--failed", action="append", default=[], metavar="CHECK",
                    help="a checklist item that did not pass (repeatable; needs --note)")
    op.add_argument("--note", default="", help="what is wrong with the items that failed")
    _counts(op, closing=False)
    op.set_defaults(handler=shift.run_open)
    pv = actions.add_parser("preview", parents=[clerk],
                            help="what the closing count should find")
    pv.add_argument("--json", action="store_true", help="one JSON object")
    pv.set_defaults(handler=shift.run_preview)
    cl = actions.add_parser("close", parents=[clerk], help="close the shift with what was "
                            "counted; a difference beyond tolerance asks a supervisor "
                            "(COUNTER_SECOND_STAFF / COUNTER_SECOND_STAFF_PASSWORD)")
    _counts(cl, closing=True)
    cl.add_argument("--note", default="", help="the approving supervisor's note")
    cl.set_defaults(handler=shift.run_close)


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    from app.commands.day import record, signoff

    p = sub.add_parser("day", help="the hall's day: shifts, orders at a counter, the sign-off "
                                   "checklist, approvals, the sign-off",
                       description=__doc__.split("\n\n")[0])
    verbs = p.add_subparsers(dest="day_command", metavar="ACTION", required=True)
    _shift(verbs)
    rec = verbs.add_parser("record", parents=[_common("clerk")],
                           help="record requests (JSON, as `counter process` reads) at the "
                                "clerk's counter, in their open shift")
    rec.add_argument("request", help="a JSON file with one request or a list ('-' reads stdin)")
    rec.add_argument("--out", help="folder for the printed papers (PDF)")
    rec.add_argument("--lang", default="zh", choices=["zh", "en"], help="language of messages")
    rec.add_argument("--jsonl", action="store_true", help="one JSON line per outcome")
    rec.set_defaults(handler=record.run_record)
    supervisor = _common("supervisor")
    chk = verbs.add_parser("checklist", parents=[supervisor],
                           help="what must be settled before the day is signed off")
    chk.add_argument("--date", type=_day, metavar="YYYY-MM-DD", help="default: today")
    chk.add_argument("--json", action="store_true", help="one JSON object")
    chk.set_defaults(handler=signoff.run_checklist)
    apr = verbs.add_parser("approve", parents=[supervisor],
                           help="approve a closed shift's differences (your own credentials)")
    apr.add_argument("shift", type=int, metavar="SHIFT", help="the shift's number (checklist)")
    apr.add_argument("--note", required=True, help="what was checked (recorded)")
    apr.set_defaults(handler=signoff.run_approve)
    so = verbs.add_parser("signoff", parents=[supervisor], help="sign the day off (日结签核)")
    so.add_argument("--date", type=_day, metavar="YYYY-MM-DD", help="default: today")
    so.add_argument("--ack", action="append", default=[], metavar="KEY",
                    help="a warning of the checklist acknowledged (repeatable)")
    so.add_argument("--notes", default="", help="the sign-off's notes")
    so.set_defaults(handler=signoff.run_signoff)
