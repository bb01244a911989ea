"""The hook for a second-generation resident ID card reader (二代身份证阅读器).

`IdCardData` and `IdCardReader` use no Qt type: a vendor driver (usually a DLL wrapped with
ctypes) implements `IdCardReader.read()`, and could move to a Qt-free package if the command
line ever needs it. `SimulatedIdCardReader` stands in for the device in tests and demos; it is
fed cards through `feed()` or from a JSON file. `IdCardReaderWatcher` polls a reader on its own
thread and emits `card_read` on the GUI thread, once per card put on the reader.

The data is personal information: it is never logged (only that a card was read).
"""

from __future__ import annotations

import abc
import base64
import json
import logging
import queue
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal, Slot

__all__ = [
    "IdCardData",
    "IdCardReader",
    "IdCardReaderError",
    "IdCardReaderWatcher",
    "SimulatedIdCardReader",
]

logger = logging.getLogger(__name__)

_LONG_TERM = ("长期", "long-term", "longterm", "")


def _parse_date(value: Any) -> date | None:
    """ISO ``YYYY-MM-DD``, the card's ``YYYYMMDD`` or ``YYYY.MM.DD``; "长期" and None mean none."""
    if value is None or isinstance(value, date):
        return value
    text = str(value).strip()
    if text.lower() in _LONG_TERM:
        return None
    digits = text.replace("-", "").replace(".", "").replace("/", "")
    if len(digits) != 8 or not digits.isdigit():
        raise ValueError(f"not a date: {text!r}")
    return date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))


@dataclass(frozen=True)
class IdCardData:
    """What the chip of a resident ID card holds. `valid_until` None means 长期 (long-term)."""

    name: str
    id_number: str
    address: str
    birth_date: date
    issuing_authority: str
    valid_until: date | None
    valid_from: date | None = None
    sex: str = ""  # as printed: 男 / 女
    ethnicity: str = ""  # 民族, as printed: 汉
    photo: bytes | None = (
        None  # the decoded photo (usually a small BMP/JPEG) if the reader gives it
    )

    def __repr__(self) -> str:  # personal data: keep it out of logs and tracebacks
        return f"IdCardData(name=<{len(self.name)} chars>, id_number=<hidden>)"

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "id_number": self.id_number,
            "address": self.address,
            "birth_date": self.birth_date.isoformat(),
            "issuing_authority": self.issuing_authority,
            "valid_from": self.valid_from.isoformat() if self.valid_from else None,
            "valid_until": self.valid_until.isoformat() if self.valid_until else "长期",
            "sex": self.sex,
            "ethnicity": self.ethnicity,
            "photo": base64.b64encode(self.photo).decode("ascii") if self.photo else None,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> IdCardData:
        birth = _parse_date(data["birth_date"])
        if birth is None:
            raise ValueError("birth_date is required")
        photo = data.get("photo")
        return cls(
            name=str(data["name"]),
            id_number=str(data["id_number"]).strip().upper(),
            address=str(data.get("address", "")),
            birth_date=birth,
            issuing_authority=str(data.get("issuing_authority", "")),
            valid_until=_parse_date(data.get("valid_until")),
            valid_from=_parse_date(data.get("valid_from")),
            sex=str(data.get("sex", "")),
            ethnicity=str(data.get("ethnicity", "")),
            photo=base64.b64decode(photo) if photo else None,
        )


class IdCardReaderError(Exception):
    """The reader failed (not connected, card unreadable); `user_message` is for the clerk."""

    def __init__(self, detail: str, user_message: str | None = None) -> None:
        super().__init__(detail)
        self.user_message = user_message or QCoreApplication.translate(
            "IdCardReader",
            "The ID card could not be read. Please put the card on the reader again.",
        )


class IdCardReader(abc.ABC):
    """A card reader. `read` is called from a worker thread, never from the GUI thread."""

    def open(self) -> None:  # noqa: B027 (optional hook)
        """Connect to the device; raise `IdCardReaderError` if it is not there."""

    @abc.abstractmethod
    def read(self) -> IdCardData | None:
        """The card on the reader now, or None if there is none.

        May block for a short while (a driver's own timeout, well under a second); raise
        `IdCardReaderError` when the device fails.
        """

    def close(self) -> None:  # noqa: B027 (optional hook)
        """Release the device."""


class SimulatedIdCardReader(IdCardReader):
    """A reader whose "cards" come from a queue (tests) or from a JSON file (demos).

    Each queued card is read once, as if put on the reader, and the next `read` returns None,
    as if it had been taken off. A queued exception is raised by `read`, to simulate a failing
    device.
    """

    def __init__(
        self, cards: Iterable[IdCardData] = (), *, json_path: str | Path | None = None
    ) -> None:
        self._queue: queue.Queue[IdCardData | BaseException] = queue.Queue()
        self._card_on_reader = False
        for card in cards:
            self.feed(card)
        if json_path is not None:
            self.load_json(json_path)

    def feed(self, card: IdCardData) -> None:
        self._queue.put(card)

    def feed_error(self, error: BaseException) -> None:
        self._queue.put(error)

    def load_json(self, path: str | Path) -> int:
        """Queue the cards of a JSON file (one object or a list of them); returns how many."""
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        records = data if isinstance(data, list) else [data]
        for record in records:
            self.feed(IdCardData.from_dict(record))
        return len(records)

    def pending(self) -> int:
        return self._queue.qsize()

    def read(self) -> IdCardData | None:
        if self._card_on_reader:  # the last card is taken off before the next one is put on
            self._card_on_reader = False
            return None
        try:
            item = self._queue.get_nowait()
        except queue.Empty:
            return None
        if isinstance(item, BaseException):
            raise item
        self._card_on_reader = True
        return item


class IdCardReaderWatcher(QObject):
    """Polls a reader on its own thread; `card_read(IdCardData)` is emitted on the GUI thread.

    A card lying on the reader is reported once; it is reported again only after the reader
    was seen empty (or a different card was put on it). `read_failed(str)` carries the clerk's
    message when the device fails; polling goes on more slowly until it recovers.
    """

    card_read = Signal(object)  # IdCardData
    read_failed = Signal(str)
    _from_worker = Signal(object)

    def __init__(
        self, reader: IdCardReader, *, interval_ms: int = 300, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._reader = reader
        self._interval = interval_ms / 1000
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._from_worker.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        app = QCoreApplication.instance()
        if app is not None:  # never leave the polling thread behind
            app.aboutToQuit.connect(self.stop)

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

    @Slot(object)
    def _deliver(self, item: object) -> None:
        if isinstance(item, IdCardData):
            logger.info("ID card read")
            self.card_read.emit(item)
        elif isinstance(item, str):
            self.read_failed.emit(item)

    def _poll(self) -> None:
        try:
            self._reader.open()
        except Exception as exc:
            self._report_error(exc)
            return
        last: IdCardData | None = None
        try:
            while not self._stop.is_set():
                delay = self._interval
                try:
                    card = self._reader.read()
                except Exception as exc:
                    self._report_error(exc)
                    last = None
                    delay = self._interval * 5
                else:
                    if card is not None and card != last:
                        self._from_worker.emit(card)
                    last = card
                self._stop.wait(delay)
        finally:
            try:
                self._reader.close()
            except Exception:
                logger.exception("Closing the ID card reader failed")

    def _report_error(self, exc: BaseException) -> None:
        message = getattr(exc, "user_message", None)
        if not isinstance(message, str):
            logger.exception("The ID card reader failed")
            message = QCoreApplication.translate(
                "IdCardReader", "The ID card reader is not working. Please check its cable."
            )
        else:
            logger.warning("The ID card reader failed: %s", exc)
        self._from_worker.emit(message)
