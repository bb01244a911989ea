"""The hall this database serves, its counters, and who is acting (the `Actor`)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.config import HallConfig, load_hall_config
from app.db import Database
from app.db.rows import insert_missing
from app.models import Counter, Hall, Staff, SyncState

BATCH_COUNTER = "B01"  # the batch channel's code unless this workstation was given its own
# This workstation's own batch intake code (B02, B03 ...), kept in its database: every
# workstation that numbers orders needs a prefix of its own (`counter sync --batch-id`).
BATCH_ID_KEY = "identity.batch"


class SetupError(RuntimeError):
    pass


@dataclass(frozen=True)
class Actor:
    """Who does something, where; checked by every service call."""

    staff_id: int | None
    staff_no: str
    name: str
    role: str
    hall_id: int
    counter_id: int
    counter_code: str
    channel: str = "counter"  # counter | batch
    authorized_by: str | None = None  # a supervisor who authorized an exception here


def hall_config(hall: Hall) -> HallConfig:
    base = load_hall_config()
    cfg = base.with_overrides({"code": hall.code, "name": hall.name, "carrier": hall.carrier,
                               "star": hall.star}, "hall")
    return cfg.with_overrides(hall.config or {}, "hall.config") if hall.config else cfg


def get_hall(session: Session) -> Hall | None:
    return session.execute(select(Hall).order_by(Hall.id).limit(1)).scalar_one_or_none()


def ensure_hall(session: Session, config: HallConfig | None = None) -> Hall:
    """The database's hall, created from the default configuration on first use."""
    hall = get_hall(session)
    if hall is None:
        # Two first uses at once (batch workers on one PostgreSQL) must not both make it.
        cfg = config or load_hall_config()
        insert_missing(session, Hall, ["code"], code=cfg.code, name=cfg.name,
                       carrier=cfg.carrier, star=cfg.star, config={})
        hall = get_hall(session)
        assert hall is not None
    return hall


def ensure_counter(session: Session, hall: Hall, code: str, *, batch: bool = False,
                   name: str | None = None) -> Counter:
    def find() -> Counter | None:
        return session.execute(
            select(Counter).where(Counter.hall_id == hall.id, Counter.code == code)
        ).scalar_one_or_none()

    counter = find()
    if counter is None:
        insert_missing(session, Counter, ["hall_id", "code"], hall_id=hall.id, code=code,
                       batch=batch, name=name or ("批量通道" if batch else f"{code}号柜台"))
        counter = find()
        assert counter is not None
    return counter


def batch_counter_code(session: Session) -> str:
    """The code of this workstation's batch channel: its configured batch id, else B01."""
    configured = session.execute(
        select(SyncState.value).where(SyncState.key == BATCH_ID_KEY)).scalar()
    return configured or BATCH_COUNTER


def batch_actor(db: Database) -> Actor:
    """`counter process` records under a channel of its own that needs no shift or login."""
    with db.session() as s:
        hall = ensure_hall(s)
        counter = ensure_counter(s, hall, batch_counter_code(s), batch=True)
        return Actor(None, "batch", "批量受理", "clerk", hall.id, counter.id, counter.code,
                     channel="batch")


def staff_actor(session: Session, staff: Staff, counter: Counter) -> Actor:
    return Actor(staff.id, staff.staff_no, staff.name, staff.role, staff.hall_id, counter.id,
                 counter.code)
