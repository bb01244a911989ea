"""What the papers say about money and about who signs (issue 12, defect 8 and 7), from orders
recorded through the service on SQLite and PostgreSQL:

- 20 yuan handed over for 10 due: 收款 20.00 / 实收合计 10.00 / 找零 10.00 on the PDF receipt
  (roll and A5) and on the ESC/POS receipt (read back as a printer reads it); before, 收款 read
  10.00 and the 20 tendered were lost;
- the 销户 slip's 告知事项 no longer repeat the reason printed under 业务内容;
- the slip names the signer in the hall's terms: 客户 for the owner, 代办人 for a person's
  agent, 经办人 for a unit's person.
"""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from pypdf import PdfReader

from app.core.request import parse_request
from app.devices.receipt_printer import render_escpos
from app.models import ServiceOrder
from app.printing.receipt import render_receipt
from app.printing.slip import render_slip
from app.services.day.counts import Counts
from app.services.day.items import CHECKLIST_CODES
from app.services.day.shifts import open_shift
from app.services.hall.demo import DEMO_PASSWORD
from app.services.orders.papers import build_paper
from app.services.orders.service import OrderService, PaymentIn, Submission
from app.services.staff.auth import login
from tests.builders import OWNER, PERSON, as_agent, group
from tests.builders import counter_line as line
from tests.devices.escpos_sim import decode


@pytest.fixture
def hall(demo_db: Any) -> dict[str, Any]:
    clerk = login(demo_db, "C001", DEMO_PASSWORD, "C01")
    open_shift(demo_db, clerk, dict.fromkeys(CHECKLIST_CODES, True), Counts(stock={}))
    return {"db": demo_db, "svc": OrderService(demo_db), "clerk": clerk}


def submit(h: dict[str, Any], raw: dict[str, Any], payments: list[PaymentIn] | None = None
           ) -> Any:
    result = h["svc"].submit(Submission(parse_request(raw), payments=payments or []),
                             h["clerk"])
    assert result.order_no, result.evaluation
    with h["db"].read() as s:
        order = s.query(ServiceOrder).filter_by(order_no=result.order_no).one()
        return build_paper(s, order)


def pdf_text(pdf: bytes) -> str:
    return "\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages)


def amount_after(text: str, label: str) -> str:
    """The amount printed after `label` (on its line or the next)."""
    found = re.search(re.escape(label) + r"\s*([\d,]+\.\d\d)", text)
    assert found, (label, text)
    return found.group(1)


def personal(service: str, details: dict[str, Any], **over: Any) -> dict[str, Any]:
    raw = {"service": service, "customer": PERSON, "presenter": OWNER, "documents": [],
           "details": details, "signature": True, "line": line("18612340001", **over)}
    return raw


def test_cash_tendered_change_and_kept_on_every_receipt(hall: dict[str, Any]) -> None:
    paper = submit(hall, personal("bill_payment", {"amount": 10}, arrears=10),
                   [PaymentIn("cash", 1000, 2000)])
    (row,) = paper.payments
    assert (row.amount_fen, row.tendered_fen, row.received_fen) == (1000, 2000, 2000)
    assert paper.change_fen == 1000
    want = {"收款：现金": "20.00", "实收合计": "10.00", "找零": "10.00", "应收合计": "10.00"}
    for layout in ("thermal", "a5"):
        text = pdf_text(render_receipt(paper, layout))
        assert {k: amount_after(text, k) for k in want} == want, layout
    for width in (58, 80):
        out = decode(render_escpos(paper, "receipt", width_mm=width)).text
        lines = {k: next(x for x in out.splitlines() if x.startswith(k)) for k in want}
        assert {k: v.split()[-1] for k, v in lines.items()} == want, width


def test_a_card_payment_reads_its_amount(hall: dict[str, Any]) -> None:
    paper = submit(hall, personal("bill_payment", {"amount": 10}, arrears=10),
                   [PaymentIn("card", 1000, None, "POS 001234")])
    text = pdf_text(render_receipt(paper, "thermal"))
    assert amount_after(text, "收款：银行卡") == "10.00"
    assert amount_after(text, "找零") == "0.00"


def test_the_cancellation_slip_does_not_repeat_the_reason(hall: dict[str, Any]) -> None:
    paper = submit(hall, personal("cancellation", {"reason": "出国定居",
                                                   "retention": "attempted_failed"},
                                  balance=0))  # no balance to refund (a supervisor's)
    assert "销户原因：出国定居" in paper.notices  # the catalog's notice is still recorded
    text = pdf_text(render_slip(paper))
    body, _, notices = text.partition("告知事项")
    assert "出国定居" in body  # under 业务内容, once
    assert "出国定居" not in notices.split("客户确认")[0]


def test_the_slip_names_the_signer_in_the_halls_terms(hall: dict[str, Any]) -> None:
    owner = pdf_text(render_slip(submit(hall, personal("complaint", {
        "subject": "乱扣费", "description": "-"}))))
    assert "客户签字" in owner and "经办人" not in owner and "代办人" not in owner.split(
        "客户确认")[-1]
    agent_raw = as_agent(personal("complaint", {"subject": "乱扣费", "description": "-"}),
                         ["resident_id", "authorization_letter"])
    agent = pdf_text(render_slip(submit(hall, agent_raw))).split("客户确认")[-1]
    assert "代办人签字" in agent and "本人（代办人）" in agent and "经办人" not in agent
    unit_raw = group("complaint", details={"subject": "乱扣费", "description": "-"})
    unit = pdf_text(render_slip(submit(hall, unit_raw))).split("客户确认")[-1]
    assert "经办人签字" in unit and "本人（经办人）" in unit and "代办人" not in unit
