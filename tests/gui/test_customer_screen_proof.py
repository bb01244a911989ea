"""The slip the customer reads before signing is the slip that prints after recording.

Through the services (no window): the visit's slip is built before anything is recorded
(`app.ui.customer.proof_paper`), the order is then recorded with the signature bound to the
hash shown, and the printed slip of the stored order is compared with it line by line. Cases
the window tests do not reach: a customer the hall does not know yet with a line number the
pool picks at recording, and a campaign with its terms in words, paid with change.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from pypdf import PdfReader

from app.clock import FixedClock
from app.core.catalog import get_catalog
from app.core.request import parse_request
from app.core.validators import resident_id_check_char
from app.models import ServiceOrder
from app.printing import render_slip
from app.services.customers.pii import default_personal_data
from app.services.day.counts import Counts
from app.services.day.items import CHECKLIST_CODES, INVOICE, gift_item
from app.services.day.shifts import open_shift
from app.services.hall.demo import DEMO_PASSWORD
from app.services.orders.papers import build_paper
from app.services.orders.service import (
    OrderService,
    PaymentIn,
    SignatureIn,
    Submission,
    content_hash,
)
from app.services.staff.auth import login
from app.ui.customer.proof_paper import DocumentShown, ProofInput, render_proof_slip
from tests.builders import counter_line

_BODY = "11010519880808777"  # a person the demo hall has never served
NEW_PERSON_ID = _BODY + resident_id_check_char(_BODY)
NEW_PERSON = {"kind": "personal", "name": "赵新", "unit": None, "non_local_id": False,
              "id_document": {"type": "resident_id", "number": NEW_PERSON_ID}}
NEW_OWNER = {"role": "owner", "name": "赵新",
             "id_document": {"type": "resident_id", "number": NEW_PERSON_ID}}
CAMPAIGN = {"action": "subscribe", "product": "网龄回馈", "campaign": "group_tenure_reward",
            "tier": "tier1_new", "group_member": True, "joined_on": "2015-03-01"}

REQUESTS: dict[str, dict[str, Any]] = {
    "new line, new customer, pool number": {
        "service": "new_activation", "customer": NEW_PERSON, "presenter": NEW_OWNER,
        "documents": ["resident_id"], "details": {"package": "畅爽套餐59元"},
        "signature": True},
    "campaign with terms, cash with change": {
        "service": "product_reservation", "customer": NEW_PERSON, "presenter": NEW_OWNER,
        "documents": ["bank_debit_card"], "details": CAMPAIGN, "signature": True,
        "line": counter_line("18612349876")},
}


def _lines(pdf: bytes) -> list[str]:
    out: list[str] = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        out += [ln.strip() for ln in (page.extract_text() or "").splitlines() if ln.strip()]
    return out


@pytest.mark.parametrize("case", list(REQUESTS))
def test_the_slip_shown_before_signing_is_the_one_printed(demo_db: Any, clock: FixedClock,
                                                          case: str) -> None:
    db, catalog, pd = demo_db, get_catalog(), default_personal_data()
    clerk = login(db, "C001", DEMO_PASSWORD, "C01")
    open_shift(db, clerk, dict.fromkeys(CHECKLIST_CODES, True),
               Counts(stock={INVOICE: 20, "sim_card": 20, gift_item("cooking_oil_5l"): 2},
                      invoice_first="00010001",
                      invoice_last="00010020"))
    orders = OrderService(db, catalog=catalog, personal_data=pd)
    req = parse_request(REQUESTS[case])
    ev = orders.evaluate(req)
    assert ev.decision == "accepted", ev.violations or ev.missing
    digest = content_hash(req, ev)
    total = ev.total_fen
    payments = (PaymentIn("cash", total, tendered_fen=total + 1000),) if total else ()
    cfg = orders.hall_config()
    proof = ProofInput(req, ev, digest, clerk, clock.now(), cfg.name, cfg.code, cfg.timezone,
                       tuple(DocumentShown(code) for code in req.documents), payments)
    shown = render_proof_slip(db, pd, catalog, proof)
    assert digest in "".join(_lines(shown))
    result = orders.submit(Submission(req, payments=list(payments),
                                      signature=SignatureIn(digest),
                                      started_at=clock.now()), clerk)
    assert result.order_no
    with db.read() as s:
        order = s.get(ServiceOrder, result.order_id)
        assert order is not None and order.content_hash == digest
        printed = render_slip(build_paper(s, order))
        line_number = order.line_number
    # the same lines, but for when it was signed (unknown before signing)
    assert [ln for ln in _lines(shown) if "签字时间" not in ln] == \
        [ln for ln in _lines(printed) if "签字时间" not in ln]
    assert result.order_no in "".join(_lines(shown))  # the number recording took
    assert line_number and line_number in "".join(_lines(shown))  # the pool's pick too
