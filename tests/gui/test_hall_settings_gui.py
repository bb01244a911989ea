"""The hall settings screen, driven as a hall manager drives it: the grouped form with each
value's source, a tariff change from a later date, a new counter, one save; a refused value
named and nothing saved; a supervisor who may only look; the counter window's idle lock taking
the new time at once; the screen fitting 1366 x 768. `HALL_SCREENSHOTS=1` also writes
docs/screenshots/hall_settings*.png."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDoubleSpinBox, QSpinBox, QWidget

from app.services.hall.settings import show_settings
from app.ui.counter.window import CounterWindow
from app.ui.kit.op_runner import OpRunner
from app.ui.settings.store import UiSettings
from app.ui.supervisor.hall_settings import HallSettingsDialog
from tests.builders import DAY
from tests.security_fixtures import events, row_counts

from .counter_driver import WAIT_MS, log_in, make_context, settle
from .ui_fixtures import no_thread_leak, op_runner, translators, ui_settings

__all__ = ["no_thread_leak", "op_runner", "translators", "ui_settings"]

pytestmark = [pytest.mark.gui, pytest.mark.usefixtures("no_thread_leak")]

ROOT = Path(__file__).resolve().parents[2]
SHOTS = os.environ.get("HALL_SCREENSHOTS") == "1"


def shot(widget: QWidget, name: str) -> None:
    if SHOTS:
        from app.ui.kit.screenshots import grab_to_png

        QApplication.processEvents()
        grab_to_png(widget, ROOT / "docs" / "screenshots" / f"{name}.png")


@pytest.fixture
def ctx(demo_db: Any, op_runner: OpRunner, ui_settings: UiSettings, translators: None,
        qapp: QApplication) -> Iterator[Any]:
    from app.ui.kit import i18n

    if SHOTS:
        from app.ui.kit import fonts
        from app.ui.kit.theme import apply_theme

        fonts.install_cjk_font(qapp)
        apply_theme(qapp)
    i18n.install_translators("zh_CN")
    context = make_context(demo_db, op_runner, ui_settings)
    yield context
    op_runner.wait_idle(60)


def open_screen(ctx: Any, qtbot: Any, staff_no: str) -> tuple[CounterWindow, HallSettingsDialog]:
    log_in(ctx, staff_no, open_shift=False)
    window = CounterWindow(ctx)
    qtbot.addWidget(window)
    assert window.hall_settings.action in window.menu_supervisor.actions()
    dialog = window.hall_settings.open()
    qtbot.waitUntil(lambda: dialog.view is not None, timeout=WAIT_MS)
    return window, dialog


def close(ctx: Any, window: CounterWindow, dialog: HallSettingsDialog) -> None:
    dialog.close()
    window.close()
    settle(ctx)


def test_a_manager_changes_settings_tariff_and_counters_in_one_save(ctx: Any,
                                                                    qtbot: Any) -> None:
    window, dialog = open_screen(ctx, qtbot, "M001")
    assert dialog.save_button.isEnabled()
    assert window.idle_lock is not None and window.idle_lock.watcher.timeout_ms == 5 * 60_000
    idle = dialog.fields["idle_lock_minutes"].widget
    cash = dialog.fields["difference_tolerance_fen.cash"].widget
    assert isinstance(idle, QSpinBox) and isinstance(cash, QDoubleSpinBox)
    assert idle.value() == 5 and cash.value() == 10.0  # yuan on screen, fen in the core
    assert dialog.sources["idle_lock_minutes"].property("source") == "default"
    assert dialog.sources["name"].property("source") == "hall"
    shot(dialog, "hall_settings")
    idle.setValue(2)
    cash.setValue(5.5)
    QTest.keyClick(idle, Qt.Key.Key_Return)  # Enter neither saves nor closes the screen
    assert dialog.isVisible() and not events(ctx.db, "hall.setting")
    tariff = dialog.tariff
    row = tariff.items.index("sim_card_fee")
    tariff.table.item(row, tariff.NEW).setText("12.00")
    later = DAY + timedelta(days=10)
    tariff.valid_from.setDate(QDate(later.year, later.month, later.day))
    tariff.reason.setText("12月起新资费")
    dialog.counters.code.setText("c09")
    dialog.counters.name.setText("9号柜台")
    dialog.counters.add.click()
    with qtbot.waitSignal(dialog.saved, timeout=WAIT_MS):
        dialog.save_button.click()
    assert not dialog.error.isVisible(), dialog.error.text()
    settle(ctx)
    # In force at once: this window's idle lock, the order service's cache, the database.
    assert window.idle_lock.watcher.timeout_ms == 2 * 60_000
    assert ctx.orders.hall_config().idle_lock_minutes == 2
    view = show_settings(ctx.db, ctx.actor)
    assert view.value("difference_tolerance_fen.cash") == 550
    sim = next(t for t in view.tariffs if t.item == "sim_card_fee")
    assert (sim.amount_fen, sim.scheduled) == (1000, ((later, 1200),))
    assert ("C09", "9号柜台") in {(c.code, c.name) for c in view.counters}
    assert sorted(e.target for e in events(ctx.db, "hall.setting")) == [
        "difference_tolerance_fen.cash", "idle_lock_minutes"]
    assert [e.data["valid_from"] for e in events(ctx.db, "tariff.update")] == [
        later.isoformat()]
    assert dialog.sources["idle_lock_minutes"].property("source") == "hall"
    assert tariff.table.item(row, 3).text() == f"{later.isoformat()}: 12.00"
    dialog.tabs.setCurrentWidget(tariff)
    shot(dialog, "hall_settings_tariff")
    dialog.tabs.setCurrentWidget(dialog.counters)
    shot(dialog, "hall_settings_counters")
    close(ctx, window, dialog)


def test_a_refused_value_is_named_and_nothing_is_saved(ctx: Any, qtbot: Any) -> None:
    window, dialog = open_screen(ctx, qtbot, "M001")
    before = row_counts(ctx.db)
    dialog.fields["idle_lock_minutes"].widget.setValue(3)  # type: ignore[attr-defined]
    tariff = dialog.tariff
    tariff.table.item(tariff.items.index("relocation_fee"), tariff.NEW).setText("5O.00")
    dialog.save_button.click()
    qtbot.waitUntil(dialog.error.isVisible, timeout=WAIT_MS)
    assert "tariff.relocation_fee" in dialog.error.text()
    assert "不是有效金额" in dialog.error.text()
    assert dialog.tabs.currentWidget() is tariff  # taken to the field
    settle(ctx)
    assert row_counts(ctx.db) == before  # all or nothing: the idle time was not saved either
    tariff.table.item(tariff.items.index("relocation_fee"), tariff.NEW).setText("")
    dialog.fields["timezone"].widget.setEditText("Asia/Atlantis")  # type: ignore[attr-defined]
    dialog.save_button.click()
    qtbot.waitUntil(lambda: "Asia/Atlantis" in dialog.error.text(), timeout=WAIT_MS)
    assert dialog.error.text().startswith("营业时区 (timezone)")
    close(ctx, window, dialog)


def test_a_supervisor_may_look_but_not_change(ctx: Any, qtbot: Any) -> None:
    window, dialog = open_screen(ctx, qtbot, "S001")
    assert not dialog.save_button.isEnabled()
    assert "经理" in dialog.note.text() or "manager" in dialog.note.text()
    idle = dialog.fields["idle_lock_minutes"].widget
    assert isinstance(idle, QSpinBox) and idle.isReadOnly()
    assert not dialog.counters.add.isEnabled()
    close(ctx, window, dialog)


def test_the_screen_fits_1366_by_768(ctx: Any, qtbot: Any) -> None:
    window, dialog = open_screen(ctx, qtbot, "M001")
    hint = dialog.minimumSizeHint()
    assert hint.width() <= 1366 and hint.height() <= 740, hint  # a title bar and a task bar
    assert dialog.width() <= 1366 and dialog.height() <= 740
    page = dialog.form_page
    assert page.sizeHint().height() <= dialog.tabs.height() + 40  # the form needs no scrolling
    close(ctx, window, dialog)
