"""The day's dialogs, driven with qtbot: opening a shift, closing it with a difference that a
supervisor approves at the counter, the supervisor's day view with its sign-off, and the
complaint register. `DAY_SCREENSHOTS=1` also writes docs/screenshots/day_*.png."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from sqlalchemy import select

from app.core.request import parse_request
from app.models.day import Complaint, DaySignoff, Shift
from app.services.day.counts import Counts
from app.services.day.hooks import local_today
from app.services.day.items import CHECKLIST_CODES, INVOICE, SIM_CARD, gift_item, money_item
from app.services.day.shifts import open_shift
from app.services.hall.demo import DEMO_PASSWORD
from app.services.orders.service import OrderService, PaymentIn, Submission
from app.services.staff.auth import login
from app.ui.day import (
    ComplaintRegisterView,
    ShiftCloseDialog,
    ShiftOpenDialog,
    SupervisorDayView,
)
from app.ui.day.day_view import LATE
from app.ui.day.shift_close import BEYOND, WITHIN
from app.ui.kit.op_runner import OpRunner

from .ui_fixtures import no_thread_leak, op_runner, translators

__all__ = ["no_thread_leak", "op_runner", "translators"]

pytestmark = [pytest.mark.gui, pytest.mark.usefixtures("no_thread_leak")]

ROOT = Path(__file__).resolve().parents[2]
SHOTS = os.environ.get("DAY_SCREENSHOTS") == "1"
OIL = gift_item("cooking_oil_5l")
PERSON = {"kind": "personal", "name": "陈静", "unit": None, "non_local_id": False,
          "id_document": {"type": "resident_id", "number": "310104199002154578"}}
OWNER = {"role": "owner", "name": "陈静",
         "id_document": {"type": "resident_id", "number": "310104199002154578"}}
LINE = {"number": "18612345678", "payment": "postpaid", "status": "active", "arrears": 0,
        "balance": 50, "points": 0, "contract_end": None, "nice_number_until": None,
        "subsidy_until": None, "campaign_until": None, "relocated_keep_number": "none",
        "prepaid_phase": None, "lock_expired": False, "blacklisted": False, "vip": False,
        "collection_exempt": False, "intl_roaming": {"open": False, "prepayment": 0},
        "realname": "complete"}
OPENING = Counts(stock={SIM_CARD: 50, INVOICE: 100, OIL: 10}, cash={10000: 5, 1000: 10},
                 invoice_first="00010001", invoice_last="00010100")


def order(service: str, details: dict[str, Any], documents: tuple[str, ...] = (),
          line: bool = True, **state: Any) -> Any:
    raw: dict[str, Any] = {"service": service, "customer": PERSON, "presenter": OWNER,
                           "documents": list(documents), "details": details, "signature": True}
    if line:
        raw["line"] = {**LINE, **state}
    return parse_request(raw)


@pytest.fixture
def day(demo_db: Any, qapp: QApplication) -> dict[str, Any]:
    if SHOTS:
        from app.ui.kit import fonts, i18n
        from app.ui.kit.theme import apply_theme

        fonts.install_cjk_font(qapp)
        apply_theme(qapp)
        i18n.install_translators("zh_CN")
    db = demo_db
    with db.read() as s:
        today = local_today(s, 1)
    return {"db": db, "today": today, "svc": OrderService(db),
            "clerk": login(db, "C001", DEMO_PASSWORD, "C01"),
            "clerk2": login(db, "C002", DEMO_PASSWORD, "C02"),
            "sup": login(db, "S001", DEMO_PASSWORD, "C03")}


def shot(widget: Any, name: str) -> None:
    if SHOTS:
        from app.ui.kit.screenshots import grab_to_png

        widget.show()
        QApplication.processEvents()
        grab_to_png(widget, ROOT / "docs" / "screenshots" / f"day_{name}.png")


def wait(runner: OpRunner) -> None:
    assert runner.wait_idle(60.0)


def test_open_shift_dialog(day: dict[str, Any], op_runner: OpRunner, qtbot: Any,
                           translators: None) -> None:
    dialog = ShiftOpenDialog(op_runner, day["db"], day["clerk"])
    qtbot.addWidget(dialog)
    dialog.form.set_counts(OPENING)
    assert dialog.form.cash_total_label.text().startswith("600.00")
    # A check left unticked needs a note: nothing is written.
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.error.isVisibleTo(dialog) and dialog.error.text() and dialog.result() == 0
    for code in CHECKLIST_CODES:
        if code != "check_demo_area":
            dialog.checks[code].setChecked(True)
    dialog.note.setPlainText("演示区电视故障，已报修")
    shot(dialog, "shift_open")
    with qtbot.waitSignal(dialog.accepted, timeout=60_000):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    wait(op_runner)
    assert dialog.result_shift is not None and dialog.result_shift.counter_code == "C01"
    with day["db"].read() as s:
        shift = s.execute(select(Shift)).scalar_one()
        assert shift.checklist["check_demo_area"] is False and shift.status == "open"


def test_open_shift_dialog_shows_the_core_refusal(day: dict[str, Any], op_runner: OpRunner,
                                                  qtbot: Any) -> None:
    open_shift(day["db"], day["clerk"], dict.fromkeys(CHECKLIST_CODES, True), OPENING)
    dialog = ShiftOpenDialog(op_runner, day["db"], day["clerk"])
    qtbot.addWidget(dialog)
    for check in dialog.checks.values():
        check.setChecked(True)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    wait(op_runner)
    assert "已开班" in dialog.error.text() and dialog.ok_button.isEnabled()


def test_close_shift_dialog_with_supervisor_approval(day: dict[str, Any], op_runner: OpRunner,
                                                     qtbot: Any) -> None:
    db, clerk = day["db"], day["clerk"]
    open_shift(db, clerk, dict.fromkeys(CHECKLIST_CODES, True), OPENING)
    day["svc"].submit(Submission(order("sim_replacement", {"new_sim_serial": "8986001"}),
                                 payments=[PaymentIn("card", 1000)]), clerk)
    day["svc"].submit(Submission(order("bill_payment", {"amount": 100})), clerk)
    dialog = ShiftCloseDialog(op_runner, db, clerk)
    qtbot.addWidget(dialog)
    wait(op_runner)
    assert dialog.preview is not None and dialog.ok_button.isEnabled()
    assert "card" in dialog.form.money_spins
    # Count what is expected, except 5 yuan short in cash and one SIM card missing.
    dialog.form.set_counts(Counts(stock={SIM_CARD: 48, INVOICE: 98, OIL: 10},
                                  cash={10000: 6, 1000: 9, 500: 1}, invoice_first="00010003",
                                  invoice_last="00010100", money={"card": 1000}))
    assert sorted(dialog.differences()) == [(money_item("cash"), -500, False),
                                            (SIM_CARD, -1, True)]
    rows = {dialog.table.item(r, 0).text(): r for r in range(dialog.table.rowCount())}
    assert dialog.table.item(rows["空白SIM/USIM卡"], 3).background().color() == BEYOND
    assert dialog.table.item(rows["现金"], 3).background().color() == WITHIN
    assert dialog.approval_box.isVisibleTo(dialog)
    # Without the supervisor's credentials nothing is closed.
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert "值班长" in dialog.error.text() or "supervisor" in dialog.error.text()
    dialog.explanations[SIM_CARD].setText("写卡失败损坏一张，已封存")
    dialog.explanations[money_item("cash")].setText("找零差错")
    dialog.sup_no.setText("S001")
    dialog.sup_password.setText("wrong")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    wait(op_runner)
    assert "密码" in dialog.error.text() and dialog.sup_password.text() == ""
    qtbot.keyClicks(dialog.sup_password, DEMO_PASSWORD)
    assert dialog.error.text() == "" or not dialog.error.isVisibleTo(dialog)
    dialog.sup_note.setText("已核实")
    shot(dialog, "shift_close")
    with qtbot.waitSignal(dialog.accepted, timeout=60_000):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    wait(op_runner)
    assert dialog.result_close is not None and dialog.result_close.approved_by == "S001"
    with db.read() as s:
        assert s.execute(select(Shift.status)).scalar() == "approved"


def _a_closed_day(day: dict[str, Any]) -> None:
    """Two clerks' business, with a little of everything for the charts and lists."""
    from datetime import timedelta

    from app.services.day.shifts import close_shift, preview_close
    from app.services.orders.void import void_order

    db, svc = day["db"], day["svc"]
    checks = dict.fromkeys(CHECKLIST_CODES, True)
    for clerk in (day["clerk"], day["clerk2"]):
        open_shift(db, clerk, checks, OPENING)
    now = db.clock.now()
    services = [("bill_payment", {"amount": 100}, (), True),
                ("sim_replacement", {"new_sim_serial": "8986002"}, (), True),
                ("product_reservation", {"action": "subscribe", "product": "网龄回馈",
                                         "campaign": "group_tenure_reward", "tier": "tier1_new",
                                         "group_member": True, "joined_on": "2015-03-01"},
                 ("bank_debit_card",), True),
                ("complaint", {"subject": "网速慢", "description": "晚上网速慢",
                               "contact_phone": "13912345678"}, (), False),
                ("fault_report", {"fault_type": "ordinary", "description": "无信号"}, (), True),
                ("prepayment_refund", {"amount": 20, "paid_by": "cash"}, ("payment_invoice",),
                 True),
                ("points_query", {}, ("service_password",), True)]
    from app.security import Permission
    from app.services.staff.auth import authorize

    last = None
    for i in range(14):
        service, details, docs, line = services[i % len(services)]
        clerk = day["clerk"] if i % 2 else day["clerk2"]
        if service == "prepayment_refund":  # money back: the supervisor authorizes it
            clerk = authorize(db, clerk, "S001", DEMO_PASSWORD, Permission.REFUND_APPROVE,
                              "退款 20.00 元")
        res = svc.submit(Submission(order(service, details, docs, line),
                                    started_at=now - timedelta(minutes=3 + i % 5)), clerk)
        last = res if service == "bill_payment" else last
    svc.submit(Submission(order("number_change", {"new_number": "18612340000"}, (), True,
                                arrears=58)), day["clerk"])
    assert last is not None and last.order_no
    void_order(db, authorize(db, day["clerk2"], "S001", DEMO_PASSWORD, Permission.ORDER_VOID,
                             "金额输错"), last.order_no, "金额输错")
    for clerk in (day["clerk"], day["clerk2"]):
        p = preview_close(db, clerk)
        stock = {ln.item: ln.expected for ln in p.lines if not ln.money}
        money = {ln.item.split(":")[1]: ln.expected for ln in p.lines if ln.money}
        cash = money.pop("cash")
        counts = Counts(stock=stock, cash={100: cash // 100, 10: (cash % 100) // 10},
                        invoice_first=p.invoice_first_expected, invoice_last="00010100",
                        money=money)
        close_shift(db, clerk, counts, {})


def test_supervisor_day_view_and_sign_off(day: dict[str, Any], op_runner: OpRunner,
                                          qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    db = day["db"]
    open_shift(db, day["clerk"], dict.fromkeys(CHECKLIST_CODES, True), OPENING)
    view = SupervisorDayView(op_runner, db, day["sup"])
    qtbot.addWidget(view)
    wait(op_runner)
    # An open shift blocks the sign-off, and is shown.
    assert view.shifts.rowCount() == 1 and not view.signoff_button.isEnabled()
    assert any("C01" in text for text in view.checklist.blocking_texts())
    assert view.shifts.item(0, 0).background().color() == LATE
    from app.services.day.shifts import close_shift, preview_close

    p = preview_close(db, day["clerk"])
    close_shift(db, day["clerk"], Counts(
        stock={ln.item: ln.expected for ln in p.lines if not ln.money},
        cash=OPENING.cash, invoice_first="00010001", invoice_last="00010100"), {})
    view.load()
    wait(op_runner)
    assert view.signoff_button.isEnabled() and view.checklist.blocking_texts() == []
    # The confirmation box: "Yes" signs the day off.
    boxes: list[QMessageBox] = []
    monkeypatch.setattr(QMessageBox, "open", lambda self: boxes.append(self))
    qtbot.mouseClick(view.signoff_button, Qt.MouseButton.LeftButton)
    assert boxes
    boxes[0].button(QMessageBox.StandardButton.Yes).click()
    wait(op_runner)
    wait(op_runner)
    with db.read() as s:
        assert s.execute(select(DaySignoff.business_date)).scalar() == day["today"]
    assert not view.signoff_button.isEnabled()
    assert view.status.text() and "C03" not in view.status.text()


def test_supervisor_day_view_refuses_a_clerk(day: dict[str, Any], op_runner: OpRunner,
                                             qtbot: Any) -> None:
    view = SupervisorDayView(op_runner, day["db"], day["clerk"])
    qtbot.addWidget(view)
    wait(op_runner)
    assert "权限不足" in view.error.text() and not view.signoff_button.isEnabled()


def test_day_view_figures(day: dict[str, Any], op_runner: OpRunner, qtbot: Any,
                          tmp_path: Path) -> None:
    _a_closed_day(day)
    view = SupervisorDayView(op_runner, day["db"], day["sup"])
    qtbot.addWidget(view)
    view.resize(1180, 780)
    wait(op_runner)
    assert view.figures is not None and sum(view.figures.per_hour.values()) == 14
    assert view.hour_chart.data and view.service_chart.data and view.handling_chart.data
    assert view.voids.rowCount() == 3  # one void, two refunds
    assert view.intakes.rowCount() == 1
    shot(view, "supervisor_view")
    view.tabs.setCurrentIndex(4)
    shot(view, "supervisor_voids")
    view.write_report(tmp_path / "daily.pdf")
    wait(op_runner)
    assert (tmp_path / "daily.pdf").read_bytes().startswith(b"%PDF")
    # the same report in the program's preview, printable from there through Qt
    from app.ui.devices.preview import PreviewDialog

    qtbot.mouseClick(view.preview_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.findChild(PreviewDialog) is not None, timeout=10_000)
    dialog = view.findChild(PreviewDialog)
    assert dialog.papers[0].kind == "report"
    assert bytes(dialog.papers[0].source).startswith(b"%PDF")  # type: ignore[arg-type]
    dialog.close()


def test_complaint_register(day: dict[str, Any], op_runner: OpRunner, qtbot: Any) -> None:
    db, clerk = day["db"], day["clerk"]
    open_shift(db, clerk, dict.fromkeys(CHECKLIST_CODES, True), OPENING)
    day["svc"].submit(Submission(order("complaint", {"subject": "乱扣费", "description": "多扣10元",
                                                     "contact_phone": "13912345678"},
                                       line=False)), clerk)
    day["svc"].submit(Submission(order("fault_report", {"fault_type": "cable_cut",
                                                        "description": "光缆中断"})), clerk)
    view = ComplaintRegisterView(op_runner, db, clerk)
    qtbot.addWidget(view)
    wait(op_runner)
    assert view.table.rowCount() == 1 and view.fault_table.rowCount() == 1
    assert view.table.item(0, 3).text() != "13912345678"  # masked
    assert not view.buttons["answer"].isEnabled()
    view.table.selectRow(0)
    assert view.buttons["answer"].isEnabled() and not view.buttons["callback"].isEnabled()
    form = view.answer()
    assert form is not None
    form.findChild(type(form.error).__mro__[0], "errorLabel")
    from PySide6.QtWidgets import QPlainTextEdit

    form.findChild(QPlainTextEdit, "answerText").setPlainText("已核实，退回 10 元")
    shot(view, "complaints")
    with qtbot.waitSignal(form.finished, timeout=60_000):
        form.submit()
    wait(op_runner)
    wait(op_runner)
    with db.read() as s:
        assert s.execute(select(Complaint.status)).scalar() == "answered"
    view.table.selectRow(0)
    assert view.buttons["callback"].isEnabled()
    form = view.callback()
    assert form is not None
    with qtbot.waitSignal(form.finished, timeout=60_000):
        form.submit()
    wait(op_runner)
    with db.read() as s:
        assert s.execute(select(Complaint.status)).scalar() == "closed"
    # A new complaint with nothing filled in is refused in the form.
    form = view.new_complaint()
    form.submit()
    wait(op_runner)
    assert "请填写" in form.error.text()
    form.reject()
