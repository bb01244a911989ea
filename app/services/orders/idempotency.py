"""One request, one order: the key that lets a retried request find the order it made.

`counter process` run again after a failure, or a window that submits twice, must not record an
order twice. Each order keeps its request's key in `ServiceOrder.idempotency_key` (unique), and
`OrderService.submit` returns the order already recorded under the key, flagged as a replay,
instead of recording another.

The key is made from the caller's own request id when it has one (`Submission.request_id`),
or else from what makes the request this one: the canonical JSON of the parsed request, the
channel, the workstation (its sync name, so that two workstations' orders never clash on the
server), the counter, the business date, and

* on the batch channel, the how-many-th identical request of its batch it is (two identical
  requests in one batch are two orders; the same batch run again maps onto them again);
* at a counter, the moment the clerk started the request (`Submission.started_at`): the same
  service done twice in a row is two orders, the same submission sent twice is one. Without
  that moment a counter request has no key.

The derived key is an HMAC under the hall's audit sub-key, not a plain SHA-256: the request
holds full ID numbers, and a plain hash stored with the order would let anyone with the
database confirm a guessed number.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import json
from collections import Counter
from collections.abc import Sequence
from datetime import date, datetime
from functools import cache
from typing import Any, Final

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from app.core.request import Request
from app.db import Database
from app.models import ServiceOrder
from app.services.audit.events import chain_key

_DOMAIN: Final = b"hall-counter/idempotency/v1\x00"


def _plain(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, set | frozenset):
        return sorted(map(str, value))
    return str(value)


def canonical_request(req: Request) -> bytes:
    """The parsed request as JSON with sorted keys: the same request always reads the same,
    however its file was laid out."""
    return json.dumps(_as_data(req), sort_keys=True, ensure_ascii=False,
                      separators=(",", ":"), default=_plain).encode()


_ATOMS: Final = frozenset({str, int, float, bool, type(None)})  # kept as they are


@cache
def _field_names(cls: type) -> tuple[str, ...] | None:
    """A dataclass's field names (None: not a dataclass)."""
    if not dataclasses.is_dataclass(cls):
        return None
    return tuple(f.name for f in dataclasses.fields(cls))


def _as_data(value: Any) -> Any:
    """`dataclasses.asdict` as the keys were first made with it (the same JSON, byte for
    byte), without its deep copies: dataclasses as dicts, lists and tuples as lists, the rest
    left to `_plain`. A document's `valid_until` counts only when given: a request without
    one keeps the key it had before documents carried expiry dates (a batch run again after
    the upgrade still finds its orders). Plain values are not recursed into (a request has
    ~40 of them; every submission makes its key)."""
    kind: type = type(value)
    names = _field_names(kind)
    if names is not None:
        out: dict[str, Any] = {}
        for name in names:
            item = getattr(value, name)
            if item is None:
                if name != "valid_until":
                    out[name] = None
            elif type(item) in _ATOMS:
                out[name] = item
            else:
                out[name] = _as_data(item)
        return out
    if isinstance(value, list | tuple):
        return [item if type(item) in _ATOMS else _as_data(item) for item in value]
    if isinstance(value, dict):
        return {_as_data(k): _as_data(v) for k, v in value.items()}
    return value


def occurrences(requests: Sequence[Request]) -> list[int]:
    """For each request of a batch: how many identical ones came before it (0 for the first)."""
    seen: Counter[bytes] = Counter()
    out = []
    for req in requests:
        body = canonical_request(req)
        out.append(seen[body])
        seen[body] += 1
    return out


def request_key(req: Request, *, channel: str, workstation: str, counter: str, day: date,
                occurrence: int = 0, started_at: datetime | None = None,
                request_id: str | None = None) -> str | None:
    """The key of a request: from the caller's request id when it has one, else derived
    (None at a counter without the moment it started)."""
    context: dict[str, Any]
    body = b""
    if request_id:  # a client's id is unique among its own requests, at this workstation
        context = {"channel": channel, "workstation": workstation, "request_id": request_id}
    elif channel != "batch" and started_at is None:
        return None
    else:
        context = {"channel": channel, "workstation": workstation, "counter": counter,
                   "business_date": day.isoformat(), "occurrence": occurrence,
                   "started_at": started_at.isoformat() if started_at else None}
        body = canonical_request(req)
    message = _DOMAIN + json.dumps(context, sort_keys=True).encode() + b"\x00" + body
    return hmac.new(chain_key(), message, hashlib.sha256).hexdigest()


def workstation_name(db: Database, *, create: bool) -> str | None:
    """This workstation's sync name, so that keys made at two workstations differ (made now
    with `create`, else None when it has none yet); a hall database used directly has none
    and needs none ("")."""
    if not db.is_sqlite:
        return ""
    from app.services.sync.state import get_origin

    return get_origin(db, create=create)


# Built once; recording reads it as a subquery of its first statement (`OrderService`).
ID_UNDER: Final = select(ServiceOrder.id).where(
    ServiceOrder.idempotency_key == bindparam("key"))


def recorded_id(s: Session, key: str) -> int | None:
    """The id of the order recorded under `key`: one indexed Core read, no ORM object (the
    check every submission makes before it records)."""
    return s.connection().execute(ID_UNDER, {"key": key}).scalar()


def recorded_under(s: Session, key: str) -> ServiceOrder | None:
    return s.execute(select(ServiceOrder).where(ServiceOrder.idempotency_key == key)
                     ).scalar_one_or_none()


def recorded_outcome(order: ServiceOrder) -> dict[str, Any]:
    """The outcome the order was recorded with, as it was printed then."""
    return {k: v for k, v in (order.outcome or {}).items() if k not in ("notices", "campaign")}
