"""The fees and the payment: the wizard's payment page, and the form and dialog it shares with
the verdict page (paying a line's arrears within the same visit)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from PySide6.QtCore import QRegularExpression, Qt
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.money import format_yuan
from app.ui.kit import labels
from app.ui.kit.theme import set_role
from app.ui.wizard.base import DONE, PAYMENT, VisitPage
from app.ui.wizard.verdict_summary import VerdictSummary

if TYPE_CHECKING:
    from app.core.engine import Evaluation
    from app.services.orders.service import PaymentIn
    from app.ui.wizard.controller import VisitController

_YUAN = QRegularExpression(r"^\d{0,9}(\.\d{0,2})?$")


def to_fen(text: str) -> int | None:
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        return None
    fen = value * 100
    return int(fen) if fen == fen.to_integral_value() and fen >= 0 else None


def fees_table(parent: QWidget | None = None) -> QTableWidget:
    table = QTableWidget(0, 2, parent)
    table.setObjectName("feesTable")
    table.verticalHeader().hide()
    table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    return table


def fill_fees(table: QTableWidget, ev: Evaluation, item_header: str, amount_header: str) -> None:
    table.setHorizontalHeaderLabels([item_header, amount_header])
    table.setRowCount(len(ev.fees))
    for i, fee in enumerate(ev.fees):
        table.setItem(i, 0, QTableWidgetItem(labels.text(fee.name)))
        amount = QTableWidgetItem(format_yuan(fee.amount_fen))
        amount.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        table.setItem(i, 1, amount)
    table.setFixedHeight(table.horizontalHeader().height() + 6 +
                         sum(table.rowHeight(i) for i in range(len(ev.fees))))


class PaymentForm(QWidget):
    """How the customer pays an amount: cash with tendered and change, card, other."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.due_fen = 0
        self.method = QComboBox()
        self.method.setObjectName("paymentMethod")
        for code in ("cash", "card", "mobile_pay", "bank_transfer", "other"):
            self.method.addItem(labels.payment_method_name(code), code)
        self.tendered = QLineEdit()
        self.tendered.setObjectName("tendered")
        self.tendered.setValidator(QRegularExpressionValidator(_YUAN, self.tendered))
        self.change = QLabel()
        self.change.setObjectName("change")
        self.reference = QLineEdit()
        self.reference.setObjectName("paymentReference")
        self.reference.setMaxLength(60)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(self.tr("Payment method"), self.method)
        self._tendered_label = QLabel(self.tr("Cash tendered (yuan)"))
        form.addRow(self._tendered_label, self.tendered)
        self._change_label = QLabel(self.tr("Change"))
        form.addRow(self._change_label, self.change)
        self._ref_label = QLabel(self.tr("Reference (card slip, transaction no.)"))
        form.addRow(self._ref_label, self.reference)
        self.method.currentIndexChanged.connect(self._update)
        self.tendered.textChanged.connect(self._update)

    def set_due(self, fen: int) -> None:
        self.due_fen = fen
        self._update()

    def _update(self) -> None:
        cash = self.method.currentData() == "cash"
        for w in (self._tendered_label, self.tendered, self._change_label, self.change):
            w.setVisible(cash)
        for w in (self._ref_label, self.reference):
            w.setVisible(not cash)
        tendered = to_fen(self.tendered.text()) if self.tendered.text() else None
        if cash and tendered is not None:
            diff = tendered - self.due_fen
            self.change.setText(format_yuan(diff) if diff >= 0 else self.tr(
                "{amount} yuan short").format(amount=format_yuan(-diff)))
            self.change.setStyleSheet("" if diff >= 0 else "color: #c62828; font-weight: bold;")
        else:
            self.change.clear()

    def is_complete(self) -> bool:
        if self.method.currentData() != "cash":
            return True
        tendered = to_fen(self.tendered.text()) if self.tendered.text() else None
        return tendered is not None and tendered >= self.due_fen

    def payment(self) -> PaymentIn:
        from app.services.orders.service import PaymentIn

        method = str(self.method.currentData())
        if method == "cash":
            return PaymentIn("cash", self.due_fen, to_fen(self.tendered.text()) or self.due_fen)
        return PaymentIn(method, self.due_fen, None, self.reference.text().strip() or None)


class PaymentDialog(QDialog):
    """Paying the line's arrears in the same visit."""

    def __init__(self, amount_fen: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("arrearsPaymentDialog")
        self.setWindowTitle(self.tr("Pay the arrears"))
        text = QLabel(self.tr("Amount to pay: {amount} yuan").format(
            amount=format_yuan(amount_fen)))
        text.setProperty("heading", True)
        self.form = PaymentForm()
        self.form.set_due(amount_fen)
        self.buttons = QDialogButtonBox()
        self.ok = self.buttons.addButton(self.tr("Record the payment"),
                                         QDialogButtonBox.ButtonRole.AcceptRole)
        set_role(self.ok, "primary")
        self.buttons.addButton(self.tr("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self._check)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(self.form)
        layout.addWidget(self.buttons)
        self.form.tendered.setFocus()  # cash is the usual way: type the amount, Enter

    def _check(self) -> None:
        if self.form.is_complete():
            self.accept()

    def payment(self) -> PaymentIn:
        return self.form.payment()


class PaymentPage(VisitPage):
    page_id = PAYMENT

    def __init__(self, controller: VisitController) -> None:
        super().__init__(controller)
        self.setTitle(self.tr("Fees and payment"))
        self.summary = VerdictSummary()  # the acceptance: no verdict page before this one
        self.fees = fees_table()
        self.total = QLabel()
        self.total.setObjectName("totalDue")
        self.total.setProperty("heading", True)
        self.form = PaymentForm()
        self.form.tendered.textChanged.connect(lambda _t: self.completeChanged.emit())
        self.form.method.currentIndexChanged.connect(lambda _i: self.completeChanged.emit())
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.fees)
        layout.addWidget(self.total)
        layout.addWidget(self.form)
        layout.addStretch(1)

    def initializePage(self) -> None:
        ev = self.controller.evaluation
        assert ev is not None
        self.summary.show_evaluation(ev)  # the fees are in the table below
        fill_fees(self.fees, ev, self.tr("Fee"), self.tr("Amount (yuan)"))
        self.total.setText(self.tr("Total due: {amount} yuan").format(
            amount=format_yuan(ev.total_fen)))
        s = self.controller.state
        self.form.method.setCurrentIndex(max(0, self.form.method.findData(s.payment_method)))
        self.form.tendered.setText(s.tendered)
        self.form.reference.setText(s.reference)
        self.form.set_due(ev.total_fen)
        self.aim(self.form.tendered)
        if self.nextId() == DONE:
            self.setButtonText(self.wizard().WizardButton.NextButton, self.tr("Submit"))

    def isComplete(self) -> bool:
        return self.form.is_complete() and not self.visit_wizard.busy

    def store(self) -> None:
        s = self.controller.state
        s.payment_method = str(self.form.method.currentData())
        s.tendered = self.form.tendered.text()
        s.reference = self.form.reference.text()
        self.visit_wizard.payments = [self.form.payment()]
