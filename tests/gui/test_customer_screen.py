"""The customer's screen: the acceptance slip itself, rendered from the slip's PDF, and the
signature taken there; the clerk sees it arrive; Enter after signing submits (defect 3).

Offscreen Qt has one monitor, so the one-monitor way (转向客户, full-screen on the clerk's
monitor) is driven for real; a second monitor is the same window on another `QScreen`,
checked with a doctored screen list. `CUSTOMER_SCREENSHOTS=1` also writes
docs/screenshots/customer_screen_1366x768.png and customer_signature_page_1366x768.png.
"""

from __future__ import annotations

import io
import json
import os
import re
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWizard
from sqlalchemy import select

from app.devices.config import DeviceConfigError
from app.devices.config import load as load_devices
from app.devices.config import save as save_devices
from app.models import ServiceOrder, SignatureRecord
from app.printing import render_slip
from app.services.orders.papers import build_paper
from app.services.orders.service import content_hash
from app.ui.counter.window import CounterWindow
from app.ui.customer.screen_choice import choose_screen, screen_setting
from app.ui.customer.signing import screen_choice_now
from app.ui.customer.slip_view import SlipView
from app.ui.kit.screenshots import grab_to_png
from app.ui.shell.context import AppContext
from app.ui.wizard.base import CUSTOMER, DETAILS, DOCUMENTS, DONE, PAYMENT, PRESENTER, SIGNATURE
from app.ui.wizard.pages_signature import SignaturePage
from app.ui.wizard.wizard import ServiceWizard

from .counter_driver import (
    WAIT_MS,
    adult_personal_active,
    click_next,
    ctx,
    draw_signature,
    group_active,
    make_resident_id,
    pick_line,
    settle,
    wait_page,
    wait_verdict,
    window,
)
from .ui_fixtures import app_look, no_thread_leak, op_runner, translators, ui_settings

__all__ = ["app_look", "ctx", "no_thread_leak", "op_runner", "translators", "ui_settings",
           "window"]

ROOT = Path(__file__).resolve().parents[2]
SHOTS = os.environ.get("CUSTOMER_SCREENSHOTS") == "1"


# --- which monitor ---------------------------------------------------------------------------

@pytest.mark.parametrize(("setting", "count", "clerk", "expected"), [
    ("auto", 1, 0, None),  # one monitor: the clerk turns it to the customer
    ("auto", 2, 0, 1),
    ("auto", 3, 1, 0),  # the first monitor that is not the clerk's
    ("none", 2, 0, None),
    (2, 2, 0, 1),  # counted from 1, as a person counts monitors
    (3, 2, 0, None),  # not connected
    (1, 2, 0, None),  # the clerk's own
    (1, 2, 1, 0),
])
def test_screen_choice(setting: str | int, count: int, clerk: int,
                       expected: int | None) -> None:
    choice = choose_screen(setting, count, clerk)
    assert choice.index == expected
    assert choice.zh and choice.en
    if setting == 3:
        assert "未连接" in choice.zh and "not connected" in choice.en


def _write_setting(value: str) -> None:
    config = load_devices()
    config.set("customer_screen", "screen", value)
    save_devices(config)


class _FakeWindow:
    def __init__(self, screen: object) -> None:
        self._screen = screen

    def screen(self) -> object:
        return self._screen


def test_screen_choice_reads_devices_ini(ui_settings: object) -> None:
    """`ui_settings` points COUNTER_CONFIG_DIR at a folder of the test's own."""
    left, right = object(), object()
    assert screen_choice_now(_FakeWindow(left), [left, right]).index == 1  # type: ignore[arg-type]
    assert screen_choice_now(_FakeWindow(right), [left, right]).index == 0  # type: ignore[arg-type]
    assert screen_choice_now(_FakeWindow(left), [left]).index is None  # type: ignore[arg-type]
    _write_setting("none")
    assert screen_choice_now(_FakeWindow(left), [left, right]).index is None  # type: ignore[arg-type]
    _write_setting("2")
    assert screen_choice_now(_FakeWindow(left), [left, right]).index == 1  # type: ignore[arg-type]
    _write_setting("left")
    with pytest.raises(DeviceConfigError):
        screen_setting(load_devices())
    wrong = screen_choice_now(_FakeWindow(left), [left, right])  # type: ignore[arg-type]
    assert wrong.index is None and "[customer_screen] screen" in wrong.zh


# --- the slip's pages ------------------------------------------------------------------------

def _pages_pdf(count: int) -> bytes:
    from reportlab.pdfgen.canvas import Canvas

    buf = io.BytesIO()
    canvas = Canvas(buf, invariant=1)
    for n in range(count):
        canvas.drawString(100, 700, f"page {n + 1}")
        canvas.showPage()
    canvas.save()
    return buf.getvalue()


def test_slip_view_turns_pages(qtbot) -> None:  # type: ignore[no-untyped-def]
    from app.ui.devices.pdf_pages import render_pages

    view = SlipView()
    qtbot.addWidget(view)
    view.resize(800, 600)
    view.show()
    view.set_pages(render_pages(_pages_pdf(3), 60))
    assert view.page_count == 3 and view.current == 0
    assert not view.previous.isEnabled() and view.next.isEnabled()
    qtbot.mouseClick(view.next, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(view.next, Qt.MouseButton.LeftButton)
    assert view.current == 2 and not view.next.isEnabled()
    assert re.search(r"3\D+3", view.info.text())
    qtbot.mouseClick(view.previous, Qt.MouseButton.LeftButton)
    assert view.current == 1
    assert view.page.pixmap().width() > 500  # fitted to the width, not a thumbnail


def test_pads_show_one_signature(qtbot) -> None:  # type: ignore[no-untyped-def]
    """Drawn on either pad, shown on both (scaled to fit); the drawn one is stored."""
    from app.ui.customer.pad_link import PadLink, fit_strokes
    from app.ui.kit.signature_pad import SignaturePad

    assert fit_strokes([[(10.0, 10.0, 0), (390.0, 90.0, 5)]], 400, 100, 800, 400) == \
        [[(20.0, 120.0, 0), (780.0, 280.0, 5)]]  # twice as large, centred vertically
    clerk, customer = SignaturePad(), SignaturePad()
    for pad, size in ((clerk, (400, 120)), (customer, (900, 300))):
        qtbot.addWidget(pad)
        pad.resize(*size)
        pad.show()
    link = PadLink(clerk, customer)
    draw_signature(customer, strokes=2)
    assert link.source() is customer and link.signed_by_customer()
    assert len(clerk.strokes()) == 2
    box = clerk.bounding_rect()
    assert box.right() <= 400 and box.bottom() <= 120  # the copy fits the clerk's pad
    clerk.undo()  # undone on the clerk's side: the customer's pad too
    assert len(customer.strokes()) == 1 and link.source() is clerk
    customer.resize(600, 200)  # the copy on the other pad is fitted again
    assert customer.bounding_rect().right() <= 600
    link.clear()
    assert clerk.is_empty() and customer.is_empty()


# --- the visit -------------------------------------------------------------------------------

def _open_service(qtbot, window: CounterWindow, ctx: AppContext,  # type: ignore[no-untyped-def]
                  code: str) -> ServiceWizard:
    """Pick the service at the counter; on to the presenter page (a service picked with its
    line goes there by itself once nothing blocks it)."""
    window.launcher.buttons[code].click()
    qtbot.waitUntil(lambda: window.wizard is not None
                    and window.wizard.currentId() in (CUSTOMER, PRESENTER), timeout=WAIT_MS)
    wizard = window.wizard
    assert wizard is not None
    settle(ctx)
    qtbot.wait(50)
    if wizard.currentId() == CUSTOMER:
        click_next(qtbot, wizard, PRESENTER)
    assert wizard.currentId() == PRESENTER
    return wizard


def _to_signature(qtbot, window: CounterWindow, ctx: AppContext) -> ServiceWizard:  # type: ignore[no-untyped-def]
    """A damaged SIM replaced for its owner, paid in cash, up to the signature page."""
    pick = pick_line(ctx, adult_personal_active)
    search = window.search.box
    search.setFocus()
    QTest.keyClicks(search, pick.number)
    qtbot.waitUntil(lambda: window.search.model.rowCount() > 0, timeout=WAIT_MS)
    with qtbot.waitSignal(window.customer_loaded, timeout=WAIT_MS):
        QTest.keyClick(search, Qt.Key.Key_Return)
    wizard = _open_service(qtbot, window, ctx, "sim_replacement")
    QTest.keyClicks(wizard.pages[PRESENTER].id_field.number, pick.detail.id_number)
    click_next(qtbot, wizard, DOCUMENTS)
    click_next(qtbot, wizard, DETAILS)
    QTest.keyClicks(wizard.pages[DETAILS].editor("new_sim_serial").editor, "8986011234567890")
    click_next(qtbot, wizard)
    assert wait_verdict(qtbot, wizard).decision == "accepted"
    wait_page(qtbot, wizard, PAYMENT)
    QTest.keyClicks(wizard.pages[PAYMENT].form.tendered, "20")
    click_next(qtbot, wizard, SIGNATURE)
    return wizard


def _slip_shown(qtbot, page: SignaturePage) -> int:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: page.customer.screen.slip.page_count > 0, timeout=WAIT_MS)
    return page.customer.screen.slip.page_count


def _press_enter(wizard: ServiceWizard) -> None:
    """Enter as the keyboard delivers it: to the widget that has the focus."""
    target = wizard.focusWidget() or wizard
    QTest.keyClick(target, Qt.Key.Key_Return)


def _order(ctx: AppContext, wizard: ServiceWizard) -> tuple[ServiceOrder, SignatureRecord]:
    result = wizard.controller.result
    assert result is not None and result.order_no
    with ctx.db.read() as s:
        order = s.execute(select(ServiceOrder).where(ServiceOrder.order_no == result.order_no)
                          ).scalar_one()
        sig = s.execute(select(SignatureRecord).where(SignatureRecord.order_id == order.id)
                        ).scalar_one()
        s.expunge_all()
    return order, sig


def _text_lines(pdf: bytes) -> list[str]:
    lines: list[str] = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        lines += [ln.strip() for ln in (page.extract_text() or "").splitlines() if ln.strip()]
    return lines


def test_customer_reads_the_slip_and_signs_on_their_screen(
        qtbot, window: CounterWindow, ctx: AppContext,  # type: ignore[no-untyped-def]
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("app.ui.devices.a4_print.available_printers", lambda: [])
    wizard = _to_signature(qtbot, window, ctx)
    page = wizard.pages[SIGNATURE]
    assert isinstance(page, SignaturePage)
    customer = page.customer
    assert not customer.is_showing()  # one monitor: nothing opens over the clerk's window
    # the slip's pages, as PDFium drew them from the slip's PDF: as many as the PDF has
    count = _slip_shown(qtbot, page)
    assert customer.pdf is not None
    assert count == len(PdfReader(io.BytesIO(customer.pdf)).pages)
    expected = content_hash(wizard.controller.request(), wizard.controller.evaluation)
    assert page.digest == expected
    assert expected in "".join(_text_lines(customer.pdf))  # the hash the signature binds
    # 转向客户: full-screen on the clerk's monitor, slip and pad
    qtbot.mouseClick(page.turn, Qt.MouseButton.LeftButton)
    screen = customer.screen
    qtbot.waitUntil(screen.isVisible, timeout=WAIT_MS)
    assert screen.isFullScreen() and screen.screen() is wizard.screen()
    assert screen.slip.page.pixmap() is not None and not screen.slip.page.pixmap().isNull()
    # the customer signs there; the clerk's page sees the strokes arrive
    draw_signature(screen.pad, strokes=3)
    assert len(page.pad.strokes()) == 3
    assert page.customer.link.signed_by_customer()
    assert page.customer_status.text() == page.tr("The customer has signed.")
    # Esc hands the screen back to the clerk, strokes kept on both pads
    QTest.keyClick(screen, Qt.Key.Key_Escape)
    assert not screen.isVisible()
    assert len(screen.pad.strokes()) == 3 and len(page.pad.strokes()) == 3
    # Enter submits: one order, the customer's strokes bound to the hash shown
    shown = screen.pad.strokes()
    pad_size = (screen.pad.width(), screen.pad.height())
    _press_enter(wizard)
    qtbot.waitUntil(lambda: wizard.currentId() == DONE, timeout=WAIT_MS)
    settle(ctx)
    order, sig = _order(ctx, wizard)
    assert sig.content_hash == order.content_hash == expected and not sig.on_paper
    stored = json.loads(sig.strokes)
    assert (stored["width"], stored["height"]) == pad_size  # the customer's pad, not a copy
    assert stored["strokes"] == [[[round(x, 1), round(y, 1), t] for x, y, t in stroke]
                                 for stroke in shown]
    assert not QImage.fromData(sig.png).isNull()
    # what the customer read is the slip that prints: the same lines, but for the signature
    with ctx.db.read() as s:
        printed = render_slip(build_paper(s, s.get(ServiceOrder, order.id)))
    signature_lines = re.compile(r"签字|日期：")
    proof_lines = [ln for ln in _text_lines(customer.pdf) if not signature_lines.search(ln)]
    final_lines = [ln for ln in _text_lines(printed) if not signature_lines.search(ln)]
    assert proof_lines == final_lines
    assert not screen.isVisible()  # nothing stays on the customer's side after the page


def test_enter_after_signing_submits_never_clears(qtbot, window: CounterWindow,  # type: ignore[no-untyped-def]
                                                  ctx: AppContext,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Defect 3: the clerk pressed 清除重签 once (so it had the focus), the customer signed
    again, Enter wiped the signature. Now Enter submits, with the strokes."""
    monkeypatch.setattr("app.ui.devices.a4_print.available_printers", lambda: [])
    wizard = _to_signature(qtbot, window, ctx)
    page = wizard.pages[SIGNATURE]
    assert isinstance(page, SignaturePage)
    submit = wizard.button(QWizard.WizardButton.NextButton)
    for button in (page.clear, page.undo, page.turn, page.attach):
        assert not button.autoDefault() and not button.isDefault()
    draw_signature(page.pad, strokes=1)
    qtbot.mouseClick(page.clear, Qt.MouseButton.LeftButton)  # the focus goes to the button
    assert page.pad.is_empty() and not submit.isEnabled()
    draw_signature(page.pad, strokes=2)
    assert wizard.focusWidget() is submit and submit.isDefault()
    _press_enter(wizard)
    qtbot.waitUntil(lambda: wizard.currentId() == DONE, timeout=WAIT_MS)
    settle(ctx)
    _order_row, sig = _order(ctx, wizard)
    assert len(json.loads(sig.strokes)["strokes"]) == 2


def test_second_monitor_opens_by_itself_and_closes_with_the_page(
        qtbot, window: CounterWindow, ctx: AppContext,  # type: ignore[no-untyped-def]
        monkeypatch: pytest.MonkeyPatch) -> None:
    only = QGuiApplication.primaryScreen()
    monkeypatch.setattr("app.ui.customer.signing.QGuiApplication.screens",
                        staticmethod(lambda: [only, only]))
    wizard = _to_signature(qtbot, window, ctx)
    page = wizard.pages[SIGNATURE]
    assert isinstance(page, SignaturePage)
    assert page.customer.is_showing() and page.customer.screen.isFullScreen()
    assert not page.customer.turned
    assert page.customer_status.text() in ("客户屏：屏幕 2", "Customer monitor: 2")
    draw_signature(page.customer.screen.pad, strokes=2)
    QTest.keyClick(page.customer.screen, Qt.Key.Key_Escape)
    assert page.customer.is_showing()  # its own monitor: stays, with the signature
    qtbot.mouseClick(page.clear, Qt.MouseButton.LeftButton)  # the clerk clears both pads
    assert page.pad.is_empty() and page.customer.screen.pad.is_empty()
    draw_signature(page.customer.screen.pad, strokes=1)
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.BackButton), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.currentId() == PAYMENT, timeout=WAIT_MS)
    assert not page.customer.is_showing()
    # back to change the request: the signature goes with the slip it was given on
    assert page.pad.is_empty() and page.customer.screen.pad.is_empty()
    click_next(qtbot, wizard, SIGNATURE)  # back on the page: it opens there again
    qtbot.waitUntil(page.customer.is_showing, timeout=WAIT_MS)
    wizard.hide()  # the wizard goes away (finished, or the customer gave up)
    qtbot.waitUntil(lambda: not page.customer.is_showing(), timeout=WAIT_MS)


def test_group_agent_slip_matches_the_printed_one(qtbot, window: CounterWindow,  # type: ignore[no-untyped-def]
                                                  ctx: AppContext,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """A unit's agent (unit name and registration, the agent's masked ID, the letter)."""
    monkeypatch.setattr("app.ui.devices.a4_print.available_printers", lambda: [])
    pick = pick_line(ctx, group_active)
    window.search.box.setFocus()
    QTest.keyClicks(window.search.box, pick.number)
    qtbot.waitUntil(lambda: window.search.model.rowCount() > 0, timeout=WAIT_MS)
    with qtbot.waitSignal(window.customer_loaded, timeout=WAIT_MS):
        QTest.keyClick(window.search.box, Qt.Key.Key_Return)
    window.panel.select_line(pick.number)
    wizard = _open_service(qtbot, window, ctx, "report_loss")
    wizard.pages[PRESENTER].name.setText("经办人李四")  # typed through an input method
    agent_id = make_resident_id(date(1985, 3, 4))
    QTest.keyClicks(wizard.pages[PRESENTER].id_field.number, agent_id)
    click_next(qtbot, wizard, DOCUMENTS)
    wizard.pages[DOCUMENTS].row("introduction_letter").seen.setChecked(True)
    click_next(qtbot, wizard, DETAILS)
    click_next(qtbot, wizard)
    assert wait_verdict(qtbot, wizard).decision == "accepted"
    wait_page(qtbot, wizard, SIGNATURE)
    page = wizard.pages[SIGNATURE]
    assert isinstance(page, SignaturePage)
    _slip_shown(qtbot, page)
    proof = page.customer.pdf
    assert proof is not None
    text = "".join(_text_lines(proof))
    assert "经办人李四" in text and (pick.detail.unit_name or pick.detail.name) in text
    assert pick.detail.reg_number and pick.detail.reg_number not in text  # masked, never whole
    assert agent_id not in text and agent_id[-4:] in text
    draw_signature(page.pad)
    _press_enter(wizard)
    qtbot.waitUntil(lambda: wizard.currentId() == DONE, timeout=WAIT_MS)
    settle(ctx)
    order, _sig = _order(ctx, wizard)
    with ctx.db.read() as s:
        printed = render_slip(build_paper(s, s.get(ServiceOrder, order.id)))
    signature_lines = re.compile(r"签字|日期：")
    assert [ln for ln in _text_lines(proof) if not signature_lines.search(ln)] == \
        [ln for ln in _text_lines(printed) if not signature_lines.search(ln)]


def test_customer_screen_at_1366x768(qtbot, window: CounterWindow, ctx: AppContext,  # type: ignore[no-untyped-def]
                                     app_look: QApplication, tmp_path: Path) -> None:
    from app.ui.kit import fonts
    from app.ui.kit.theme import apply_theme

    fonts.install_cjk_font(app_look)
    apply_theme(app_look)
    wizard = _to_signature(qtbot, window, ctx)
    page = wizard.pages[SIGNATURE]
    assert isinstance(page, SignaturePage)
    _slip_shown(qtbot, page)
    screen = page.customer.screen
    screen.resize(1366, 768)
    screen.show()
    qtbot.waitExposed(screen)
    draw_signature(screen.pad, strokes=2)
    QApplication.processEvents()
    qtbot.wait(120)  # the page is fitted to the new width after a short pause
    out = ROOT / "docs" / "screenshots" if SHOTS else tmp_path
    shot = QImage(str(grab_to_png(screen, out / "customer_screen_1366x768.png")))
    assert (shot.width(), shot.height()) == (1366, 768)
    for button in (screen.slip.previous, screen.slip.next, screen.clear, screen.done):
        corner = button.mapTo(screen, button.rect().bottomRight())
        assert 0 < corner.x() <= 1366 and 0 < corner.y() <= 768, button.objectName()
        assert button.height() >= 56  # a fingertip
    # the page is fitted to its column: readable, not a thumbnail
    assert screen.slip.page.pixmap().width() >= 700
    screen.hide()
    wizard.resize(1366, 740)
    QApplication.processEvents()
    grab_to_png(wizard, out / "customer_signature_page_1366x768.png")
