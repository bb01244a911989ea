"""The Supervisor menu's "Hall settings..." entry of the counter window, and what a saved
change means for that window: the idle lock takes the hall's new time (never longer than
the hall's: `CounterWindow.idle_minutes`) and the title the hall's new name."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from app.ui.supervisor.hall_settings import CHANGED, HallSettingsDialog, open_hall_settings

if TYPE_CHECKING:
    from app.ui.counter.window import CounterWindow


class HallSettingsEntry(QObject):
    def __init__(self, window: CounterWindow, menu: QMenu) -> None:
        super().__init__(window)
        self.window = window
        self.dialog: HallSettingsDialog | None = None
        self.action = QAction(window)
        self.action.setObjectName("hallSettingsAction")
        self.action.triggered.connect(self.open)
        menu.addAction(self.action)
        window.installEventFilter(self)
        window.ctx.runner.changes.changed.connect(self._changed)
        self.retranslate()

    def retranslate(self) -> None:
        self.action.setText(self.tr("Hall settings..."))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        return False

    def open(self) -> HallSettingsDialog:
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.raise_()
            return self.dialog
        self.dialog = open_hall_settings(self.window.ctx, self.window)
        return self.dialog

    def _changed(self, changes: frozenset[str]) -> None:
        if CHANGED not in changes:
            return
        idle = getattr(self.window, "idle_lock", None)
        if idle is not None:
            idle.watcher.set_timeout_minutes(self.window.idle_minutes())
        self.window.retranslate_ui()  # the title carries the hall's name
