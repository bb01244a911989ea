"""Operations off the GUI thread, in the manner of Anki's `CollectionOp` / `QueryOp`.

An operation is a plain callable taking an `OpContext` (progress, cancellation, changes). It
runs on a worker of the `OpRunner` (`app.ui.kit.op_runner`); its result or error comes back on
the GUI thread, to the `success` / `failure` callbacks::

    (
        CollectionOp(runner, lambda ctx: service.save_customer(draft), changes={"customer"})
        .success(self._on_saved)
        .failure(self._on_failed)
        .run_in_background()
    )

A failure arrives as an `OpFailure` with a sentence for the clerk (`app.ui.kit.op_failures`).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from typing import Generic, TypeVar

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from app.ui.kit.op_failures import OperationCancelled, OpFailure, is_expected, user_message_for
from app.ui.kit.op_runner import OpRunner, require_gui_thread

logger = logging.getLogger(__name__)

T = TypeVar("T")

# Progress reports closer together than this are dropped (except the last one of a run).
_PROGRESS_INTERVAL_S = 0.05
# A progress dialog appears only for operations that take longer than this.
_PROGRESS_DIALOG_DELAY_MS = 600


# ----------------------------------------------------------------------------------------------
# Context and handle


class OpContext:
    """Given to the operation's callable, on the worker thread."""

    def __init__(self, report_progress: Callable[[int, int], None]) -> None:
        self._cancel = threading.Event()
        self._report_progress = report_progress
        self._last_report = 0.0
        self._changes: set[str] = set()
        self._lock = threading.Lock()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def check_cancelled(self) -> None:
        """Raise `OperationCancelled` if the clerk (or shutdown) cancelled the operation."""
        if self._cancel.is_set():
            raise OperationCancelled()

    def progress(self, done: int, total: int) -> None:
        """Report progress; cheap to call often (reports are thinned out)."""
        now = time.monotonic()
        if done < total and now - self._last_report < _PROGRESS_INTERVAL_S:
            return
        self._last_report = now
        self._report_progress(done, total)

    def mark_changed(self, *names: str) -> None:
        """Add names to what the `ChangeBus` will announce after a successful write."""
        with self._lock:
            self._changes.update(names)

    def _marked_changes(self) -> set[str]:
        with self._lock:
            return set(self._changes)


class OpHandle(QObject):
    """A running operation, as seen from the GUI thread.

    `progress(done, total)` and `finished()` are emitted on the GUI thread; `finished` comes
    after the success or failure callback.
    """

    progress = Signal(int, int)
    finished = Signal()

    def __init__(self, context: OpContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._done = False

    def cancel(self) -> None:
        """Ask the operation to stop: it fails with `OpFailure.cancelled` unless it had ended."""
        self._context._cancel.set()

    @property
    def cancel_requested(self) -> bool:
        return self._context.cancelled

    def is_done(self) -> bool:
        return self._done


# ----------------------------------------------------------------------------------------------
# The operations


class _Op(Generic[T]):
    _write = False

    def __init__(
        self,
        runner: OpRunner,
        op: Callable[[OpContext], T],
        *,
        parent: QWidget | None = None,
    ) -> None:
        self._runner = runner
        self._op = op
        self._parent = parent
        self._success: Callable[[T], None] | None = None
        self._failure: Callable[[OpFailure], None] | None = None
        self._progress_label: str | None = None

    def success(self, fn: Callable[[T], None]) -> _Op[T]:
        """Called on the GUI thread with the result."""
        self._success = fn
        return self

    def failure(self, fn: Callable[[OpFailure], None]) -> _Op[T]:
        """Called on the GUI thread with the failure (also when cancelled).

        Without a failure callback, a failure is shown in a message box over `parent` (or only
        logged when there is no parent); a cancellation is not shown.
        """
        self._failure = fn
        return self

    def with_progress(self, label: str | None = None) -> _Op[T]:
        """Show a window-modal progress dialog over `parent` if the operation takes a while."""
        self._progress_label = (
            label if label is not None else QCoreApplication.translate("workers", "Please wait…")
        )
        return self

    def _extra_changes(self) -> set[str]:
        return set()

    def run_in_background(self) -> OpHandle:
        """Start the operation; must be called on the GUI thread."""
        require_gui_thread()
        runner = self._runner
        handle_box: list[OpHandle] = []

        def report_progress(done: int, total: int) -> None:
            runner._post(lambda: _emit_progress(handle_box[0], done, total))

        context = OpContext(report_progress)
        handle = OpHandle(context)
        handle_box.append(handle)
        dialog = self._make_progress_dialog(handle)

        def job() -> None:
            try:
                context.check_cancelled()
                result = self._op(context)
            except BaseException as exc:
                if is_expected(exc):
                    logger.info("Background operation ended: %s: %s", type(exc).__name__, exc)
                else:
                    logger.exception("Background operation failed")
                error = exc  # `exc` is unbound when the except block ends
                runner._post(lambda: self._deliver_failure(handle, error, dialog))
                if not isinstance(exc, Exception):
                    raise  # KeyboardInterrupt, SystemExit
            else:
                runner._post(lambda: self._deliver_success(handle, result, dialog))

        runner._submit(self._write, job, handle)
        return handle

    # -- GUI thread -----------------------------------------------------------------------------

    def _make_progress_dialog(self, handle: OpHandle) -> QProgressDialog | None:
        if self._progress_label is None or self._parent is None:
            return None
        dialog = QProgressDialog(
            self._progress_label,
            QCoreApplication.translate("workers", "Cancel"),
            0,
            0,
            self._parent,
        )
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setMinimumDuration(_PROGRESS_DIALOG_DELAY_MS)
        dialog.canceled.connect(handle.cancel)

        def on_progress(done: int, total: int) -> None:
            dialog.setMaximum(max(total, 0))
            dialog.setValue(min(done, total) if total > 0 else 0)

        handle.progress.connect(on_progress)
        QTimer.singleShot(
            _PROGRESS_DIALOG_DELAY_MS,
            dialog,
            lambda: None if handle.is_done() else dialog.show(),
        )
        return dialog

    def _finish(self, handle: OpHandle, dialog: QProgressDialog | None) -> None:
        handle._done = True
        if dialog is not None and shiboken6.isValid(dialog):  # the parent may be gone
            dialog.blockSignals(True)  # closing a QProgressDialog emits `canceled`
            dialog.close()
            dialog.deleteLater()

    def _deliver_success(self, handle: OpHandle, result: T, dialog: QProgressDialog | None) -> None:
        runner = self._runner
        try:
            if runner.is_closed:
                return
            self._finish(handle, dialog)
            try:
                if self._success is not None:
                    self._success(result)
            finally:
                if self._write:
                    runner.changes.notify(self._extra_changes() | handle._context._marked_changes())
                handle.finished.emit()
        finally:
            runner._settled(handle)

    def _deliver_failure(
        self, handle: OpHandle, exc: BaseException, dialog: QProgressDialog | None
    ) -> None:
        runner = self._runner
        try:
            if runner.is_closed:
                return
            self._finish(handle, dialog)
            message, unexpected = user_message_for(exc)
            failure = OpFailure(
                message=message,
                exception=exc,
                unexpected=unexpected,
                cancelled=isinstance(exc, OperationCancelled),
            )
            try:
                if self._failure is not None:
                    self._failure(failure)
                else:
                    self._show_failure(failure)
            finally:
                handle.finished.emit()
        finally:
            runner._settled(handle)

    def _show_failure(self, failure: OpFailure) -> None:
        if failure.cancelled:
            return
        if self._parent is None or not shiboken6.isValid(self._parent):
            logger.warning("Background operation failed: %s", failure.message)
            return
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            QCoreApplication.translate("workers", "Operation failed"),
            failure.message,
            QMessageBox.StandardButton.Ok,
            self._parent,
        )
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setObjectName("operationFailedBox")
        box.open()


def _emit_progress(handle: OpHandle, done: int, total: int) -> None:
    if not handle.is_done():
        handle.progress.emit(done, total)


class CollectionOp(_Op[T]):
    """A write: runs on the single write worker; the `ChangeBus` fires after success.

    `changes` names what the write changes; the callable can add more with
    `ctx.mark_changed(...)`.
    """

    _write = True

    def __init__(
        self,
        runner: OpRunner,
        op: Callable[[OpContext], T],
        *,
        changes: Iterable[str] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(runner, op, parent=parent)
        self._changes = set(changes)

    def _extra_changes(self) -> set[str]:
        return set(self._changes)


class QueryOp(_Op[T]):
    """A read: runs on the read pool, concurrently with other reads; announces no change."""

    _write = False
