"""A unit's registered contact, kept when the unit is registered at the counter.

A unit (group customer) is always represented by a 经办人 who shows their own ID. When a
request registers a new unit, that person, with the 经办人电话 given on the request, becomes
the unit's registered contact (联系人): the counter then offers them as the 经办人 of the
unit's next visits (`history.unit_people`). Key persons (关键人) come with the unit's data from
account management; a registration at the counter names none.
"""

from __future__ import annotations

from app.core.request import Request
from app.models import Customer, KeyPerson

CONTACT_TITLE = "经办人"


def register_unit_contact(cust: Customer, req: Request) -> None:
    """Keep the presenting agent of a new unit's request as the unit's contact (no ID number:
    the 经办人 shows their own ID at every visit)."""
    presenter = req.presenter
    if cust.kind != "group" or presenter is None or presenter.role != "agent":
        return
    name = presenter.name.strip()[:50]
    if not name:
        return
    phone = req.details.get("agent_phone")
    phone = phone.strip()[:20] if isinstance(phone, str) and phone.strip() else None
    cust.contact_name, cust.contact_phone = name, phone
    cust.key_persons.append(KeyPerson(role="contact", name=name, phone=phone,
                                      title=CONTACT_TITLE))
