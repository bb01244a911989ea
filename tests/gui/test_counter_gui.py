"""The counter window and the service wizard, driven like a clerk drives them (offscreen).

Each test walks real windows through a visit and then looks at both what the screen shows
and what the database recorded. No thread may be left running afterwards.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox, QWizard
from sqlalchemy import select, text, update

from app.models import (
    AuditEvent,
    IntakeEntry,
    Line,
    OrderDocument,
    OrderPayment,
    PrintedDocument,
    ServiceOrder,
    SignatureRecord,
    WizardDraft,
)
from app.security import PermissionDenied
from app.services.customers import day_listings, queries
from app.services.orders.service import PaymentIn, SignatureIn, Submission, content_hash
from app.ui.counter.window import CounterWindow
from app.ui.kit import i18n
from app.ui.kit.op_runner import OpRunner
from app.ui.settings.counter import COUNTER_CODE, KEY_FILE
from app.ui.settings.store import UiSettings
from app.ui.shell.context import AppContext
from app.ui.wizard.base import (
    CUSTOMER,
    DETAILS,
    DOCUMENTS,
    DONE,
    PAYMENT,
    PRESENTER,
    SIGNATURE,
    VERDICT,
)

from .counter_driver import (
    WAIT_MS,
    adult_personal_active,
    click_next,
    ctx,
    draw_signature,
    group_active,
    log_in,
    make_resident_id,
    pick_line,
    settle,
    wait_page,
    wait_verdict,
    window,
)
from .ui_fixtures import no_thread_leak, op_runner, translators, ui_settings

__all__ = ["ctx", "no_thread_leak", "op_runner", "translators", "ui_settings", "window"]


def find_and_choose(qtbot, w: CounterWindow, typed: str) -> None:  # type: ignore[no-untyped-def]
    w.search.box.setFocus()
    QTest.keyClicks(w.search.box, typed)
    qtbot.waitUntil(lambda: w.search.model.rowCount() > 0, timeout=WAIT_MS)
    with qtbot.waitSignal(w.customer_loaded, timeout=WAIT_MS):
        QTest.keyClick(w.search.box, Qt.Key.Key_Return)


def open_service(qtbot, w: CounterWindow, code: str):  # type: ignore[no-untyped-def]
    w.launcher.buttons[code].click()
    qtbot.waitUntil(lambda: w.wizard is not None and w.wizard.currentId() == CUSTOMER,
                    timeout=WAIT_MS)
    return w.wizard


# --- searching ------------------------------------------------------------------------------

def test_search_plans_use_indexes(ctx: AppContext) -> None:
    """ID numbers by their keyed hash, numbers and names as ranges: all from an index."""
    conn_plans = {}
    with ctx.db.engine.connect() as conn:
        for typed in ("11010519491231002X", "1318", "王"):
            stmt = queries.customer_search_stmt(typed, ctx.pd)
            assert stmt is not None
            compiled = stmt.compile(ctx.db.engine, compile_kwargs={"literal_binds": True})
            plan = [row[-1] for row in conn.execute(text(f"EXPLAIN QUERY PLAN {compiled}"))]
            conn_plans[typed] = plan
    for typed, plan in conn_plans.items():
        joined = " | ".join(plan)
        assert "USING" in joined and "INDEX" in joined, (typed, plan)
        assert not any(p.startswith("SCAN customer") or p.startswith("SCAN line")
                       for p in plan if "INDEX" not in p), (typed, plan)
    assert "ix_customer_id_lookup" in " ".join(conn_plans["11010519491231002X"])
    assert "ix_customer_name" in " ".join(conn_plans["王"])


def test_search_as_you_type_finds_by_number_name_and_id(qtbot, window: CounterWindow,
                                                        ctx: AppContext) -> None:
    pick = pick_line(ctx, adult_personal_active)
    QTest.keyClicks(window.search.box, pick.number[:7])
    qtbot.waitUntil(lambda: window.search.model.rowCount() > 0, timeout=WAIT_MS)
    shown = [window.search.model.data(window.search.model.index(i))
             for i in range(window.search.model.rowCount())]
    assert any(pick.number in s for s in shown)
    assert all(pick.detail.id_number not in s for s in shown)  # IDs only masked
    window.close()


def test_id_card_on_the_reader_finds_the_customer(qtbot, ctx: AppContext) -> None:
    """The simulated reader, polled on its own thread, fills the search and opens the
    customer; the full ID number never shows outside the search box."""
    from app.ui.devices.idcard_reader import IdCardData, IdCardReaderWatcher, SimulatedIdCardReader

    log_in(ctx, "C001")
    reader = SimulatedIdCardReader()
    ctx.reader = IdCardReaderWatcher(reader, interval_ms=20)
    w = CounterWindow(ctx)
    qtbot.addWidget(w)
    w.show()
    ctx.reader.start()
    try:
        pick = pick_line(ctx, adult_personal_active)
        card = IdCardData(pick.detail.name, pick.detail.id_number or "", "地址",
                          date(1980, 1, 1), "公安局", None)
        with qtbot.waitSignal(w.customer_loaded, timeout=WAIT_MS):
            reader.feed(card)
        assert w.customer is not None and w.customer.customer_id == pick.customer_id
        assert w.search.box.text() == pick.detail.id_number
        panel_text = w.panel.name.text() + w.panel.info.text()
        assert pick.detail.name in panel_text and pick.detail.id_masked in panel_text
        assert pick.detail.id_number not in panel_text
    finally:
        assert ctx.reader.stop()
        ctx.reader = None
        w.close()


# --- visits ---------------------------------------------------------------------------------

def test_accepted_sim_replacement_with_drawn_signature(qtbot, window: CounterWindow,
                                                       ctx: AppContext,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("app.ui.devices.a4_print.available_printers", lambda: [])
    pick = pick_line(ctx, adult_personal_active)
    find_and_choose(qtbot, window, pick.number)
    assert window.panel.selected_line == pick.number
    window.activateWindow()
    QTest.keyClick(window, Qt.Key.Key_F4)  # the service's shortcut
    qtbot.waitUntil(lambda: window.wizard is not None and window.wizard.currentId() == CUSTOMER,
                    timeout=WAIT_MS)
    wizard = window.wizard
    assert wizard.controller.state.service == "sim_replacement"
    assert wizard.controller.state.line_number == pick.number
    click_next(qtbot, wizard, PRESENTER)
    page = wizard.pages[PRESENTER]
    assert page.name.text() == pick.detail.name
    QTest.keyClicks(page.id_field.number, pick.detail.id_number)
    assert page.id_field.hint.property("ok") is True
    assert "一致" in page.id_field.hint.text() or "matches" in page.id_field.hint.text()
    click_next(qtbot, wizard, DOCUMENTS)
    click_next(qtbot, wizard, DETAILS)
    QTest.keyClicks(wizard.pages[DETAILS].editor("new_sim_serial").editor, "8986011234567890")
    click_next(qtbot, wizard)
    ev = wait_verdict(qtbot, wizard)
    assert ev.decision == "accepted"
    assert [f.amount_fen for f in ev.fees] == [1000]
    wait_page(qtbot, wizard, PAYMENT)
    pay = wizard.pages[PAYMENT]
    QTest.keyClicks(pay.form.tendered, "20")
    assert pay.form.change.text() == "10.00"
    click_next(qtbot, wizard, SIGNATURE)
    sign = wizard.pages[SIGNATURE]
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    draw_signature(sign.pad)
    assert len(sign.pad.strokes()) == 2
    click_next(qtbot, wizard, DONE)
    result = wizard.controller.result
    assert result is not None and result.order_no
    assert result.order_no in wizard.pages[DONE].banner.text()
    # printing: the papers module writes the PDFs, or the page says it is unavailable
    qtbot.waitUntil(lambda: wizard.pages[DONE].print_status.text() not in ("",), timeout=WAIT_MS)
    settle(ctx)
    with ctx.db.read() as s:
        order = s.execute(select(ServiceOrder).where(ServiceOrder.order_no == result.order_no)
                          ).scalar_one()
        assert (order.service, order.status, order.total_fen) == ("sim_replacement",
                                                                  "accepted", 1000)
        assert order.details.get("new_sim_serial") == "8986011234567890"
        pay_row = s.execute(select(OrderPayment).where(OrderPayment.order_id == order.id)
                            ).scalar_one()
        assert (pay_row.method, pay_row.amount_fen, pay_row.tendered_fen, pay_row.change_fen) \
            == ("cash", 1000, 2000, 1000)
        sig = s.execute(select(SignatureRecord).where(SignatureRecord.order_id == order.id)
                        ).scalar_one()
        assert not sig.on_paper and sig.png and sig.content_hash == order.content_hash
        assert len(json.loads(sig.strokes)["strokes"]) == 2
        assert not QImage.fromData(sig.png).isNull()
        printed = s.execute(select(PrintedDocument).where(PrintedDocument.order_id == order.id)
                            ).scalars().all()
    try:
        import app.services.orders.papers  # noqa: F401
    except ImportError:
        assert "打印模块不可用" in wizard.pages[DONE].print_status.text()
    else:
        # no printer here: the papers are written, none is recorded as printed, and the page
        # says so in one line per paper
        assert printed == []
        papers = wizard.controller.printed_paths[result.order_no]
        assert papers and all(p.exists() for p in papers)
        lines = wizard.pages[DONE].print_status.text().splitlines()
        assert len(lines) == len(papers) and all("没有可用的打印机" in x for x in lines)
        assert str(papers[0].parent) not in wizard.pages[DONE].print_status.text()
    # 完成 is enabled once the papers' printing reported, never at once (a double click)
    qtbot.waitUntil(wizard.button(QWizard.WizardButton.FinishButton).isEnabled,
                    timeout=WAIT_MS)
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.wizard is None, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: any(r.order_no == result.order_no for r in window.today.model.rows),
                    timeout=WAIT_MS)
    with ctx.db.read() as s:
        assert s.execute(select(WizardDraft)).first() is None  # nothing left half-done


def test_rejected_for_arrears_then_paid_in_the_same_visit(qtbot, window: CounterWindow,
                                                          ctx: AppContext) -> None:
    pick = pick_line(ctx, adult_personal_active)
    with ctx.db.session() as s:
        s.execute(update(Line).where(Line.number == pick.number).values(arrears_fen=5800))
    find_and_choose(qtbot, window, pick.number)
    wizard = open_service(qtbot, window, "sim_replacement")
    click_next(qtbot, wizard, PRESENTER)
    QTest.keyClicks(wizard.pages[PRESENTER].id_field.number, pick.detail.id_number)
    click_next(qtbot, wizard, DOCUMENTS)
    click_next(qtbot, wizard, DETAILS)
    click_next(qtbot, wizard)
    ev = wait_verdict(qtbot, wizard)
    verdict = wizard.pages[VERDICT]
    assert ev.decision == "rejected"
    assert [v.rule for v in ev.violations] == ["arrears_outstanding"]
    assert "58.00" in verdict.reasons.text()
    assert verdict.pay_button.isVisible() and "58.00" in verdict.pay_button.text()
    verdict.pay_button.click()
    dialog = verdict.pay_dialog
    assert dialog is not None
    QTest.keyClicks(dialog.form.tendered, "100")
    assert dialog.form.change.text() == "42.00"
    dialog.ok.click()
    qtbot.waitUntil(lambda: bool(wizard.controller.bill_payments) and verdict.evaluation() is not None
                    and verdict.evaluation().decision == "accepted", timeout=WAIT_MS)
    bill_no = wizard.controller.bill_payments[0].order_no
    assert bill_no in verdict.paid.text()
    assert not verdict.pay_button.isVisible()
    with ctx.db.read() as s:
        assert s.execute(select(Line.arrears_fen).where(Line.number == pick.number)
                         ).scalar() == 0
        bill = s.execute(select(ServiceOrder).where(ServiceOrder.order_no == bill_no)
                         ).scalar_one()
        assert (bill.service, bill.total_fen) == ("bill_payment", 5800)
    # the original request goes on: payment, a signature on paper, recorded
    click_next(qtbot, wizard, PAYMENT)
    wizard.pages[PAYMENT].form.method.setCurrentIndex(
        wizard.pages[PAYMENT].form.method.findData("card"))
    click_next(qtbot, wizard, SIGNATURE)
    wizard.pages[SIGNATURE].paper.setChecked(True)
    click_next(qtbot, wizard, DONE)
    settle(ctx)
    with ctx.db.read() as s:
        order = s.execute(select(ServiceOrder).where(
            ServiceOrder.order_no == wizard.controller.result.order_no)).scalar_one()
        assert order.service == "sim_replacement" and order.line_before["arrears_fen"] == 0
        sig = s.execute(select(SignatureRecord).where(SignatureRecord.order_id == order.id)
                        ).scalar_one()
        assert sig.on_paper and sig.png is None
        assert s.execute(select(OrderPayment.method).where(OrderPayment.order_id == order.id)
                         ).scalar() == "card"


def test_incomplete_request_goes_to_the_intake_log(qtbot, window: CounterWindow,
                                                   ctx: AppContext) -> None:
    pick = pick_line(ctx, adult_personal_active)
    find_and_choose(qtbot, window, pick.number)
    wizard = open_service(qtbot, window, "sim_replacement")
    click_next(qtbot, wizard, PRESENTER)
    page = wizard.pages[PRESENTER]
    page.agent.setChecked(True)
    page.name.setText("代办人")
    QTest.keyClicks(page.id_field.number, make_resident_id(date(1985, 3, 4)))
    click_next(qtbot, wizard, DOCUMENTS)
    docs = wizard.pages[DOCUMENTS]
    assert docs.row("authorization_letter") is not None  # an agent needs the letter
    assert docs.row(pick.detail.id_type) is not None  # and the owner's ID
    click_next(qtbot, wizard, DETAILS)
    click_next(qtbot, wizard)
    ev = wait_verdict(qtbot, wizard)
    assert ev.decision == "incomplete"
    assert "authorization_letter" in ev.missing and "resident_id" in ev.missing
    reasons = wizard.pages[VERDICT].reasons.text()
    assert "授权委托书" in reasons and "居民身份证" in reasons  # named the clerk's way
    click_next(qtbot, wizard, DONE)
    assert "受理登记" in wizard.pages[DONE].banner.text() or \
        "intake" in wizard.pages[DONE].banner.text()
    settle(ctx)
    with ctx.db.read() as s:
        entry = s.execute(select(IntakeEntry)).scalar_one()
        assert entry.decision == "incomplete" and entry.service == "sim_replacement"
        assert "authorization_letter" in entry.missing
        assert entry.customer_id_masked == pick.detail.id_masked
        assert s.execute(select(ServiceOrder)).first() is None


def test_group_customer_served_by_an_agent_with_a_scan(qtbot, window: CounterWindow,
                                                       ctx: AppContext,
                                                       tmp_path: Path) -> None:
    pick = pick_line(ctx, group_active)
    find_and_choose(qtbot, window, pick.number)
    window.panel.select_line(pick.number)
    wizard = open_service(qtbot, window, "report_loss")
    click_next(qtbot, wizard, PRESENTER)
    page = wizard.pages[PRESENTER]
    assert page.agent.isChecked() and not page.owner.isEnabled()
    page.name.setText("经办人张三")
    QTest.keyClicks(page.id_field.number, make_resident_id(date(1979, 6, 1)))
    click_next(qtbot, wizard, DOCUMENTS)
    row = wizard.pages[DOCUMENTS].row("introduction_letter")
    assert row is not None and row.title.text() == "单位介绍信（加盖公章）"
    scan = tmp_path / "letter.png"
    scan.write_bytes(b"\x89PNG fake scan of the stamped letter")
    row.seen.setChecked(True)
    assert row.attach_file(str(scan))
    click_next(qtbot, wizard, DETAILS)
    click_next(qtbot, wizard)
    ev = wait_verdict(qtbot, wizard)
    assert ev.decision == "accepted", ev
    wait_page(qtbot, wizard, SIGNATURE)  # free: no payment page
    draw_signature(wizard.pages[SIGNATURE].pad, strokes=1)
    click_next(qtbot, wizard, DONE)
    settle(ctx)
    with ctx.db.read() as s:
        order = s.execute(select(ServiceOrder).where(
            ServiceOrder.order_no == wizard.controller.result.order_no)).scalar_one()
        assert (order.presenter_role, order.presenter_name) == ("agent", "经办人张三")
        doc = s.execute(select(OrderDocument).where(OrderDocument.order_id == order.id)
                        ).scalar_one()
        assert doc.code == "introduction_letter" and doc.scan_name == "letter.png"
        assert doc.scan_sha256 == hashlib.sha256(scan.read_bytes()).hexdigest()
        assert s.execute(select(Line.status).where(Line.number == pick.number)
                         ).scalar() == "loss_reported"


def test_signature_pad_clear_and_redo_binds_the_content_hash(qtbot, window: CounterWindow,
                                                             ctx: AppContext) -> None:
    pick = pick_line(ctx, group_active)
    find_and_choose(qtbot, window, pick.number)
    window.panel.select_line(pick.number)
    wizard = open_service(qtbot, window, "report_loss")
    click_next(qtbot, wizard, PRESENTER)
    wizard.pages[PRESENTER].name.setText("经办人")
    QTest.keyClicks(wizard.pages[PRESENTER].id_field.number, make_resident_id(date(1990, 1, 2)))
    click_next(qtbot, wizard, DOCUMENTS)
    wizard.pages[DOCUMENTS].row("introduction_letter").seen.setChecked(True)
    click_next(qtbot, wizard, DETAILS)
    click_next(qtbot, wizard)
    wait_verdict(qtbot, wizard)
    wait_page(qtbot, wizard, SIGNATURE)
    sign = wizard.pages[SIGNATURE]
    next_button = wizard.button(QWizard.WizardButton.NextButton)
    draw_signature(sign.pad, strokes=3)
    assert next_button.isEnabled()
    qtbot.mouseClick(sign.undo, Qt.MouseButton.LeftButton)
    assert len(sign.pad.strokes()) == 2
    qtbot.mouseClick(sign.clear, Qt.MouseButton.LeftButton)
    assert sign.pad.is_empty() and not next_button.isEnabled()
    draw_signature(sign.pad, strokes=2)
    expected = content_hash(wizard.controller.request(), wizard.controller.evaluation)
    assert sign.digest == expected and expected[:16] in sign.hash_label.text()
    click_next(qtbot, wizard, DONE)
    settle(ctx)
    with ctx.db.read() as s:
        order = s.execute(select(ServiceOrder).where(
            ServiceOrder.order_no == wizard.controller.result.order_no)).scalar_one()
        sig = s.execute(select(SignatureRecord).where(SignatureRecord.order_id == order.id)
                        ).scalar_one()
        assert sig.content_hash == order.content_hash == expected
        assert len(json.loads(sig.strokes)["strokes"]) == 2


def test_resume_after_the_window_was_killed(qtbot, ctx: AppContext) -> None:
    log_in(ctx, "C001")
    first = CounterWindow(ctx)
    first.show()
    qtbot.waitExposed(first)
    pick = pick_line(ctx, adult_personal_active)
    find_and_choose(qtbot, first, pick.number)
    wizard = open_service(qtbot, first, "sim_replacement")
    click_next(qtbot, wizard, PRESENTER)
    QTest.keyClicks(wizard.pages[PRESENTER].id_field.number, pick.detail.id_number)
    click_next(qtbot, wizard, DOCUMENTS)
    click_next(qtbot, wizard, DETAILS)
    QTest.keyClicks(wizard.pages[DETAILS].editor("new_sim_serial").editor, "8986")

    def typed_saved() -> bool:
        settle(ctx)
        with ctx.db.read() as s:
            state = s.execute(select(WizardDraft.state)).scalar()
        return state is not None and "8986" in state

    qtbot.waitUntil(typed_saved, timeout=WAIT_MS)  # saved as it goes, not only per page
    with ctx.db.read() as s:
        draft = s.execute(select(WizardDraft)).scalar_one()
        assert draft.page == "details"
        assert pick.detail.id_number not in draft.state  # ID numbers are encrypted
    # the program dies: the windows go without finishing or cancelling anything
    wizard.hide()
    first.hide()
    wizard.deleteLater()
    first.deleteLater()
    QApplication.processEvents()
    settle(ctx)

    # next log-in at this counter
    log_in(ctx, "C001")
    second = CounterWindow(ctx)
    qtbot.addWidget(second)
    second.show()
    second.after_login()
    qtbot.waitUntil(lambda: second.resume_box is not None and second.resume_box.isVisible(),
                    timeout=WAIT_MS)
    box = second.resume_box
    assert "补(换)卡" in box.text() and pick.detail.name in box.text()
    box.findChild(type(box.defaultButton()), "resumeButton").click()
    qtbot.waitUntil(lambda: second.wizard is not None and second.wizard.currentId() == DETAILS,
                    timeout=WAIT_MS)
    wizard2 = second.wizard
    assert wizard2.controller.state.presenter_id_number == pick.detail.id_number
    assert wizard2.pages[DETAILS].editor("new_sim_serial").value() == "8986"
    click_next(qtbot, wizard2)
    assert wait_verdict(qtbot, wizard2).decision == "accepted"
    wait_page(qtbot, wizard2, PAYMENT)
    QTest.keyClicks(wizard2.pages[PAYMENT].form.tendered, "10")
    click_next(qtbot, wizard2, SIGNATURE)
    wizard2.pages[SIGNATURE].paper.setChecked(True)
    click_next(qtbot, wizard2, DONE)
    settle(ctx)
    with ctx.db.read() as s:
        assert s.execute(select(WizardDraft)).first() is None
        assert s.execute(select(ServiceOrder.service)).scalar() == "sim_replacement"
    wizard2.accept()
    settle(ctx)


def test_abandoned_draft_goes_to_the_intake_log(qtbot, window: CounterWindow,
                                                ctx: AppContext) -> None:
    pick = pick_line(ctx, adult_personal_active)
    find_and_choose(qtbot, window, pick.number)
    wizard = open_service(qtbot, window, "sim_replacement")
    click_next(qtbot, wizard, PRESENTER)
    settle(ctx)
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.CancelButton), Qt.MouseButton.LeftButton)
    box = wizard.abandon_box
    assert box is not None and box.isVisible()
    box.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: window.wizard is None, timeout=WAIT_MS)
    settle(ctx)
    with ctx.db.read() as s:
        entry = s.execute(select(IntakeEntry)).scalar_one()
        assert (entry.decision, entry.service, entry.line_number) == (
            "abandoned", "sim_replacement", pick.number)
        assert s.execute(select(WizardDraft)).first() is None
        assert s.execute(select(AuditEvent).where(AuditEvent.action == "intake.abandoned")
                         ).first() is not None


# --- the supervisor -------------------------------------------------------------------------

def _recorded_order(ctx: AppContext) -> str:
    """An accepted order made through the core, as another counter would have."""
    pick = pick_line(ctx, group_active)
    actor = ctx.require_actor()
    from app.core.request import Customer, IdDocument, Presenter, Request, Unit

    d = pick.detail
    line = d.line(pick.number)
    assert line is not None
    req = Request("report_loss", None, None,
                  Customer("group", d.name, None, Unit(d.unit_name or d.name,
                                                       IdDocument(d.reg_type, d.reg_number))),
                  Presenter("agent", "经办人", IdDocument("resident_id",
                                                          make_resident_id(date(1980, 2, 2)))),
                  line.state, ("introduction_letter",), {}, True)
    ev = ctx.orders.evaluate(req)
    result = ctx.orders.submit(Submission(req, signature=SignatureIn(
        content_hash(req, ev), on_paper=True)), actor)
    assert result.order_no, ev
    return result.order_no


def test_supervisor_voids_an_order(qtbot, ctx: AppContext) -> None:
    log_in(ctx, "C001")
    order_no = _recorded_order(ctx)
    clerk = ctx.require_actor()
    with pytest.raises(PermissionDenied):  # the core refuses a clerk, whatever the menus say
        day_listings.day_orders_page(ctx.db, clerk, day_listings.DayFilter(ctx.business_date()))
    log_in(ctx, "S001", "C02")
    w = CounterWindow(ctx)
    qtbot.addWidget(w)
    w.show()
    assert w.menu_supervisor.menuAction().isVisible()
    sup = w.open_supervisor()
    qtbot.waitUntil(lambda: any(r.order_no == order_no for r in sup.day.model.rows),
                    timeout=WAIT_MS)
    qtbot.waitUntil(lambda: "1" in sup.day.summary.text(), timeout=WAIT_MS)
    record = sup.open_order(order_no)
    qtbot.waitUntil(lambda: record.record is not None, timeout=WAIT_MS)
    assert "order.accept" in record.text.toPlainText()
    assert record.void_button.isEnabled()
    record.void_button.click()
    dialog = record.void_dialog
    dialog.ok.click()  # no reason: refused in the dialog
    assert dialog.isVisible() and dialog.error.text()
    dialog.reason.setPlainText("客户当场反悔，撤销挂失")
    dialog.ok.click()
    qtbot.waitUntil(lambda: record.record is not None and record.record.status == "voided",
                    timeout=WAIT_MS)
    assert "order.void" in record.text.toPlainText()
    assert not record.void_button.isEnabled()
    settle(ctx)
    with ctx.db.read() as s:
        order = s.execute(select(ServiceOrder).where(ServiceOrder.order_no == order_no)
                          ).scalar_one()
        assert order.status == "voided" and order.void_reason == "客户当场反悔，撤销挂失"
    qtbot.waitUntil(lambda: any(r.order_no == order_no and r.status == "voided"
                                for r in sup.day.model.rows), timeout=WAIT_MS)
    sup.close()
    w.close()
    settle(ctx)


def test_day_listing_loads_page_by_page(qtbot, ctx: AppContext) -> None:
    """More orders than a page: the view gets the first page, then more as it scrolls."""
    log_in(ctx, "C001")
    for _ in range(day_listings.PAGE_SIZE + 5):
        _bill_payment(ctx)
    log_in(ctx, "S001", "C02")
    w = CounterWindow(ctx)
    qtbot.addWidget(w)
    sup = w.open_supervisor()
    model = sup.day.model
    qtbot.waitUntil(lambda: len(model.rows) == day_listings.PAGE_SIZE, timeout=WAIT_MS)
    assert model.canFetchMore(model.index(-1, -1).parent())
    model.fetchMore(model.index(-1, -1).parent())
    qtbot.waitUntil(lambda: len(model.rows) == day_listings.PAGE_SIZE + 5, timeout=WAIT_MS)
    assert not model.canFetchMore(model.index(-1, -1).parent())
    ids = [r.order_id for r in model.rows]
    assert ids == sorted(ids, reverse=True) and len(set(ids)) == len(ids)
    sup.close()
    w.close()
    settle(ctx)


def _bill_payment(ctx: AppContext) -> None:
    pick = pick_line(ctx, adult_personal_active)
    d = pick.detail
    line = d.line(pick.number)
    assert line is not None
    from app.core.request import Customer, IdDocument, Presenter, Request

    doc = IdDocument(d.id_type or "resident_id", d.id_number or "")
    req = Request("bill_payment", None, None, Customer("personal", d.name, doc),
                  Presenter("owner", d.name, doc), line.state, (), {"amount": 1}, False)
    assert ctx.orders.submit(Submission(req, payments=[PaymentIn("cash", 100)]),
                             ctx.require_actor()).order_no


# --- starting the program -------------------------------------------------------------------

@pytest.fixture
def session_parts(no_thread_leak: None, op_runner: OpRunner, ui_settings: UiSettings,
                  translators: None, qtbot):  # type: ignore[no-untyped-def]
    from app.ui.shell.login import LoginWindow

    i18n.install_translators("zh_CN")
    login = LoginWindow(ui_settings)
    qtbot.addWidget(login)
    login.show()
    made = []

    def make(db_url: str):  # type: ignore[no-untyped-def]
        from app.ui.shell.session import SessionController

        session = SessionController(op_runner, ui_settings, db_url, login)
        made.append(session)
        session.start()
        return session

    yield login, make
    for session in made:
        if session.window is not None:
            session.window.close()
        op_runner.wait_idle(60)
        if session.ctx is not None:
            session.ctx.db.dispose()


def test_login_errors_inline_then_counter_window(qtbot, demo_db, db_url: str,
                                                 session_parts) -> None:  # type: ignore[no-untyped-def]
    login, make = session_parts
    session = make(db_url)
    qtbot.waitUntil(login.login_button.isEnabled, timeout=WAIT_MS)
    login.staff_no.setText("C001")
    login.password.setText("not-the-password")
    login.counter_code.setText("C02")
    qtbot.mouseClick(login.login_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: login.error.text() != "", timeout=WAIT_MS)
    assert login.error.text().startswith("工号或密码错误")
    assert session.window is None and login.isVisible()
    login.password.setText("demo1234")
    QTest.keyClick(login.password, Qt.Key.Key_Return)  # Enter logs in
    qtbot.waitUntil(lambda: session.window is not None, timeout=WAIT_MS)
    assert not login.isVisible() and session.window.isVisible()
    assert session.ctx.actor.counter_code == "C02"
    assert session.settings.get(COUNTER_CODE) == "C02"  # remembered for next time
    # no shift is open at C02: the opening dialog is offered straight away
    qtbot.waitUntil(lambda: session.window.shift_dialog is not None, timeout=WAIT_MS)
    session.window.shift_dialog.reject()
    session.logout()
    assert login.isVisible() and login.password.text() == ""


def test_first_run_set_up_of_an_empty_database(qtbot, db_url: str,
                                               session_parts) -> None:  # type: ignore[no-untyped-def]
    from app.ui.shell.setup_dialogs import EmptyDatabaseDialog, FirstRunDialog

    login, make = session_parts
    session = make(db_url)
    qtbot.waitUntil(lambda: isinstance(session.dialog, EmptyDatabaseDialog), timeout=WAIT_MS)
    assert not login.login_button.isEnabled()
    session.dialog.findChild(type(login.login_button), "setupButton").click()
    qtbot.waitUntil(lambda: isinstance(session.dialog, FirstRunDialog), timeout=WAIT_MS)
    form = session.dialog
    form.hall_name.setText("滨江营业厅")
    form.hall_code.setText("BJ01")
    form.carrier.setCurrentIndex(form.carrier.findData("telecom"))
    form.counter_code.setText("C05")
    form.staff_no.setText("M100")
    form.staff_name.setText("周经理")
    form.password.setText("short1")
    form.repeat.setText("short1")
    form._check()
    assert "8" in form.error.text() and form.isVisible()  # the password policy speaks
    form.password.setText("Counter2026ok")
    form.repeat.setText("Counter2026ok")
    form._check()
    qtbot.waitUntil(login.login_button.isEnabled, timeout=WAIT_MS)
    assert login.hall_label.text() == "滨江营业厅"
    assert (login.staff_no.text(), login.counter_code.text()) == ("M100", "C05")
    login.password.setText("Counter2026ok")
    qtbot.mouseClick(login.login_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: session.window is not None, timeout=WAIT_MS)
    assert session.ctx.actor.role == "manager"
    assert session.ctx.orders.hall_config().carrier == "telecom"
    # A new hall has no shift open: the opening dialog follows once the window has asked.
    qtbot.waitUntil(lambda: session.window.shift_dialog is not None, timeout=WAIT_MS)
    session.window.shift_dialog.reject()


def test_no_keyring_offers_a_passphrase_key_file(qtbot, db_url: str, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch,
                                                 session_parts) -> None:  # type: ignore[no-untyped-def]
    import os

    from app.security import ENV_KEY_FILE, ENV_KEY_PASSPHRASE
    from app.services.customers.pii import default_personal_data
    from app.ui.shell.setup_dialogs import EmptyDatabaseDialog, KeySetupDialog

    monkeypatch.delenv(ENV_KEY_FILE)
    monkeypatch.delenv(ENV_KEY_PASSPHRASE)
    default_personal_data.cache_clear()
    try:
        _login, make = session_parts
        session = make(db_url)
        qtbot.waitUntil(lambda: isinstance(session.dialog, KeySetupDialog), timeout=WAIT_MS)
        dialog = session.dialog
        assert dialog.mode == "create"
        key_path = tmp_path / "keys" / "counter-key.json"
        dialog.path.setText(str(key_path))
        dialog.passphrase.setText("a long passphrase")
        dialog.repeat.setText("another one")
        dialog._check()
        assert dialog.isVisible() and dialog.error.text()  # the two differ
        dialog.repeat.setText("a long passphrase")
        dialog._check()
        qtbot.waitUntil(lambda: isinstance(session.dialog, EmptyDatabaseDialog),
                        timeout=WAIT_MS * 2)
        assert key_path.exists()
        assert json.loads(key_path.read_text())["format"] == "hall-counter-key"
        assert session.settings.get(KEY_FILE) == str(key_path)
        assert os.environ[ENV_KEY_FILE] == str(key_path)  # for this run only
        session.dialog.reject()
    finally:
        default_personal_data.cache_clear()


def test_new_activation_for_a_new_customer(qtbot, window: CounterWindow,
                                           ctx: AppContext,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("app.ui.devices.a4_print.available_printers", lambda: [])
    from app.models import Customer

    window.activateWindow()
    QTest.keyClick(window, Qt.Key.Key_F2)  # new line: no customer needed first
    qtbot.waitUntil(lambda: window.wizard is not None and window.wizard.currentId() == CUSTOMER,
                    timeout=WAIT_MS)
    wizard = window.wizard
    page = wizard.pages[CUSTOMER]
    assert page.new_form.isVisible() and not page.lines.isVisible()
    new_id = make_resident_id(date(1992, 8, 15), "440106", 321)
    page.name.setText("林小新")
    QTest.keyClicks(page.id_field.number, new_id[:-1] + ("0" if new_id[-1] != "0" else "1"))
    assert page.id_field.hint.property("ok") is False  # a wrong check digit shows red
    page.id_field.number.clear()
    QTest.keyClicks(page.id_field.number, new_id)
    assert page.id_field.hint.property("ok") is True
    click_next(qtbot, wizard, PRESENTER)
    presenter = wizard.pages[PRESENTER]
    assert presenter.owner.isChecked() and presenter.name.text() == "林小新"
    QTest.keyClicks(presenter.id_field.number, new_id)
    click_next(qtbot, wizard, DETAILS)  # no paper beyond the owner's ID: none to tick
    next_button = wizard.button(QWizard.WizardButton.NextButton)
    assert not next_button.isEnabled()  # the package is required
    wizard.pages[DETAILS].editor("package").editor.setText("畅爽套餐59元")  # not ASCII: no keys
    click_next(qtbot, wizard)
    assert wait_verdict(qtbot, wizard).decision == "accepted"
    wait_page(qtbot, wizard, SIGNATURE)
    draw_signature(wizard.pages[SIGNATURE].pad)
    click_next(qtbot, wizard, DONE)
    settle(ctx)
    with ctx.db.read() as s:
        order = s.execute(select(ServiceOrder).where(
            ServiceOrder.order_no == wizard.controller.result.order_no)).scalar_one()
        customer = s.get(Customer, order.customer_id)
        assert customer.name == "林小新" and customer.id_lookup == ctx.pd.lookup_id(new_id)
        assert new_id not in (customer.id_masked or "")
        line = s.get(Line, order.line_id)
        assert line.customer_id == customer.id and line.package == "畅爽套餐59元"
    # the print step: there is no printer, so the PDF stays and the clerk is told what to do
    done = wizard.pages[DONE]
    qtbot.waitUntil(done.print_button.isEnabled, timeout=WAIT_MS)
    done.print_button.click()
    assert "没有可用的打印机" in done.print_status.text()
    assert ".pdf" not in done.print_status.text()  # no file path dump


def test_english_can_be_chosen_in_the_settings(qtbot, window: CounterWindow,
                                               ctx: AppContext) -> None:
    from app.ui.settings.dialog import SettingsDialog

    assert window.menu_work.title() == "业务(&W)"
    dialog = SettingsDialog(ctx.settings, window)
    dialog.language.setCurrentIndex(dialog.language.findData("en"))
    dialog.idle.setValue(9)
    dialog.a4.setCurrentText("HP-A4")
    dialog.save()
    QApplication.processEvents()
    assert window.menu_work.title() == "&Work"
    assert window.search.title.text() == "Find customer"
    assert window.launcher.buttons["sim_replacement"].text() == "SIM replacement  F4"
    assert ctx.settings.language == "en" and ctx.settings.idle_lock_minutes == 9
    assert ctx.settings.a4_printer == "HP-A4"
    i18n.set_language("zh_CN", ctx.settings)
    QApplication.processEvents()
    assert window.search.title.text() == "查找客户"


def test_follow_ups_show_overdue_in_red(qtbot, ctx: AppContext) -> None:
    from datetime import timedelta

    from app.models import FollowUpTask

    log_in(ctx, "C001")
    order_no = _recorded_order(ctx)
    with ctx.db.session() as s:
        order_id = s.execute(select(ServiceOrder.id).where(ServiceOrder.order_no == order_no)
                             ).scalar_one()
        s.add(FollowUpTask(order_id=order_id, task="restore_service", name="恢复通信",
                           due_at=ctx.db.clock.now() - timedelta(hours=2)))
        s.add(FollowUpTask(order_id=order_id, task="callback", name="回访",
                           due_at=ctx.db.clock.now() + timedelta(days=2)))
    log_in(ctx, "S001", "C02")
    w = CounterWindow(ctx)
    qtbot.addWidget(w)
    sup = w.open_supervisor()
    sup.tabs.setCurrentWidget(sup.followups)
    table = sup.followups.table
    qtbot.waitUntil(lambda: table.rowCount() == 2, timeout=WAIT_MS)
    assert [table.item(r, 1).text() for r in range(2)] == ["恢复通信", "回访"]
    assert table.item(0, 4).text() == "已超期" and table.item(1, 4).text() == "未超期"
    assert table.item(0, 0).foreground().color().name() == "#c62828"
    sup.close()
    w.close()
    settle(ctx)


def test_draft_state_keeps_id_numbers_and_addresses_encrypted(ctx: AppContext) -> None:
    from app.services.orders import drafts

    state = {"service": "new_activation", "presenter_id_number": "11010519491231002X",
             "details": {"address": "广州市天河区1号", "new_owner_id": {
                 "type": "resident_id", "id_number": "11010519491231002X"}, "note": "ok"},
             "documents": {"resident_id": {"id_number": "11010519491231002X"}}}
    sealed = drafts.seal(state, ctx.pd)
    text = json.dumps(sealed, ensure_ascii=False)
    assert "11010519491231002X" not in text and "天河" not in text
    assert "presenter_id_number__enc" in sealed and sealed["details"]["note"] == "ok"
    assert drafts.unseal(sealed, ctx.pd) == state
