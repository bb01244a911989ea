"""The export dialog: a date range, a format, masked or (for a supervisor, with a reason)
unmasked, and a folder; the export runs in the background with progress and a Cancel button.

Layout and input only: `app.services.exchange.export.export_data` checks the permission, records the
reason and the export in the audit trail, and writes the files. The export runs as a read
operation (`QueryOp`), so a long export never holds up the recording of orders; its own two
audit entries are short transactions of their own. A cancelled export leaves no files.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.clock import business_date, local_now
from app.security import Permission, has_permission
from app.ui.kit.op_failures import OpFailure
from app.ui.kit.op_runner import OpRunner
from app.ui.kit.operations import OpContext, OpHandle, QueryOp
from app.ui.kit.qt_time import pydate, qdate
from app.ui.kit.theme import set_role

if TYPE_CHECKING:
    from app.db import Database
    from app.services.exchange.export import ExportResult
    from app.services.hall.registry import Actor


def _message(exc: BaseException, english: bool) -> str | None:
    """The core's bilingual errors, in the language shown."""
    zh, en = getattr(exc, "zh", None), getattr(exc, "en", None)
    if zh is None:
        zh, en = getattr(exc, "message_zh", None), getattr(exc, "message_en", None)
    if zh is None:
        return None
    return str(en if english and en else zh)


class ExportDialog(QDialog):
    """Emits `exported(ExportResult)` after a successful export.

    `today` (the range shown at first) defaults to the hall's business date in `zone` by the
    database's clock; the export folder is stamped with that clock's local time too."""

    exported = Signal(object)

    def __init__(self, runner: OpRunner, db: Database, actor: Actor,
                 parent: QWidget | None = None, *, base_folder: Path | None = None,
                 today: date | None = None, zone: str | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("exportDialog")
        self.runner, self.db, self.actor = runner, db, actor
        self.last_result: ExportResult | None = None
        self._handle: OpHandle | None = None
        self.base_folder = base_folder or Path.home() / "hall-exports"
        self.zone = zone
        today = today or business_date(db.clock, zone)
        self.setWindowTitle(self.tr("Export data"))

        self.date_from = QDateEdit(qdate(today))
        self.date_from.setObjectName("exportFrom")
        self.date_to = QDateEdit(qdate(today))
        self.date_to.setObjectName("exportTo")
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.fmt = QComboBox()
        self.fmt.setObjectName("exportFormat")
        self.fmt.addItem(self.tr("CSV (Excel, UTF-8)"), "csv")
        self.fmt.addItem(self.tr("Excel workbook (XLSX)"), "xlsx")
        self.fmt.addItem(self.tr("JSON Lines (for import)"), "jsonl")

        self.masked = QRadioButton(self.tr("Masked personal data (recommended)"))
        self.masked.setObjectName("exportMasked")
        self.unmasked = QRadioButton(self.tr("Full names and ID numbers (supervisor, "
                                             "reason required)"))
        self.unmasked.setObjectName("exportUnmasked")
        group = QButtonGroup(self)
        group.addButton(self.masked)
        group.addButton(self.unmasked)
        self.masked.setChecked(True)
        may_unmask = has_permission(actor.role, Permission.EXPORT_UNMASKED)
        self.unmasked.setEnabled(may_unmask)
        if not may_unmask:
            self.unmasked.setToolTip(self.tr("Only a supervisor may export unmasked data."))
        self.reason = QPlainTextEdit()
        self.reason.setObjectName("exportReason")
        self.reason.setPlaceholderText(self.tr("Why the full data is needed (recorded in the "
                                               "audit log)"))
        self.reason.setMaximumHeight(70)
        self.reason.setEnabled(False)
        self.unmasked.toggled.connect(self.reason.setEnabled)

        self.folder = QLineEdit(str(self.base_folder))
        self.folder.setObjectName("exportFolder")
        browse = QPushButton(self.tr("Browse..."))
        browse.clicked.connect(self._browse)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(browse)

        form = QFormLayout()
        form.addRow(self.tr("From"), self.date_from)
        form.addRow(self.tr("To"), self.date_to)
        form.addRow(self.tr("Format"), self.fmt)
        form.addRow(self.tr("Folder"), folder_row)

        self.status = QLabel()
        self.status.setObjectName("exportStatus")
        self.status.setWordWrap(True)
        self.open_folder = QPushButton(self.tr("Open folder"))
        self.open_folder.setObjectName("exportOpenFolder")
        self.open_folder.setVisible(False)
        self.open_folder.clicked.connect(self._open_folder)
        buttons = QDialogButtonBox()
        self.start = buttons.addButton(self.tr("Export"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.start.setObjectName("exportStart")
        set_role(self.start, "primary")
        close = buttons.addButton(self.tr("Close"), QDialogButtonBox.ButtonRole.RejectRole)
        close.setObjectName("exportClose")
        buttons.accepted.connect(self.run_export)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.masked)
        layout.addWidget(self.unmasked)
        layout.addWidget(self.reason)
        layout.addWidget(self.status)
        bottom = QHBoxLayout()
        bottom.addWidget(self.open_folder)
        bottom.addStretch(1)
        bottom.addWidget(buttons)
        layout.addLayout(bottom)
        self.setMinimumWidth(560)

    # -- input ---------------------------------------------------------------------------------
    def _browse(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, self.tr("Folder for the export"),
                                                  self.folder.text())
        if chosen:
            self.folder.setText(chosen)

    def _target(self) -> Path:
        """A new folder per export inside the chosen one (an export never overwrites one)."""
        stamp = local_now(self.db.clock, self.zone).strftime("%Y%m%d-%H%M%S")
        base = Path(self.folder.text().strip() or str(self.base_folder))
        target, n = base / f"export-{stamp}", 1
        while target.exists():
            n += 1
            target = base / f"export-{stamp}-{n}"
        return target

    def _english(self) -> bool:
        from app.ui.kit import i18n

        return i18n.installed_language() == "en"

    # -- running ---------------------------------------------------------------------------------
    def run_export(self) -> None:
        from app.services.exchange.export import ExportRequest, export_data

        first, last = pydate(self.date_from.date()), pydate(self.date_to.date())
        if last < first:
            self.status.setText(self.tr("The end date is before the start date."))
            return
        masked = not self.unmasked.isChecked()
        reason = self.reason.toPlainText().strip()
        if not masked and len(reason) < 4:
            self.status.setText(self.tr("Enter the reason for an unmasked export."))
            self.reason.setFocus()
            return
        req = ExportRequest(first, last, self.fmt.currentData(), self._target(),
                            masked=masked, reason=reason)
        db, actor = self.db, self.actor

        def work(ctx: OpContext) -> ExportResult:
            return export_data(db, actor, req, check=ctx.check_cancelled,
                               progress=ctx.progress)

        self.start.setEnabled(False)
        self.open_folder.setVisible(False)
        self.status.setText(self.tr("Exporting..."))
        self._handle = (QueryOp(self.runner, work, parent=self)
                        .success(self._done).failure(self._failed)
                        .with_progress(self.tr("Exporting..."))
                        .run_in_background())

    def _done(self, result: ExportResult) -> None:
        self.last_result = result
        self.start.setEnabled(True)
        rows = ", ".join(f"{self._dataset_name(f.dataset)} {f.rows}" for f in result.files)
        kind = self.tr("masked") if result.masked else self.tr("UNMASKED")
        self.status.setText(self.tr("Exported ({kind}) to {folder}: {rows}.").format(
            kind=kind, folder=str(result.directory), rows=rows))
        self.open_folder.setVisible(True)
        self.exported.emit(result)

    def _dataset_name(self, dataset: str) -> str:
        names = {"orders": self.tr("orders"), "intake": self.tr("intake log"),
                 "follow_ups": self.tr("follow-ups"), "shifts": self.tr("shifts"),
                 "complaints": self.tr("complaints"), "audit": self.tr("audit events")}
        return names.get(dataset, dataset)

    def _failed(self, failure: OpFailure) -> None:
        self.start.setEnabled(True)
        if failure.cancelled:
            self.status.setText(self.tr("Export cancelled; nothing was written."))
            return
        self.status.setText(_message(failure.exception, self._english()) or failure.message)

    def cancel_export(self) -> None:
        """Cancel an export under way (e.g. the window is closing): it leaves no files."""
        handle = self._handle
        if handle is not None and not handle.is_done():
            handle.cancel()

    def _open_folder(self) -> None:
        if self.last_result is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.last_result.directory)))
