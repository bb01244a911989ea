"""The presenter's ID validity at the counter: typed (or read from the card), checked on its
page, carried into the request, and an expired ID refused by the rules with its date."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWizard

from app.ui.counter.window import CounterWindow
from app.ui.shell.context import AppContext
from app.ui.wizard.base import DETAILS, DOCUMENTS, PRESENTER

from .counter_driver import adult_personal_active, click_next, ctx, pick_line, wait_verdict, window
from .test_counter_gui import find_and_choose, open_service
from .ui_fixtures import no_thread_leak, op_runner, translators, ui_settings

__all__ = ["ctx", "no_thread_leak", "op_runner", "translators", "ui_settings", "window"]


def test_a_typed_expired_id_is_refused_with_its_date(qtbot, window: CounterWindow,
                                                     ctx: AppContext) -> None:
    pick = pick_line(ctx, adult_personal_active)
    find_and_choose(qtbot, window, pick.number)
    wizard = open_service(qtbot, window, "sim_replacement")
    click_next(qtbot, wizard, PRESENTER)
    page = wizard.pages[PRESENTER]
    QTest.keyClicks(page.id_field.number, pick.detail.id_number)
    next_button = wizard.button(QWizard.WizardButton.NextButton)

    QTest.keyClicks(page.valid_until, "2026-13-01")  # not a date: named, and no 下一步
    assert "YYYY-MM-DD" in page.valid_until_error.text()
    assert not next_button.isEnabled()

    expired = ctx.business_date() - timedelta(days=1)
    page.valid_until.clear()
    QTest.keyClicks(page.valid_until, expired.strftime("%Y%m%d"))  # as printed on the card
    assert expired.isoformat() in page.valid_until_error.text()
    assert next_button.isEnabled()  # the rules say no, with their words, on the verdict
    click_next(qtbot, wizard, DOCUMENTS)
    assert wizard.controller.state.presenter_id_valid_until == expired.isoformat()
    click_next(qtbot, wizard, DETAILS)
    QTest.keyClicks(wizard.pages[DETAILS].editor("new_sim_serial").editor, "8986011234567890")
    click_next(qtbot, wizard)
    ev = wait_verdict(qtbot, wizard)
    assert ev.decision == "rejected"
    refusal = next(v for v in ev.violations if v.rule == "document_not_accepted")
    assert expired.isoformat() in refusal.message


def test_long_term_is_an_empty_validity(qtbot, window: CounterWindow, ctx: AppContext) -> None:
    pick = pick_line(ctx, adult_personal_active)
    find_and_choose(qtbot, window, pick.number)
    wizard = open_service(qtbot, window, "sim_replacement")
    click_next(qtbot, wizard, PRESENTER)
    page = wizard.pages[PRESENTER]
    QTest.keyClicks(page.id_field.number, pick.detail.id_number)
    QTest.keyClick(page.valid_until, Qt.Key.Key_Tab)
    assert page.valid_until_error.text() == ""
    click_next(qtbot, wizard, DOCUMENTS)
    assert wizard.controller.state.presenter_id_valid_until == ""
