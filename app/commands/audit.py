"""`counter audit verify [--db URL] [--anchor SEQ:HASH ...]`: check the audit chain.

Exit 0 when the chain holds; 1 naming the first broken event (seq, action, time).
"""

from __future__ import annotations

import argparse

from app.cli import EXIT_FAIL, CliError


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("audit", help="check the tamper-evident audit log")
    acts = p.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    v = acts.add_parser("verify", help="verify the audit hash chain")
    v.add_argument("--db", help="database URL (default: SQLite in the user's data folder)")
    v.add_argument("--anchor", action="append", default=[], metavar="SEQ:HASH",
                   help="a head recorded earlier (e.g. on the day's sign-off); repeatable")
    v.set_defaults(handler=run_verify)


def run_verify(args: argparse.Namespace) -> int:
    from app.db import open_database
    from app.services.audit.verify import parse_anchor, verify_audit

    anchors: dict[int, str] = {}
    for text in args.anchor:
        try:
            seq, digest = parse_anchor(text)
        except ValueError as exc:
            raise CliError(str(exc), 2) from None
        anchors[seq] = digest
    # Never create or migrate the database being checked: look at it as it is.
    db = open_database(args.db, migrate=False, must_exist=True)
    try:
        report = verify_audit(db, anchors=anchors)
    finally:
        db.dispose()
    print(report.describe())
    return 0 if report.ok else EXIT_FAIL
