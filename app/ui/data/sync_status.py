"""The status-bar sync widget: when sync last worked, how many changes wait, and what went
wrong; it syncs in the background on a timer and when clicked.

`SyncStatusWidget(runner, db, server_url)` runs `SyncClient.run` as a read operation on the
worker pool (sync's own local writes are short transactions, so the counter keeps recording
orders meanwhile). After a success the next sync comes after `interval_s`; while the server
is away, after a growing pause (`backoff_delay`: 2 s, 4 s ... 5 min). The counter works the
same with or without the server; the widget only says so.

`BackupTimer(runner, db)` checks every few minutes whether the day's backup is due
(`run_scheduled_backup`) and makes it in the background.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QWidget

from app.clock import zone_of
from app.ui.kit.op_failures import OpFailure
from app.ui.kit.op_runner import OpRunner
from app.ui.kit.operations import OpContext, OpHandle, QueryOp

if TYPE_CHECKING:
    from app.db import Database
    from app.services.exchange.backup import BackupPolicy, BackupResult
    from app.services.sync.run import SyncClient, SyncReport
    from app.services.sync.state import SyncStatus

_COLORS = {"ok": "#2e7d32", "waiting": "#8d6e00", "error": "#c62828", "off": "#607d8b"}


class SyncStatusWidget(QWidget):
    """Emits `synced(SyncReport)` after each successful sync."""

    synced = Signal(object)

    def __init__(self, runner: OpRunner, db: Database, server_url: str,
                 parent: QWidget | None = None, *, interval_s: float = 300.0,
                 origin: str | None = None, start: bool = True,
                 zone: str | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("syncStatus")
        self.runner, self.db, self.server_url = runner, db, server_url
        self.zone = zone_of(zone)  # the hall's, for the time of the last sync
        self.interval_s, self.origin = interval_s, origin
        self.status: SyncStatus | None = None
        self._client: SyncClient | None = None
        self._running = False
        self._stopped = False
        self._handle: OpHandle | None = None
        self._failures = 0  # in a row, for the pause before the next try
        self.dot = QLabel("●")
        self.dot.setObjectName("syncDot")
        self.text = QLabel(self.tr("Sync: not yet"))
        self.text.setObjectName("syncText")
        self.button = QToolButton()
        self.button.setObjectName("syncNow")
        self.button.setText(self.tr("Sync now"))
        self.button.clicked.connect(self.sync_now)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 0)
        layout.addWidget(self.dot)
        layout.addWidget(self.text)
        layout.addWidget(self.button)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.sync_now)
        self._paint("off")
        self.refresh()
        if start:
            self.timer.start(2000)  # soon after start-up, not during it

    # -- showing ---------------------------------------------------------------------------------
    def _paint(self, state: str) -> None:
        self.dot.setStyleSheet(f"color: {_COLORS[state]};")
        self.setProperty("syncState", state)

    def refresh(self) -> None:
        """Read the stored status (cheap) and show it."""
        from app.services.sync.state import read_status

        db = self.db
        (QueryOp(self.runner, lambda _c: read_status(db))
         .success(self._show).failure(lambda _f: None).run_in_background())

    def _show(self, status: SyncStatus) -> None:
        if self._stopped:  # removed meanwhile (the server setting changed, or log-out)
            return
        self.status = status
        waiting = status.waiting
        if status.last_error:
            self._paint("error")
            when = self._next_text()
            self.text.setText(self.tr("Sync failed, {waiting} waiting{when}").format(
                waiting=waiting, when=when))
        elif status.last_success is None:
            self._paint("off")
            self.text.setText(self.tr("Not synced yet, {waiting} waiting").format(
                waiting=waiting))
        else:
            self._paint("waiting" if waiting else "ok")
            local = status.last_success.astimezone(self.zone).strftime("%H:%M")
            self.text.setText(self.tr("Synced {time}, {waiting} waiting").format(
                time=local, waiting=waiting))
        tip = [self.tr("Server: {server}").format(server=status.server or "-")]
        if status.issues:
            tip.append(self.tr("{n} sync issue(s) to look at").format(n=status.issues))
        if status.last_error:
            tip.append(status.last_error)
        self.setToolTip("\n".join(tip))

    def _next_text(self) -> str:
        if not self.timer.isActive():
            return ""
        seconds = max(1, self.timer.remainingTime() // 1000)
        return self.tr(", retry in {s} s").format(s=seconds)

    # -- syncing ---------------------------------------------------------------------------------
    def sync_now(self) -> None:
        if self._running or self._stopped:
            return
        self._running = True
        self.timer.stop()
        self.button.setEnabled(False)
        self.text.setText(self.tr("Syncing..."))

        def work(ctx: OpContext) -> SyncReport:
            from app.services.sync.run import SyncClient

            try:
                if self._client is None:
                    self._client = SyncClient(self.db, self.server_url, origin=self.origin)
                return self._client.run(check=ctx.check_cancelled)
            finally:
                if self._stopped:  # stopped meanwhile: let go of the server here
                    self._close_client()

        self._handle = (QueryOp(self.runner, work).success(self._done).failure(self._failed)
                        .run_in_background())

    def _done(self, report: SyncReport) -> None:
        self._running = False
        if self._stopped:
            self._close_client()
            return
        self._failures = 0
        self.button.setEnabled(True)
        self.timer.start(int(self.interval_s * 1000))
        if report.pulled:
            self.runner.changes.notify({"customer", "line"})
        self.synced.emit(report)
        self.refresh()

    def _failed(self, failure: OpFailure) -> None:
        from app.services.sync.run import backoff_delay

        self._running = False
        if self._stopped:
            self._close_client()
            return
        self.button.setEnabled(True)
        if failure.cancelled:
            return
        self._failures += 1
        self.timer.start(int(max(1.0, backoff_delay(self._failures)) * 1000))
        self.refresh()

    @property
    def running(self) -> bool:
        return self._running

    def stop(self) -> None:
        """Stop syncing for good (at log-out or shutdown): the timer stops, a sync under way is
        cancelled at its next check, and the server connection is let go, now or when that
        sync returns (never while it is still using it)."""
        self._stopped = True
        self.timer.stop()
        if self._running and self._handle is not None:
            self._handle.cancel()
        else:
            self._close_client()

    def _close_client(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            client.close()


class BackupTimer(QObject):
    """Makes the day's backup in the background once it is due; emits `backed_up`."""

    backed_up = Signal(object)
    failed = Signal(str)

    def __init__(self, runner: OpRunner, db: Database, policy: BackupPolicy | None = None,
                 parent: QObject | None = None, *, every_s: float = 600.0) -> None:
        super().__init__(parent)
        self.runner, self.db, self.policy = runner, db, policy
        self.last_check: datetime | None = None
        self._busy = False
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.check)
        self.timer.start(int(every_s * 1000))

    def check(self) -> None:
        if self._busy:
            return
        self._busy = True
        from app.services.exchange.backup import run_scheduled_backup

        db, policy = self.db, self.policy

        def work(_ctx: OpContext) -> BackupResult | None:
            return run_scheduled_backup(db, policy)

        (QueryOp(self.runner, work).success(self._done).failure(self._failed)
         .run_in_background())

    def _done(self, result: Any) -> None:
        self._busy = False
        self.last_check = self.db.clock.now()
        if result is not None:
            self.backed_up.emit(result)

    def _failed(self, failure: OpFailure) -> None:
        self._busy = False
        self.failed.emit(failure.message)

    def stop(self) -> None:
        """No more checks (a backup under way finishes: the copy is checked before it is kept)."""
        self.timer.stop()
