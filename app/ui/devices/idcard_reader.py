"""The ID card reader in the window: `IdCardReaderWatcher` polls a reader on its own thread
and emits `card_read` on the GUI thread, once per card put on the reader.

The data, the reader interface and the drivers live in `app.devices.idcard` (no Qt); they are
re-exported here for the window's older imports. `reader_from_devices_ini` makes the reader
the workstation's devices.ini asks for.

The data is personal information: it is never logged (only that a card was read).
"""

from __future__ import annotations

import logging
import threading
import weakref

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal, Slot

from app.devices.idcard.card import IdCardData, IdCardReader, IdCardReaderError
from app.devices.idcard.simulated import SimulatedIdCardReader
from app.ui.kit import i18n
from app.ui.kit.op_failures import register_error_message

__all__ = [
    "IdCardData",
    "IdCardReader",
    "IdCardReaderError",
    "IdCardReaderWatcher",
    "SimulatedIdCardReader",
]

logger = logging.getLogger(__name__)

# The watchers of this process, so that a settings change reaches them (weak: a destroyed
# window's watcher is not kept alive).
_watchers: weakref.WeakSet[IdCardReaderWatcher] = weakref.WeakSet()

_RECOVERED = object()  # the reader answers again after a failure


def _clerk_language() -> str:
    return "en" if i18n.installed_language() == "en" else "zh"


# A reader used from a worker operation (a one-off read) fails in the clerk's words too.
register_error_message(IdCardReaderError, lambda e: e.message(_clerk_language()))


class IdCardReaderWatcher(QObject):
    """Polls a reader on its own thread; `card_read(IdCardData)` is emitted on the GUI thread.

    A card lying on the reader is reported once; it is reported again only after the reader
    was seen empty (or a different card was put on it). `read_failed(str)` carries the clerk's
    one-line message when the device fails (once per kind of failure, not at every poll); the
    reader is then closed and opened again, more slowly, until it answers, and `recovered` is
    emitted. A reader that cannot be opened is tried again the same way: plugging the cable
    back in is enough.
    """

    card_read = Signal(object)  # IdCardData
    read_failed = Signal(str)
    recovered = Signal()
    _from_worker = Signal(object)

    def __init__(
        self, reader: IdCardReader, *, interval_ms: int = 300, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._reader = reader
        self._interval = interval_ms / 1000
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.last_error = ""
        self._from_worker.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        app = QCoreApplication.instance()
        if app is not None:  # never leave the polling thread behind
            app.aboutToQuit.connect(self.stop)
        _watchers.add(self)

    @property
    def reader(self) -> IdCardReader:
        return self._reader

    def is_running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        if self.is_running():
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._poll, name="idcard-reader", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 3.0) -> bool:
        """Stop polling and wait for the thread; returns False if it did not end in time."""
        self._stop.set()
        thread, self._thread = self._thread, None
        if thread is None:
            return True
        thread.join(timeout)
        if thread.is_alive():
            logger.warning("The ID card reader thread did not stop within %.1f s", timeout)
            return False
        return True

    def replace_reader(self, reader: IdCardReader | None) -> None:
        """Poll another reader from now on (the settings changed); None stops polling."""
        self.stop()
        if reader is None:
            return
        self._reader = reader
        self.last_error = ""
        self.start()

    @Slot(object)
    def _deliver(self, item: object) -> None:
        if isinstance(item, IdCardData):
            logger.info("ID card read")
            self.card_read.emit(item)
        elif item is _RECOVERED:
            self.last_error = ""
            self.recovered.emit()
        elif isinstance(item, str):
            self.last_error = item
            self.read_failed.emit(item)

    # -- the polling thread (no Qt object is touched here but the queued signal) ---------------

    def _poll(self) -> None:
        reader = self._reader
        opened = False
        failing: str | None = None  # the message last reported, while failing
        last: IdCardData | None = None
        try:
            while not self._stop.is_set():
                delay = self._interval
                try:
                    if not opened:
                        reader.open()
                        opened = True
                    card = reader.read()
                except Exception as exc:
                    message = self._message(exc, repeated=failing is not None)
                    if message != failing:
                        self._from_worker.emit(message)
                        failing = message
                    last = None
                    delay = self._interval * 5
                    if opened:  # opened again next time: a replugged cable is picked up
                        self._close(reader)
                        opened = False
                else:
                    if failing is not None:
                        failing = None
                        self._from_worker.emit(_RECOVERED)
                    if card is not None and card != last:
                        self._from_worker.emit(card)
                    last = card
                self._stop.wait(delay)
        finally:
            if opened:
                self._close(reader)

    @staticmethod
    def _close(reader: IdCardReader) -> None:
        try:
            reader.close()
        except Exception:
            logger.exception("Closing the ID card reader failed")

    @staticmethod
    def _message(exc: BaseException, *, repeated: bool) -> str:
        if isinstance(exc, IdCardReaderError):
            if not repeated:  # one line per failure, not one per poll
                logger.warning("The ID card reader failed: %s", exc.detail)
            return exc.message(_clerk_language())
        if not repeated:
            logger.error("The ID card reader failed", exc_info=exc)
        return QCoreApplication.translate(
            "IdCardReader", "The ID card reader is not working. Please check its cable.")


def apply_devices_ini() -> bool:
    """Give every live watcher the reader devices.ini names now; False when there is none
    (the program started without a reader: the new one is used from the next start)."""
    watchers = list(_watchers)
    if not watchers:
        return False
    for watcher in watchers:
        watcher.replace_reader(reader_from_devices_ini())
    return True


def reader_from_devices_ini() -> IdCardReader | None:
    """The reader the workstation's devices.ini asks for (None: no reader set).

    A wrong setting does not stop the program: the reader is replaced by one that fails with
    the setting's message, which the window shows like any reader fault.
    """
    from app.devices.config import DeviceConfigError, load
    from app.devices.idcard.registry import make_reader

    try:
        return make_reader(load())
    except DeviceConfigError as exc:
        logger.warning("The ID card reader is not set up right: %s", exc)
        return _MisconfiguredReader(exc.zh, exc.en)


class _MisconfiguredReader(IdCardReader):
    kind = "misconfigured"

    def __init__(self, zh: str, en: str) -> None:
        self._error = IdCardReaderError("the [idcard] settings are wrong", zh, en)

    def open(self) -> None:
        raise self._error

    def read(self) -> IdCardData | None:
        raise self._error
