"""What a resident ID card holds, the reader interface every driver implements, and its error.

No Qt here: the window polls a reader through `app.ui.devices.idcard_reader`, the command line
(`counter devices test`) and the probe use the same drivers directly.

The data is personal information: it is never logged (only that a card was read), and
`IdCardData.__repr__` hides it so that it stays out of tracebacks too.
"""

from __future__ import annotations

import abc
import base64
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from app.devices.config import DeviceConfig

__all__ = ["IdCardData", "IdCardReader", "IdCardReaderError", "parse_card_date"]

_LONG_TERM = ("长期", "long-term", "longterm", "")


def parse_card_date(value: Any) -> date | None:
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
    photo: bytes | None = None  # the decoded photo (BMP/JPEG/PNG) when the driver can decode it

    def __repr__(self) -> str:  # personal data: keep it out of logs and tracebacks
        return f"IdCardData(name=<{len(self.name)} chars>, id_number=<hidden>)"

    def expired_on(self, day: date) -> bool:
        """Whether the card is no longer valid on `day` (a long-term card never expires)."""
        return self.valid_until is not None and self.valid_until < day

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
        birth = parse_card_date(data["birth_date"])
        if birth is None:
            raise ValueError("birth_date is required")
        photo = data.get("photo")
        return cls(
            name=str(data["name"]),
            id_number=str(data["id_number"]).strip().upper(),
            address=str(data.get("address", "")),
            birth_date=birth,
            issuing_authority=str(data.get("issuing_authority", "")),
            valid_until=parse_card_date(data.get("valid_until")),
            valid_from=parse_card_date(data.get("valid_from")),
            sex=str(data.get("sex", "")),
            ethnicity=str(data.get("ethnicity", "")),
            photo=base64.b64decode(photo) if photo else None,
        )


_DEFAULT_ZH = "未能读取身份证，请将证件重新放到阅读器上。"
_DEFAULT_EN = "The ID card could not be read. Please put the card on the reader again."


class IdCardReaderError(Exception):
    """The reader failed (not connected, not answering, card unreadable).

    `zh` / `en` are one sentence for the clerk; the exception's own text (`detail`) is for the
    log and never holds personal data.
    """

    def __init__(self, detail: str, zh: str | None = None, en: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.zh = zh or _DEFAULT_ZH
        self.en = en or _DEFAULT_EN

    def message(self, lang: str = "zh") -> str:
        return self.en if lang.startswith("en") else self.zh


class IdCardReader(abc.ABC):
    """A card reader. Every call is made from a worker thread, never from the GUI thread.

    A driver found through the entry point group ``hall_counter.idcard_readers`` is built with
    `from_config` from the ``[idcard]`` section of devices.ini.
    """

    kind: ClassVar[str] = ""
    #: where the reader is, for the clerk's sentences: "/dev/ttyUSB0", "COM3", "USB 1001"
    where: str = ""

    @classmethod
    def from_config(cls, config: DeviceConfig) -> IdCardReader:
        """Build the reader from devices.ini; raise `DeviceConfigError` for a wrong value."""
        raise NotImplementedError(f"{cls.__name__} cannot be built from devices.ini")

    def open(self) -> None:  # noqa: B027 (optional hook)
        """Connect to the device; raise `IdCardReaderError` if it is not there."""

    @abc.abstractmethod
    def read(self) -> IdCardData | None:
        """The card on the reader now, or None if there is none.

        May block for a short while (the driver's own timeout, a second or two at most); raise
        `IdCardReaderError` when the device fails.
        """

    def card_present(self) -> bool:
        """Whether a card lies on the reader (a find-card only; nothing is read)."""
        return False

    def close(self) -> None:  # noqa: B027 (optional hook)
        """Release the device (safe to call twice, or after a failed `open`)."""
