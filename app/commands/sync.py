"""`counter sync --db URL --server postgresql+psycopg://...`: push this workstation's records
to the hall's server and pull the customers and lines changed elsewhere."""

from __future__ import annotations

import argparse
import os
import sys
import time


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("sync", help="sync this workstation with the hall's PostgreSQL server")
    p.add_argument("--db", help="workstation database URL (default: SQLite in the data folder)")
    p.add_argument("--server", default=os.environ.get("COUNTER_SYNC_SERVER"),
                   help="server URL, postgresql+psycopg://user@host/db (env COUNTER_SYNC_SERVER);"
                        " the password comes from COUNTER_SYNC_PASSWORD or the OS keyring")
    p.add_argument("--origin", help="this workstation's name on the server (set once)")
    p.add_argument("--retries", type=int, default=3,
                   help="retries while the server cannot be reached (default 3)")
    p.add_argument("--watch", type=float, metavar="SECONDS",
                   help="keep syncing every SECONDS until interrupted")
    p.add_argument("--batch", type=int, default=None, metavar="ROWS",
                   help="changes per server transaction (default 20000; smaller on a slow link)")
    p.add_argument("--status", action="store_true", help="show the last sync status and exit")
    p.add_argument("--set-password", action="store_true",
                   help="ask for the server password and keep it in the OS keyring")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from app.cli import EXIT_BAD_INPUT, CliError
    from app.db import open_database
    from app.services.sync.credentials import store_server_password
    from app.services.sync.errors import SyncError, SyncUnavailable
    from app.services.sync.run import PUSH_ROWS, backoff_delay, run_sync, sync_with_retry
    from app.services.sync.state import read_status

    if not args.server and not args.status:
        raise CliError("请用 --server 指定同步服务器 / give the server with --server",
                       EXIT_BAD_INPUT)
    try:
        if args.set_password:
            import getpass

            store_server_password(args.server, getpass.getpass("服务器密码 / server password: "))
            print("密码已保存到系统密钥环 / password kept in the OS keyring")
            return 0
        batch = args.batch or PUSH_ROWS
        db = open_database(args.db)
        try:
            if args.status:
                st = read_status(db)
                print(f"server: {st.server or '-'}\nlast success: {st.last_success or '-'}\n"
                      f"waiting: {st.waiting}\nissues: {st.issues}\n"
                      f"last error: {st.last_error or '-'}")
                return 0
            if args.watch:
                failures = 0
                while True:
                    try:
                        report = run_sync(db, args.server, origin=args.origin,
                                          push_rows=batch)
                        print(report.describe(), flush=True)
                        failures, pause = 0, args.watch
                    except SyncUnavailable as exc:
                        failures += 1
                        pause = max(args.watch, backoff_delay(failures))
                        print(f"counter: {exc}", file=sys.stderr, flush=True)
                    time.sleep(pause)

            def tell(exc: SyncUnavailable, delay: float) -> None:
                print(f"counter: {exc}; {delay:.0f} 秒后重试 / retrying in {delay:.0f} s",
                      file=sys.stderr, flush=True)

            report = sync_with_retry(db, args.server, attempts=max(1, args.retries + 1),
                                     origin=args.origin, on_retry=tell, push_rows=batch)
        finally:
            db.dispose()
    except SyncError as exc:
        raise CliError(str(exc)) from None
    print(report.describe())
    for issue in report.issues[:20]:
        print(f"  ! {issue.kind} {issue.ref}: {issue.message}")
    return 0
