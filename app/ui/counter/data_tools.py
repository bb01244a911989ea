"""The counter window's data housekeeping: exporting, backups and the sync status.

Kept out of `CounterWindow` (layout and wiring only):

- **Export data...** opens `ExportDialog` for the roles that answer for the hall's figures
  (signing off the day, or exporting unmasked data: supervisors and managers); masked is the
  default, unmasked is offered only with `Permission.EXPORT_UNMASKED`, and
  `app.services.exchange.export.export_data` checks that permission again.
- **Back up now** runs `make_backup` on a worker and names the file; `BackupTimer` makes the
  day's backup by itself. Both only for a SQLite workstation database (a server is backed up
  with pg_dump), into the ``backups`` folder beside it unless ``COUNTER_BACKUP_DIR`` says
  otherwise.
- `SyncStatusWidget` sits in the status bar while the setting ``sync/server_url`` names the
  hall's server; it is rebuilt when the setting changes and hidden when it is emptied.

`stop()` (the window closing) stops both timers and cancels a sync or export under way, so no
work of this window outlives it.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QMenu, QMessageBox

from app.security import Permission, has_permission
from app.ui.kit.op_failures import OpFailure
from app.ui.kit.operations import QueryOp
from app.ui.settings.counter import SYNC_SERVER_URL
from app.ui.shell.errors import pick

if TYPE_CHECKING:
    from app.services.exchange.backup import BackupPolicy, BackupResult
    from app.ui.data.export_dialog import ExportDialog
    from app.ui.data.sync_status import BackupTimer, SyncStatusWidget
    from app.ui.shell.context import AppContext

logger = logging.getLogger(__name__)

BACKUP_CHECK_S = 600.0  # how often the timer looks whether the day's backup is due


def may_export(role: str) -> bool:
    return (has_permission(role, Permission.DAY_SIGNOFF)
            or has_permission(role, Permission.EXPORT_UNMASKED))


class DataTools(QObject):
    """Owns the export dialog, the backup timer and the sync widget of one counter window."""

    def __init__(self, ctx: AppContext, window: QMainWindow) -> None:
        super().__init__(window)
        self.ctx, self.window = ctx, window
        self.actor = ctx.require_actor()
        self.export_dialog: ExportDialog | None = None
        self.sync_widget: SyncStatusWidget | None = None
        self.backup_timer: BackupTimer | None = None
        self.box: QMessageBox | None = None
        self.backing_up = False
        self._stopped = False

        self.act_export = QAction(self)
        self.act_export.setObjectName("actExport")
        self.act_export.triggered.connect(self.open_export)
        self.act_export.setVisible(may_export(self.actor.role))
        self.act_backup = QAction(self)
        self.act_backup.setObjectName("actBackup")
        self.act_backup.triggered.connect(self.backup_now)
        self.act_backup.setVisible(ctx.db.is_sqlite)
        self.start_backups()
        self.setup_sync()

    def fill_menu(self, menu: QMenu) -> None:
        menu.addAction(self.act_export)
        menu.addAction(self.act_backup)
        menu.menuAction().setVisible(self.act_export.isVisible() or self.act_backup.isVisible())

    def retranslate_ui(self) -> None:
        self.act_export.setText(self.tr("Export data..."))
        self.act_backup.setText(self.tr("Back up now"))
        self.act_backup.setToolTip(self.tr("Copy the database into the backups folder now"))

    # -- export -----------------------------------------------------------------------------------

    def open_export(self) -> ExportDialog | None:
        if not may_export(self.actor.role):  # the menu is hidden too; a shortcut must not pass
            self._box(QMessageBox.Icon.Warning, self.tr("Export data"),
                      self.tr("Only a supervisor or the hall manager may export the hall's data."),
                      "exportRefusedBox")
            return None
        from app.ui.data.export_dialog import ExportDialog

        dialog = self.export_dialog
        if dialog is None:
            dialog = ExportDialog(self.ctx.runner, self.ctx.db, self.actor, self.window,
                                  today=self.ctx.business_date(), zone=self.ctx.timezone)
            self.export_dialog = dialog
        dialog.open()
        dialog.raise_()
        return dialog

    # -- backups ----------------------------------------------------------------------------------

    def _policy(self) -> BackupPolicy:
        from app.services.exchange.backup import BackupError, BackupPolicy

        try:
            return BackupPolicy.from_env(self.ctx.timezone)
        except BackupError:  # a bad COUNTER_BACKUP_* value: back up by the defaults all the same
            logger.exception("backup settings in the environment are invalid")
            return BackupPolicy(timezone=self.ctx.timezone)

    def start_backups(self) -> None:
        if not self.ctx.db.is_sqlite:
            return
        from app.ui.data.sync_status import BackupTimer

        self.backup_timer = BackupTimer(self.ctx.runner, self.ctx.db, self._policy(), self,
                                        every_s=BACKUP_CHECK_S)
        self.backup_timer.backed_up.connect(self._scheduled_backup_done)
        self.backup_timer.failed.connect(self._scheduled_backup_failed)

    def _scheduled_backup_done(self, result: BackupResult) -> None:
        self._status(self.tr("The day's backup was made: {path}").format(path=str(result.path)))

    def _scheduled_backup_failed(self, message: str) -> None:
        logger.error("the day's backup failed: %s", message)
        self._status(self.tr("The day's backup failed: {message}").format(message=message))

    def backup_now(self) -> None:
        if self.backing_up or not self.ctx.db.is_sqlite:
            return
        from app.services.exchange.backup import make_backup

        db, folder = self.ctx.db, self._policy().folder
        self.backing_up = True
        self.act_backup.setEnabled(False)
        self._status(self.tr("Backing up..."))
        (QueryOp(self.ctx.runner, lambda _c: make_backup(db, folder))
         .success(self._backup_done).failure(self._backup_failed).run_in_background())

    def _backup_over(self) -> bool:
        self.backing_up = False
        self.act_backup.setEnabled(True)
        return not self._stopped

    def _backup_done(self, result: BackupResult) -> None:
        if not self._backup_over():
            return
        size = f"{result.bytes / 1_048_576:.1f} MB"
        self._status(self.tr("Backup made: {path}").format(path=str(result.path)))
        self._box(QMessageBox.Icon.Information, self.tr("Backup made"), self.tr(
            "The database was copied and checked:\n{path}\n({size})").format(
            path=str(result.path), size=size), "backupDoneBox")

    def _backup_failed(self, failure: OpFailure) -> None:
        if not self._backup_over():
            return
        exc = failure.exception
        zh, en = getattr(exc, "zh", None), getattr(exc, "en", None)
        message = pick(zh, en or zh) if zh else failure.message
        self._status("")
        self._box(QMessageBox.Icon.Warning, self.tr("Backup failed"), message, "backupFailedBox")

    # -- sync ---------------------------------------------------------------------------------------

    def setup_sync(self) -> None:
        """Show the sync status for the configured server; none (hidden) without one."""
        url = self.ctx.settings.get(SYNC_SERVER_URL) if self.ctx.db.is_sqlite else ""
        current = self.sync_widget
        if current is not None and current.server_url == url:
            return
        if current is not None:
            current.stop()
            current.hide()
            self.window.statusBar().removeWidget(current)
            current.deleteLater()
            self.sync_widget = None
        if not url or self._stopped:
            return
        from app.ui.data.sync_status import SyncStatusWidget

        widget = SyncStatusWidget(self.ctx.runner, self.ctx.db, url, self.window,
                                  zone=self.ctx.timezone)
        widget.setContentsMargins(0, 0, 20, 0)  # apart from the shift state beside it
        self.window.statusBar().insertPermanentWidget(0, widget)
        widget.show()
        self.sync_widget = widget

    # -- closing ------------------------------------------------------------------------------------

    def stop(self) -> None:
        self._stopped = True
        if self.backup_timer is not None:
            self.backup_timer.stop()
        if self.sync_widget is not None:
            self.sync_widget.stop()
        if self.export_dialog is not None:
            self.export_dialog.cancel_export()
            self.export_dialog.close()

    # -- telling ------------------------------------------------------------------------------------

    def _status(self, text: str) -> None:
        if text:
            self.window.statusBar().showMessage(text, 15_000)
        else:
            self.window.statusBar().clearMessage()

    def _box(self, icon: QMessageBox.Icon, title: str, text: str, name: str) -> None:
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, self.window)
        box.setObjectName(name)
        self.box = box  # kept for the tests; the next one replaces it
        box.open()
