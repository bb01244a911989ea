"""Staff accounts and the hall's settings between the counters of a hall.

Staff rows are recognised by their staff number (two counters that each made the demo hall
both have an `S001`, with different uids: the uid stays each database's own). Which of two
versions wins, on the server and on a workstation alike (`staff_key`): a real account over a
placeholder the server made for a staff number it did not know (`UNUSABLE_PASSWORD`), then the
higher `version` (raised by every local change, `capture.install_staff_version`), then the
password hash as a fixed tie-break, so every database settles on the same row. The row travels
whole: password hash, role, active, lockout (`failed_logins`, `locked_until`) and the forced
change at the next log-in. A password itself never travels and is never logged: only its hash
is stored anywhere.

The hall row carries its own settings (`config`): the higher `settings_rev` wins (every
settings change raises it, `app.services.hall.settings`), so a change made at one counter is
in force at the others after their sync. Two changes made at two counters before either synced
have the same revision: the first to reach the server stays, the other is replaced at its
next pull.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from sqlalchemy import Table

from app.models import Base
from app.services.sync.rows import Row, fetch_by

if TYPE_CHECKING:
    from app.services.sync.push import PushBatch

UNUSABLE_PASSWORD = "!synced"  # the placeholder's hash (push.py makes them for unknown staff)
STAFF_COPIED = ("name", "role", "password_hash", "active", "failed_logins", "locked_until",
                "must_change_password", "version", "created_at")
HALL_COPIED = ("name", "carrier", "star", "config", "settings_rev")


def _table(name: str) -> Table:
    return Base.metadata.tables[name]


def staff_key(row: Mapping[str, Any]) -> tuple[bool, int, str]:
    """Orders two versions of one staff account: the greater one wins everywhere."""
    return (row["password_hash"] != UNUSABLE_PASSWORD, int(row.get("version") or 0),
            str(row["password_hash"] or ""))


def hall_key(row: Mapping[str, Any]) -> int:
    return int(row.get("settings_rev") or 0)


def push_staff(batch: PushBatch, local_ids: list[int]) -> None:
    """Store the workstation's staff rows that win over the server's (by staff number)."""
    t = _table("staff")
    rows = fetch_by(batch.local, t, "id", local_ids)
    if not rows:
        return
    halls = batch.resolve("hall", {r["hall_id"] for r in rows})
    server = {r["staff_no"]: r for r in fetch_by(batch.server, t, "staff_no",
                                                  [r["staff_no"] for r in rows],
                                                  for_update=True)}
    new: list[Row] = []
    changed: list[tuple[int, Row]] = []
    for r in rows:
        srv = server.get(r["staff_no"])
        if srv is None:
            new.append({**{k: v for k, v in r.items() if k != "id"},
                        "hall_id": halls[r["hall_id"]]})
        elif staff_key(r) > staff_key(srv):
            changed.append((srv["id"], {c: r[c] for c in STAFF_COPIED}))
            batch.ids["staff"][r["id"]] = srv["id"]
        else:
            batch.ids["staff"][r["id"]] = srv["id"]
    if new:
        batch.w.insert(t, new, on_conflict="nothing")
        ids = batch.w.ids_by(t, "staff_no", (r["staff_no"] for r in new))
        for r in rows:
            if r["staff_no"] in ids:
                batch.ids["staff"][r["id"]] = ids[r["staff_no"]]
    batch.w.update_by_id(t, changed)
    batch.counts["staff"] += len(new) + len(changed)


def push_hall(batch: PushBatch, local_ids: list[int]) -> None:
    """The hall's settings, when this workstation's revision is newer than the server's."""
    t = _table("hall")
    for r in fetch_by(batch.local, t, "id", local_ids):
        srv = fetch_by(batch.server, t, "code", [r["code"]], for_update=True)
        if not srv:
            batch.w.insert(t, [{k: v for k, v in r.items() if k != "id"}],
                           on_conflict="nothing")
            srv = fetch_by(batch.server, t, "code", [r["code"]])
        elif hall_key(r) > hall_key(srv[0]):
            batch.w.update_by_id(t, [(srv[0]["id"], {c: r[c] for c in HALL_COPIED})])
            batch.counts["hall"] += 1
        batch.ids["hall"][r["id"]] = srv[0]["id"]
