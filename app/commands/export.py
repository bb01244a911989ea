"""`counter export --db URL --from DATE --to DATE --format csv|xlsx|jsonl --out DIR`
[--unmasked --reason TEXT] [--staff S001]: orders, intake log, follow-ups, shifts, complaints
and the audit trail of a date range, masked unless the supervisor asks otherwise with a reason.

A supervisor's credentials are needed for every export (`app.commands.credentials`); the key
and the credentials are checked before anything is written (`app.services.exchange.gate`)."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path


def _day(text: str) -> date:
    from app.core.request import RequestError, parse_business_date

    try:
        return parse_business_date(text, "DATE")
    except RequestError as exc:
        raise argparse.ArgumentTypeError(f"{exc.problem_zh} / {exc.problem}: {text}") from None


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("export", help="export a date range as CSV, XLSX or JSON Lines")
    p.add_argument("--db", help="database URL (default: SQLite in the user's data folder)")
    p.add_argument("--from", dest="date_from", type=_day, required=True, metavar="DATE")
    p.add_argument("--to", dest="date_to", type=_day, required=True, metavar="DATE")
    p.add_argument("--format", dest="fmt", choices=["csv", "xlsx", "jsonl"], default="csv")
    p.add_argument("--out", required=True, help="folder for the files and manifest.json")
    p.add_argument("--unmasked", action="store_true",
                   help="full names, ID numbers and phone numbers (with --reason)")
    p.add_argument("--staff", help="the supervisor's staff number (default: COUNTER_STAFF, "
                                   "or asked); the password: COUNTER_STAFF_PASSWORD, or asked")
    p.add_argument("--reason", default="", help="why the unmasked data is needed (recorded)")
    p.add_argument("--counter", default="C01",
                   help="the counter the supervisor logs in at (default C01)")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from app.cli import EXIT_BAD_INPUT, CliError
    from app.commands.credentials import supervisor_credentials
    from app.db import open_database
    from app.services.exchange.errors import ExportError
    from app.services.exchange.export import ExportRequest, check_request, export_data
    from app.services.exchange.gate import check_key, supervisor_login

    req = ExportRequest(args.date_from, args.date_to, args.fmt, Path(args.out),
                        masked=not args.unmasked, reason=args.reason)
    try:
        check_request(req)
    except ExportError as exc:
        raise CliError(str(exc), EXIT_BAD_INPUT) from None
    # Nothing is opened or written before the credentials are there and the key opens.
    who = supervisor_credentials(args.staff)
    check_key(personal_data=args.unmasked)
    db = open_database(args.db, must_exist=True)
    try:
        actor = supervisor_login(db, who.staff_no, who.password, args.counter)
        result = export_data(db, actor, req)
    except ExportError as exc:
        raise CliError(str(exc), EXIT_BAD_INPUT) from None
    finally:
        db.dispose()
    kind = "已脱敏 / masked" if result.masked else "未脱敏 / UNMASKED"
    print(f"导出完成 / exported ({kind}) to {result.directory} in {result.seconds:.1f} s")
    for f in result.files:
        print(f"  {f.name}: {f.rows} rows, sha256 {f.sha256}")
    for dataset, why in result.skipped.items():
        print(f"  {dataset}: skipped ({why})")
    return 0
