"""Export, backup and sync as the counter window offers them (offscreen, driven with qtbot).

A supervisor opens the export dialog from the Data menu and exports; a clerk has no such entry
and is refused if it is reached anyway. "Back up now" writes a checked copy of the database.
The sync status shows only when a server is configured, and an unreachable server turns it red
without holding up the window. Closing the window stops its timers; no thread is left running.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import sqlite3
import time
from collections.abc import Callable, Iterator
from itertools import pairwise
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMessageBox, QWidget

from app.services.exchange.backup import backups_in
from app.ui.counter.window import CounterWindow
from app.ui.kit import i18n
from app.ui.kit.op_runner import OpRunner
from app.ui.settings.counter import SYNC_SERVER_URL
from app.ui.settings.dialog import SettingsDialog
from app.ui.settings.store import UiSettings
from app.ui.shell.context import AppContext
from app.ui.shell.errors import install_error_messages

from .counter_driver import WAIT_MS, log_in, make_context, settle
from .ui_fixtures import no_thread_leak, op_runner, translators, ui_settings

__all__ = ["no_thread_leak", "op_runner", "translators", "ui_settings"]

pytestmark = [pytest.mark.gui]

NOBODY = "postgresql+psycopg://nobody@127.0.0.1:1/x"  # nothing listens on port 1


@pytest.fixture
def ctx(no_thread_leak: None, demo_db, op_runner: OpRunner,  # type: ignore[no-untyped-def]
        ui_settings: UiSettings, translators: None,
        monkeypatch: pytest.MonkeyPatch) -> Iterator[AppContext]:
    for name in ("COUNTER_BACKUP_DIR", "COUNTER_BACKUP_TIME", "COUNTER_BACKUP_KEEP_DAYS",
                 "COUNTER_SYNC_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    i18n.install_translators("zh_CN")
    install_error_messages()
    context = make_context(demo_db, op_runner, ui_settings)
    yield context
    settle(context)


@pytest.fixture
def open_window(qtbot, ctx: AppContext) -> Iterator[Callable[[str], CounterWindow]]:  # type: ignore[no-untyped-def]
    windows: list[CounterWindow] = []

    def open_(staff_no: str) -> CounterWindow:
        log_in(ctx, staff_no)
        w = CounterWindow(ctx)
        qtbot.addWidget(w)
        w.show()
        qtbot.waitExposed(w)
        settle(ctx)
        windows.append(w)
        return w

    yield open_
    for w in windows:
        w.close()
    settle(ctx)


def _wait_for_box(qtbot, w: CounterWindow, name: str) -> QMessageBox:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: w.data.box is not None and w.data.box.objectName() == name
                    and w.data.box.isVisible(), timeout=WAIT_MS)
    box = w.data.box
    assert box is not None
    return box


# --- export ---------------------------------------------------------------------------------

def test_supervisor_exports_from_the_data_menu(qtbot, open_window, ctx: AppContext,  # type: ignore[no-untyped-def]
                                               tmp_path: Path) -> None:
    w = open_window("S001")
    assert w.menu_data.title() == "数据(&D)"
    assert w.data.act_export.isVisible() and w.data.act_export.text() == "导出数据…"
    assert w.data.act_export in w.menu_data.actions()

    w.data.act_export.trigger()
    dialog = w.data.export_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.windowTitle() == "导出数据"
    assert dialog.masked.isChecked()  # masked is the default
    assert dialog.unmasked.isEnabled()  # a supervisor holds export.unmasked

    dialog.folder.setText(str(tmp_path))
    with qtbot.waitSignal(dialog.exported, timeout=20_000) as blocker:
        dialog.start.click()
    result = blocker.args[0]
    assert result.masked and result.directory.parent == tmp_path
    assert (result.directory / "manifest.json").is_file()
    assert "已导出" in dialog.status.text()

    w.close()  # closing the window closes its dialog too
    assert not dialog.isVisible()


def test_clerk_has_no_export_entry_and_is_refused(qtbot, open_window) -> None:  # type: ignore[no-untyped-def]
    w = open_window("C001")
    assert not w.data.act_export.isVisible()
    assert w.data.act_backup.isVisible()  # a backup is anyone's: it stays on this computer
    assert w.data.open_export() is None  # reached some other way: refused, nothing opened
    box = _wait_for_box(qtbot, w, "exportRefusedBox")
    assert "值班长" in box.text()
    assert w.data.export_dialog is None
    box.close()


# --- backup ---------------------------------------------------------------------------------

def test_back_up_now_writes_a_checked_copy(qtbot, open_window, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    w = open_window("C001")
    source = ctx.db.sqlite_path
    assert source is not None
    folder = source.parent / "backups"
    before = {p for _t, p in backups_in(folder)}
    assert w.data.act_backup.text() == "立即备份"

    w.data.act_backup.trigger()
    assert not w.data.act_backup.isEnabled()  # one at a time, and the window goes on
    box = _wait_for_box(qtbot, w, "backupDoneBox")
    made = [p for _t, p in backups_in(folder) if p not in before]
    assert len(made) == 1
    backup = made[0]
    assert str(backup) in box.text()  # the message names the file
    assert w.data.act_backup.isEnabled()
    con = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert con.execute("SELECT count(*) FROM customer").fetchone()[0] > 0
    finally:
        con.close()
    box.close()


def test_closing_the_window_stops_its_timers(qtbot, open_window) -> None:  # type: ignore[no-untyped-def]
    w = open_window("C001")
    timer = w.data.backup_timer
    assert timer is not None and timer.timer.isActive()  # started for a SQLite database
    w.close()
    assert not timer.timer.isActive()


# --- sync -----------------------------------------------------------------------------------

def test_no_sync_status_without_a_server(open_window) -> None:  # type: ignore[no-untyped-def]
    w = open_window("C001")
    assert w.data.sync_widget is None
    assert w.findChild(QWidget, "syncStatus") is None


def test_unreachable_server_shows_an_error_without_freezing(  # type: ignore[no-untyped-def]
        qtbot, open_window, ctx: AppContext) -> None:
    ctx.settings.set(SYNC_SERVER_URL, NOBODY)
    w = open_window("C001")
    widget = w.data.sync_widget
    assert widget is not None and widget.isVisible()
    assert widget.parent() is not None and widget in w.statusBar().findChildren(type(widget))

    ticks: list[float] = []
    beat = QTimer()
    beat.timeout.connect(lambda: ticks.append(time.monotonic()))
    beat.start(20)
    started = time.monotonic()
    widget.sync_now()
    assert time.monotonic() - started < 0.5  # the connection is tried on a worker
    qtbot.waitUntil(lambda: widget.property("syncState") == "error" and not widget.running,
                    timeout=15_000)
    beat.stop()
    assert ticks, "the GUI thread did not run while the sync failed"
    gaps = [b - a for a, b in pairwise(ticks)]
    assert max(gaps, default=0) < 1.0  # never frozen for long
    assert "失败" in widget.text.text()
    assert "127.0.0.1" in widget.toolTip()
    assert widget.timer.isActive()  # a retry is planned

    w.close()
    assert not widget.timer.isActive()
    widget.sync_now()  # stopped for good: no new attempt
    assert not widget.running


def test_settings_turn_the_sync_status_on_and_off(qtbot, open_window, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    w = open_window("C001")
    assert w.data.sync_widget is None

    w.act_settings.trigger()
    dialog = w.findChild(SettingsDialog, "settingsDialog")
    assert dialog is not None
    dialog.sync_url.setText("postgresql+psycopg://nobody:secret@127.0.0.1:1/x")
    dialog.save()  # a password does not go into the settings file
    assert not dialog.sync_error.isHidden() and "密码" in dialog.sync_error.text()
    assert ctx.settings.get(SYNC_SERVER_URL) == ""

    dialog.sync_url.setText(NOBODY)
    dialog.save()  # saved, and the window is told (`accepted`)
    assert ctx.settings.get(SYNC_SERVER_URL) == NOBODY
    widget = w.data.sync_widget
    assert widget is not None and widget.isVisible() and widget.server_url == NOBODY

    w.act_settings.trigger()
    again = [d for d in w.findChildren(SettingsDialog) if d is not dialog and d.isVisible()]
    assert len(again) == 1
    again[0].sync_url.clear()  # empty: no sync
    again[0].save()
    assert w.data.sync_widget is None
    assert not widget.timer.isActive()
