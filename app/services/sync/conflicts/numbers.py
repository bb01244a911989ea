"""A new line whose number another line holds on the server is not stored: it is named in the
sync's issues (`number_taken`) and stays here, nothing else of the push is held up.

Checked twice: before the insert (`lines_with_free_numbers`, the usual case: the number was
taken at an earlier sync) and by the insert itself, which skips a row breaking the number's
unique key (``ON CONFLICT DO NOTHING``): two workstations pushing a new line with the same
number at the same moment both pass the check, and the second insert then waits for the first
transaction and leaves its row out instead of failing the whole push on `uq_line_number`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.services.sync.server import ServerWriter

Row = dict[str, Any]
Report = Callable[[str, str, str], None]  # kind, ref, message (`Pusher.issue`)


def number_taken(issue: Report, row: Row) -> None:
    issue("number_taken", f"line:{row['uid']}",
          f"号码 {row['number']} 在服务器上已属于另一条线路，未同步 / number "
          f"{row['number']} belongs to another line on the server; not synced")


def lines_with_free_numbers(w: ServerWriter, rows: list[Row], issue: Report) -> list[Row]:
    """Leave out (with an issue) a line whose number another line has on the server."""
    taken = dict(w.select("SELECT number, uid FROM line WHERE number = ANY(%s)",
                          ([r["number"] for r in rows],)))
    kept = []
    for r in rows:
        holder = taken.get(r["number"])
        if holder is not None and holder != r["uid"]:
            number_taken(issue, r)
            continue
        kept.append(r)
    return kept
