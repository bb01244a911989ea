"""The Work menu's "Stock..." entry of the counter window (every staff member may look; the
core decides who may receive or transfer)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from app.ui.day.stock_dialog import StockDialog, stock_dialog

if TYPE_CHECKING:
    from app.ui.counter.window import CounterWindow


class StockEntry(QObject):
    def __init__(self, window: CounterWindow, menu: QMenu) -> None:
        super().__init__(window)
        self.window = window
        self.dialog: StockDialog | None = None
        self.action = QAction(window)
        self.action.setObjectName("stockAction")
        self.action.triggered.connect(self.open)
        menu.addAction(self.action)
        window.installEventFilter(self)
        self.retranslate()

    def retranslate(self) -> None:
        self.action.setText(self.tr("Stock: on hand, receipts, transfers..."))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        return False

    def open(self) -> StockDialog:
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.raise_()
            return self.dialog
        ctx = self.window.ctx
        self.dialog = stock_dialog(self.window, ctx.runner, ctx.db, self.window.actor)
        return self.dialog
