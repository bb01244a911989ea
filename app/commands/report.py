"""`counter report daily --date YYYY-MM-DD [--db URL] --out FILE.pdf`: the daily report."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("report", help="print the hall's reports as PDF")
    kinds = p.add_subparsers(dest="report", metavar="REPORT", required=True)
    daily = kinds.add_parser("daily", help="the daily report (营业日报) of one business date")
    daily.add_argument("--date", required=True, help="the business date, YYYY-MM-DD")
    daily.add_argument("--db", help="database URL (default: SQLite in the user's data folder)")
    daily.add_argument("--out", required=True, help="the PDF file to write")
    daily.set_defaults(handler=run_daily)


def _day(text: str) -> date:
    from app.cli import EXIT_BAD_INPUT, CliError
    from app.core.request import RequestError, parse_business_date

    try:
        return parse_business_date(text, "--date")
    except RequestError as exc:
        raise CliError(f"--date {exc.problem_zh} / --date {exc.problem}: {text}",
                       EXIT_BAD_INPUT) from None


def run_daily(args: argparse.Namespace) -> int:
    from app.db import open_database
    from app.printing import atomic_write, render_daily_report
    from app.services.day.reports import build_daily_report

    day = _day(args.date)
    out = Path(args.out)
    db = open_database(args.db)
    try:
        report = build_daily_report(db, day)
    finally:
        db.dispose()
    out.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(out, render_daily_report(report))
    orders = sum(c.orders for c in report.clerks)
    print(f"营业日报 / daily report {day.isoformat()}: {orders} orders -> {out}")
    return 0
