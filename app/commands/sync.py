"""`counter sync --db URL --server postgresql+psycopg://...`: push this workstation's records
to the hall's server and pull the customers and lines changed elsewhere.

Exit status 0 only when everything waiting went up: a sync refused by the server (another
workstation holds this one's order-number prefix) or one that left orders behind exits 1,
with the orders still waiting here. `--status` says what the last sync did (with `--server`, the hall's claims
too); `--batch-id` gives this workstation its own prefix for `counter process`; `--release`
retires another workstation (exit 1 when refused: it still held orders and no `--force`).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from datetime import datetime

    from app.db import Database


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("sync", help="sync this workstation with the hall's PostgreSQL server")
    p.add_argument("--db", help="workstation database URL (default: SQLite in the data folder)")
    p.add_argument("--server", default=os.environ.get("COUNTER_SYNC_SERVER"),
                   help="server URL, postgresql+psycopg://user@host/db (env COUNTER_SYNC_SERVER);"
                        " the password comes from COUNTER_SYNC_PASSWORD, the OS keyring or the "
                        "key file (--set-password), never from the URL of a remote server")
    p.add_argument("--origin", help="this workstation's name on the server (set once)")
    p.add_argument("--batch-id", metavar="CODE",
                   help="this workstation's own batch intake id (B02, B03 ...): `counter "
                        "process` numbers its orders under it; kept in the workstation's "
                        "database")
    p.add_argument("--sslmode", choices=("verify-full", "require"),
                   help="TLS for a server that is not this machine (env COUNTER_SYNC_SSLMODE; "
                        "default verify-full)")
    p.add_argument("--ca-file", metavar="PEM",
                   help="the CA certificate the server's is checked against (env "
                        "COUNTER_SYNC_CA_FILE; default: the system's CAs)")
    p.add_argument("--retries", type=int, default=3,
                   help="retries while the server cannot be reached (default 3)")
    p.add_argument("--watch", type=float, metavar="SECONDS",
                   help="keep syncing every SECONDS until interrupted")
    p.add_argument("--batch", type=int, default=None, metavar="ROWS",
                   help="changes per server transaction (default 20000; smaller on a slow link)")
    p.add_argument("--status", action="store_true", help="show what the last sync did and exit")
    p.add_argument("--conflicts", action="store_true",
                   help="list the hall's line conflicts (as of this workstation's last sync)")
    p.add_argument("--resolve", metavar="CONFLICT_ID",
                   help="decide a line conflict on the server (a supervisor: COUNTER_STAFF / "
                        "COUNTER_STAFF_PASSWORD or asked), then sync; with --keep")
    p.add_argument("--keep", choices=("server", "other"),
                   help="with --resolve: keep the server's version, or apply the other order")
    p.add_argument("--note", default="", help="with --resolve: why (kept with the decision)")
    p.add_argument("--release", metavar="WORKSTATION",
                   help="retire another workstation (its id, 6+ characters of it, or an order "
                        "prefix or name it claims) on the server: frees its claims; an "
                        "administrator or manager (COUNTER_STAFF / COUNTER_STAFF_PASSWORD or "
                        "asked); with --reason")
    p.add_argument("--reason", default="", help="with --release: why (kept on the server)")
    p.add_argument("--force", action="store_true",
                   help="with --release: even though it still held orders (they are given up)")
    p.add_argument("--set-password", action="store_true",
                   help="ask for the server password and keep it in the OS keyring (or, "
                        "without a secure keyring, in the key file)")
    p.set_defaults(handler=run)


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{k} {v}" for k, v in sorted(counts.items()) if v) or "0"


def _age(seconds: float) -> str:
    minutes = int(seconds // 60)
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h {minutes} min"
    return f"{hours // 24} d {hours % 24} h"


def status_lines(db: Database) -> list[str]:
    """`--status`: who this workstation is, the last sync, what it moved, what waits."""
    from app.services.sync.identity import configured_batch_id, workstation_id
    from app.services.sync.state import get_origin, read_status

    st = read_status(db)
    now = db.clock.now()

    def when(t: datetime | None) -> str:
        return t.strftime("%Y-%m-%d %H:%M:%S %z") if t is not None else "-"

    oldest = "-"
    if st.oldest_unsynced is not None:
        oldest = f"{when(st.oldest_unsynced)} ({_age((now - st.oldest_unsynced).total_seconds())})"
    return [
        f"workstation: {workstation_id(db)}",
        f"origin: {get_origin(db, create=False) or '-'}",
        f"batch id: {configured_batch_id(db) or 'B01 (default)'}",
        f"server: {st.server or '-'}",
        f"last success: {when(st.last_success)}",
        f"last attempt: {when(st.last_attempt)}",
        f"pushed (last sync): {_counts(st.pushed)}",
        f"pulled (last sync): {_counts(st.pulled)}",
        f"refused orders (last sync): {st.refused}",
        f"waiting: {st.waiting}",
        f"oldest unsynced order: {oldest}",
        f"conflicts waiting: {st.conflicts}",
        f"issues: {st.issues}",
        f"last error: {st.last_error or '-'}",
    ]


def run(args: argparse.Namespace) -> int:
    from app.cli import EXIT_BAD_INPUT, EXIT_FAIL, CliError
    from app.db import open_database
    from app.services.sync.credentials import store_server_password
    from app.services.sync.errors import SyncError, SyncUnavailable
    from app.services.sync.identity import set_batch_id
    from app.services.sync.run import PUSH_ROWS, backoff_delay, run_sync, sync_with_retry

    if args.conflicts or args.resolve:
        return conflicts_command(args)
    if args.release:
        return release_command(args)
    if not args.server and not (args.status or args.batch_id):
        raise CliError("请用 --server 指定同步服务器 / give the server with --server",
                       EXIT_BAD_INPUT)
    tls = {"sslmode": args.sslmode, "ca_file": args.ca_file}
    try:
        if args.set_password:
            import getpass

            where = store_server_password(args.server,
                                          getpass.getpass("服务器密码 / server password: "))
            place = "系统密钥环 / the OS keyring" if where == "keyring" else \
                f"密钥文件 / the key file {where}"
            print(f"密码已保存到{place}")
            return 0
        batch = args.batch or PUSH_ROWS
        db = open_database(args.db)
        try:
            if args.batch_id:
                code = set_batch_id(db, args.batch_id)
                print(f"本工作站的批量编号 / this workstation's batch id: {code}")
                if not args.server:
                    return 0
            if args.status:
                print("\n".join(status_lines(db)))
                if args.server:
                    print("\n".join(claim_lines(db, args.server, tls)))
                return 0
            if args.watch:
                failures = 0
                while True:
                    try:
                        report = run_sync(db, args.server, origin=args.origin,
                                          push_rows=batch, **tls)
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
                                     origin=args.origin, on_retry=tell, push_rows=batch,
                                     **tls)
        finally:
            db.dispose()
    except SyncError as exc:
        raise CliError(str(exc)) from None
    print(report.describe())
    for issue in report.issues[:20]:
        print(f"  ! {issue.kind} {issue.ref}: {issue.message}")
    if report.refused:
        shown = ", ".join(report.refused[:5]) + (" ..." if len(report.refused) > 5 else "")
        print(f"counter: {len(report.refused)} 张订单未能同步，仍在本机等待，下次同步再试（{shown}） / "
              f"{len(report.refused)} orders were not synced; they wait here for the next sync",
              file=sys.stderr)
        return EXIT_FAIL
    return 0


def conflicts_command(args: argparse.Namespace) -> int:
    """`--conflicts` lists the hall's line conflicts; `--resolve ID --keep server|other` has
    a supervisor decide one on the server (checked in the core), then syncs."""
    from app.cli import EXIT_BAD_INPUT, CliError
    from app.db import open_database
    from app.services.sync.conflicts import all_conflicts, describe
    from app.services.sync.errors import SyncError

    if args.resolve and (not args.keep or not args.server):
        raise CliError("--resolve 需要 --keep server|other 和 --server / --resolve needs "
                       "--keep server|other and --server", EXIT_BAD_INPUT)
    if args.conflicts:
        db = open_database(args.db, must_exist=True)
        try:
            with db.read() as s:
                found = all_conflicts(s)
        finally:
            db.dispose()
        if not found:
            print("没有线路冲突 / no line conflicts")
        for v in found:
            print("\n".join(describe(v)))
        return 0
    from app.commands.credentials import supervisor_credentials
    from app.services.exchange.gate import DEFAULT_COUNTER, check_key
    from app.services.staff.auth import login
    from app.services.sync.conflicts.resolve import decide_and_sync

    who = supervisor_credentials()
    check_key()
    db = open_database(args.db, must_exist=True)
    try:
        actor = login(db, who.staff_no, who.password, DEFAULT_COUNTER)
        decided = decide_and_sync(db, args.server, args.resolve, args.keep, actor, args.note,
                                  sslmode=args.sslmode, ca_file=args.ca_file)
    except SyncError as exc:
        raise CliError(str(exc)) from None
    finally:
        db.dispose()
    print("\n".join(describe(decided.view)))
    print("已处理并同步 / decided and synced")
    return 0


def claim_lines(db: Database, server_url: str, tls: dict[str, str | None]) -> list[str]:
    """`--status --server`: the claims of this hall on the server, holder and last sync."""
    from app.services.hall.registry import get_hall
    from app.services.sync.errors import SyncUnavailable
    from app.services.sync.identity import hall_claims
    from app.services.sync.transport import open_server

    with db.read() as s:
        hall = get_hall(s)
    if hall is None:
        return ["claims: - (no hall yet)"]
    try:
        server = open_server(server_url, sslmode=tls["sslmode"], ca_file=tls["ca_file"])
        try:
            with server.engine.connect() as conn:
                claims = hall_claims(conn, hall.code)
        finally:
            server.dispose()
    except SyncUnavailable as exc:
        return [f"claims: - ({exc})"]
    out = [f"claims of hall {hall.code} on the server: {len(claims)}"]
    for kind, name, ws, origin, seen in claims:
        out.append(f"  {kind:<8} {name:<20} {ws[:8]}  {origin:<20} last sync "
                   f"{seen:%Y-%m-%d %H:%M} UTC")
    return out


def release_command(args: argparse.Namespace) -> int:
    """`--release WORKSTATION --reason WHY [--force]`: retire another workstation on the
    server (the right is checked in the core); exit 1 when refused (orders still waiting)."""
    from app.cli import EXIT_BAD_INPUT, CliError
    from app.db import open_database
    from app.services.sync.errors import SyncError

    if not args.server or not args.reason.strip():
        raise CliError("--release 需要 --server 和 --reason / --release needs --server and "
                       "--reason", EXIT_BAD_INPUT)
    from app.commands.credentials import supervisor_credentials
    from app.services.exchange.gate import DEFAULT_COUNTER, check_key
    from app.services.staff.auth import login
    from app.services.sync.hall.retire import describe, release_on

    who = supervisor_credentials()
    check_key()
    db = open_database(args.db, must_exist=True)
    try:
        actor = login(db, who.staff_no, who.password, DEFAULT_COUNTER)
        done = release_on(db, args.server, args.release, actor, args.reason, args.force,
                          sslmode=args.sslmode, ca_file=args.ca_file)
    except SyncError as exc:
        raise CliError(str(exc)) from None
    finally:
        db.dispose()
    print("\n".join(describe(done)))
    return 0
