"""A reader without hardware: cards come from a queue (tests) or from a JSON file (demos)."""

from __future__ import annotations

import json
import queue
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from app.devices.idcard.card import IdCardData, IdCardReader

if TYPE_CHECKING:
    from app.devices.config import DeviceConfig

__all__ = ["SimulatedIdCardReader"]


class SimulatedIdCardReader(IdCardReader):
    """Each queued card is read once, as if put on the reader, and the next `read` returns
    None, as if it had been taken off. A queued exception is raised by `read`, to simulate a
    failing device.

    devices.ini: ``[idcard] kind = simulated`` and optionally ``cards = /path/cards.json``.
    """

    kind: ClassVar[str] = "simulated"

    def __init__(
        self, cards: Iterable[IdCardData] = (), *, json_path: str | Path | None = None
    ) -> None:
        self._queue: queue.Queue[IdCardData | BaseException] = queue.Queue()
        self._card_on_reader = False
        self.where = "simulated"
        for card in cards:
            self.feed(card)
        if json_path is not None:
            self.load_json(json_path)

    @classmethod
    def from_config(cls, config: DeviceConfig) -> SimulatedIdCardReader:
        from app.devices.config import DeviceConfigError

        path = config.get("idcard", "cards")
        if not path:
            return cls()
        try:
            return cls(json_path=path)
        except (OSError, ValueError, KeyError) as exc:
            raise DeviceConfigError(
                "idcard", "cards", f"模拟证件文件无法读取（{type(exc).__name__}）",
                f"the simulated cards file cannot be read ({type(exc).__name__})") from None

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

    def card_present(self) -> bool:
        return not self._queue.empty()

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
