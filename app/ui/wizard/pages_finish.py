"""The engine's verdict, payment, signature, and the recorded order with its papers."""

from __future__ import annotations

import hashlib
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QRegularExpression, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QRegularExpressionValidator
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.money import format_yuan
from app.ui.kit import labels
from app.ui.kit.signature_pad import SignaturePad
from app.ui.kit.theme import set_role
from app.ui.wizard.base import DONE, PAYMENT, SIGNATURE, VERDICT, VisitPage, hint
from app.ui.wizard.controller import Printed, VisitController

if TYPE_CHECKING:
    from app.core.engine import Evaluation
    from app.services.orders.service import PaymentIn, SignatureIn, SubmitResult

_YUAN = QRegularExpression(r"^\d{0,9}(\.\d{0,2})?$")
BANNER = {
    "accepted": ("#e8f5e9", "#1b5e20"),
    "rejected": ("#ffebee", "#b71c1c"),
    "incomplete": ("#fff8e1", "#8a5300"),
    "pending": ("#eceff1", "#37474f"),
}


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


def banner_style(kind: str) -> str:
    bg, fg = BANNER[kind]
    return (f"QLabel {{ background: {bg}; color: {fg}; border-radius: 6px; padding: 10px 14px;"
            f" font-size: 15pt; font-weight: bold; }}")


class VerdictPage(VisitPage):
    page_id = VERDICT

    def snapshot(self) -> None:
        pass

    def __init__(self, controller: VisitController) -> None:
        super().__init__(controller)
        self.setTitle(self.tr("Verdict"))
        self.banner = QLabel()
        self.banner.setObjectName("verdictBanner")
        self.banner.setWordWrap(True)
        self.reasons = QLabel()
        self.reasons.setObjectName("verdictReasons")
        self.reasons.setWordWrap(True)
        self.reasons.setTextFormat(Qt.TextFormat.RichText)
        self.pay_button = QPushButton()
        self.pay_button.setObjectName("payArrearsButton")
        set_role(self.pay_button, "primary")
        self.pay_button.hide()
        self.pay_button.clicked.connect(self._pay_arrears)
        self.paid = hint()
        self.paid.setObjectName("arrearsPaid")
        self.fees = fees_table()
        self.extra = QLabel()
        self.extra.setObjectName("verdictExtra")
        self.extra.setWordWrap(True)
        self.extra.setTextFormat(Qt.TextFormat.RichText)
        row = QHBoxLayout()
        row.addWidget(self.pay_button)
        row.addWidget(self.paid, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.reasons)
        layout.addLayout(row)
        layout.addWidget(self.fees)
        layout.addWidget(self.extra)
        layout.addStretch(1)
        controller.evaluated.connect(self.show_evaluation)
        controller.evaluation_failed.connect(self._failed)
        controller.arrears_paid.connect(self._paid)
        controller.arrears_failed.connect(self._pay_failed)
        self._ev: Evaluation | None = None
        self.pay_dialog: PaymentDialog | None = None

    def initializePage(self) -> None:
        svc = self.controller.service
        self.setSubTitle(labels.text(svc.name) if svc else "")
        self._ev = None
        self.banner.setText(self.tr("Checking the request..."))
        self.banner.setStyleSheet(banner_style("pending"))
        self.reasons.clear()
        self.extra.clear()
        self.fees.hide()
        self.pay_button.hide()
        if not self.controller.bill_payments:
            self.paid.clear()
        self.completeChanged.emit()
        self.controller.evaluate()

    def show_evaluation(self, ev: Evaluation) -> None:
        self._ev = ev
        catalog = self.controller.ctx.catalog
        if ev.decision == "accepted":
            self.banner.setText(self.tr("Accepted: the request can be recorded"))
        elif ev.decision == "rejected":
            self.banner.setText(self.tr("Rejected: a rule does not allow this request"))
        else:
            self.banner.setText(self.tr("Incomplete: something is still missing"))
        self.banner.setStyleSheet(banner_style(ev.decision))
        parts = []
        for v in ev.violations:
            step = self.tr("Next step: {step}").format(step=v.next_step)
            parts.append(f"<p><b>{_esc(v.message)}</b><br/>{_esc(step)}</p>")
        if ev.missing:
            names = [missing for missing in (
                labels.missing_name(catalog, ev.service, m) for m in ev.missing)]
            items = "".join(f"<li>{_esc(n)}</li>" for n in names)
            still = self.tr("Still missing:")
            parts.append(f"<p><b>{_esc(still)}</b></p><ul>{items}</ul>")
        self.reasons.setText("".join(parts))
        arrears = self.controller.arrears_fen()
        can_pay = (any(v.rule == "arrears_outstanding" for v in ev.violations) and arrears > 0
                   and self.controller.state.service != "bill_payment")
        self.pay_button.setVisible(can_pay)
        self.pay_button.setText(self.tr("Pay the arrears of {amount} yuan first").format(
            amount=format_yuan(arrears)))
        if ev.fees:
            fill_fees(self.fees, ev, self.tr("Fee"), self.tr("Amount (yuan)"))
            self.fees.show()
        extra = []
        if ev.decision == "accepted":
            extra.append(self.tr("Total due: {amount} yuan").format(
                amount=format_yuan(ev.total_fen)))
            if ev.effective:
                extra.append(self.tr("Takes effect: {when}").format(
                    when=labels.text(ev.effective.text)))
            extra += [labels.text(n) for n in ev.notices]
            extra += [self.tr("Follow-up: {task}, due {due}").format(
                task=labels.text(f.name), due=f.due.strftime("%Y-%m-%d %H:%M"))
                for f in ev.follow_ups]
        self.extra.setText("<br/>".join(_esc(e) for e in extra))
        self._update_buttons()
        self.completeChanged.emit()

    def _update_buttons(self) -> None:
        ev = self._ev
        wizard = self.wizard()
        if wizard is None or ev is None:
            return
        if ev.decision != "accepted":
            self.setButtonText(wizard.WizardButton.NextButton,
                               self.tr("Record in the intake log"))
        elif self.nextId() == DONE:
            self.setButtonText(wizard.WizardButton.NextButton, self.tr("Submit"))
        else:
            self.setButtonText(wizard.WizardButton.NextButton, self.tr("Next"))

    def _failed(self, message: str) -> None:
        self._ev = None
        self.banner.setText(self.tr("The request cannot be checked"))
        self.banner.setStyleSheet(banner_style("rejected"))
        self.reasons.setText(_esc(message))
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self._ev is not None and not self.visit_wizard.busy

    def _pay_arrears(self) -> None:
        amount = self.controller.arrears_fen()
        dialog = PaymentDialog(amount, self)
        self.pay_dialog = dialog
        dialog.accepted.connect(lambda: self._start_payment(dialog))
        dialog.open()

    def _start_payment(self, dialog: PaymentDialog) -> None:
        self.pay_button.setEnabled(False)
        self.paid.setText(self.tr("Recording the payment..."))
        self.controller.pay_arrears(dialog.payment())

    def _paid(self, result: SubmitResult) -> None:
        self.pay_button.setEnabled(True)
        self.paid.setText(self.tr("Arrears paid: order {order_no}. Checked again with the "
                                  "line's new state.").format(order_no=result.order_no))
        if result.order_id is not None and result.order_no:
            self.controller.print_papers(result.order_id, result.order_no)

    def _pay_failed(self, message: str) -> None:
        self.pay_button.setEnabled(True)
        self.paid.setText(self.tr("The payment was not recorded: {reason}").format(
            reason=message))

    def evaluation(self) -> Evaluation | None:
        return self._ev


def _esc(text: str) -> str:
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))


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
        self.fees = fees_table()
        self.total = QLabel()
        self.total.setObjectName("totalDue")
        self.total.setProperty("heading", True)
        self.form = PaymentForm()
        self.form.tendered.textChanged.connect(lambda _t: self.completeChanged.emit())
        self.form.method.currentIndexChanged.connect(lambda _i: self.completeChanged.emit())
        self.form.tendered.returnPressed.connect(lambda: self.wizard().next())
        layout = QVBoxLayout(self)
        layout.addWidget(self.fees)
        layout.addWidget(self.total)
        layout.addWidget(self.form)
        layout.addStretch(1)

    def initializePage(self) -> None:
        ev = self.controller.evaluation
        assert ev is not None
        fill_fees(self.fees, ev, self.tr("Fee"), self.tr("Amount (yuan)"))
        self.total.setText(self.tr("Total due: {amount} yuan").format(
            amount=format_yuan(ev.total_fen)))
        s = self.controller.state
        self.form.method.setCurrentIndex(max(0, self.form.method.findData(s.payment_method)))
        self.form.tendered.setText(s.tendered)
        self.form.reference.setText(s.reference)
        self.form.set_due(ev.total_fen)
        self.form.tendered.setFocus()
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


class SignaturePage(VisitPage):
    page_id = SIGNATURE

    def __init__(self, controller: VisitController) -> None:
        super().__init__(controller)
        self.setTitle(self.tr("Customer's signature"))
        self.setSubTitle(self.tr("The owner or agent signs to confirm the acceptance slip."))
        self.summary = QLabel()
        self.summary.setObjectName("signSummary")
        self.summary.setWordWrap(True)
        self.pad = SignaturePad()
        self.pad.setMinimumHeight(170)
        self.clear = QPushButton(self.tr("Clear and sign again"))
        self.clear.setObjectName("clearSignature")
        self.undo = QPushButton(self.tr("Undo last stroke"))
        self.undo.setObjectName("undoStroke")
        self.paper = QCheckBox(self.tr("The customer signed on paper"))
        self.paper.setObjectName("paperSignature")
        self.attach = QPushButton(self.tr("Attach scan of the signed paper..."))
        self.attach.setObjectName("attachSignatureScan")
        self.scan_label = hint()
        self.scan: bytes | None = None
        self.hash_label = hint()
        self.hash_label.setObjectName("contentHash")
        row = QHBoxLayout()
        row.addWidget(self.clear)
        row.addWidget(self.undo)
        row.addStretch(1)
        row2 = QHBoxLayout()
        row2.addWidget(self.paper)
        row2.addWidget(self.attach)
        row2.addWidget(self.scan_label, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.pad)
        layout.addLayout(row)
        layout.addLayout(row2)
        layout.addWidget(self.hash_label)
        self.pad.signature_changed.connect(self.completeChanged)
        self.clear.clicked.connect(self.pad.clear)
        self.undo.clicked.connect(self.pad.undo)
        self.paper.toggled.connect(self._paper)
        self.attach.clicked.connect(self._attach)
        self.digest = ""

    def initializePage(self) -> None:
        c = self.controller
        ev = c.evaluation
        assert ev is not None and c.service is not None
        s = c.state
        self.digest = c.content_hash()
        who = f"{labels.role_name(s.role)} {s.presenter_name}"
        line = f"  {s.line_number}" if s.line_number else ""
        self.summary.setText(self.tr(
            "{service} for {customer}{line}. Presented by {who}. Total {amount} yuan.").format(
            service=labels.text(c.service.name), customer=s.customer_name or s.unit_name,
            line=line, who=who, amount=format_yuan(ev.total_fen)))
        self.hash_label.setText(self.tr("Content hash bound to the signature: {digest}").format(
            digest=self.digest[:16] + "…"))
        self.paper.setChecked(s.paper_signature)
        self._paper(s.paper_signature)
        self.setButtonText(self.wizard().WizardButton.NextButton, self.tr("Submit"))

    def _paper(self, on: bool) -> None:
        self.pad.setEnabled(not on)
        self.attach.setEnabled(on)
        self.completeChanged.emit()

    def _attach(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Attach scan"), "",
                                              self.tr("Images and PDF (*.png *.jpg *.jpeg *.pdf)"))
        if path:
            self.attach_file(path)

    def attach_file(self, path: str) -> None:
        data = Path(path).read_bytes()
        self.scan = data
        self.scan_label.setText(f"{Path(path).name}  SHA-256 {hashlib.sha256(data).hexdigest()[:12]}…")

    def isComplete(self) -> bool:
        return (self.paper.isChecked() or not self.pad.is_empty()) and not self.visit_wizard.busy

    def signature(self) -> SignatureIn:
        from app.services.orders.service import SignatureIn

        if self.paper.isChecked():
            return SignatureIn(self.digest, on_paper=True, scan=self.scan)
        return SignatureIn(self.digest, png=self.pad.to_png(), strokes_json=self.pad.strokes_json())

    def store(self) -> None:
        self.controller.state.paper_signature = self.paper.isChecked()
        self.visit_wizard.signature = self.signature()

    def snapshot(self) -> None:  # a signature is never kept in a draft: it binds the order
        self.controller.state.paper_signature = self.paper.isChecked()


class DonePage(VisitPage):
    page_id = DONE

    def snapshot(self) -> None:
        pass

    def __init__(self, controller: VisitController) -> None:
        super().__init__(controller)
        self.setTitle(self.tr("Done"))
        self.banner = QLabel()
        self.banner.setObjectName("doneBanner")
        self.banner.setWordWrap(True)
        self.body = QLabel()
        self.body.setObjectName("doneBody")
        self.body.setWordWrap(True)
        self.body.setTextFormat(Qt.TextFormat.RichText)
        self.print_status = QLabel()
        self.print_status.setObjectName("printStatus")
        self.print_status.setWordWrap(True)
        self.preview = QPushButton(self.tr("Preview"))
        self.preview.setObjectName("previewButton")
        self.print_button = QPushButton(self.tr("Print"))
        self.print_button.setObjectName("printButton")
        self.reprint = QPushButton(self.tr("Reprint"))
        self.reprint.setObjectName("reprintButton")
        row = QHBoxLayout()
        row.addWidget(self.preview)
        row.addWidget(self.print_button)
        row.addWidget(self.reprint)
        row.addStretch(1)
        self.print_row = QWidget()
        self.print_row.setLayout(row)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.body)
        layout.addWidget(self.print_status)
        layout.addWidget(self.print_row)
        layout.addStretch(1)
        self.preview.clicked.connect(self._preview)
        self.print_button.clicked.connect(self._print)
        self.reprint.clicked.connect(self._reprint)
        controller.printed.connect(self._printed)
        controller.print_failed.connect(self._print_failed)
        self.setFinalPage(True)

    def initializePage(self) -> None:
        result = self.controller.result
        assert result is not None
        ev = result.evaluation
        self.setButtonText(self.wizard().WizardButton.FinishButton,
                           self.tr("Finish: next customer"))
        if result.order_no:
            self.banner.setText(self.tr("Order {order_no} recorded").format(
                order_no=result.order_no))
            self.banner.setStyleSheet(banner_style("accepted"))
            lines = [self.tr("Total paid: {amount} yuan").format(
                amount=format_yuan(ev.total_fen))]
            if ev.effective:
                lines.append(self.tr("Takes effect: {when}").format(
                    when=labels.text(ev.effective.text)))
            lines += [labels.text(n) for n in ev.notices]
            lines += [self.tr("Follow-up: {task}, due {due}").format(
                task=labels.text(f.name), due=f.due.strftime("%Y-%m-%d %H:%M"))
                for f in ev.follow_ups]
            self.body.setText("<br/>".join(_esc(x) for x in lines))
            self.print_row.show()
            self._set_print_buttons(False)
            self.print_status.setText(self.tr("Printing the papers..."))
            assert result.order_id is not None
            self.controller.print_papers(result.order_id, result.order_no)
        else:
            self.banner.setText(self.tr("Recorded in the intake log: {decision}").format(
                decision=labels.decision_name(ev.decision)))
            self.banner.setStyleSheet(banner_style(ev.decision))
            catalog = self.controller.ctx.catalog
            reasons = [v.message for v in ev.violations]
            reasons += [labels.missing_name(catalog, ev.service, m) for m in ev.missing]
            self.body.setText("<br/>".join(_esc(r) for r in reasons))
            self.print_row.hide()
            self.print_status.clear()

    def _set_print_buttons(self, enabled: bool) -> None:
        for b in (self.preview, self.print_button, self.reprint):
            b.setEnabled(enabled)

    def _printed(self, printed: Printed) -> None:
        result = self.controller.result
        if result is None or printed.order_no != result.order_no:
            return  # the receipt of a payment made earlier in the visit
        self._set_print_buttons(True)
        names = ", ".join(p.name for p in printed.paths)
        self.print_status.setText(self.tr("Papers saved: {files}").format(files=names))

    def _print_failed(self, message: str) -> None:
        self.print_status.setText(message)
        self._set_print_buttons(False)

    def papers(self) -> list[Path]:
        result = self.controller.result
        return self.controller.printed_paths.get(result.order_no or "", []) if result else []

    def _preview(self) -> None:
        for path in self.papers():
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def _print(self) -> None:
        from app.ui.devices.printer import print_papers

        self.print_status.setText(print_papers(self.papers(), self.controller.ctx.settings))

    def _reprint(self) -> None:
        result = self.controller.result
        if result is None or result.order_id is None or result.order_no is None:
            return
        self._set_print_buttons(False)
        self.print_status.setText(self.tr("Printing again (marked as reprint)..."))
        self.controller.print_papers(result.order_id, result.order_no, reprint=True)

    def validatePage(self) -> bool:
        return True

    def nextId(self) -> int:
        return -1

