"""The worker threads behind the background operations (`app.ui.kit.operations`).

One `OpRunner` is made at start-up (after the QApplication) and handed to the windows; there is
no global. It owns:

* a single-worker executor for writes (`CollectionOp`): writes are serialised, and they always
  run on the same thread, so a thread-bound SQLite connection is safe there;
* a small pool for reads (`QueryOp`);
* the `ChangeBus`, whose `changed` signal fires after each successful write with the names of
  what changed, so that each screen refreshes itself only when it is concerned.

Outcomes come back to the GUI thread through a queued signal (`_MainThreadDispatcher`).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QCoreApplication,
    QEventLoop,
    QObject,
    Qt,
    QThread,
    Signal,
    Slot,
)

if TYPE_CHECKING:
    from app.ui.kit.operations import OpHandle

logger = logging.getLogger(__name__)


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


def require_gui_thread() -> None:
    app = QCoreApplication.instance()
    if app is None:
        raise RuntimeError("a QApplication must exist before background operations are used")
    if QThread.currentThread() is not app.thread():
        raise RuntimeError("background operations must be started from the GUI thread")


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
        require_gui_thread()
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
        require_gui_thread()
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
        require_gui_thread()
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
