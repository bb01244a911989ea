"""The customer's signature on the request (on the pad, or on paper with a scan), bound to the
order's content hash."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QCheckBox, QFileDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from app.core.money import format_yuan
from app.ui.kit import labels
from app.ui.kit.signature_pad import SignaturePad
from app.ui.wizard.base import SIGNATURE, VisitPage, hint

if TYPE_CHECKING:
    from app.services.orders.service import SignatureIn
    from app.ui.wizard.controller import VisitController


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
