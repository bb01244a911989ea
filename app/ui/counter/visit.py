"""The visit: one customer at the counter, served with one or several services.

What the clerk learns once (who presents, with which ID and its validity, the papers whose
originals were checked) is kept here and carried into every service of the same visit, so a
second service, or a chained one (解挂 then 补卡; the arrears paid, then the refused service),
opens pre-filled and the clerk only confirms. "完成，接待下一位" drops the whole object.

Plain data (no Qt): the counter window keeps one `Visit`; the wizard seeds its `VisitState`
from it (`seed`) and hands what it recorded back (`absorb`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING

from app.core.validators import check_document, normalize
from app.ui.wizard.state import DocCheck, VisitState, checklist

if TYPE_CHECKING:
    from app.core.catalog import Catalog
    from app.devices.idcard.card import IdCardData


@dataclass
class Presenter:
    """Who stands at the counter, as confirmed on the presenter page."""

    role: str  # owner | agent
    name: str
    id_type: str
    id_number: str
    valid_until: str = ""  # ISO date, "" long-term or unknown


@dataclass(frozen=True)
class VisitOrder:
    """An order recorded in this visit (its papers are listed and reprintable)."""

    order_no: str
    order_id: int
    service: str


@dataclass
class Visit:
    customer_id: int | None
    line_number: str | None = None
    presenter: Presenter | None = None  # confirmed in a service of this visit
    hint: Presenter | None = None  # guessed from the search (a card read, a full ID typed)
    papers: dict[str, DocCheck] = field(default_factory=dict)  # by document code
    orders: list[VisitOrder] = field(default_factory=list)
    card: IdCardData | None = None  # the last card read for this visit
    then: str | None = None  # the service to go back to after a chained one

    # -- what the search told --------------------------------------------------------------

    def found_by(self, typed: str, customer_id_type: str, customer_id_number: str,
                 customer_name: str, today: date) -> None:
        """The customer was found by their full ID number (typed or read from the card): the
        owner is presumably the one presenting it."""
        card = self.card
        if card is not None and normalize(card.id_number) == normalize(customer_id_number):
            until = card.valid_until.isoformat() if card.valid_until else ""
            self.hint = Presenter("owner", card.name, "resident_id", card.id_number, until)
            return
        if (customer_id_number and normalize(typed) == normalize(customer_id_number)
                and check_document(customer_id_type, typed, today).ok):
            self.hint = Presenter("owner", customer_name, customer_id_type,
                                  normalize(customer_id_number))

    # -- into a service ----------------------------------------------------------------------

    def seed(self, state: VisitState, catalog: Catalog, carrier: str) -> bool:
        """Fill a new service's state with what is known; True when the presenter was confirmed
        earlier in this visit (the wizard may then skip the presenter page)."""
        known = self.presenter or self.hint
        if known is not None and not (state.kind == "group" and known.role == "owner"):
            state.presenter_role = known.role
            state.presenter_name = known.name
            state.presenter_id_type = known.id_type
            state.presenter_id_number = known.id_number
            state.presenter_id_valid_until = known.valid_until
        service = catalog.services.get(state.service)
        if service is not None and self.papers:
            for row in checklist(service, state, carrier):
                code = next((c for c in row.options if c in self.papers), None)
                if code is None:
                    continue
                seen = self.papers[code]
                state.documents[row.key] = replace(
                    row, chosen=code, original_seen=True, copy_retained=seen.copy_retained,
                    id_number=seen.id_number, scan_path=seen.scan_path,
                    scan_sha256=seen.scan_sha256)
        return self.presenter is not None

    # -- back from a service -----------------------------------------------------------------

    def absorb(self, state: VisitState) -> None:
        """Keep who presented and the papers checked in a service of this visit."""
        if state.presenter_name.strip():
            self.presenter = Presenter(state.role, state.presenter_name.strip(),
                                       state.presenter_id_type, state.presenter_id_number,
                                       state.presenter_id_valid_until)
        for check in state.documents.values():
            if check.original_seen:
                self.papers[check.chosen] = replace(check)
        if state.line_number:
            self.line_number = state.line_number

    def add_order(self, order_no: str | None, order_id: int | None, service: str) -> None:
        if order_no and order_id is not None and all(o.order_no != order_no
                                                      for o in self.orders):
            self.orders.append(VisitOrder(order_no, order_id, service))
