"""`counter hall show [--json]` and `counter hall set KEY VALUE [--from YYYY-MM-DD]`: the
hall's settings with where each value comes from (the default file or the hall's own), and
changing one, checked, audited and in force at once (no restart).

KEY is a setting (`idle_lock_minutes`, `timezone`, `difference_tolerance_fen.cash`, ...),
`tariff.<item>` (an amount in yuan, from `--from`, default today: orders of earlier days keep
the old amount) or `counter.<CODE>` (a counter's name; a new code adds the counter).

A staff member's number and password come from `COUNTER_STAFF` / `COUNTER_STAFF_PASSWORD`,
or are asked on a terminal (`app.commands.credentials`). Showing needs a supervisor's rank;
changing, a hall manager or a system administrator (checked in the core). Bad input exits 2
with one line naming the key; wrong credentials or a refused role exit 1.
"""

from __future__ import annotations

import argparse
import json
from datetime import date


def _day(text: str) -> date:
    from app.core.request import RequestError, parse_business_date

    try:
        return parse_business_date(text, "--from")
    except RequestError as exc:
        raise argparse.ArgumentTypeError(f"{exc.problem_zh} / {exc.problem}: {text}") from None


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("hall", help="show or change the hall's settings, tariff and counters")
    verbs = p.add_subparsers(dest="verb", metavar="show|set", required=True)
    show = verbs.add_parser("show", help="every setting, where it comes from, the tariff and "
                                         "its history, the counters")
    show.add_argument("--json", action="store_true", help="one JSON document")
    change = verbs.add_parser("set", help="change a setting, a tariff amount or a counter")
    change.add_argument("key", metavar="KEY")
    change.add_argument("value", metavar="VALUE")
    change.add_argument("--from", dest="valid_from", type=_day, metavar="YYYY-MM-DD",
                        help="a tariff change applies from this business date (default today)")
    change.add_argument("--reason", default="", help="why (recorded in the audit trail)")
    for q in (show, change):
        q.add_argument("--db", help="database URL (default: SQLite in the user's data folder)")
        q.add_argument("--staff", help="staff number (default: COUNTER_STAFF, or asked); the "
                                       "password: COUNTER_STAFF_PASSWORD, or asked")
        q.add_argument("--counter", default="C01", help="counter to log in at (default C01)")
        q.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from app.cli import EXIT_BAD_INPUT, CliError
    from app.commands.credentials import supervisor_credentials
    from app.commands.hall.show import as_json, as_text, shown_after
    from app.db import open_database
    from app.services.exchange.gate import check_key
    from app.services.hall.settings import set_from_text, show_settings
    from app.services.hall.settings_keys import SettingsError
    from app.services.staff.auth import login

    who = supervisor_credentials(args.staff)
    check_key()  # the log-in and the change are audit events, signed with the hall's key
    db = open_database(args.db, must_exist=True)
    try:
        actor = login(db, who.staff_no, who.password, args.counter)
        if args.verb == "show":
            view = show_settings(db, actor)
            print(json.dumps(as_json(view), ensure_ascii=False, indent=1) if args.json
                  else as_text(view))
            return 0
        try:
            view = set_from_text(db, actor, args.key, args.value, valid_from=args.valid_from,
                                 reason=args.reason)
        except SettingsError as exc:
            raise CliError(str(exc), EXIT_BAD_INPUT) from None
    finally:
        db.dispose()
    print(f"已保存 / saved: {args.key} = {shown_after(view, args.key, args.value)}")
    return 0
