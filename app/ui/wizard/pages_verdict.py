"""The engine's verdict on the request: accepted, rejected or incomplete, with the reasons,
the fees and what follows; a line's arrears can be paid here first."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from app.core.money import format_yuan
from app.ui.kit import labels
from app.ui.kit.theme import set_role
from app.ui.wizard.base import DONE, VERDICT, VisitPage, esc, hint
from app.ui.wizard.pages_payment import PaymentDialog, fees_table, fill_fees
from app.ui.wizard.verdict_summary import told

if TYPE_CHECKING:
    from app.core.engine import Evaluation
    from app.services.orders.service import SubmitResult
    from app.ui.wizard.controller import VisitController

BANNER = {
    "accepted": ("#e8f5e9", "#1b5e20"),
    "rejected": ("#ffebee", "#b71c1c"),
    "incomplete": ("#fff8e1", "#8a5300"),
    "pending": ("#eceff1", "#37474f"),
}


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
            parts.append(f"<p><b>{esc(v.message)}</b><br/>{esc(step)}</p>")
        if ev.missing:
            names = [missing for missing in (
                labels.missing_name(catalog, ev.service, m) for m in ev.missing)]
            items = "".join(f"<li>{esc(n)}</li>" for n in names)
            still = self.tr("Still missing:")
            parts.append(f"<p><b>{esc(still)}</b></p><ul>{items}</ul>")
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
        extra = told(ev) if ev.decision == "accepted" else []  # the words of the summary
        self.extra.setText("<br/>".join(esc(e) for e in extra))
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
        self.reasons.setText(esc(message))
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

    def _pay_failed(self, message: str) -> None:
        self.pay_button.setEnabled(True)
        self.paid.setText(self.tr("The payment was not recorded: {reason}").format(
            reason=message))

    def evaluation(self) -> Evaluation | None:
        return self._ev
