"""Showing a full ID number or address: only to roles with `pii.view_full`, and always audited.

Screens show the masked value (`id_masked`) by default. Revealing the full value is a
deliberate act: the permission is checked here in the core, the refusal or the viewing is an
audit event (who, which customer, which field, why; never the value itself), and the audit
event is written before the value is returned, so there is no viewing without a record.
"""

from __future__ import annotations

from typing import Final

from app.db import Database
from app.models import Customer, ServiceOrder
from app.security import DecryptionError, Permission, SecurityError
from app.services.audit import events as audit
from app.services.customers.pii import PersonalData, default_personal_data
from app.services.hall.registry import Actor
from app.services.staff.auth import require

_FIELDS: Final = {
    # field: (model, encrypted attribute, masked attribute, encryption context)
    "customer.id": (Customer, "id_enc", "id_masked", "customer.id"),
    "customer.reg": (Customer, "reg_enc", "reg_masked", "customer.reg"),
    "customer.address": (Customer, "address_enc", None, "customer.address"),
    "order.presenter_id": (ServiceOrder, "presenter_id_enc", "presenter_id_masked",
                           "order.presenter_id"),
}


class PiiAccessError(SecurityError):
    """Nothing to show (no such row, no stored value), or the value cannot be decrypted."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(zh, en)
        self.zh, self.en = zh, en


def reveal(db: Database, actor: Actor, field: str, row_id: int, *, reason: str = "",
           personal_data: PersonalData | None = None) -> str:
    """The clear value of one encrypted field of one row (see `_FIELDS`)."""
    if field not in _FIELDS:
        raise ValueError(f"unknown personal-data field {field!r}")
    require(db, actor, Permission.PII_VIEW_FULL)
    model, enc_attr, masked_attr, context = _FIELDS[field]
    pd = personal_data or default_personal_data()
    with db.session() as s:
        row = s.get(model, row_id)
        blob = getattr(row, enc_attr, None) if row is not None else None
        if row is None or blob is None:
            raise PiiAccessError("没有可查看的完整信息", "no stored value to show")
        try:
            value = pd.decrypt(blob, context)
        except DecryptionError as exc:
            raise PiiAccessError(exc.message_zh, exc.message_en) from None
        audit.record(s, "pii.view", actor=actor.staff_no, actor_staff_id=actor.staff_id,
                     counter=actor.counter_code, target=str(getattr(row, "uid", row_id)),
                     authorized_by=actor.authorized_by,
                     data={"field": field, "masked": getattr(row, masked_attr) if masked_attr
                           else None, "reason": " ".join(reason.split())[:200]})
    return value


def reveal_customer_id(db: Database, actor: Actor, customer_id: int, *, reason: str = "",
                       personal_data: PersonalData | None = None) -> str:
    """The customer's full ID number (a unit's registration number for a group customer)."""
    field = "customer.id"
    with db.read() as s:
        cust = s.get(Customer, customer_id)
        if cust is not None and cust.id_enc is None and cust.reg_enc is not None:
            field = "customer.reg"
    return reveal(db, actor, field, customer_id, reason=reason, personal_data=personal_data)
