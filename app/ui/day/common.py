"""Widgets the day's dialogs share: the counts form (stock items, invoice numbers, the cash
float by denomination, settlement totals), money and time formatting, error text."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.clock import zone_of
from app.core.money import format_yuan
from app.services.day.counts import Counts
from app.services.day.items import (
    DENOMINATIONS_FEN,
    INVOICE,
    denomination_label,
    item_label,
    item_unit,
    stock_items,
)
from app.ui.kit.op_failures import OpFailure
from app.ui.shell.errors import install_error_messages, pick

MAX_PIECES = 100_000
SPIN_WIDTH = 150
ERROR_STYLE = "color: #c62828; font-weight: bold;"


def yuan(fen: int) -> str:
    return format_yuan(fen)


def local_text(when: datetime | None, zone: str | ZoneInfo | None = None,
               fmt: str = "%H:%M") -> str:
    """An instant as the hall's wall-clock time (`zone`: the hall's; Asia/Shanghai if None)."""
    return when.astimezone(zone_of(zone)).strftime(fmt) if when else ""


def failure_text(failure: OpFailure) -> str:
    """The clerk's sentence for a failed operation (the core's errors carry both languages)."""
    exc = failure.exception
    zh = getattr(exc, "zh", None) or getattr(exc, "message_zh", None)
    en = getattr(exc, "en", None) or getattr(exc, "message_en", None)
    if isinstance(zh, str) and zh:
        return pick(zh, en or "")
    return failure.message


def ensure_error_messages() -> None:
    install_error_messages()


def error_label(parent: QWidget | None = None) -> QLabel:
    label = QLabel(parent)
    label.setObjectName("errorLabel")
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    label.hide()
    return label


def show_error(label: QLabel, text: str) -> None:
    label.setText(text)
    label.setVisible(bool(text))


class CountsForm(QWidget):
    """What the clerk counts: each stock item, the blank invoices' numbers, the cash float by
    denomination (with the running total), and at closing the non-cash settlement totals."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.stock_spins: dict[str, QSpinBox] = {}
        self.cash_spins: dict[int, QSpinBox] = {}
        self.money_spins: dict[str, QDoubleSpinBox] = {}
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)

        self.stock_box = QGroupBox(self.tr("Cards, invoices and gifts"), self)
        stock_form = QFormLayout(self.stock_box)
        for item in stock_items():
            spin = QSpinBox(self.stock_box)
            spin.setRange(0, MAX_PIECES)
            spin.setSuffix(f" {item_unit(item)}")
            spin.setMaximumWidth(SPIN_WIDTH)
            spin.setObjectName(f"count_{item}")
            spin.valueChanged.connect(self.changed)
            self.stock_spins[item] = spin
            stock_form.addRow(item_label(item), spin)
        self.invoice_first = QLineEdit(self.stock_box)
        self.invoice_first.setObjectName("invoiceFirst")
        self.invoice_first.setPlaceholderText(self.tr("e.g. 00010001"))
        self.invoice_last = QLineEdit(self.stock_box)
        self.invoice_last.setObjectName("invoiceLast")
        for edit in (self.invoice_first, self.invoice_last):
            edit.setMaxLength(40)
            edit.setMaximumWidth(SPIN_WIDTH + 40)
            edit.textChanged.connect(self.changed)
        stock_form.addRow(self.tr("First blank invoice no."), self.invoice_first)
        stock_form.addRow(self.tr("Last blank invoice no."), self.invoice_last)
        layout.addWidget(self.stock_box, 1)

        right = QVBoxLayout()
        self.cash_box = QGroupBox(self.tr("Cash by denomination"), self)
        grid = QGridLayout(self.cash_box)
        grid.addWidget(QLabel(self.tr("Denomination")), 0, 0)
        grid.addWidget(QLabel(self.tr("Pieces")), 0, 1)
        grid.addWidget(QLabel(self.tr("Subtotal (yuan)")), 0, 2)
        self._subtotals: dict[int, QLabel] = {}
        for row, denomination in enumerate(DENOMINATIONS_FEN, 1):
            spin = QSpinBox(self.cash_box)
            spin.setRange(0, MAX_PIECES)
            spin.setObjectName(f"cash_{denomination}")
            spin.setMaximumWidth(SPIN_WIDTH)
            spin.valueChanged.connect(self._cash_changed)
            self.cash_spins[denomination] = spin
            subtotal = QLabel("0.00", self.cash_box)
            subtotal.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self._subtotals[denomination] = subtotal
            grid.addWidget(QLabel(denomination_label(denomination)), row, 0)
            grid.addWidget(spin, row, 1)
            grid.addWidget(subtotal, row, 2)
        self.cash_total_label = QLabel(self.cash_box)
        self.cash_total_label.setObjectName("cashTotal")
        self.cash_total_label.setProperty("heading", True)
        grid.addWidget(QLabel(self.tr("Total")), len(DENOMINATIONS_FEN) + 1, 0)
        grid.addWidget(self.cash_total_label, len(DENOMINATIONS_FEN) + 1, 2)
        right.addWidget(self.cash_box)
        self.money_box = QGroupBox(self.tr("Settlement slips (non-cash)"), self)
        self.money_form = QFormLayout(self.money_box)
        self.money_box.hide()
        right.addWidget(self.money_box)
        right.addStretch(1)
        layout.addLayout(right, 1)
        self._cash_changed()

    def add_money_method(self, method: str) -> QDoubleSpinBox:
        """A field for the total of a non-cash method's settlement slip (closing only)."""
        spin = QDoubleSpinBox(self.money_box)
        spin.setRange(-10_000_000, 10_000_000)
        spin.setDecimals(2)
        spin.setSuffix(self.tr(" yuan"))
        spin.setObjectName(f"money_{method}")
        spin.setMaximumWidth(SPIN_WIDTH + 40)
        spin.valueChanged.connect(self.changed)
        self.money_spins[method] = spin
        self.money_form.addRow(item_label(f"money:{method}"), spin)
        self.money_box.show()
        return spin

    def _cash_changed(self) -> None:
        for denomination, spin in self.cash_spins.items():
            self._subtotals[denomination].setText(yuan(denomination * spin.value()))
        self.cash_total_label.setText(self.tr("%1 yuan").replace("%1", yuan(self.cash_fen())))
        self.changed.emit()

    def cash_fen(self) -> int:
        return sum(d * spin.value() for d, spin in self.cash_spins.items())

    def counts(self) -> Counts:
        return Counts(
            stock={item: spin.value() for item, spin in self.stock_spins.items()},
            cash={d: spin.value() for d, spin in self.cash_spins.items() if spin.value()},
            invoice_first=self.invoice_first.text().strip() or None,
            invoice_last=self.invoice_last.text().strip() or None,
            money={m: round(spin.value() * 100) for m, spin in self.money_spins.items()})

    def set_counts(self, counts: Counts) -> None:
        for item, quantity in counts.stock.items():
            if item in self.stock_spins:
                self.stock_spins[item].setValue(quantity)
        for denomination, pieces in counts.cash.items():
            if denomination in self.cash_spins:
                self.cash_spins[denomination].setValue(pieces)
        self.invoice_first.setText(counts.invoice_first or "")
        self.invoice_last.setText(counts.invoice_last or "")
        for method, fen in counts.money.items():
            spin = self.money_spins.get(method) or self.add_money_method(method)
            spin.setValue(fen / 100)

    def invoice_spin(self) -> QSpinBox:
        return self.stock_spins[INVOICE]
