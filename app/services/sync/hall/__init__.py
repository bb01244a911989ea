"""The whole hall on every workstation: the server's feed of the hall's rows (`feed`), pulling
the other counters' rows (`owned`), staff and settings between counters (`staff`), and what
each workstation still holds of a day (`day_report`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.services.sync.push import PushBatch


def push_by_kind(batch: PushBatch, kind: str, local_ids: list[int]) -> None:
    """Push staff, the hall's settings or hand-overs (`SyncedTable.kind`)."""
    from app.services.sync.hall import handover, staff

    if kind == "staff":
        staff.push_staff(batch, local_ids)
    elif kind == "hall":
        staff.push_hall(batch, local_ids)
    else:
        handover.push_handover(batch, local_ids)
