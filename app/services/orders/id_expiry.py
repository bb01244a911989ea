"""The expiry dates of the ID documents an order was accepted on, as its document rows.

A request's ID documents (the customer's, the presenter's, a unit's registration, an ID
among the details) may carry `valid_until`, the last day they are valid (the card reader
supplies it; a batch request may give it). The engine refuses an expired one; an accepted
order records each date on the `order_document` row of that type: the row of the paper
list when the type is listed there, else a row of its own (original seen, its number
masked). A document without a date adds nothing, so orders read as they did before.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.core.request import IdDocument, Request
from app.security import mask_id


@dataclass(frozen=True)
class ShownId:
    type: str
    number_masked: str
    valid_until: date


def shown_with_expiry(req: Request) -> list[ShownId]:
    """Every ID document of the request that carries an expiry date, each number once."""
    c = req.customer
    docs: list[IdDocument | None] = [c.id_document, req.presenter.id_document
                                     if req.presenter else None,
                                     c.unit.registration if c.unit else None]
    docs += [v for v in req.details.values() if isinstance(v, IdDocument)]
    out: dict[tuple[str, str], ShownId] = {}
    for doc in docs:
        if doc is not None and doc.valid_until is not None:
            out.setdefault((doc.type, doc.number),
                           ShownId(doc.type, mask_id(doc.number), doc.valid_until))
    return list(out.values())


def take_expiry(shown: list[ShownId], code: str) -> ShownId | None:
    """The first shown document of type `code`, removed from `shown` (it has its row)."""
    for i, found in enumerate(shown):
        if found.type == code:
            return shown.pop(i)
    return None
