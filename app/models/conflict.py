"""Line conflicts: two changes of one line made from the same version at two counters that
cannot both hold (a loss report and a SIM replacement made offline). The sync server detects
them (`app.services.sync.conflicts.detect`), keeps its own version provisionally and records
both sides here; every workstation of the hall pulls a copy, and a supervisor decides.

`server_side` / `other_side` describe each change: the order that made it (order number,
service, counter, clerk's staff number, time), the line version it produced (version, origin)
and the line's state then. No personal data: a line state holds no ID numbers or names.
"""

from datetime import datetime

from sqlalchemy import JSON, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import UID, Base, UTCDateTime, new_uid, utcnow

OPEN = "open"
KEPT_SERVER = "kept_server"
APPLIED_OTHER = "applied_other"


class LineConflict(Base):
    __tablename__ = "line_conflict"
    # One conflict per line and losing version: a push repeated after a crash finds it there.
    __table_args__ = (UniqueConstraint("line_uid", "other_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(UID, unique=True, default=new_uid)
    line_uid: Mapped[str] = mapped_column(UID, index=True)
    line_number: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(16), default=OPEN, index=True)
    base_version: Mapped[int] = mapped_column(Integer)
    other_key: Mapped[str] = mapped_column(String(60))  # "<version>:<origin>" of the other side
    reason: Mapped[str] = mapped_column(Text)  # why the two changes cannot both hold (zh / en)
    server_side: Mapped[dict] = mapped_column(JSON)
    other_side: Mapped[dict] = mapped_column(JSON)
    pushed_by: Mapped[str] = mapped_column(String(60))  # the workstation whose push found it
    detected_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_by: Mapped[str | None] = mapped_column(String(40))  # the supervisor's staff number
    resolution_note: Mapped[str | None] = mapped_column(Text)
    result_version: Mapped[int | None] = mapped_column(Integer)  # the line's version after it
    follow_up_order_no: Mapped[str | None] = mapped_column(String(40))  # the order set aside
