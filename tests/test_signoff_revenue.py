"""Revenue by payment method and per clerk, on SQLite and PostgreSQL, against figures worked
out by hand; and the daily report PDF with its revenue table and bar charts (the labels read
back with pypdf, the page rendered with pdftoppm and the bars found in its pixels)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from pypdf import PdfReader

from app.clock import FixedClock
from app.core.request import parse_request
from app.printing import render_daily_report
from app.security import Permission, PermissionDenied
from app.services.day.counts import Counts
from app.services.day.items import CHECKLIST_CODES, INVOICE, SIM_CARD
from app.services.day.reports import build_daily_report
from app.services.day.revenue import day_revenue
from app.services.day.shifts import open_shift
from app.services.hall.demo import DEMO_PASSWORD
from app.services.hall.registry import batch_actor
from app.services.orders.service import OrderService, PaymentIn, Submission
from app.services.orders.void import void_order
from app.services.staff.auth import authorize, login
from tests.builders import DAY, OWNER, PERSON
from tests.builders import counter_line as line

OPENING = Counts(stock={SIM_CARD: 20, INVOICE: 50}, cash={10000: 5},
                 invoice_first="00030001", invoice_last="00030050")
BAR_RGB = (20, 102, 191)  # app.printing.report.CHART_BAR


def request(service: str, details: dict[str, Any], documents: tuple[str, ...] = (),
            number: str = "18612345678") -> Any:
    return parse_request({"service": service, "customer": PERSON, "presenter": OWNER,
                          "documents": list(documents), "details": details, "signature": True,
                          "line": line(number)})


def a_day(db: Any, clock: FixedClock) -> None:
    """Clerk 1 (李明): 100 yuan cash, a SIM card paid 10 by card, 50 by mobile payment, a
    20 yuan cash refund. Clerk 2 (赵敏): 30 cash (voided later), 90 by card, 60 paid 20 cash +
    40 mobile. The batch channel: 25 cash."""
    svc = OrderService(db)
    clerk1 = login(db, "C001", DEMO_PASSWORD, "C01")
    clerk2 = login(db, "C002", DEMO_PASSWORD, "C02")
    for clerk in (clerk1, clerk2):
        open_shift(db, clerk, dict.fromkeys(CHECKLIST_CODES, True), OPENING)

    def serve(actor: Any, req: Any, payments: list[PaymentIn] | None = None) -> str:
        result = svc.submit(Submission(req, payments=payments or []), actor)
        clock.advance(minutes=3)
        assert result.order_no, result.outcome()
        return str(result.order_no)

    serve(clerk1, request("bill_payment", {"amount": 100}))
    serve(clerk1, request("sim_replacement", {"new_sim_serial": "89860112345678901234"}),
          [PaymentIn("card", 1000)])
    serve(clerk1, request("bill_payment", {"amount": 50}), [PaymentIn("mobile_pay", 5000)])
    refund = authorize(db, clerk1, "S001", DEMO_PASSWORD, Permission.REFUND_APPROVE, "退款 20 元")
    serve(refund, request("prepayment_refund", {"amount": 20, "paid_by": "cash"},
                          ("payment_invoice",)))
    wrong = serve(clerk2, request("bill_payment", {"amount": 30}, number="18612345679"))
    serve(clerk2, request("bill_payment", {"amount": 90}, number="18612345679"),
          [PaymentIn("card", 9000)])
    serve(clerk2, request("bill_payment", {"amount": 60}, number="18612345680"),
          [PaymentIn("cash", 2000), PaymentIn("mobile_pay", 4000)])
    void_order(db, authorize(db, clerk2, "S001", DEMO_PASSWORD, Permission.ORDER_VOID, "输错"),
               wrong, "金额输错")
    assert svc.submit(Submission(request("bill_payment", {"amount": 25}, number="18612345681")),
                      batch_actor(db)).order_no


def test_revenue_by_method_and_clerk(demo_db: Any, clock: FixedClock) -> None:
    db = demo_db
    a_day(db, clock)
    sup = login(db, "S001", DEMO_PASSWORD, "C03")
    with pytest.raises(PermissionDenied):
        day_revenue(db, login(db, "C001", DEMO_PASSWORD, "C01"), DAY)
    revenue = day_revenue(db, sup, DAY)
    # By hand: cash 100 - 20 + 20 + 25 (batch) = 125; card 10 + 90 = 100; mobile 50 + 40 = 90.
    assert [(m.method, m.payments, m.received_fen, m.paid_out_fen, m.net_fen)
            for m in revenue.methods] == [("cash", 4, 14500, 2000, 12500),
                                          ("card", 2, 10000, 0, 10000),
                                          ("mobile_pay", 2, 9000, 0, 9000)]
    assert revenue.total_fen == 31500
    assert [(c.label, c.orders, c.by_method, c.total_fen) for c in revenue.clerks] == [
        ("李明（C001）", 4, {"cash": 8000, "card": 1000, "mobile_pay": 5000}, 14000),
        ("赵敏（C002）", 2, {"card": 9000, "cash": 2000, "mobile_pay": 4000}, 15000),
        ("批量通道", 1, {"cash": 2500}, 2500)]

    report = build_daily_report(db, DAY)
    assert report.revenue_methods == ["现金", "银行卡", "移动支付"]
    assert [(r.name, r.amounts, r.orders) for r in report.revenue] == [
        ("李明（C001）", (8000, 1000, 5000), 4), ("赵敏（C002）", (2000, 9000, 4000), 2),
        ("批量通道", (2500, 0, 0), 1)]
    # The same basis as the report's payment table and its per-clerk column.
    assert sum(r.total for r in report.revenue) == sum(p.amount_fen for p in report.payments)
    assert {c.clerk_no: c.amount_fen for c in report.clerks if c.clerk_no != "B01"} == {
        "C001": 14000, "C002": 15000}


def test_the_daily_report_pdf_has_the_revenue_chart(demo_db: Any, clock: FixedClock,
                                                    tmp_path: Path) -> None:
    a_day(demo_db, clock)
    pdf = tmp_path / "daily.pdf"
    pdf.write_bytes(render_daily_report(build_daily_report(demo_db, DAY)))
    pages = PdfReader(str(pdf)).pages
    text = "".join(p.extract_text() for p in pages)
    for label in ("营业收入（按收款方式、按营业员，已扣退款）", "按收款方式（元）", "按营业员（元）",
                  "移动支付", "李明（C001）", "赵敏（C002）", "批量通道", "315.00", "125.00"):
        assert label in text, label
    page = next(i for i, p in enumerate(pages, 1) if "按营业员（元）" in p.extract_text())
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    subprocess.run(["pdftoppm", "-r", "60", "-f", str(page), "-l", str(page), "-png",
                    str(pdf), str(tmp_path / "page")], check=True, timeout=60)
    image = Image.open(next(tmp_path.glob("page*.png"))).convert("RGB")
    colours = image.getcolors(maxcolors=1 << 20) or []
    bar = sum(n for n, px in colours
              if all(abs(a - b) <= 12 for a, b in zip(px, BAR_RGB, strict=True)))
    assert bar > 400, bar  # six bars of solid colour (three methods, three clerks)
