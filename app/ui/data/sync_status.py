"""The status-bar sync widget: when sync last worked, what it moved up and down, how much waits
and since when, and what went wrong; it syncs in the background on a timer and when clicked,
with its progress in the text and the button turned into Cancel while it runs.

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
    """Emits `synced(SyncReport)` after each successful sync.

    Briefly: when sync last worked, what it moved up and down, what waits and since when,
    orders the server refused and conflicts waiting; the rest in the tooltip. While a sync
    runs the text shows its progress and the button cancels it."""

    synced = Signal(object)

    def __init__(self, runner: OpRunner, db: Database, server_url: str,
                 parent: QWidget | None = None, *, interval_s: float = 300.0,
                 origin: str | None = None, start: bool = True,
                 zone: str | None = None, push_rows: int | None = None,
                 sslmode: str | None = None, ca_file: str | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("syncStatus")
        self.push_rows = push_rows  # changes per server transaction (None: sync's default)
        # TLS for a server that is not this machine (None: COUNTER_SYNC_SSLMODE / _CA_FILE)
        self.sslmode, self.ca_file = sslmode, ca_file
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
        self.button.clicked.connect(self._button_clicked)
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

    def _age(self, since: datetime) -> str:
        minutes = max(0, int((self.db.clock.now() - since).total_seconds() // 60))
        if minutes < 60:
            return self.tr("{m} min").format(m=minutes)
        hours, minutes = divmod(minutes, 60)
        if hours < 48:
            return self.tr("{h} h {m} min").format(h=hours, m=minutes)
        return self.tr("{d} d {h} h").format(d=hours // 24, h=hours % 24)

    def _waiting_text(self, status: SyncStatus) -> str:
        if status.oldest_unsynced is None:
            return self.tr("{waiting} waiting").format(waiting=status.waiting)
        return self.tr("{waiting} waiting, oldest {age}").format(
            waiting=status.waiting, age=self._age(status.oldest_unsynced))

    def _show(self, status: SyncStatus) -> None:
        if self._stopped or self._running:  # removed meanwhile, or a sync shows its progress
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
            self._paint("error" if status.refused else "waiting" if waiting else "ok")
            local = status.last_success.astimezone(self.zone).strftime("%H:%M")
            parts = [self.tr("Synced {time}").format(time=local),
                     self.tr("↑{up} ↓{down}").format(up=sum(status.pushed.values()),
                                                     down=sum(status.pulled.values())),
                     self._waiting_text(status)]
            if status.refused:
                parts.append(self.tr("{n} order(s) not synced").format(n=status.refused))
            if status.conflicts:
                parts.append(self.tr("{n} conflict(s) waiting").format(n=status.conflicts))
            self.text.setText(" · ".join(parts))
        tip = [self.tr("Server: {server}").format(server=status.server or "-")]
        if status.pushed or status.pulled:
            tip.append(self.tr("Last sync: up {up}; down {down}").format(
                up=_per_table(status.pushed), down=_per_table(status.pulled)))
        if status.oldest_unsynced is not None:
            tip.append(self._waiting_text(status))
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
    def _button_clicked(self) -> None:
        if self._running:
            self.cancel()
        else:
            self.sync_now()

    def sync_now(self) -> None:
        if self._running or self._stopped:
            return
        self._running = True
        self.timer.stop()
        self.button.setText(self.tr("Cancel"))
        self.text.setText(self.tr("Syncing..."))

        def work(ctx: OpContext) -> SyncReport:
            from app.services.sync.run import SyncClient

            try:
                if self._client is None:
                    from app.services.sync.run import PUSH_ROWS

                    self._client = SyncClient(self.db, self.server_url, origin=self.origin,
                                              push_rows=self.push_rows or PUSH_ROWS,
                                              sslmode=self.sslmode, ca_file=self.ca_file)
                return self._client.run(check=ctx.check_cancelled, progress=ctx.progress)
            finally:
                if self._stopped:  # stopped meanwhile: let go of the server here
                    self._close_client()

        self._handle = (QueryOp(self.runner, work).success(self._done).failure(self._failed)
                        .run_in_background())
        self._handle.progress.connect(self._progress)

    def _progress(self, done: int, total: int) -> None:
        if self._running and total > 0:
            self.text.setText(self.tr("Syncing... {percent}%").format(
                percent=min(100, done * 100 // total)))

    def cancel(self) -> None:
        """Stop the sync under way at its next check (between two batches: what went up
        stays up, the rest waits for the next sync)."""
        if self._running and self._handle is not None:
            self._handle.cancel()
            self.button.setEnabled(False)

    def _idle_again(self) -> None:
        self._running = False
        self.button.setText(self.tr("Sync now"))
        self.button.setEnabled(True)

    def _done(self, report: SyncReport) -> None:
        self._idle_again()
        if self._stopped:
            self._close_client()
            return
        self._failures = 0
        self.timer.start(int(self.interval_s * 1000))
        if report.pulled:
            self.runner.changes.notify({"customer", "line"})
        self.synced.emit(report)
        self.refresh()

    def _failed(self, failure: OpFailure) -> None:
        from app.services.sync.run import backoff_delay

        self._idle_again()
        if self._stopped:
            self._close_client()
            return
        if failure.cancelled:  # the clerk's choice: the usual schedule, no error shown
            self.timer.start(int(self.interval_s * 1000))
            self.refresh()
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


def _per_table(counts: dict[str, int]) -> str:
    return ", ".join(f"{k} {v}" for k, v in sorted(counts.items()) if v) or "0"


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
