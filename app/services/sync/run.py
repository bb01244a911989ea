"""Central sync: a workstation (SQLite) pushes what it recorded to the hall's server
(PostgreSQL, the same schema) and pulls the customers and lines changed elsewhere.

How it stays correct when anything fails at any moment:

* **Change capture by trigger** (`capture`): every change to a synced row adds a row to
  the local outbox in commit order; nothing depends on the code that made the change.
* **Push in batches, one server transaction each** (`push`): a batch is a run of outbox
  rows, applied parents first. The mark (the last outbox id pushed) is saved locally only
  *after* the server committed. Every server write is idempotent (stable keys `uid` and
  `order_no`; ``ON CONFLICT``), so a batch repeated after a crash changes nothing twice.
  One mark over the ordered outbox serves every table: it is the per-table high-water mark
  of all of them at once, and keeps parents before children across tables. The next batch
  is read from SQLite on a thread while one is on the server (`batch_input`).
* **Pull from the server's feed** (`pull`): customers and lines the server stored, in
  commit order; the rows and the new feed mark are stored in one local transaction.
* **Edits at two counters**: the higher `version` wins, ties by `updated_at`, then `origin`;
  both versions are kept in `line_history` / `customer_history`, on the server and locally.
* **Audit events** keep their own hash chain per workstation (`origin`) on the server, in
  `synced_audit_event`; they are never re-chained (`verify_origin_chain`).
* **Identity** (`identity`): before anything is pushed, the workstation claims on the server
  the order-number prefixes of its waiting orders and its origin; a name another workstation
  holds refuses the whole sync (`IdentityRefused`), so order numbers never collide.
* **Nothing silently left behind**: an order the server does not take goes back into the
  outbox (`requeue_refused_orders`) and the run reports it (`SyncReport.refused`).
* **Transport** (`transport`): TLS with the certificate checked for every host but this
  machine; the password never in a remote server's URL (`credentials`).
* **The server away**: the counter works on its own database as usual; a sync that cannot
  reach the server raises `SyncUnavailable` (a clear message), the status records it, and
  `sync_with_retry` / the GUI's timer try again with a growing pause.

The server's address and password: `credentials`; what the workstation keeps of its syncs (its
origin, marks, status, issues): `state`; telling an unreachable server from other failures:
`errors`.

All workstations and the server share the hall's personal-data key: encrypted ID fields are
copied as they are, never decrypted by sync. A person registered at two counters before either
synced stays two customer records (their uids differ); merging them is an administrator's task.
"""

from __future__ import annotations

import contextlib
import time
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Final

from sqlalchemy import delete, func, inspect, select
from sqlalchemy.orm import Session

from app.db import Database, open_database
from app.models import SyncOutbox
from app.services.hall.registry import ensure_hall
from app.services.sync.batch_input import BatchInput, outbox_counter, read_batch, read_in
from app.services.sync.capture import install_feed_triggers, install_outbox_triggers
from app.services.sync.conflicts.authority import take_server_lines
from app.services.sync.conflicts.pull import pull_conflicts
from app.services.sync.credentials import check_given_url, display_url, resolve_server_url
from app.services.sync.errors import (
    SyncError,
    SyncUnavailable,
    driver_error,
    server_unavailable,
    tls_failure,
)
from app.services.sync.hall import day_report
from app.services.sync.identity import claim, wanted_claims, workstation_id
from app.services.sync.pull import PullApply, read_feed
from app.services.sync.push import Issue, PushBatch, RunCache
from app.services.sync.state import (
    SyncStatus,
    get_origin,
    get_state,
    pending_changes,
    put_state,
    requeue_refused_orders,
    save_status,
    set_origin,
    store_issues,
)
from app.services.sync.tables import SYNC_ORDER, SyncedTable
from app.services.sync.transport import secure_url

PUSH_ROWS: Final = 20000  # outbox rows per push batch (one server transaction)
PULL_ROWS: Final = 2000  # feed rows per pull batch
TRANSIENT_TRIES: Final = 4  # a batch chosen as a deadlock victim is tried again

Check = Callable[[], None]  # raises to cancel (the GUI passes OpContext.check_cancelled)
Progress = Callable[[int, int], None]


# -- the sync ------------------------------------------------------------------------------------

@dataclass
class SyncReport:
    server: str
    origin: str
    pushed: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    pulled: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    batches: int = 0
    issues: list[Issue] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # order numbers the server did not take
    waiting: int = 0
    seconds: float = 0.0

    def describe(self) -> str:
        def fmt(counts: dict[str, int]) -> str:
            return ", ".join(f"{k} {v}" for k, v in counts.items() if v) or "0"

        text = (f"同步完成 / synced with {self.server} as {self.origin} in {self.seconds:.1f} s: "
                f"pushed {fmt(self.pushed)}; pulled {fmt(self.pulled)}")
        if self.issues:
            text += f"; {len(self.issues)} 个问题待处理 / issues to look at"
        if self.refused:
            text += (f"; {len(self.refused)} 张订单未能同步，仍在本机等待 / orders not synced, "
                     "still waiting here")
        return text


def _parse_mark(raw: str | None) -> tuple[int, int]:
    if not raw:
        return (0, 0)
    txid, _, seq = raw.partition(":")
    return (int(txid), int(seq or 0))


class SyncClient:
    """Syncs one workstation database with one server. Not thread-safe: one run at a time."""

    def __init__(self, local: Database, server_url: str, *, origin: str | None = None,
                 push_rows: int = PUSH_ROWS, pull_rows: int = PULL_ROWS,
                 sslmode: str | None = None, ca_file: str | None = None) -> None:
        if not local.is_sqlite:
            raise SyncError("只有 SQLite 工作站数据库同步到服务器；直接使用服务器的柜台无需同步",
                            "only a SQLite workstation database syncs to a server; a counter "
                            "working on the server itself needs no sync")
        self.local = local
        check_given_url(server_url)
        self.url = secure_url(resolve_server_url(server_url), sslmode=sslmode, ca_file=ca_file)
        self.server_name = display_url(server_url)
        self.workstation = workstation_id(local)
        self.push_rows, self.pull_rows = push_rows, pull_rows
        if origin:
            set_origin(local, origin)
        self.origin = get_origin(local) or ""
        self._server: Database | None = None
        self._cache = RunCache()
        self._specs: list[SyncedTable] | None = None

    # -- connections ----------------------------------------------------------------------------
    def server(self) -> Database:
        if self._server is None:
            try:
                self._server = open_database(self.url)  # brings the server's schema up to date
            except Exception as exc:
                problem = tls_failure(exc, self.server_name) or \
                    server_unavailable(exc, self.server_name)
                if problem is not None:
                    raise problem from None
                raise
        return self._server

    def close(self) -> None:
        if self._server is not None:
            self._server.dispose()
            self._server = None

    def _reset_connection(self) -> None:
        """After a lost connection: start afresh next time (the server may have restarted)."""
        self.close()
        self._cache = RunCache()

    # -- preparing both sides ---------------------------------------------------------------------
    def prepare(self) -> list[SyncedTable]:
        """Install change capture on both sides (idempotent) and find the synced tables."""
        server = self.server()
        with server.engine.begin() as conn:
            install_feed_triggers(conn)
            server_tables = set(inspect(conn).get_table_names())
        with self.local.session() as s:
            install_outbox_triggers(s.connection())
            local_tables = set(inspect(s.connection()).get_table_names())
        self._specs = [t for t in SYNC_ORDER if t.table in local_tables]
        missing = [t.table for t in self._specs if t.table not in server_tables]
        if missing:
            raise SyncError(f"服务器数据库缺少表 {', '.join(missing)}，请先升级服务器",
                            f"the server database lacks {', '.join(missing)}: upgrade it first")
        return self._specs

    # -- push ---------------------------------------------------------------------------------------
    def push(self, report: SyncReport, check: Check | None = None,
             progress: Progress | None = None) -> None:
        specs = self._specs if self._specs is not None else self.prepare()
        tables = {t.table for t in specs} | {c.table for t in specs for c in _descendants(t)} \
            | {"hall", "counter", "staff", "key_person", "line_history", "customer_history",
               "sync_issue", "synced_audit_event", "audit_anchor"}
        server = self.server()
        self._cache.pushed.clear()  # keyed rows' ids: for this push only
        with self.local.read() as s:
            mark = int(get_state(s, "push.mark") or 0)
            claims = wanted_claims(s, self.origin, mark)
        # Before anything goes up: the names this workstation numbers under are its own.
        with server.engine.begin() as conn:
            claim(conn, self.workstation, self.origin, claims, self.local.clock.now())
        with self.local.read() as s:
            total = int(s.execute(select(func.count()).select_from(SyncOutbox)
                                  .where(SyncOutbox.id > mark)).scalar() or 0)
            # What changes while this run pushes waits for the next run: a busy counter
            # cannot keep one run going for ever.
            last = int(s.execute(select(func.coalesce(func.max(SyncOutbox.id), 0))).scalar()
                       or 0)
        done = 0
        bulk = {t.table for t in specs if t.kind in ("owned", "versioned", "audit")}
        # The next batch is read on a thread while this one is on the server (`batch_input`).
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="sync-read") as reader:
            ahead: Future[BatchInput] | None = None
            while True:
                if check is not None:
                    check()
                with self.local.read() as ls:
                    given = _taken(ahead)
                    if given is None or given.counter != outbox_counter(ls):
                        given = read_in(ls, mark, last, self.push_rows, bulk)  # read here
                    rows = given.rows
                    if not rows:
                        break
                    ahead = reader.submit(read_batch, self.local, rows[-1][0], last,
                                          self.push_rows, bulk)
                    batch = self._push_batch(server, ls, tables, specs, given)
                mark = rows[-1][0]
                with self.local.session() as s:  # only now: the server has committed
                    put_state(s, "push.mark", str(mark))
                    s.execute(delete(SyncOutbox).where(SyncOutbox.id <= mark))
                    store_issues(s, batch.issues)
                    refused = requeue_refused_orders(s, batch.issues)
                self._count(report, batch, refused)
                done += len(rows)
                if progress is not None:
                    progress(min(done, total), max(total, done))

    @staticmethod
    def _count(report: SyncReport, batch: PushBatch, refused: list[str]) -> None:
        for table, n in batch.counts.items():
            report.pushed[table] += n
        report.issues.extend(i for i in batch.issues if i not in report.issues)
        report.refused.extend(n for n in refused if n not in report.refused)
        report.batches += 1

    def _push_batch(self, server: Database, ls: Session, tables: set[str],
                    specs: list[SyncedTable], given: BatchInput) -> PushBatch:
        """One server transaction; repeated when the server chose it as a deadlock victim
        (its rows then read afresh: the first attempt changed them in place)."""
        for attempt in range(1, TRANSIENT_TRIES + 1):
            try:
                with server.engine.begin() as conn:
                    batch = PushBatch(ls, conn, self.origin, tables, self._cache,
                                      given if attempt == 1 else None)
                    batch.begin()
                    batch.apply(specs, given.changed)
                batch.committed()
                return batch
            except Exception as exc:
                orig = driver_error(exc)
                if attempt == TRANSIENT_TRIES or getattr(orig, "sqlstate", None) not in (
                        "40P01", "40001"):  # deadlock victim, serialization failure
                    raise
                time.sleep(0.05 * attempt)
        raise AssertionError("unreachable")

    # -- pull ---------------------------------------------------------------------------------------
    def pull(self, report: SyncReport, check: Check | None = None) -> None:
        server = self.server()
        with self.local.session() as s:
            mark = _parse_mark(get_state(s, "pull.mark"))
            # Only this hall's rows of the server's feed. A new workstation has no hall yet: it
            # takes its configured one now, or the mark would pass the hall's staff unread.
            hall = ensure_hall(s).code
        while True:
            if check is not None:
                check()
            with server.engine.connect().execution_options(
                    isolation_level="REPEATABLE READ") as conn:
                batch = read_feed(conn, mark, self.origin, self.pull_rows,
                                  hall=hall)
                conn.rollback()
            if batch is None:
                break
            with self.local.session() as s:
                applier = PullApply(s, self.origin)
                applier.apply(batch)
                put_state(s, "pull.mark", f"{batch.mark[0]}:{batch.mark[1]}")
                store_issues(s, applier.issues)
            for table, n in applier.counts.items():
                report.pulled[table] += n
            report.issues.extend(applier.issues)
            mark = batch.mark
        with server.engine.connect() as conn, self.local.session() as s:  # the hall's conflicts
            report.pulled["line_conflict"] += pull_conflicts(conn, s)
            report.pulled["line"] += take_server_lines(conn, s, self.origin)  # the authority

    # -- one full run -------------------------------------------------------------------------------
    def run(self, check: Check | None = None, progress: Progress | None = None) -> SyncReport:
        """Push everything waiting, then pull what changed elsewhere (and push the audit events
        that sealed it). Records the status."""
        started = time.monotonic()
        report = SyncReport(self.server_name, self.origin)
        attempt = self.local.clock.now()
        try:
            self.prepare()
            self.push(report, check, progress)
            self.pull(report, check)
            if any(report.pulled.values()):  # the pull's own audit events (their seals)
                self.push(report, check)
            with self.server().engine.begin() as conn:  # what each counter still holds
                day_report.exchange(conn, self.local, self.workstation, self.origin,
                                    self.local.clock.now())
        except Exception as exc:
            problem = server_unavailable(exc, self.server_name)
            if problem is not None:
                self._reset_connection()
            message = str(problem or exc)

            def failed(st: SyncStatus) -> None:
                st.server, st.last_attempt, st.last_error = self.server_name, attempt, message
                st.failures += 1

            # If the local database itself is in trouble, the first error is the one to report.
            with contextlib.suppress(Exception):
                save_status(self.local, failed)
            if problem is not None:
                raise problem from exc
            raise
        report.seconds = time.monotonic() - started
        report.waiting = pending_changes(self.local)

        def succeeded(st: SyncStatus) -> None:
            st.server, st.last_attempt, st.last_success = self.server_name, attempt, \
                self.local.clock.now()
            st.last_error, st.failures = None, 0
            st.pushed = {k: v for k, v in report.pushed.items() if v}
            st.pulled = {k: v for k, v in report.pulled.items() if v}
            st.refused = len(report.refused)

        save_status(self.local, succeeded)
        return report


def _taken(ahead: Future[BatchInput] | None) -> BatchInput | None:
    """The batch read ahead; None if there is none or its read failed (read again here)."""
    try:
        return ahead.result() if ahead is not None else None
    except Exception:
        return None


def _descendants(spec: SyncedTable) -> list[Any]:
    out = []
    stack = list(spec.children)
    while stack:
        child = stack.pop()
        out.append(child)
        stack.extend(child.children)
    return out


def run_sync(local: Database, server_url: str, *, origin: str | None = None,
             check: Check | None = None, progress: Progress | None = None,
             push_rows: int = PUSH_ROWS, sslmode: str | None = None,
             ca_file: str | None = None) -> SyncReport:
    """One complete sync (push, then pull); `SyncUnavailable` when the server is away."""
    client = SyncClient(local, server_url, origin=origin, push_rows=push_rows,
                        sslmode=sslmode, ca_file=ca_file)
    try:
        return client.run(check, progress)
    finally:
        client.close()


def backoff_delay(failures: int, base: float = 2.0, cap: float = 300.0) -> float:
    """Seconds to wait before the next try after `failures` failed ones: 2, 4, 8 ... 300."""
    if failures <= 0:
        return 0.0
    return float(min(cap, base * 2 ** (failures - 1)))


def sync_with_retry(local: Database, server_url: str, *, attempts: int | None = 5,
                    base: float = 2.0, cap: float = 300.0, origin: str | None = None,
                    sleep: Callable[[float], None] = time.sleep,
                    on_retry: Callable[[SyncUnavailable, float], None] | None = None,
                    push_rows: int = PUSH_ROWS, sslmode: str | None = None,
                    ca_file: str | None = None) -> SyncReport:
    """Sync, retrying while the server is away (pauses growing up to `cap`). `attempts=None`
    keeps trying. Errors other than an unreachable server are raised at once."""
    client = SyncClient(local, server_url, origin=origin, push_rows=push_rows,
                        sslmode=sslmode, ca_file=ca_file)
    failures = 0
    try:
        while True:
            try:
                return client.run()
            except SyncUnavailable as exc:
                failures += 1
                if attempts is not None and failures >= attempts:
                    raise
                delay = backoff_delay(failures, base, cap)
                if on_retry is not None:
                    on_retry(exc, delay)
                sleep(delay)
    finally:
        client.close()


def verify_origin_chain(server: Database, origin: str) -> Any:
    """Check the hash chain of one workstation's audit events as stored on the server.

    Starts at the first event the server holds for that origin (its seq and prev_hash), so a
    workstation that joined sync late still verifies; the head recorded with the last push
    (`audit_anchor`) must be there. Returns `app.security.VerifyResult`."""
    from app.models import AuditAnchor, SyncedAuditEvent
    from app.security import verify_chain
    from app.services.audit.events import chain_key

    def events() -> Any:
        with server.read() as s:
            result = s.execute(select(SyncedAuditEvent).where(SyncedAuditEvent.origin == origin)
                               .order_by(SyncedAuditEvent.seq)
                               .execution_options(yield_per=1000)).scalars()
            for e in result:
                yield e.seq, {"uid": e.uid, "seq": e.seq, "at": e.at, "actor": e.actor,
                              "actor_staff_id": e.actor_staff_id,
                              "authorized_by": e.authorized_by, "counter": e.counter,
                              "action": e.action, "target": e.target, "data": e.data}, e.hash

    with server.read() as s:
        first = s.execute(select(SyncedAuditEvent.seq, SyncedAuditEvent.prev_hash)
                          .where(SyncedAuditEvent.origin == origin)
                          .order_by(SyncedAuditEvent.seq).limit(1)).first()
        head = s.execute(select(AuditAnchor.seq, AuditAnchor.hash)
                         .where(AuditAnchor.origin == origin)).first()
    anchors = {head[0]: head[1]} if head is not None else {}
    if first is None:
        return verify_chain([], key=chain_key(), anchors=anchors)
    return verify_chain(events(), key=chain_key(), start_seq=first[0], start_prev_hash=first[1],
                        anchors=anchors)


def server_audit_head(local: Database, server_url: str) -> tuple[int, str] | None:
    """The head of this workstation's chain that the sync server recorded at the last push
    (for `counter audit verify --server`); None when it never pushed. `SyncUnavailable` when
    the server cannot be reached."""
    from app.models import AuditAnchor

    origin = get_origin(local, create=False)
    if not origin:
        return None
    check_given_url(server_url)
    url = secure_url(resolve_server_url(server_url))
    try:
        server = open_database(url, migrate=False)
        try:
            with server.read() as s:
                head = s.execute(select(AuditAnchor.seq, AuditAnchor.hash)
                                 .where(AuditAnchor.origin == origin)).first()
        finally:
            server.dispose()
    except Exception as exc:
        problem = server_unavailable(exc, display_url(server_url))
        if problem is not None:
            raise problem from None
        raise
    return (int(head[0]), str(head[1])) if head is not None else None


__all__ = [
    "PUSH_ROWS", "SyncClient", "SyncReport", "backoff_delay", "run_sync", "server_audit_head",
    "sync_with_retry", "verify_origin_chain",
]
