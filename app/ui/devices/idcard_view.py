"""What a card read shows the clerk: its validity (an expired card in red, with the date) and
its photo, when the reader's driver could decode one."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QLabel, QWidget

from app.devices.idcard.card import IdCardData
from app.ui.kit.theme import PALETTE

__all__ = ["CardPhoto", "CardValidity", "card_pixmap", "validity_text"]

PHOTO_SIZE = (102, 126)  # the card's own photo size, in pixels


def _tr(text: str) -> str:
    return QCoreApplication.translate("IdCardView", text)


def validity_text(card: IdCardData, today: date) -> tuple[str, bool]:
    """("ID card valid until 2030-01-01", False) / ("ID card expired on ...", True)."""
    if card.valid_until is None:
        return _tr("ID card valid long-term"), False
    day = card.valid_until.isoformat()
    if card.expired_on(today):
        return _tr("ID card expired on {day}").format(day=day), True
    return _tr("ID card valid until {day}").format(day=day), False


def card_pixmap(card: IdCardData) -> QPixmap | None:
    """The decoded photo as a pixmap (BMP, JPEG or PNG bytes), or None."""
    if not card.photo:
        return None
    pixmap = QPixmap()
    return pixmap if pixmap.loadFromData(card.photo) and not pixmap.isNull() else None


class CardValidity(QLabel):
    """One line: how long the card read is valid; `expired` tells tests and styles apart."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cardValidity")
        self.expired = False
        self.hide()

    def show_card(self, card: IdCardData, today: date) -> None:
        text, self.expired = validity_text(card, today)
        self.setText(text)
        self.setProperty("expired", self.expired)
        self.setStyleSheet(f"color: {PALETTE['danger']}; font-weight: bold;" if self.expired
                           else "")
        self.show()

    def clear_card(self) -> None:
        self.expired = False
        self.clear()
        self.hide()


class CardPhoto(QLabel):
    """The card's photo at its own size; hidden when there is none."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cardPhoto")
        self.setFixedSize(*PHOTO_SIZE)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hide()

    def show_card(self, card: IdCardData) -> bool:
        pixmap = card_pixmap(card)
        if pixmap is None:
            self.clear()
            self.hide()
            return False
        self.setPixmap(pixmap.scaled(self.size(), Qt.AspectRatioMode.KeepAspectRatio,
                                     Qt.TransformationMode.SmoothTransformation))
        self.show()
        return True
