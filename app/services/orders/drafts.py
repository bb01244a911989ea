"""Half-done requests kept in the database, so that a crash or a closed window loses nothing.

The wizard saves its state (a plain JSON-able dict) as it goes, one draft per clerk and
counter. Personal data never lies in clear in a draft: every value whose key names an ID
number or an address (`id_number`, `*_id_number`, `address`, `*_address`) is encrypted with
the personal-data key (column tag ``wizard_draft``) before it is written and decrypted when it
is read back. A draft that is given up goes to the intake log as ``abandoned``.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, select

from app.db import Database
from app.models import IntakeEntry, Staff, WizardDraft
from app.models.base import new_uid
from app.services.audit import events as audit
from app.services.customers.pii import PersonalData
from app.services.hall.registry import Actor

COLUMN = "wizard_draft"
_ENC_SUFFIX = "__enc"


def _sensitive(key: str) -> bool:
    return key == "id_number" or key.endswith("_id_number") or key == "address" \
        or key.endswith("_address")


def seal(state: Any, pd: PersonalData) -> Any:
    """A copy of `state` with every sensitive string value encrypted (see module doc)."""
    if isinstance(state, dict):
        out: dict[str, Any] = {}
        for key, value in state.items():
            if _sensitive(str(key)) and isinstance(value, str) and value:
                blob = pd.encrypt(value, COLUMN)
                out[f"{key}{_ENC_SUFFIX}"] = base64.b64encode(blob).decode("ascii")
            else:
                out[key] = seal(value, pd)
        return out
    if isinstance(state, list):
        return [seal(v, pd) for v in state]
    return state


def unseal(state: Any, pd: PersonalData) -> Any:
    if isinstance(state, dict):
        out: dict[str, Any] = {}
        for key, value in state.items():
            if key.endswith(_ENC_SUFFIX) and isinstance(value, str):
                out[key[: -len(_ENC_SUFFIX)]] = pd.decrypt(base64.b64decode(value), COLUMN)
            else:
                out[key] = unseal(value, pd)
        return out
    if isinstance(state, list):
        return [unseal(v, pd) for v in state]
    return state


@dataclass(frozen=True)
class Draft:
    id: int
    counter_id: int
    staff_id: int
    staff_no: str
    staff_name: str
    page: str
    updated_at: datetime
    state: dict[str, Any]


def save_draft(db: Database, actor: Actor, state: dict[str, Any], page: str,
               pd: PersonalData, draft_id: int | None = None) -> int:
    """Create or update the draft; returns its id. The clerk saving it becomes its owner."""
    if actor.staff_id is None:
        raise ValueError("a draft belongs to a logged-in clerk")
    text = json.dumps(seal(state, pd), ensure_ascii=False, separators=(",", ":"),
                      default=str)
    with db.session() as s:
        draft = s.get(WizardDraft, draft_id) if draft_id is not None else None
        if draft is None:
            draft = WizardDraft(counter_id=actor.counter_id, staff_id=actor.staff_id,
                                state=text, page=page[:40])
            s.add(draft)
        else:
            draft.state, draft.page, draft.staff_id = text, page[:40], actor.staff_id
            draft.updated_at = db.clock.now()
        s.flush()
        return draft.id


def drafts_at_counter(db: Database, counter_id: int, pd: PersonalData) -> list[Draft]:
    """Drafts left at this counter, newest first."""
    with db.read() as s:
        rows = s.execute(select(WizardDraft, Staff.staff_no, Staff.name)
                         .join(Staff, Staff.id == WizardDraft.staff_id)
                         .where(WizardDraft.counter_id == counter_id)
                         .order_by(WizardDraft.updated_at.desc(), WizardDraft.id.desc())
                         ).all()
    return [Draft(d.id, d.counter_id, d.staff_id, staff_no, name, d.page, d.updated_at,
                  unseal(json.loads(d.state), pd)) for d, staff_no, name in rows]


def delete_draft(db: Database, draft_id: int) -> None:
    with db.session() as s:
        s.execute(delete(WizardDraft).where(WizardDraft.id == draft_id))


@dataclass(frozen=True)
class Abandoned:
    """What the intake log keeps of a request the customer gave up on."""

    service: str
    business_date: date
    customer_name: str | None = None
    customer_id_number: str | None = None
    line_number: str | None = None
    missing: tuple[str, ...] = ()
    reason: str = ""


def abandon(db: Database, actor: Actor, info: Abandoned, pd: PersonalData,
            draft_id: int | None = None) -> int:
    """Log the abandoned request (decision ``abandoned``) and delete its draft, atomically."""
    masked = pd.protect_id(info.customer_id_number).masked if info.customer_id_number else None
    with db.session() as s:
        entry = IntakeEntry(
            uid=new_uid(), hall_id=actor.hall_id, counter_id=actor.counter_id,
            staff_id=actor.staff_id, channel=actor.channel, service=info.service[:60],
            business_date=info.business_date, decision="abandoned",
            customer_name=(info.customer_name or "")[:100] or None,
            customer_id_masked=masked, line_number=info.line_number,
            violations=[{"rule": "abandoned", "message": info.reason[:200]}]
            if info.reason else [],
            missing=list(info.missing))
        s.add(entry)
        if draft_id is not None:
            s.execute(delete(WizardDraft).where(WizardDraft.id == draft_id))
        s.flush()
        audit.record(s, "intake.abandoned", actor=actor.staff_no, actor_staff_id=actor.staff_id,
                     counter=actor.counter_code, target=info.service[:60],
                     data={"intake": entry.uid, "missing": list(info.missing)})
        return entry.id
