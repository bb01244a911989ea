"""What an order hands over from the counter's stock, and the checks before it may.

An accepted order at a counter takes a blank SIM card (a new mobile line, a SIM
replacement), a campaign's gift, value cards (a value-card sale, one per serial); the
order's own transaction checks that the counter has them (`ledger.require_on_hand`,
called by `app.services.day.hooks.on_order_recorded`), so stock never goes below zero. The
wizard may ask the same question before the customer signs (`check_issue`).

A value card's serial is sold once, ever: a sale naming a serial sold before is refused
with the order that sold it (and a unique index on the sold serials stops a race).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.catalog import get_catalog
from app.core.fees import value_card_face_fen, value_card_serials
from app.db import Database
from app.models import ServiceOrder
from app.models.day import StockMovement
from app.services.day.errors import DayError
from app.services.day.items import SIM_CARD, gift_item, value_card_item
from app.services.hall.registry import Actor
from app.services.stock.ledger import require_on_hand

VALUE_CARD_SALE = "value_card_sale"


def _gift_of(details: Mapping[str, Any]) -> str | None:
    """The gift the order hands over: the one chosen (`details.gift`, when the tier offers a
    choice), else the tier's default."""
    campaign = get_catalog().campaigns.get(details.get("campaign") or "")
    tier = campaign.tier(details.get("tier") or "") if campaign else None
    if tier is None:
        return None
    chosen = details.get("gift")
    gift = tier.gift(chosen if isinstance(chosen, str) else None)
    return gift.code if gift is not None else tier.gift_code


def issued_items(service: str, details: Mapping[str, Any]) -> list[tuple[str, str | None]]:
    """(item, serial) of each piece the order hands over (invoices aside: they go with
    payments). `details` as the order stores them."""
    out: list[tuple[str, str | None]] = []
    if service == "sim_replacement" or (
            service == "new_activation" and details.get("line_kind", "mobile") == "mobile"):
        out.append((SIM_CARD, details.get("new_sim_serial")))
    gift = _gift_of(details)
    if gift:
        out.append((gift_item(gift), None))
    if service == VALUE_CARD_SALE:
        item = value_card_item(value_card_face_fen(details))
        out += [(item, serial) for serial in value_card_serials(details.get("serials"))]
    return out


class SerialSold(DayError):
    def __init__(self, serial: str, order_no: str | None) -> None:
        where = f"（订单 {order_no}）" if order_no else ""
        super().__init__(f"有价卡 {serial} 已售出{where}，不能再次出售；请核对卡号",
                         f"value card {serial} was sold before ({order_no or 'another order'})"
                         ": check the serial")
        self.serial = serial


def require_unsold(s: Session, serials: Iterable[str]) -> None:
    wanted = sorted(set(serials))
    if not wanted:
        return
    found = s.execute(select(StockMovement.serial, ServiceOrder.order_no)
                      .join(ServiceOrder, ServiceOrder.id == StockMovement.order_id, isouter=True)
                      .where(StockMovement.serial.in_(wanted), StockMovement.kind == "use",
                             StockMovement.item.like("value_card:%"))
                      .order_by(StockMovement.serial)).first()
    if found is not None:
        raise SerialSold(str(found[0]), found[1])


def require_issuable(s: Session, counter_id: int | None, service: str,
                     details: Mapping[str, Any]) -> None:
    """Refuse (`StockShortage`, `SerialSold`) an order whose pieces this counter cannot hand
    over; `counter_id` None (the batch channel) checks only the serials."""
    pieces = issued_items(service, details)
    if service == VALUE_CARD_SALE:
        require_unsold(s, [serial for _, serial in pieces if serial])
    if counter_id is not None:
        require_on_hand(s, counter_id, Counter(item for item, _ in pieces))


def check_issue(db: Database, actor: Actor, service: str, details: Mapping[str, Any]) -> None:
    """The same refusal before anything is recorded (for the wizard, before the signature)."""
    with db.read() as s:
        require_issuable(s, actor.counter_id if actor.channel == "counter" else None,
                         service, details)
