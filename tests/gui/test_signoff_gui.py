"""The sign-off screens, driven with qtbot: the checklist in the supervisor's day (blocking
items in red, warnings in amber, the sign-off button greyed while one blocks); the approval of
a closed shift's difference with the supervisor's own password (a wrong one refused in words);
the sign-off that lists and acknowledges the warnings; the correction of the signed-off day
as a linked entry; the revenue tab. Each screen fits 1366 x 768. `SIGNOFF_SCREENSHOTS=1`
also writes docs/screenshots/signoff_*.png."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget
from sqlalchemy import select

from app.clock import FixedClock
from app.core.request import parse_request
from app.models.day import Correction, DaySignoff, Shift
from app.security import Permission
from app.services.day.counts import Counts
from app.services.day.items import CHECKLIST_CODES, INVOICE, SIM_CARD, money_item
from app.services.day.shifts import close_shift, open_shift, preview_close
from app.services.hall.demo import DEMO_PASSWORD
from app.services.orders.service import OrderService, PaymentIn, Submission
from app.services.orders.void import void_order
from app.services.staff.auth import authorize, login
from app.ui.day.day_view import SupervisorDayView
from app.ui.day.signoff_checklist import BLOCKING_BG, WARNING_BG
from app.ui.kit.op_runner import OpRunner
from tests.builders import DAY, OWNER, PERSON
from tests.builders import counter_line as line

from .ui_fixtures import no_thread_leak, op_runner, translators

__all__ = ["no_thread_leak", "op_runner", "translators"]

pytestmark = [pytest.mark.gui, pytest.mark.usefixtures("no_thread_leak")]

ROOT = Path(__file__).resolve().parents[2]
SHOTS = os.environ.get("SIGNOFF_SCREENSHOTS") == "1"
SCREEN = (1366, 768)
OPENING = Counts(stock={SIM_CARD: 20, INVOICE: 50}, cash={10000: 5},
                 invoice_first="00040001", invoice_last="00040050")


def shot(widget: QWidget, name: str) -> None:
    if SHOTS:
        from app.ui.kit.screenshots import grab_to_png

        QApplication.processEvents()
        grab_to_png(widget, ROOT / "docs" / "screenshots" / f"signoff_{name}.png")


def fits(widget: QWidget) -> None:
    hint = widget.minimumSizeHint()
    assert hint.width() <= SCREEN[0] and hint.height() <= SCREEN[1] - 40, hint
    assert widget.width() <= SCREEN[0] and widget.height() <= SCREEN[1], widget.size()


def pay(number: str, amount: int) -> Any:
    return parse_request({"service": "bill_payment", "customer": PERSON, "presenter": OWNER,
                          "documents": [], "details": {"amount": amount}, "signature": True,
                          "line": line(number)})


def close(db: Any, clerk: Any, short_fen: int = 0) -> None:
    p = preview_close(db, clerk)
    money = {ln.item.split(":")[1]: ln.expected for ln in p.lines if ln.money}
    cash = money.pop("cash") - short_fen
    close_shift(db, clerk, Counts(stock={ln.item: ln.expected for ln in p.lines if not ln.money},
                                  cash={100: cash // 100, 10: cash % 100 // 10},
                                  invoice_first=p.invoice_first_expected,
                                  invoice_last="00040050", money=money),
                {money_item("cash"): "找零少收 2 元"} if short_fen else {})


@pytest.fixture
def day(demo_db: Any, clock: FixedClock, qapp: QApplication,
        translators: None) -> Iterator[dict[str, Any]]:
    """Clerk 1 still at the counter; clerk 2 closed 2 yuan short (not approved yet), then one
    of clerk 2's orders was voided at the supervisor's desk."""
    if SHOTS:
        from app.ui.kit import fonts, i18n
        from app.ui.kit.theme import apply_theme

        fonts.install_cjk_font(qapp)
        apply_theme(qapp)
        i18n.install_translators("zh_CN")
    db = demo_db
    svc = OrderService(db)
    clerk1 = login(db, "C001", DEMO_PASSWORD, "C01")
    clerk2 = login(db, "C002", DEMO_PASSWORD, "C02")
    sup = login(db, "S001", DEMO_PASSWORD, "C03")
    for clerk in (clerk1, clerk2):
        open_shift(db, clerk, dict.fromkeys(CHECKLIST_CODES, True), OPENING)
    orders = [(clerk1, pay("18612345670", 100), [PaymentIn("cash", 10000)]),
              (clerk1, pay("18612345671", 50), [PaymentIn("mobile_pay", 5000)]),
              (clerk2, pay("18612345672", 80), [PaymentIn("card", 8000)]),
              (clerk2, pay("18612345673", 30), [PaymentIn("cash", 3000)])]
    done = []
    for clerk, req, payments in orders:
        done.append(svc.submit(Submission(req, payments=payments), clerk).order_no)
        clock.advance(minutes=4)
    close(db, clerk2, short_fen=200)
    clock.advance(minutes=5)
    void_order(db, sup, done[-1], "金额输错")
    yield {"db": db, "clock": clock, "clerk1": clerk1, "clerk2": clerk2, "sup": sup,
           "orders": done}


def wait(runner: OpRunner) -> None:
    assert runner.wait_idle(60.0)


def open_view(day: dict[str, Any], runner: OpRunner, qtbot: Any) -> SupervisorDayView:
    view = SupervisorDayView(runner, day["db"], day["sup"])
    qtbot.addWidget(view)
    view.resize(*SCREEN)
    view.show()
    wait(runner)
    return view


def test_checklist_approval_and_sign_off(day: dict[str, Any], op_runner: OpRunner, qtbot: Any,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    db = day["db"]
    view = open_view(day, op_runner, qtbot)
    fits(view)
    rows = view.checklist.items
    texts = [rows.item(i).text() for i in range(rows.count())]
    assert len(texts) == 3, texts
    assert "C01" in texts[0] and "尚未交班" in texts[0]
    assert "C02" in texts[1] and "差异未审批" in texts[1] and "现金 -2.00 元" in texts[1]
    assert day["orders"][-1] in texts[2] and "作废" in texts[2]
    assert [rows.item(i).background().color() for i in range(3)] == [BLOCKING_BG, BLOCKING_BG,
                                                                      WARNING_BG]
    assert not view.signoff_button.isEnabled() and not view.corrections_button.isEnabled()
    assert view.checklist.approve_button.isEnabled()
    shot(view, "checklist")

    # The difference screen: the lines and the clerk's explanation, then the password.
    with qtbot.waitSignal(view.checklist.approve_requested) as asked:
        qtbot.mouseClick(view.checklist.approve_button, Qt.MouseButton.LeftButton)
    dialog = view.findChild(QDialog, "approveDifferenceDialog")
    assert dialog is not None and asked.args == [view.checklist.checklist.blocking[1].shift_id]
    wait(op_runner)
    fits(dialog)
    assert dialog.lines.rowCount() == 1
    assert [dialog.lines.item(0, c).text() for c in (0, 3, 5)] == ["现金", "-2.00 元",
                                                                   "找零少收 2 元"]
    assert "C02" in dialog.heading.text() and dialog.staff_no.text() == "S001"
    assert dialog.staff_no.isReadOnly()
    dialog.password.setText("wrong-password")
    dialog.note.setText("已核实，短款由营业员补齐")
    qtbot.mouseClick(dialog.approve_button, Qt.MouseButton.LeftButton)
    wait(op_runner)
    assert dialog.error.text() and "密码" in dialog.error.text() and dialog.result() == 0
    assert dialog.password.text() == ""
    shot(dialog, "approve_difference")
    dialog.password.setText(DEMO_PASSWORD)
    with qtbot.waitSignal(dialog.accepted, timeout=60_000):
        qtbot.mouseClick(dialog.approve_button, Qt.MouseButton.LeftButton)
    wait(op_runner)
    assert dialog.approved is not None and dialog.approved.status == "approved"
    wait(op_runner)  # the view reloads
    assert [i.kind for i in view.checklist.checklist.items] == ["open_shift", "void_after_close"]

    # Clerk 1 closes: only the warning is left; the sign-off lists it and "Yes" acknowledges.
    close(db, day["clerk1"])
    view.load()
    wait(op_runner)
    assert view.signoff_button.isEnabled() and view.checklist.blocking_texts() == []
    boxes: list[QMessageBox] = []
    monkeypatch.setattr(QMessageBox, "open", lambda self: boxes.append(self))
    qtbot.mouseClick(view.signoff_button, Qt.MouseButton.LeftButton)
    assert boxes and day["orders"][-1] in boxes[0].text()
    boxes[0].button(QMessageBox.StandardButton.Yes).click()
    wait(op_runner)
    wait(op_runner)
    with db.read() as s:
        signoff = s.execute(select(DaySignoff)).scalar_one()
        assert signoff.business_date == DAY and "签核时已确认" in (signoff.notes or "")
        statuses = set(s.execute(select(Shift.status)).scalars())
    assert statuses == {"approved", "closed"}  # clerk 1 closed without a difference
    assert not view.checklist.isVisible() and view.corrections_button.isEnabled()


def test_correction_of_a_signed_off_day(day: dict[str, Any], op_runner: OpRunner,
                                        qtbot: Any) -> None:
    from app.services.day.shifts import Approval
    from app.services.day.signoff import approve_difference, checklist, sign_off_day

    db, sup = day["db"], day["sup"]
    close(db, day["clerk1"])
    shift2 = checklist(db, sup, DAY).blocking[0].shift_id
    assert shift2 is not None
    approve_difference(db, sup, shift2, Approval("S001", DEMO_PASSWORD, "已核实"))
    sign_off_day(db, sup, DAY, acknowledged=[w.key for w in checklist(db, sup, DAY).warnings])
    view = open_view(day, op_runner, qtbot)
    assert view.corrections_button.isEnabled() and not view.signoff_button.isEnabled()
    dialog = view.open_corrections()
    wait(op_runner)
    fits(dialog)
    assert dialog.table.rowCount() == 0
    # An empty explanation is refused at once; the order number is checked by the core.
    dialog.kind.setCurrentIndex(dialog.kind.findData("order"))
    dialog.order_no.setText("NO-SUCH-ORDER")
    dialog.record_button.click()
    assert dialog.error.isVisibleTo(dialog) and dialog.error.text()  # no explanation
    dialog.explanation.setPlainText("核对缴费金额")
    dialog.record_button.click()
    wait(op_runner)
    assert "不属于" in dialog.error.text()
    dialog.kind.setCurrentIndex(dialog.kind.findData("money"))
    assert dialog.method.isVisibleTo(dialog) and not dialog.item.isVisibleTo(dialog)
    dialog.order_no.setText(day["orders"][-1])
    dialog.method.setCurrentIndex(dialog.method.findData("cash"))
    dialog.amount.setValue(-30)
    dialog.explanation.setPlainText("作废退款 30 元已从备用金支付，补记")
    dialog.record_button.click()
    wait(op_runner)
    wait(op_runner)
    assert dialog.table.rowCount() == 1 and not dialog.error.isVisibleTo(dialog)
    assert dialog.table.item(0, 2).text() == day["orders"][-1]
    assert "-30.00" in dialog.table.item(0, 3).text()
    shot(dialog, "correction")
    with db.read() as s:
        corr = s.execute(select(Correction)).scalar_one()
        signoff_id = s.execute(select(DaySignoff.id)).scalar_one()
    assert (corr.kind, corr.item, corr.amount_fen, corr.signoff_id) == (
        "money", money_item("cash"), -3000, signoff_id)
    dialog.reject()
    wait(op_runner)
    assert "1" in view.status.text()  # "· 1 corrections"


def test_revenue_tab(day: dict[str, Any], op_runner: OpRunner, qtbot: Any) -> None:
    db = day["db"]
    refund = authorize(db, day["clerk1"], "S001", DEMO_PASSWORD, Permission.REFUND_APPROVE,
                       "退款 20 元")
    OrderService(db).submit(Submission(parse_request({
        "service": "prepayment_refund", "customer": PERSON, "presenter": OWNER,
        "documents": ["payment_invoice"], "details": {"amount": 20, "paid_by": "cash"},
        "signature": True, "line": line("18612345670")})), refund)
    view = open_view(day, op_runner, qtbot)
    view.tabs.setCurrentWidget(view.revenue)
    tab = view.revenue
    headers = [tab.table.horizontalHeaderItem(c).text() for c in range(tab.table.columnCount())]
    assert len(headers) == 6  # clerk, orders, cash, card, mobile payment, total
    cells = [[tab.table.item(r, c).text() for c in range(6)] for r in range(3)]
    # Clerk 1: 100 cash - 20 refund, 50 mobile; clerk 2: 80 card (the 30 was voided).
    assert cells == [["李明（C001）", "3", "80.00", "0.00", "50.00", "130.00"],
                     ["赵敏（C002）", "1", "0.00", "80.00", "0.00", "80.00"],
                     [cells[2][0], "4", "80.00", "80.00", "50.00", "210.00"]]
    assert [v for _, v in tab.method_chart.data] == [80.0, 80.0, 50.0]
    assert [v for _, v in tab.clerk_chart.data] == [130.0, 80.0]
    assert "210.00" in tab.summary.text() and "20.00" in tab.summary.text()
    shot(view, "revenue")
