"""我的待办 in the counter window: the Work menu's entry (Ctrl+T), the supervisor's view of
everyone's items, and the status bar's count of the clerk's open and overdue items.

The count is read on the read pool, never on the GUI thread: when the window opens, every
minute (an item becomes overdue by time alone) and when a write announces a change that can
add, close or move an item."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QPushButton

from app.security import Permission, has_permission
from app.services.day import todo
from app.ui.counter.todo_view import OVERDUE_TEXT, RELOAD_ON, TodoView
from app.ui.kit.op_failures import OpFailure
from app.ui.kit.operations import QueryOp

if TYPE_CHECKING:
    from app.ui.counter.window import CounterWindow

logger = logging.getLogger(__name__)

REFRESH_MS = 60_000
SHORTCUT = "Ctrl+T"


class TodoEntry(QObject):
    def __init__(self, window: CounterWindow, work_menu: QMenu, supervisor_menu: QMenu) -> None:
        super().__init__(window)
        self.window = window
        self.ctx = window.ctx
        self.counts: todo.TodoCounts | None = None
        self.view: TodoView | None = None
        self.all_view: TodoView | None = None
        self._busy = self._again = False
        self.action = QAction(window)
        self.action.setObjectName("todoAction")
        self.action.setShortcut(QKeySequence(SHORTCUT))
        self.action.triggered.connect(self.open)
        work_menu.addAction(self.action)
        self.all_action = QAction(window)
        self.all_action.setObjectName("todoAllAction")
        self.all_action.triggered.connect(self.open_all)
        supervisor_menu.addAction(self.all_action)
        self.all_action.setVisible(has_permission(window.actor.role,
                                                  Permission.EXCEPTION_AUTHORIZE))
        self.status = QPushButton(window)
        self.status.setObjectName("todoStatus")
        self.status.setFlat(True)
        self.status.setAutoDefault(False)
        self.status.clicked.connect(self.open)
        window.statusBar().addPermanentWidget(self.status)
        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.refresh)
        self.timer.start()
        self.ctx.runner.changes.changed.connect(self._changed)
        window.installEventFilter(self)
        self.retranslate()
        self.refresh()

    def retranslate(self) -> None:
        self.action.setText(self.tr("My to-do list..."))
        self.all_action.setText(self.tr("Everyone's to-do items, overdue first..."))
        self._show()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window:
            if event.type() == QEvent.Type.LanguageChange:
                self.retranslate()
            elif event.type() == QEvent.Type.Close:
                self.timer.stop()
        return False

    # -- the count ----------------------------------------------------------------------------

    def refresh(self) -> None:
        if self._busy:  # one query at a time; a change during it counts once more
            self._again = True
            return
        if self.ctx.runner.is_closing:
            return
        self._busy, self._again = True, False
        db, actor = self.ctx.db, self.window.actor
        (QueryOp(self.ctx.runner, lambda _c: todo.my_counts(db, actor))
         .success(self._counted).failure(self._failed).run_in_background())

    def _changed(self, changes: frozenset[str]) -> None:
        if changes & RELOAD_ON:
            self.refresh()

    def _counted(self, counts: todo.TodoCounts) -> None:
        self._busy = False
        if not shiboken6.isValid(self.status):
            return
        self.counts = counts
        self._show()
        if self._again:
            self.refresh()

    def _failed(self, failure: OpFailure) -> None:
        self._busy = False
        logger.warning("the to-do count could not be read: %s", failure.message)

    def _show(self) -> None:
        c = self.counts
        if c is None:
            self.status.setText(self.tr("My to-do list"))
            self.status.setStyleSheet("")
            return
        if c.overdue:
            self.status.setText(self.tr("To do: %1, overdue: %2").replace(
                "%1", str(c.open)).replace("%2", str(c.overdue)))
            self.status.setStyleSheet(f"color: {OVERDUE_TEXT.name()}; font-weight: bold;")
        else:
            self.status.setText(self.tr("To do: %1").replace("%1", str(c.open)))
            self.status.setStyleSheet("")
        self.status.setToolTip(self.tr("My to-do list (%1)").replace("%1", SHORTCUT))

    # -- the lists ----------------------------------------------------------------------------

    def open(self) -> TodoView:
        self.view = self._show_view(self.view, everyone=False)
        return self.view

    def open_all(self) -> TodoView:
        self.all_view = self._show_view(self.all_view, everyone=True)
        return self.all_view

    def _show_view(self, view: TodoView | None, everyone: bool) -> TodoView:
        if view is None or not shiboken6.isValid(view):
            view = TodoView(self.ctx, everyone, self.window)
        elif not view.isVisible():
            view.load()
        view.show()
        view.raise_()
        view.activateWindow()
        view.table.setFocus()
        return view
