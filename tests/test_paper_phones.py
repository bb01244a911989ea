"""Phone numbers on paper (issue #15, docs/security.md): only the line the order serves is
printed in full; every other phone number is masked 138****1234. Read back from the PDFs."""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

import printing_fixtures as fx  # tests/ is on sys.path under pytest
import pytest
from pypdf import PdfReader

from app.core.request import parse_request
from app.printing import (
    FollowUpRow,
    OrderPaper,
    papers_for,
    render_daily_report,
    render_receipt,
)
from app.printing.daily import RejectionLine
from app.printing.phones import mask_paper_phones, mask_phones
from app.services.hall.registry import batch_actor
from app.services.orders.papers import print_order
from app.services.orders.service import OrderService, Submission
from tests.builders import personal

SERVED = "13800138000"  # the line of the sample papers
CONTACT, CONTACT_MASKED = "13912345678", "139****5678"
NOTE, NOTE_MASKED = "186 2000 1234", "186 **** 1234"
LANDLINE, LANDLINE_MASKED = "020-87654321", "020-****4321"


def pdf_text(pdf: bytes) -> str:
    """The text of every page, without the spaces and line breaks a layout may add."""
    text = "".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages)
    return "".join(text.split())


def squeeze(text: str) -> str:
    return "".join(text.split())


def with_phones(paper: OrderPaper) -> OrderPaper:
    """The paper with a contact's phones in its details, a note and a follow-up."""
    return replace(
        paper,
        line_number=SERVED,
        details=[*paper.details, ("联系电话", CONTACT), ("备用电话", LANDLINE),
                 ("本机号码", SERVED)],
        notices=[*paper.notices, f"请保持 {NOTE} 畅通，工作人员将回电。"],
        follow_ups=[*paper.follow_ups, FollowUpRow(f"回电 {CONTACT}", fx.T0)],
    )


# -- the rule ----------------------------------------------------------------------------------

@pytest.mark.parametrize("text, served, shown", [
    ("联系电话13912345678", None, "联系电话139****5678"),
    ("+86 139 1234 5678", None, "+86 139 **** 5678"),
    ("0086-13912345678", None, "0086-139****5678"),
    ("１３９１２３４５６７８", None, "139****5678"),
    ("(020)87654321、0755-12345678", None, "(020)****4321、0755-****5678"),
    ("本机 13800138000，联系 13912345678", SERVED, "本机 13800138000，联系 139****5678"),
    ("+86 138 0013 8000", SERVED, "+86 138 0013 8000"),  # the served line, written otherwise
    # Not phone numbers: longer codes, short hotlines, dates, order numbers, masked numbers.
    ("ICCID 89860113912345678421", None, "ICCID 89860113912345678421"),
    ("客服热线 10010、95555", None, "客服热线 10010、95555"),
    ("H4401-C03-20261122-00042-7 于 2026-11-22", None,
     "H4401-C03-20261122-00042-7 于 2026-11-22"),
    ("139****5678", None, "139****5678"),
])
def test_the_numbers_in_a_text(text: str, served: str | None, shown: str) -> None:
    assert mask_phones(text, served) == shown
    assert mask_phones(shown, served) == shown  # idempotent


def test_the_rule_is_written_where_the_masking_is() -> None:
    import app.printing.phones as phones

    assert phones.__doc__ is not None and "业务号码" in phones.__doc__


def test_masking_a_paper_keeps_its_line_and_the_rest() -> None:
    paper = with_phones(fx.sim_replacement())
    masked = mask_paper_phones(paper)
    assert masked.line_number == SERVED
    assert ("联系电话", CONTACT_MASKED) in masked.details
    assert ("本机号码", SERVED) in masked.details
    assert masked.order_no == paper.order_no and masked.fees == paper.fees


# -- every paper of an order -------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(fx.all_samples()))
def test_every_paper_shows_the_served_line_and_masks_the_others(name: str) -> None:
    paper = with_phones(fx.all_samples()[name])
    renderers = [*papers_for(paper), ("receipt-a5", lambda: render_receipt(paper, "a5"))]
    for kind, render in renderers:
        text = pdf_text(render())
        for full in (CONTACT, squeeze(NOTE), "87654321"):
            assert full not in text, (name, kind, full)
        assert SERVED in text, (name, kind)  # every paper names its line, in full
        if kind in ("slip", "fault-ticket", "complaint-ticket", "bill-cover"):
            assert CONTACT_MASKED in text and LANDLINE_MASKED in text, (name, kind)
        if kind == "slip":
            assert squeeze(NOTE_MASKED) in text, (name, kind)


def test_the_daily_report_masks_every_phone() -> None:
    report = fx.daily_report()
    report = replace(
        report,
        rejections=[*report.rejections, RejectionLine(
            "15:02", "李晓梅", "改号", f"号码 {SERVED} 已被使用，客户联系电话 {CONTACT}")],
        notes=[*report.notes, f"客户 {NOTE} 来电询问进度"],
    )
    text = pdf_text(render_daily_report(report))
    for full in (SERVED, CONTACT, squeeze(NOTE)):
        assert full not in text
    for masked in ("138****8000", CONTACT_MASKED, squeeze(NOTE_MASKED)):
        assert masked in text


# -- from a recorded order ---------------------------------------------------------------------

def test_a_recorded_complaint_prints_its_contact_masked(order_service: OrderService,
                                                       tmp_path: Path) -> None:
    req = personal("complaint", details={"subject": "账单", "description": "未订购的增值业务",
                                          "contact_phone": CONTACT})
    req["line"]["number"] = SERVED
    db = order_service.db
    actor = batch_actor(db)
    result = order_service.submit(Submission(parse_request(req)), actor)
    assert result.order_id is not None, result.evaluation
    paths = print_order(db, result.order_id, tmp_path, actor)
    assert paths
    for path in paths:
        text = pdf_text(path.read_bytes())
        assert CONTACT not in text and CONTACT_MASKED in text, path.name
        assert SERVED in text, path.name
