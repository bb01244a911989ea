"""`counter audit verify [--db URL] [--anchor SEQ:HASH ...] [--server URL]`: check the audit
chain and the business rows it seals.

Exit 0 when the chain and every sealed row hold; 1 naming the first broken event (seq, action,
time) and every order, line, customer or staff row changed, deleted or inserted past the
program. The chain's head is compared with the one kept in the key store and on the day
sign-offs without being asked; `--server` also asks the sync server for the head it received.
"""

from __future__ import annotations

import argparse

from app.cli import EXIT_FAIL, CliError


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("audit", help="check the tamper-evident audit log")
    acts = p.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    v = acts.add_parser("verify", help="verify the audit hash chain and the rows it seals")
    v.add_argument("--db", help="database URL (default: SQLite in the user's data folder)")
    v.add_argument("--anchor", action="append", default=[], metavar="SEQ:HASH",
                   help="a head recorded earlier (e.g. on the day's sign-off); repeatable")
    v.add_argument("--server", metavar="URL",
                   help="the sync server: compare with the head it received at the last push")
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
        server_head = None
        if args.server:
            from app.services.sync.run import server_audit_head

            server_head = server_audit_head(db, args.server)
        report = verify_audit(db, anchors=anchors, server_head=server_head)
    finally:
        db.dispose()
    print(report.describe())
    return 0 if report.ok else EXIT_FAIL
