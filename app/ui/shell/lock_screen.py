"""The lock screen: an overlay that hides the counter window until the clerk comes back.

`LockScreen` is a frameless, window-modal dialog that covers its parent window completely
(customer data on the screen is hidden, and no click reaches the window below). It opens
again only with the same clerk's password, or with a supervisor's staff number and password;
then it closes and the window is exactly as it was (the half-typed request is still there,
and the focus goes back where it was).

The rules and the records live in the core (`app.services.staff.session_lock.SessionLock`); this
module only shows them. With an `OpRunner`, the password check (argon2, a database write) runs
on the write worker and the dialog waits without blocking the GUI thread. Recording the lock
does not make the clerk wait: the password can be typed at once, and its check, queued on the
same single write worker, runs only after the lock is recorded.

`IdleLock` wires `IdleWatcher` to it: after the hall's idle time the screen locks.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFormLayout,
    QFrame,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.services.staff.session_lock import SessionLock, UnlockResult
from app.ui.kit.op_failures import OpFailure, user_message_for
from app.ui.kit.op_runner import OpRunner
from app.ui.kit.operations import CollectionOp
from app.ui.shell.idle import IdleWatcher

__all__ = ["IdleLock", "LockScreen"]


class LockScreen(QDialog):
    """Covers `parent` until unlocked; emits `unlocked(UnlockResult)` and closes."""

    unlocked = Signal(object)

    def __init__(self, lock: SessionLock, parent: QWidget, runner: OpRunner | None = None) -> None:
        super().__init__(parent, Qt.WindowType.FramelessWindowHint | Qt.WindowType.Dialog)
        self.setObjectName("lockScreen")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setModal(True)
        self.setAutoFillBackground(True)
        self.setStyleSheet("#lockScreen { background: #1f2933; }"
                           "#lockCard { background: #ffffff; border-radius: 8px; }"
                           "#lockError { color: #c62828; }")
        self._lock = lock
        self._runner = runner
        self._busy = False
        self._return_focus: QWidget | None = None
        self._build()
        parent.installEventFilter(self)

    # -- layout ---------------------------------------------------------------------------

    def _build(self) -> None:
        actor = self._lock.actor
        card = QFrame(self)
        card.setObjectName("lockCard")
        card.setFixedWidth(420)
        title = QLabel(self.tr("The screen is locked"), card)
        title.setStyleSheet("font-size: 20pt; font-weight: bold;")
        who = QLabel(self.tr("Logged in: %1 (%2)").replace("%1", actor.name)
                     .replace("%2", actor.staff_no), card)
        self.password = QLineEdit(card)
        self.password.setObjectName("lockPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("Your password"))
        self.password.returnPressed.connect(self._unlock_clerk)
        self.unlock_button = QPushButton(self.tr("Unlock"), card)
        self.unlock_button.setObjectName("lockUnlock")
        self.unlock_button.setDefault(True)
        self.unlock_button.clicked.connect(self._unlock_clerk)
        self.supervisor_toggle = QPushButton(self.tr("Supervisor unlock…"), card)
        self.supervisor_toggle.setObjectName("lockSupervisorToggle")
        self.supervisor_toggle.setCheckable(True)
        self.supervisor_toggle.toggled.connect(self._show_supervisor)

        self.supervisor_box = QFrame(card)
        form = QFormLayout(self.supervisor_box)
        self.supervisor_no = QLineEdit(self.supervisor_box)
        self.supervisor_no.setObjectName("lockSupervisorNo")
        self.supervisor_password = QLineEdit(self.supervisor_box)
        self.supervisor_password.setObjectName("lockSupervisorPassword")
        self.supervisor_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.supervisor_password.returnPressed.connect(self._unlock_supervisor)
        self.supervisor_button = QPushButton(self.tr("Unlock as supervisor"), self.supervisor_box)
        self.supervisor_button.setObjectName("lockSupervisorUnlock")
        self.supervisor_button.clicked.connect(self._unlock_supervisor)
        form.addRow(self.tr("Supervisor staff no."), self.supervisor_no)
        form.addRow(self.tr("Supervisor password"), self.supervisor_password)
        form.addRow(self.supervisor_button)
        self.supervisor_box.setVisible(False)

        self.error = QLabel("", card)
        self.error.setObjectName("lockError")
        self.error.setWordWrap(True)

        inner = QVBoxLayout(card)
        inner.setContentsMargins(32, 28, 32, 28)
        inner.setSpacing(12)
        for widget in (title, who, self.password, self.unlock_button, self.error,
                       self.supervisor_toggle, self.supervisor_box):
            inner.addWidget(widget)
        outer = QVBoxLayout(self)
        outer.addWidget(card, 0, Qt.AlignmentFlag.AlignCenter)

    def _show_supervisor(self, on: bool) -> None:
        self.supervisor_box.setVisible(on)
        (self.supervisor_no if on else self.password).setFocus()

    # -- showing ---------------------------------------------------------------------------

    def lock_now(self, reason: str = "idle") -> None:
        """Record the lock and cover the window. A second call while locked does nothing."""
        if self.isVisible():
            return
        self._return_focus = QApplication.focusWidget()
        self._cover()
        self.error.clear()
        self.password.clear()
        self.supervisor_toggle.setChecked(False)
        self.show()
        self.raise_()
        self.activateWindow()
        self.password.setFocus()
        self._run(lambda: self._lock.lock(reason), self._locked_recorded, blocks_input=False)

    def _locked_recorded(self, _result: Any) -> None:
        pass  # the overlay is already up; the record follows it

    def _cover(self) -> None:
        window = self.parentWidget()
        if window is not None:
            top_left = window.mapToGlobal(window.rect().topLeft())
            self.setGeometry(top_left.x(), top_left.y(), window.width(), window.height())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        resized = event.type() in (QEvent.Type.Move, QEvent.Type.Resize)
        if watched is self.parentWidget() and resized and self.isVisible():
            self._cover()
        return False

    # -- unlocking -------------------------------------------------------------------------

    def _unlock_clerk(self) -> None:
        password = self.password.text()
        if self._busy or not password:
            return
        self._run(lambda: self._lock.unlock(password), self._opened, self.password)

    def _unlock_supervisor(self) -> None:
        staff_no, password = self.supervisor_no.text(), self.supervisor_password.text()
        if self._busy or not staff_no or not password:
            return
        self._run(lambda: self._lock.unlock_by_supervisor(staff_no, password), self._opened,
                  self.supervisor_password)

    def _run(self, job: Callable[[], Any], done: Callable[[Any], None],
             field: QLineEdit | None = None, *, blocks_input: bool = True) -> None:
        """The job on the write worker (or here, without a runner); errors go to the label.

        A job that `blocks_input` (a password check) disables the fields until it is done."""
        if blocks_input:
            self._set_busy(True)

        def succeeded(result: Any) -> None:
            if blocks_input:
                self._set_busy(False)
            done(result)

        def failed(failure: OpFailure) -> None:
            if blocks_input:
                self._set_busy(False)
            self.error.setText(failure.message)
            if field is not None:
                field.clear()
                field.setFocus()

        if self._runner is None:
            try:
                result = job()
            except Exception as exc:  # shown as the core's message; the lock stays
                message, unexpected = user_message_for(exc)
                failed(OpFailure(message=message, exception=exc, unexpected=unexpected,
                                 cancelled=False))
                return
            succeeded(result)
            return
        (CollectionOp(self._runner, lambda _ctx: job(), changes={"audit"}, parent=self)
         .success(succeeded).failure(failed).run_in_background())

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        for widget in (self.password, self.unlock_button, self.supervisor_no,
                       self.supervisor_password, self.supervisor_button, self.supervisor_toggle):
            widget.setEnabled(not busy)

    def _opened(self, result: UnlockResult) -> None:
        self.password.clear()
        self.supervisor_password.clear()
        self.error.clear()
        self.hide()
        self.unlocked.emit(result)
        focus = self._return_focus
        if focus is not None:
            QTimer.singleShot(0, focus.setFocus)

    # -- no way around it -------------------------------------------------------------------

    def reject(self) -> None:  # Esc does not close a lock screen
        pass

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            event.accept()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._lock.locked:
            event.ignore()
            return
        super().closeEvent(event)


class IdleLock(QObject):
    """Locks `window` after the hall's idle time without input (`IdleWatcher`)."""

    def __init__(self, lock: SessionLock, window: QWidget, runner: OpRunner | None = None,
                 *, timeout_ms: int | None = None) -> None:
        super().__init__(window)
        self.screen = LockScreen(lock, window, runner)
        self.watcher = IdleWatcher(timeout_ms=timeout_ms or lock.policy.timeout_ms, parent=self)
        self.watcher.idle_timeout.connect(lambda: self.screen.lock_now("idle"))
        self.screen.unlocked.connect(lambda _result: self.watcher.reset())

    def start(self) -> None:
        self.watcher.start()

    def stop(self) -> None:
        self.watcher.stop()

    def lock_now(self) -> None:
        """The clerk steps away and locks on purpose (e.g. a shortcut)."""
        self.screen.lock_now("manual")
