"""Operations off the GUI thread, in the manner of Anki's `CollectionOp` / `QueryOp`.

One `OpRunner` is made at start-up (after the QApplication) and handed to the windows; there is
no global. It owns:

* a single-worker executor for writes (`CollectionOp`): writes are serialised, and they always
  run on the same thread, so a thread-bound SQLite connection is safe there;
* a small pool for reads (`QueryOp`);
* the `ChangeBus`, whose `changed` signal fires after each successful write with the names of
  what changed, so that each screen refreshes itself only when it is concerned.

An operation is a plain callable taking an `OpContext` (progress, cancellation, changes). Its
result or error comes back on the GUI thread, to the `success` / `failure` callbacks::

    (
        CollectionOp(runner, lambda ctx: service.save_customer(draft), changes={"customer"})
        .success(self._on_saved)
        .failure(self._on_failed)
        .run_in_background()
    )

An error never reaches the clerk as a traceback: it becomes an `OpFailure` whose `message` is
a sentence for the clerk (Chinese by default, through the translators). Exceptions that carry a
`user_message` attribute (the core's own errors can, without knowing Qt) are shown as they are;
unexpected exceptions are logged with `logging.exception` and shown as a generic message.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Generic, TypeVar

import shiboken6
from PySide6.QtCore import (
    QCoreApplication,
    QEventLoop,
    QObject,
    Qt,
    QThread,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

__all__ = [
    "ChangeBus",
    "CollectionOp",
    "OpContext",
    "OpFailure",
    "OpHandle",
    "OpRunner",
    "OperationCancelled",
    "QueryOp",
    "UserFacingError",
    "register_error_message",
    "user_message_for",
]

logger = logging.getLogger(__name__)

T = TypeVar("T")
E = TypeVar("E", bound=BaseException)


# Progress reports closer together than this are dropped (except the last one of a run).
_PROGRESS_INTERVAL_S = 0.05
# A progress dialog appears only for operations that take longer than this.
_PROGRESS_DIALOG_DELAY_MS = 600


# ----------------------------------------------------------------------------------------------
# Errors and the messages the clerk sees


class OperationCancelled(Exception):
    """Raised inside an operation (by `OpContext.check_cancelled`) when it was cancelled."""


class UserFacingError(Exception):
    """An expected failure whose text is meant for the clerk, e.g. "该号码已被预占"."""

    def __init__(self, user_message: str) -> None:
        super().__init__(user_message)
        self.user_message = user_message


_formatters: dict[type[BaseException], Callable[[BaseException], str]] = {}


def register_error_message(exc_type: type[E], formatter: Callable[[E], str]) -> None:
    """Say how an exception type is told to the clerk (e.g. an SQLAlchemy integrity error).

    The most specific registered base class of a raised exception wins. A formatter runs on the
    GUI thread and should return a translated sentence.
    """
    _formatters[exc_type] = formatter  # type: ignore[assignment]


def _builtin_message(exc: BaseException) -> str | None:
    if isinstance(exc, OperationCancelled):
        return QCoreApplication.translate("workers", "The operation was cancelled.")
    if isinstance(exc, TimeoutError):
        return QCoreApplication.translate(
            "workers", "The operation took too long. Please try again."
        )
    if isinstance(exc, PermissionError):
        return QCoreApplication.translate(
            "workers", "Access to a file or device was refused. Please call the administrator."
        )
    if isinstance(exc, ConnectionError):
        return QCoreApplication.translate(
            "workers",
            "The connection to the server failed. Please check the network and try again.",
        )
    if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
        return QCoreApplication.translate(
            "workers", "The database is busy. Please try again in a moment."
        )
    return None


def user_message_for(exc: BaseException) -> tuple[str, bool]:
    """The clerk's message for an exception, and whether the exception was unexpected."""
    message = getattr(exc, "user_message", None)
    if isinstance(message, str) and message:
        return message, False
    for klass in type(exc).__mro__:
        formatter = _formatters.get(klass)
        if formatter is not None:
            return formatter(exc), False
    builtin = _builtin_message(exc)
    if builtin is not None:
        return builtin, False
    return (
        QCoreApplication.translate(
            "workers",
            "An unexpected error occurred and the operation was not completed. "
            "Please try again; if it happens again, call the administrator.",
        ),
        True,
    )


@dataclass(frozen=True)
class OpFailure:
    """What a `failure` callback receives: never show `exception` to the clerk, show `message`."""

    message: str
    exception: BaseException
    unexpected: bool
    cancelled: bool


# ----------------------------------------------------------------------------------------------
# The change bus


class ChangeBus(QObject):
    """Says, after each successful write operation, what changed.

    `changed` carries a `frozenset[str]` of names such as ``{"customer", "subscription"}`` (the
    vocabulary is the core's). A screen connects to it and refreshes only when
    ``changes & what_i_show`` is not empty. It can be empty when a write changed nothing.
    """

    changed = Signal(object)

    def notify(self, changes: Iterable[str]) -> None:
        self.changed.emit(frozenset(changes))


# ----------------------------------------------------------------------------------------------
# Delivery to the GUI thread


class _MainThreadDispatcher(QObject):
    """Runs closures posted from any thread on the thread this object lives in (the GUI's)."""

    _posted = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._posted.connect(self._run, Qt.ConnectionType.QueuedConnection)

    def post(self, fn: Callable[[], None]) -> None:
        self._posted.emit(fn)

    @Slot(object)
    def _run(self, fn: Callable[[], None]) -> None:
        try:
            fn()
        except Exception:
            logger.exception("A callback of a background operation failed")


def _require_gui_thread() -> None:
    app = QCoreApplication.instance()
    if app is None:
        raise RuntimeError("a QApplication must exist before background operations are used")
    if QThread.currentThread() is not app.thread():
        raise RuntimeError("background operations must be started from the GUI thread")


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
# The runner


class OpRunner(QObject):
    """Owns the worker threads and the change bus. Make one, after the QApplication."""

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        read_workers: int = 2,
        write_thread_initializer: Callable[[], None] | None = None,
    ) -> None:
        _require_gui_thread()
        super().__init__(parent)
        self.changes = ChangeBus(self)
        self._dispatcher = _MainThreadDispatcher(self)
        self._write_pool = ThreadPoolExecutor(
            max_workers=1,
            thread_name_prefix="counter-write",
            initializer=write_thread_initializer,
        )
        self._read_pool = ThreadPoolExecutor(
            max_workers=read_workers, thread_name_prefix="counter-read"
        )
        self._active: set[OpHandle] = set()
        self._pending = 0  # submitted operations whose outcome was not delivered yet
        self._wake = threading.Event()
        self._closing = False
        self._closed = False
        app = QCoreApplication.instance()
        if app is not None:  # a safety net: the application should call shutdown() itself
            app.aboutToQuit.connect(self.shutdown)

    # -- used by the operations ---------------------------------------------------------------

    def _submit(self, write: bool, job: Callable[[], None], handle: OpHandle) -> None:
        _require_gui_thread()
        if self._closing:
            raise RuntimeError("the operation runner is shutting down")
        self._active.add(handle)
        self._pending += 1
        pool = self._write_pool if write else self._read_pool
        pool.submit(job)

    def _post(self, fn: Callable[[], None]) -> None:
        """From a worker: run `fn` on the GUI thread (and wake `wait_idle`)."""
        self._dispatcher.post(fn)
        self._wake.set()

    def _settled(self, handle: OpHandle) -> None:
        """On the GUI thread, once an operation's outcome has been delivered."""
        self._active.discard(handle)
        self._pending -= 1

    @property
    def is_closed(self) -> bool:
        return self._closed

    @property
    def is_closing(self) -> bool:
        """Shutting down (or shut down): no new operation may start."""
        return self._closing

    # -- public ---------------------------------------------------------------------------------

    def pending_count(self) -> int:
        """Operations submitted whose outcome has not yet reached the GUI thread."""
        return self._pending

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Process events until every submitted operation has been delivered.

        For tests and shutdown; call it on the GUI thread. Returns False on timeout.
        """
        _require_gui_thread()
        deadline = time.monotonic() + timeout
        while True:
            self._wake.clear()
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents)
            if self._pending == 0:
                return True
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            self._wake.wait(min(remaining, 0.02))

    def cancel_all(self) -> None:
        for handle in list(self._active):
            handle.cancel()

    def shutdown(self, timeout: float = 10.0) -> bool:
        """Refuse new operations, let running ones finish, then stop the worker threads.

        Operations still running after `timeout` seconds are cancelled; the call then waits for
        the threads to end (an operation that ignores cancellation delays it). Returns whether
        everything finished cleanly. Safe to call twice.
        """
        if self._closed:
            return True
        self._closing = True
        clean = self.wait_idle(timeout)
        if not clean:
            logger.warning("Cancelling %d background operation(s) at shutdown", self._pending)
            self.cancel_all()
            self.wait_idle(timeout)
        self._write_pool.shutdown(wait=True, cancel_futures=True)
        self._read_pool.shutdown(wait=True, cancel_futures=True)
        self._closed = True  # outcomes still queued are dropped from now on
        QCoreApplication.processEvents()
        return clean


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
        _require_gui_thread()
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
                unexpected = not isinstance(exc, OperationCancelled) and not hasattr(
                    exc, "user_message"
                )
                if unexpected:
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
