"""Viewing a retained copy again, on SQLite and PostgreSQL: who may (checked in the core),
the copy decrypted and checked against its SHA-256, and every view, refusal and altered copy
in the audit chain without personal data."""

from __future__ import annotations

import hashlib
import io
import json
from datetime import timedelta

import pytest
from PIL import Image
from sqlalchemy import select, update

from app.clock import FixedClock
from app.core.request import parse_request
from app.db import Database
from app.models import OrderDocument, ServiceOrder
from app.security import PermissionDenied
from app.services.customers.scan_access import (
    SIGNATURE,
    ScanAccessError,
    ScanAltered,
    ScanViewDenied,
    may_view_scans,
    view_scan,
)
from app.services.orders.service import DocumentIn, OrderService, SignatureIn, Submission
from app.services.orders.service import content_hash as order_content_hash
from tests.builders import group
from tests.security_fixtures import actor, events, open_shift


def letter_png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (120, 80), "white").save(out, "PNG")
    return out.getvalue()


SCAN = letter_png()
PAPER = b"%PDF-1.4 signed paper\n%%EOF\n"


@pytest.fixture
def recorded(demo_db: Database, order_service: OrderService) -> str:
    """C001 records a group customer's loss report with the stamped letter scanned, and the
    signature given on paper and scanned too."""
    clerk = actor(demo_db, "C001")
    open_shift(demo_db, clerk)
    req = parse_request(group("report_loss"))
    digest = order_content_hash(req, order_service.evaluate(req))
    result = order_service.submit(Submission(
        req, documents=[DocumentIn("introduction_letter", scan=SCAN, scan_name="张三介绍信.png")],
        signature=SignatureIn(digest, on_paper=True, scan=PAPER)), clerk)
    assert result.order_no
    return result.order_no


def test_supervisor_views_the_copy_and_the_view_is_audited(demo_db: Database,
                                                           recorded: str) -> None:
    scan = view_scan(demo_db, actor(demo_db, "S001"), recorded, "introduction_letter")
    assert scan.data == SCAN and scan.mime == "image/png" and scan.name == "张三介绍信.png"
    assert scan.sha256 == hashlib.sha256(SCAN).hexdigest()
    [ev] = events(demo_db, "scan.viewed")
    assert (ev.actor, ev.target, ev.counter) == ("S001", recorded, "C01")
    assert ev.data["document"] == "introduction_letter" and ev.data["role"] == "supervisor"
    assert "张三" not in json.dumps(ev.data, ensure_ascii=False)  # no name, not even the file's


def test_signature_scan_is_viewable_too(demo_db: Database, recorded: str) -> None:
    scan = view_scan(demo_db, actor(demo_db, "S001"), recorded, SIGNATURE)
    assert scan.data == PAPER and scan.mime == "application/pdf" and scan.sha256 is None
    [ev] = events(demo_db, "scan.viewed")
    assert ev.data["document"] == SIGNATURE


def test_the_clerk_who_recorded_it_may_on_its_day_only(demo_db: Database, recorded: str,
                                                       clock: FixedClock) -> None:
    clerk = actor(demo_db, "C001")
    assert may_view_scans(demo_db, clerk, recorded)
    assert view_scan(demo_db, clerk, recorded, "introduction_letter").data == SCAN
    clock.advance(timedelta(days=1))
    assert not may_view_scans(demo_db, clerk, recorded)
    with pytest.raises(ScanViewDenied) as err:
        view_scan(demo_db, clerk, recorded, "introduction_letter")
    assert isinstance(err.value, PermissionDenied)
    assert "当天受理本单的营业员" in err.value.message_zh
    # the supervisor still may
    assert view_scan(demo_db, actor(demo_db, "S001"), recorded, "introduction_letter")


def test_another_clerk_is_refused_and_the_refusal_audited(demo_db: Database,
                                                          recorded: str) -> None:
    other = actor(demo_db, "C002", counter="C02")
    assert not may_view_scans(demo_db, other, recorded)
    with pytest.raises(ScanViewDenied):
        view_scan(demo_db, other, recorded, "introduction_letter")
    [denied] = events(demo_db, "permission.denied", actor="C002")
    assert denied.target == "pii.view_full" and denied.data["role"] == "clerk"
    assert events(demo_db, "scan.viewed") == []


def test_an_altered_copy_is_not_shown(demo_db: Database, recorded: str) -> None:
    with demo_db.session() as s:
        order_id = s.execute(select(ServiceOrder.id).where(
            ServiceOrder.order_no == recorded)).scalar_one()
        s.execute(update(OrderDocument).where(OrderDocument.order_id == order_id)
                  .values(scan_sha256="0" * 64))
    with pytest.raises(ScanAltered) as err:
        view_scan(demo_db, actor(demo_db, "S001"), recorded, "introduction_letter")
    assert "已被改动" in err.value.zh and "altered" in err.value.en
    [ev] = events(demo_db, "scan.altered")
    assert ev.data["stored_sha256"] == "0" * 64 and ev.target == recorded
    assert events(demo_db, "scan.viewed") == []


def test_another_orders_copy_swapped_in_is_caught(demo_db: Database, recorded: str,
                                                  order_service: OrderService) -> None:
    """A valid ciphertext of another copy (same key, same column) decrypts, but its hash is
    not the one recorded with this order."""
    other_scan = b"\x89PNG\r\n\x1a\n another letter"
    req = parse_request(group("report_loss", line={"number": "18612340002"}))
    digest = order_content_hash(req, order_service.evaluate(req))
    other = order_service.submit(Submission(
        req, documents=[DocumentIn("introduction_letter", scan=other_scan, scan_name="b.png")],
        signature=SignatureIn(digest, on_paper=True)), actor(demo_db, "C001")).order_no
    with demo_db.session() as s:
        ids = dict(s.execute(select(ServiceOrder.order_no, ServiceOrder.id).where(
            ServiceOrder.order_no.in_([recorded, other]))).all())
        blob = s.execute(select(OrderDocument.scan_enc).where(
            OrderDocument.order_id == ids[other])).scalar_one()
        s.execute(update(OrderDocument).where(OrderDocument.order_id == ids[recorded])
                  .values(scan_enc=blob))
    with pytest.raises(ScanAltered):
        view_scan(demo_db, actor(demo_db, "S001"), recorded, "introduction_letter")


def test_nothing_to_show(demo_db: Database, recorded: str) -> None:
    supervisor = actor(demo_db, "S001")
    with pytest.raises(ScanAccessError) as err:
        view_scan(demo_db, supervisor, recorded, "resident_id")
    assert "没有留存扫描件" in err.value.zh
    with pytest.raises(ScanAccessError):
        view_scan(demo_db, supervisor, "NO-SUCH-ORDER", "introduction_letter")
    assert events(demo_db, "scan.viewed") == []
