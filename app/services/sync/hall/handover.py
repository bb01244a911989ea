"""Hand-overs (首问负责转交) between the counters of a hall.

A hand-over names its subject by kind and local id (`subject`, `subject_id`: a follow-up, a
complaint or a fault ticket), which means nothing on another database. It travels with the
subject's uid instead: on the server its `subject_id` is the server's id of the row with that
uid (the subject pushed first if it is not there yet), and on a pulling workstation the local id
of that row. The staff columns travel as staff numbers, as everywhere.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from sqlalchemy import Connection, Table

from app.models import Base
from app.services.sync.rows import Row, fetch_by

if TYPE_CHECKING:
    from app.services.sync.push import PushBatch

SUBJECTS: Final = {"follow_up": "follow_up", "complaint": "complaint", "fault": "fault_ticket"}


def _table(name: str) -> Table:
    return Base.metadata.tables[name]


def push_handover(batch: PushBatch, local_ids: list[int]) -> None:
    t = _table("handover")
    rows = fetch_by(batch.local, t, "id", local_ids)
    kept: list[Row] = []
    for subject, table in SUBJECTS.items():
        mine = [r for r in rows if r["subject"] == subject]
        if not mine:
            continue
        ids = batch.resolve(table, {r["subject_id"] for r in mine})
        for r in mine:
            sid = ids.get(r["subject_id"])
            if sid is None:
                batch.issue("missing_parent", f"handover:{r['uid']}",
                            f"handover: 服务器上没有被转交的{table}记录，未同步 / the {table} row "
                            "handed over is not on the server; not synced")
                continue
            kept.append({**r, "subject_id": sid})
    kept = batch.map_fks(t, kept)
    payload = [{k: v for k, v in r.items() if k != "id"} for r in kept]
    if payload:
        batch.w.insert(t, payload, on_conflict="update",
                       update=[c for c in payload[0] if c != "uid"])
    batch.counts["handover"] += len(payload)


def subjects_as_uids(server: Connection, rows: list[Row]) -> list[Row]:
    """The server's hand-overs with `subject_id` turned into the subject's uid."""
    out: list[Row] = []
    for subject, table in SUBJECTS.items():
        mine = [r for r in rows if r["subject"] == subject]
        uids = {r["id"]: r["uid"] for r in fetch_by(
            server, _table(table), "id", {r["subject_id"] for r in mine}, columns=("id", "uid"))}
        out.extend({**r, "subject_id": uids[r["subject_id"]]} for r in mine
                   if r["subject_id"] in uids)
    return out
