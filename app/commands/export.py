"""`counter export --db URL --from DATE --to DATE --format csv|xlsx|jsonl --out DIR`
[--unmasked --staff S001 --reason TEXT]: orders, intake log, follow-ups, shifts, complaints and
the audit trail of a date range, masked unless a supervisor asks otherwise with a reason."""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date
from pathlib import Path


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期格式应为 YYYY-MM-DD / expected YYYY-MM-DD: {text}"
                                         ) from None


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("export", help="export a date range as CSV, XLSX or JSON Lines")
    p.add_argument("--db", help="database URL (default: SQLite in the user's data folder)")
    p.add_argument("--from", dest="date_from", type=_day, required=True, metavar="DATE")
    p.add_argument("--to", dest="date_to", type=_day, required=True, metavar="DATE")
    p.add_argument("--format", dest="fmt", choices=["csv", "xlsx", "jsonl"], default="csv")
    p.add_argument("--out", required=True, help="folder for the files and manifest.json")
    p.add_argument("--unmasked", action="store_true",
                   help="full names and ID numbers (supervisor, with --staff and --reason)")
    p.add_argument("--staff", help="staff number of the supervisor asking for it")
    p.add_argument("--reason", default="", help="why the unmasked data is needed (recorded)")
    p.add_argument("--counter", default="C01",
                   help="the counter the supervisor logs in at (default C01)")
    p.set_defaults(handler=run)


def staff_password(staff_no: str) -> str:
    """From COUNTER_STAFF_PASSWORD, or asked for on a terminal (never a command-line value)."""
    from app.cli import EXIT_BAD_INPUT, CliError

    password = os.environ.get("COUNTER_STAFF_PASSWORD")
    if password:
        return password
    if not sys.stdin.isatty():
        raise CliError("请在终端上运行以输入密码，或设置 COUNTER_STAFF_PASSWORD / run on a terminal "
                       "to type the password, or set COUNTER_STAFF_PASSWORD", EXIT_BAD_INPUT)
    import getpass

    return getpass.getpass(f"{staff_no} 的密码 / password: ")


def run(args: argparse.Namespace) -> int:
    from app.cli import EXIT_BAD_INPUT, CliError
    from app.db import open_database
    from app.security import PermissionDenied
    from app.services.exchange.export import ExportError, ExportRequest, export_data
    from app.services.hall.registry import batch_actor
    from app.services.staff.auth import AuthError, login

    if args.unmasked and not args.staff:
        raise CliError("导出未脱敏数据需要 --staff（值班长工号）和 --reason / --unmasked needs "
                       "--staff and --reason", EXIT_BAD_INPUT)
    db = open_database(args.db)
    try:
        if args.staff:
            actor = login(db, args.staff, staff_password(args.staff), args.counter)
        else:
            actor = batch_actor(db)
        req = ExportRequest(args.date_from, args.date_to, args.fmt, Path(args.out),
                            masked=not args.unmasked, reason=args.reason)
        result = export_data(db, actor, req)
    except AuthError as exc:
        raise CliError(str(exc)) from None
    except PermissionDenied as exc:
        raise CliError(str(exc)) from None
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
