"""What sync keeps in the workstation's database: its name on the server (the origin), the
marks of what was pushed and pulled, the status line, and the issues found on the way.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Final

from sqlalchemy import func, insert, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from app.db import Database, clock_of
from app.models import LineConflict, ServiceOrder, SyncIssue, SyncOutbox, SyncState
from app.services.sync.errors import SyncError

if TYPE_CHECKING:  # push imports psycopg: not for a workstation that only asks its name
    from app.services.sync.push import Issue

ORIGIN_RE: Final = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,59}$")


def get_state(s: Session, key: str) -> str | None:
    return s.execute(select(SyncState.value).where(SyncState.key == key)).scalar()


def put_state(s: Session, key: str, value: str) -> None:
    s.execute(sqlite_insert(SyncState).values(key=key, value=value)
              .on_conflict_do_update(index_elements=["key"], set_={"value": value}))


def get_origin(local: Database, *, create: bool = True) -> str | None:
    """This workstation's name on the server (kept in its database)."""
    with local.read() as s:
        origin = get_state(s, "origin")
    if origin or not create:
        return origin
    from app.services.hall.registry import get_hall

    with local.session() as s:
        origin = get_state(s, "origin")
        if not origin:
            hall = get_hall(s)
            origin = f"{hall.code if hall else 'WS'}-{uuid.uuid4().hex[:8]}"
            put_state(s, "origin", origin)
        return origin


def set_origin(local: Database, origin: str) -> None:
    if not ORIGIN_RE.match(origin):
        raise SyncError("工作站名称只能包含字母、数字、点、下划线和连字符（最多 60 个）",
                        "the workstation name may only hold letters, digits, . _ - (at most 60)")
    with local.session() as s:
        current = get_state(s, "origin")
        if current and current != origin and get_state(s, "push.mark"):
            raise SyncError(f"本工作站已用名称 {current} 同步过，不能改名",
                            f"this workstation already synced as {current}; it cannot be renamed")
        put_state(s, "origin", origin)


@dataclass
class SyncStatus:
    """What the status bar and `counter sync --status` show: when sync last worked, what the
    last run moved each way, what waits and since when, conflicts, the last error."""

    server: str = ""
    last_success: datetime | None = None
    last_attempt: datetime | None = None
    last_error: str | None = None
    failures: int = 0
    pushed: dict[str, int] = field(default_factory=dict)  # the last successful run, per table
    pulled: dict[str, int] = field(default_factory=dict)
    refused: int = 0  # orders the server did not take in the last run (they wait again)
    # Read from the database each time, not stored:
    waiting: int = 0
    issues: int = 0
    conflicts: int = 0
    oldest_unsynced: datetime | None = None  # when the oldest order not on the server was made

    def to_json(self) -> str:
        data = {k: (v.isoformat() if isinstance(v, datetime) else v)
                for k, v in self.__dict__.items() if k not in _COMPUTED}
        return json.dumps(data, ensure_ascii=False)

    @classmethod
    def from_json(cls, raw: str | None) -> SyncStatus:
        status = cls()
        if not raw:
            return status
        data = json.loads(raw)
        for key in ("last_success", "last_attempt"):
            if data.get(key):
                data[key] = datetime.fromisoformat(data[key])
        for key, value in data.items():
            if hasattr(status, key) and key not in _COMPUTED:
                setattr(status, key, value)
        return status


_COMPUTED: Final = frozenset({"waiting", "issues", "conflicts", "oldest_unsynced"})
CONFLICT_KINDS: Final = ("line_conflict",)  # sync issues that name a line conflict


def pending_changes(local: Database) -> int:
    """Outbox rows not pushed yet (0 before the first sync installed the capture)."""
    with local.read() as s:
        mark = int(get_state(s, "push.mark") or 0)
        return int(s.execute(select(func.count()).select_from(SyncOutbox)
                             .where(SyncOutbox.id > mark)).scalar() or 0)


def oldest_unsynced_order(local: Database) -> datetime | None:
    """When the oldest order not yet on the server was made: those in the outbox after the
    mark, or every order before the first sync installed the capture."""
    from app.services.sync.capture import outbox_tables_captured

    with local.read() as s:
        orders = select(func.min(ServiceOrder.created_at))
        if outbox_tables_captured(s.connection()):
            mark = int(get_state(s, "push.mark") or 0)
            orders = orders.where(ServiceOrder.id.in_(
                select(SyncOutbox.row_id).where(SyncOutbox.tbl == "service_order",
                                                SyncOutbox.id > mark)))
        return s.execute(orders).scalar()


def read_status(local: Database) -> SyncStatus:
    with local.read() as s:
        status = SyncStatus.from_json(get_state(s, "status"))
        status.issues = int(s.execute(select(func.count()).select_from(SyncIssue)).scalar() or 0)
        # Line conflicts waiting for a supervisor (the hall's, pulled at each sync).
        status.conflicts = int(s.execute(select(func.count()).select_from(LineConflict).where(
            LineConflict.status == "open")).scalar() or 0)
    status.waiting = pending_changes(local)
    status.oldest_unsynced = oldest_unsynced_order(local)
    return status


def save_status(local: Database, update: Callable[[SyncStatus], None]) -> None:
    with local.session() as s:
        status = SyncStatus.from_json(get_state(s, "status"))
        update(status)
        put_state(s, "status", status.to_json())


def store_issues(s: Session, issues: list[Issue]) -> None:
    if issues:
        now = clock_of(s).now()
        s.execute(sqlite_insert(SyncIssue).on_conflict_do_nothing(), [
            {"at": now, "origin": "local", "kind": i.kind, "ref": i.ref, "message": i.message}
            for i in issues])


def requeue_refused_orders(s: Session, issues: list[Issue]) -> list[str]:
    """Orders the server did not take (a number already taken, a required parent missing) go
    back into the outbox: they still wait, are tried again next time, and a run that left
    them behind is never reported as a clean sync. Returns their order numbers."""
    uids = {i.ref.split(":", 1)[1] for i in issues
            if i.kind in ("conflict", "missing_parent") and i.ref.startswith("service_order:")
            and i.ref.count(":") == 1}
    if not uids:
        return []
    rows = s.execute(select(ServiceOrder.id, ServiceOrder.order_no)
                     .where(ServiceOrder.uid.in_(uids)).order_by(ServiceOrder.id)).all()
    if rows:
        s.execute(insert(SyncOutbox), [{"tbl": "service_order", "row_id": r.id} for r in rows])
    return [r.order_no for r in rows]
