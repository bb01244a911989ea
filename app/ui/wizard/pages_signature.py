"""The customer's signature on the request (on the pad, or on paper with a scan), bound to the
order's content hash.

The customer reads the acceptance slip itself and signs on their own screen
(`app.ui.customer`): a second monitor or signing tablet opens by itself; with one monitor the
clerk turns the screen to the customer (转向客户). Either pad may take the signature; the
clerk's pad shows the customer's strokes as they arrive. After signing, the default and the
focus are 提交: Enter submits; clearing is never the default.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtGui import QHideEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWizard,
)

from app.core.money import format_yuan
from app.ui.customer.signing import CustomerSigning
from app.ui.kit import labels
from app.ui.kit.signature_pad import SignaturePad
from app.ui.wizard.base import SIGNATURE, VisitPage, hint
from app.ui.wizard.verdict_summary import VerdictSummary

if TYPE_CHECKING:
    from app.services.orders.service import SignatureIn
    from app.ui.customer.proof_paper import ProofInput
    from app.ui.wizard.controller import VisitController


def _never_default(button: QPushButton) -> QPushButton:
    """A button Enter never presses (Enter is 下一步 / 提交 on every page)."""
    button.setAutoDefault(False)
    button.setDefault(False)
    return button


class SignaturePage(VisitPage):
    page_id = SIGNATURE

    def __init__(self, controller: VisitController) -> None:
        super().__init__(controller)
        self.setTitle(self.tr("Customer's signature"))
        self.setSubTitle(self.tr("The owner or agent signs to confirm the acceptance slip."))
        self.summary = QLabel()
        self.summary.setObjectName("signSummary")
        self.summary.setWordWrap(True)
        self.verdict = VerdictSummary()  # the acceptance, its fees and notices, before signing
        self.pad = SignaturePad()
        self.pad.setMinimumHeight(170)
        self.turn = _never_default(QPushButton(self.tr("Turn to customer")))
        self.turn.setObjectName("turnToCustomer")
        self.turn.setToolTip(self.tr("Show the acceptance slip and the signature pad "
                                     "full-screen to the customer"))
        self.customer_status = hint()
        self.customer_status.setObjectName("customerStatus")
        self.clear = _never_default(QPushButton(self.tr("Clear and sign again")))
        self.clear.setObjectName("clearSignature")
        self.undo = _never_default(QPushButton(self.tr("Undo last stroke")))
        self.undo.setObjectName("undoStroke")
        self.paper = QCheckBox(self.tr("The customer signed on paper"))
        self.paper.setObjectName("paperSignature")
        self.attach = _never_default(QPushButton(self.tr("Attach scan of the signed paper...")))
        self.attach.setObjectName("attachSignatureScan")
        self.scan_label = hint()
        self.scan: bytes | None = None
        self.hash_label = hint()
        self.hash_label.setObjectName("contentHash")
        top = QHBoxLayout()
        top.addWidget(self.turn)
        top.addWidget(self.customer_status, 1)
        row = QHBoxLayout()
        row.addWidget(self.clear)
        row.addWidget(self.undo)
        row.addStretch(1)
        row2 = QHBoxLayout()
        row2.addWidget(self.paper)
        row2.addWidget(self.attach)
        row2.addWidget(self.scan_label, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.verdict)
        layout.addWidget(self.summary)
        layout.addLayout(top)
        layout.addWidget(self.pad)
        layout.addLayout(row)
        layout.addLayout(row2)
        layout.addWidget(self.hash_label)
        self.customer = CustomerSigning(controller.ctx, self.pad, self)
        self.customer.link.changed.connect(self._signature_changed)
        self.customer.status.connect(self.customer_status.setText)
        self.customer.returned.connect(self._customer_returned)
        self.turn.clicked.connect(self.customer.turn_to_customer)
        self.clear.clicked.connect(self.customer.link.clear)
        self.undo.clicked.connect(self._undo)
        self.paper.toggled.connect(self._paper)
        self.attach.clicked.connect(self._attach)
        self.setTabOrder(self.turn, self.clear)
        self.setTabOrder(self.clear, self.undo)
        self.setTabOrder(self.undo, self.paper)
        self.setTabOrder(self.paper, self.attach)
        self.digest = ""
        self._watching_pages = False

    def initializePage(self) -> None:
        c = self.controller
        ev = c.evaluation
        assert ev is not None and c.service is not None
        s = c.state
        self.digest = c.content_hash()
        self.verdict.show_evaluation(ev, fees=True)
        who = f"{labels.role_name(s.role)} {s.presenter_name}"
        line = f"  {s.line_number}" if s.line_number else ""
        service = labels.text(c.service.name)
        self.summary.setText(self.tr(
            "{service} for {customer}{line}. Presented by {who}. Total {amount} yuan.").format(
            service=service, customer=s.customer_name or s.unit_name,
            line=line, who=who, amount=format_yuan(ev.total_fen)))
        self.hash_label.setText(self.tr("Content hash bound to the signature: {digest}").format(
            digest=self.digest[:16] + "…"))
        self.paper.setChecked(s.paper_signature)
        self._paper(s.paper_signature)
        wizard = self.wizard()
        self.setButtonText(wizard.WizardButton.NextButton, self.tr("Submit"))
        if not self._watching_pages:
            wizard.currentIdChanged.connect(self._page_changed)  # leaving hides the screen
            # after the wizard's own button update, which takes every default away
            self.completeChanged.connect(self._keep_submit_default)
            self._watching_pages = True
        self.customer.prepare(self._proof(), self.tr("{service}: {amount} yuan").format(
            service=service, amount=format_yuan(ev.total_fen)))
        if not s.paper_signature:
            self.customer.open_by_itself()

    def cleanupPage(self) -> None:
        # Back to change the request: what was signed may change, so the signature goes (it
        # is given again on the slip as it then stands).
        self.customer.close()
        self.customer.link.clear()
        super().cleanupPage()

    def _proof(self) -> ProofInput:
        """What the customer's slip shows: the request and verdict the hash is taken from."""
        from app.ui.customer.proof_paper import DocumentShown, ProofInput

        c, ctx = self.controller, self.controller.ctx
        assert c.evaluation is not None and c.service is not None
        cfg = ctx.orders.hall_config()
        docs = tuple(DocumentShown(d.chosen, d.original_seen, d.copy_retained)
                     for d in c.state.documents.values() if d.original_seen)
        return ProofInput(c.request(), c.evaluation, self.digest, ctx.require_actor(),
                          ctx.now(), cfg.name, cfg.code, cfg.timezone, docs,
                          tuple(self.visit_wizard.payments), c.service.copies_retained)

    def hideEvent(self, event: QHideEvent) -> None:
        # The wizard closed (finished, given up) or went to another page: nothing may stay on
        # the customer's monitor. Checked a moment later: the wizard hides and shows its page
        # again when it updates its buttons; a minimised window (spontaneous) is left alone.
        if not event.spontaneous():
            QTimer.singleShot(0, self, self._close_if_gone)
        super().hideEvent(event)

    def _close_if_gone(self) -> None:
        if not self.isVisible():
            self.customer.close()

    def _page_changed(self, pid: int) -> None:
        if pid != SIGNATURE:
            self.customer.close()
            self._submit_button().setDefault(False)  # the wizard has no default elsewhere

    def _signature_changed(self) -> None:
        """Signed: 提交 is the default and has the focus, so Enter submits (defect 3)."""
        self.completeChanged.emit()
        if self.pad.is_empty():
            self.customer_status.setText(self.tr("Waiting for the customer's signature."))
            return
        if self.customer.link.signed_by_customer():
            self.customer_status.setText(self.tr("The customer has signed."))
        self._focus_submit()

    def _focus_submit(self) -> None:
        wizard = self.wizard()
        if wizard is None or wizard.currentPage() is not self:
            return
        submit = self._submit_button()
        submit.setDefault(True)
        submit.setFocus()

    def _keep_submit_default(self) -> None:
        if self.wizard() is not None and self.wizard().currentPage() is self:
            self._submit_button().setDefault(self.isComplete())

    def _submit_button(self) -> QPushButton:
        button = self.wizard().button(QWizard.WizardButton.NextButton)
        assert isinstance(button, QPushButton)
        return button

    def _customer_returned(self) -> None:
        if not self.pad.is_empty():
            self._focus_submit()

    def _undo(self) -> None:
        self.customer.link.source().undo()

    def _paper(self, on: bool) -> None:
        self.pad.setEnabled(not on)
        self.turn.setEnabled(not on)
        self.attach.setEnabled(on)
        if on:
            self.customer.close()
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
        signed = self.customer.link.source()  # the pad drawn on: its strokes, its size
        return SignatureIn(self.digest, png=signed.to_png(), strokes_json=signed.strokes_json())

    def store(self) -> None:
        self.controller.state.paper_signature = self.paper.isChecked()
        self.visit_wizard.signature = self.signature()

    def snapshot(self) -> None:  # a signature is never kept in a draft: it binds the order
        self.controller.state.paper_signature = self.paper.isChecked()
