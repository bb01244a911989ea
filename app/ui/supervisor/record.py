"""One order's full record: documents, fees and payments, the signature, the printed papers,
the audit trail; and voiding it (supervisor only, reason required, checked in the core)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.core.catalog import Catalog
from app.core.money import format_yuan
from app.ui.kit import labels
from app.ui.kit.op_failures import OpFailure
from app.ui.kit.operations import CollectionOp, QueryOp
from app.ui.kit.theme import set_role
from app.ui.shell.context import AppContext

if TYPE_CHECKING:
    from app.services.customers.order_record import OrderRecord
    from app.ui.devices.scan_viewer import ScanViewer

SCAN_LINK = "scan:"  # href of a retained copy: scan:<document code> or scan:signature


def _esc(text: object) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def detail_text(catalog: Catalog, service: str, key: str, value: object) -> str:
    """A stored detail as the clerk reads it: money in yuan, choices by their label."""
    svc = catalog.services.get(service)
    spec = svc.detail(key) if svc else None
    if spec is not None and spec.type == "money" and isinstance(value, int):
        return format_yuan(value)
    if spec is not None and spec.type == "enum":
        choice = next((c for c in spec.choices if c.value == value), None)
        if choice is not None:
            return labels.text(choice.label)
    if isinstance(value, bool):
        return "✓" if value else "✗"
    if isinstance(value, dict):
        return " ".join(str(v) for v in value.values())
    return str(value)


def _h3(title: str) -> str:
    return f"<h3>{_esc(title)}</h3>"


class VoidDialog(QDialog):
    """Asks why the order is voided; the reason is required."""

    def __init__(self, order_no: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("voidDialog")
        self.setWindowTitle(self.tr("Void order {order_no}").format(order_no=order_no))
        text = QLabel(self.tr("Voiding cannot be undone. The line goes back to its state before "
                              "the order if nothing changed it since. Reason (required):"))
        text.setWordWrap(True)
        self.reason = QPlainTextEdit()
        self.reason.setObjectName("voidReason")
        self.reason.setMaximumHeight(90)
        self.error = QLabel()
        self.error.setStyleSheet("color: #c62828; font-weight: bold;")
        buttons = QDialogButtonBox()
        self.ok = buttons.addButton(self.tr("Void the order"),
                                    QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok.setObjectName("confirmVoid")
        set_role(self.ok, "danger")
        buttons.addButton(self.tr("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(self.reason)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.setMinimumWidth(480)

    def _check(self) -> None:
        if not self.reason.toPlainText().strip():
            self.error.setText(self.tr("Enter the reason."))
            return
        self.accept()


class OrderRecordDialog(QDialog):
    voided = Signal(str)

    def __init__(self, ctx: AppContext, order_no: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("orderRecordDialog")
        self.ctx = ctx
        self.order_no = order_no
        self.record: OrderRecord | None = None
        self.setWindowTitle(self.tr("Order {order_no}").format(order_no=order_no))
        self.text = QTextBrowser()
        self.text.setObjectName("recordText")
        self.text.setOpenExternalLinks(False)
        self.text.setOpenLinks(False)  # a copy's link opens the viewer (anchorClicked)
        self.text.anchorClicked.connect(self._link)
        self.viewer: ScanViewer | None = None
        self.signature = QLabel()
        self.signature.setObjectName("recordSignature")
        self.signature.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.signature.setMinimumHeight(90)
        self.signature.setStyleSheet("background: #ffffff; border: 1px solid #c5ced8;")
        self.void_button = QPushButton(self.tr("Void order..."))
        self.void_button.setObjectName("voidButton")
        set_role(self.void_button, "danger")
        self.void_button.setEnabled(False)
        self.status = QLabel()
        self.status.setObjectName("recordStatus")
        self.status.setWordWrap(True)
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.accept)
        row = QHBoxLayout()
        row.addWidget(self.status, 1)
        row.addWidget(self.void_button)
        row.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.signature)
        layout.addLayout(row)
        self.resize(820, 720)
        self.void_button.clicked.connect(self.ask_void)
        self.void_dialog: VoidDialog | None = None
        self.load()

    def load(self) -> None:
        from app.services.customers.order_record import order_record

        ctx, actor, no = self.ctx, self.ctx.require_actor(), self.order_no
        (QueryOp(ctx.runner, lambda _c: order_record(ctx.db, actor, no))
         .success(self._show).failure(self._failed).run_in_background())

    def _failed(self, failure: OpFailure) -> None:
        self.status.setText(failure.message)

    def _show(self, r: OrderRecord | None) -> None:
        self.record = r
        if r is None:
            self.text.setPlainText(self.tr("No such order."))
            return
        catalog, tz = self.ctx.catalog, self.ctx.timezone
        h: list[str] = [f"<h2>{_esc(labels.service_name(catalog, r.service))} "
                        f"{_esc(r.order_no)}</h2>"]
        state = labels.decision_name("voided" if r.status == "voided" else "accepted")
        h.append("<p>" + "<br/>".join(_esc(x) for x in [
            self.tr("Status: {state}").format(state=state),
            self.tr("Recorded: {when} at counter {counter} by {clerk}").format(
                when=labels.local_time(r.created_at, tz, "%Y-%m-%d %H:%M:%S"),
                counter=r.counter_code, clerk=f"{r.staff_no or ''} {r.staff_name or ''}"),
            self.tr("Customer: {name} {id}").format(name=r.customer_name or "",
                                              id=r.customer_id_masked or ""),
            self.tr("Line: {line}").format(line=r.line_number or "-"),
            self.tr("Presented by: {role} {name} {id}").format(
                role=labels.role_name(r.presenter_role), name=r.presenter_name,
                id=r.presenter_id_masked or ""),
            self.tr("Total: {amount} yuan").format(amount=format_yuan(r.total_fen)),
        ]) + "</p>")
        if r.status == "voided":
            h.append("<p><b>" + _esc(self.tr("Voided: {reason}").format(reason=r.void_reason or ""))
                     + "</b></p>")
        h.append(_h3(self.tr("Papers checked")) + "<ul>")
        if not r.documents:
            h.append("<li>" + _esc(self.tr("None besides the presenter's own ID")) + "</li>")
        for d in r.documents:
            marks = [self.tr("original checked") if d.original_seen else self.tr("original not checked"),
                     self.tr("copy retained") if d.copy_retained else self.tr("no copy")]
            if d.scan_sha256:
                marks.append(self.tr("scan {name} (SHA-256 {digest})").format(
                    name=d.scan_name or "", digest=d.scan_sha256[:16]))
            view = (f' <a href="{SCAN_LINK}{_esc(d.code)}">{_esc(self.tr("View copy"))}</a>'
                    if d.scan_sha256 else "")
            h.append(f"<li>{_esc(labels.document_name(catalog, d.code))}: "
                     f"{_esc('，'.join(marks))}{view}</li>")
        h.append("</ul>")
        if r.details:
            h.append(_h3(self.tr("Details")) + "<ul>")
            for key, value in r.details.items():
                h.append(f"<li>{_esc(labels.missing_name(catalog, r.service, key))}: "
                         f"{_esc(detail_text(catalog, r.service, key, value))}</li>")
            h.append("</ul>")
        h.append(_h3(self.tr("Fees and payments")) + "<ul>")
        for _item, name, amount in r.fees:
            h.append(f"<li>{_esc(name)}: {format_yuan(amount)}</li>")
        for p in r.payments:
            extra = ""
            if p.tendered_fen is not None:
                extra = self.tr(" (tendered {tendered}, change {change})").format(
                    tendered=format_yuan(p.tendered_fen), change=format_yuan(p.change_fen))
            h.append(f"<li>{_esc(labels.payment_method_name(p.method))}: "
                     f"{format_yuan(p.amount_fen)}{_esc(extra)}</li>")
        h.append("</ul>")
        h.append(_h3(self.tr("Signature")) + "<p>")
        if r.signature is None:
            h.append(_esc(self.tr("No signature (not needed for this service).")))
        else:
            kind = self.tr("on paper") if r.signature.on_paper else self.tr("on the signature pad")
            h.append(_esc(self.tr("Signed {kind} at {when}; content hash {digest}").format(
                kind=kind, when=labels.local_time(r.signature.signed_at, tz, "%H:%M:%S"),
                digest=r.signature.content_hash[:16] + "…")))
            match = r.signature.content_hash == r.content_hash
            h.append("<br/>" + _esc(self.tr("The hash matches the order.") if match
                                    else self.tr("The hash does NOT match the order.")))
            if r.signature.has_scan:
                h.append(f' <a href="{SCAN_LINK}signature">'
                         f'{_esc(self.tr("View the scan of the signed paper"))}</a>')
        h.append("</p>")
        h.append(_h3(self.tr("Printed papers")) + "<ul>")
        for paper in r.printed:
            copy = (self.tr("reprint {n}").format(n=paper.copy_no) if paper.copy_no
                    else self.tr("first print"))
            h.append(f"<li>{_esc(paper.kind)} · {_esc(copy)} · "
                     f"{_esc(labels.local_time(paper.printed_at, tz, '%H:%M:%S'))} · "
                     f"{_esc(paper.path or '')}</li>")
        if not r.printed:
            h.append("<li>" + _esc(self.tr("Nothing printed yet.")) + "</li>")
        h.append("</ul>")
        if r.follow_ups:
            h.append(_h3(self.tr("Follow-ups")) + "<ul>")
            for name, due, status in r.follow_ups:
                h.append(f"<li>{_esc(name)} · {_esc(labels.local_time(due, tz, '%Y-%m-%d %H:%M'))}"
                         f" · {_esc(status)}</li>")
            h.append("</ul>")
        h.append(_h3(self.tr("Audit trail")) + "<ul>")
        for e in r.audit:
            by = e.actor
            if e.authorized_by:
                by += " (" + self.tr("authorized by") + f" {e.authorized_by})"
            h.append(f"<li>#{e.seq} {_esc(labels.local_time(e.at, tz, '%H:%M:%S'))} "
                     f"{_esc(e.action)} · {_esc(by)} · {_esc(e.counter)}</li>")
        h.append("</ul>")
        self.text.setHtml("".join(h))
        if r.signature is not None and r.signature.png:
            pix = QPixmap()
            pix.loadFromData(r.signature.png, "PNG")
            self.signature.setPixmap(pix.scaledToHeight(
                80, Qt.TransformationMode.SmoothTransformation))
        elif r.signature is not None:
            self.signature.setText(self.tr("Signed on paper"))
        else:
            self.signature.setText(self.tr("No signature"))
        self.void_button.setEnabled(r.status != "voided")

    def _link(self, url: QUrl) -> None:
        text = url.toString()
        if text.startswith(SCAN_LINK):
            self.open_scan(text.removeprefix(SCAN_LINK))

    def open_scan(self, document: str) -> ScanViewer:
        """The retained copy in the viewer; the core checks who may and records the view."""
        from app.ui.devices.scan_viewer import ScanViewer, stored_scan_loader

        ctx = self.ctx
        name = (self.tr("Signature on paper") if document == "signature"
                else labels.document_name(ctx.catalog, document))
        viewer = ScanViewer(ctx.runner, stored_scan_loader(ctx.db, ctx.require_actor(),
                                                           self.order_no, document),
                            self.tr("{document} · order {order_no}").format(
                                document=name, order_no=self.order_no), self)
        self.viewer = viewer
        viewer.open()
        return viewer

    def ask_void(self) -> None:
        dialog = VoidDialog(self.order_no, self)
        self.void_dialog = dialog
        dialog.accepted.connect(lambda: self._void(dialog.reason.toPlainText().strip()))
        dialog.open()

    def _void(self, reason: str) -> None:
        from app.services.orders.void import void_order

        ctx, actor, no = self.ctx, self.ctx.require_actor(), self.order_no
        self.void_button.setEnabled(False)

        def done(_order: object) -> None:
            self.status.setText(self.tr("Order voided."))
            self.voided.emit(no)
            self.load()

        def failed(f: OpFailure) -> None:
            self.status.setText(f.message)
            self.void_button.setEnabled(True)

        (CollectionOp(ctx.runner, lambda _c: void_order(ctx.db, actor, no, reason),
                      changes={"order", "line"})
         .success(done).failure(failed).run_in_background())
