"""Supervisor → "Sync conflicts...": the hall's line conflicts (two changes of one line made at
two counters from the same version that cannot both hold) and the supervisor's decision.

The list is this workstation's copy, brought by each sync (`app.services.sync.conflicts`),
read on a worker. Deciding runs on a worker too: on the sync server (the authority for the
line), then a sync, so the decided line shows here at once; the core checks the role again
and records the decision in the audit log. Without a sync server set up the window only lists.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.security.masking import mask_mobile
from app.ui.kit import labels
from app.ui.kit.op_failures import OpFailure
from app.ui.kit.operations import CollectionOp, QueryOp
from app.ui.kit.theme import set_role
from app.ui.shell.context import AppContext

if TYPE_CHECKING:
    from app.services.sync.conflicts import ConflictView, Side
    from app.services.sync.conflicts.resolve import Decided, Keep
    from app.ui.counter.window import CounterWindow

RED, GREY = QColor("#c62828"), QColor("#757575")


def _in_ui_language(text: str) -> str:
    """The half of a "中文 / English" message in the language the window is shown in."""
    from app.ui.kit.i18n import installed_language

    zh, sep, en = text.partition(" / ")
    if not sep:
        return text
    return zh if (installed_language() or "zh_CN").startswith("zh") else en


class SyncConflictsWindow(QDialog):
    def __init__(self, ctx: AppContext, server_url: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("syncConflictsWindow")
        self.ctx = ctx
        self.actor = ctx.require_actor()
        if server_url is None:
            from app.ui.settings.counter import SYNC_SERVER_URL

            server_url = ctx.settings.get(SYNC_SERVER_URL) if ctx.db.is_sqlite else ""
        self.server_url = server_url
        self.rows: list[ConflictView] = []
        self._busy = False
        self.setWindowTitle(self.tr("Sync conflicts"))
        heading = QLabel(self.tr("Sync conflicts"))
        heading.setProperty("heading", True)
        hint = QLabel(self.tr(
            "Two counters changed the same line from the same version, and the changes cannot "
            "both hold. The server keeps the change that arrived first until you decide; the "
            "line takes no other change meanwhile. The order that does not take effect gets a "
            "follow-up (refund the fee or call the customer)."))
        hint.setProperty("hint", True)
        hint.setWordWrap(True)
        self.table = QTableWidget(0, 6)
        self.table.setObjectName("conflictTable")
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.table.setHorizontalHeaderLabels([
            self.tr("Conflict"), self.tr("Line"), self.tr("Status"),
            self.tr("Kept on the server"), self.tr("The other order"), self.tr("Found")])
        self.detail = QLabel()
        self.detail.setObjectName("conflictDetail")
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.note = QLineEdit()
        self.note.setObjectName("conflictNote")
        self.note.setPlaceholderText(self.tr("Why (kept with the decision), e.g. the customer "
                                             "confirmed the loss by phone"))
        self.keep_button = self._button("keepServer", self.tr("&Keep the server's version"),
                                        lambda: self.decide("server"))
        self.other_button = self._button("applyOther", self.tr("&Apply the other order"),
                                         lambda: self.decide("other"))
        self.refresh_button = self._button("refreshConflicts", self.tr("Re&fresh"), self.reload)
        self.close_button = self._button("closeConflicts", self.tr("Close"), self.close)
        set_role(self.keep_button, "primary")
        buttons = QHBoxLayout()
        for b in (self.keep_button, self.other_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.refresh_button)
        buttons.addWidget(self.close_button)
        self.status = QLabel()
        self.status.setObjectName("conflictStatus")
        self.status.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(hint)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.detail)
        layout.addWidget(self.note)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Refresh), self, self.reload)
        self.table.itemSelectionChanged.connect(self._selected)
        self.resize(1180, 600)
        ctx.settings.restore_geometry("sync_conflicts_window", self)
        self._update_buttons()
        if not self.server_url:
            self.show_status(self.tr("No sync server is set up: the list is shown, deciding "
                                     "needs the server (Settings → Sync)."))
        self.table.setFocus()
        self.reload()

    def _button(self, name: str, text: str, slot: Callable[[], object]) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.setAutoDefault(False)
        button.clicked.connect(slot)
        return button

    # -- the list ---------------------------------------------------------------------------------

    def reload(self) -> None:
        from app.services.sync.conflicts import all_conflicts

        db = self.ctx.db

        def read(_c: object) -> list[ConflictView]:
            with db.read() as s:
                return all_conflicts(s)

        (QueryOp(self.ctx.runner, read).success(self._show)
         .failure(lambda f: self.show_status(f.message, error=True)).run_in_background())

    def _side(self, x: Side) -> str:
        service = labels.service_name(self.ctx.catalog, x.service) if x.service else "-"
        return f"{x.order_no or '-'}\n{service} · {x.counter or '-'} · {x.clerk or '-'}"

    def _status_text(self, status: str) -> str:
        return {"open": self.tr("Awaiting the supervisor"),
                "kept_server": self.tr("Kept the server's version"),
                "applied_other": self.tr("Applied the other order")}.get(status, status)

    def _show(self, rows: list[ConflictView]) -> None:
        chosen = self.current()
        self.rows = rows
        self.table.setRowCount(len(rows))
        for i, v in enumerate(rows):
            found = labels.local_time(v.detected_at, self.ctx.timezone, "%m-%d %H:%M")
            values = [v.short_id, mask_mobile(v.line_number), self._status_text(v.status),
                      self._side(v.server), self._side(v.other), found]
            for col, value in enumerate(values):
                item = QTableWidgetItem(value)
                if v.status != "open":
                    item.setForeground(GREY)
                elif col == 2:
                    item.setForeground(RED)
                self.table.setItem(i, col, item)
        self.table.resizeRowsToContents()
        row = next((i for i, v in enumerate(rows) if chosen and v.uid == chosen.uid), 0)
        if rows:
            self.table.selectRow(row)
        else:
            self.detail.setText(self.tr("No line conflicts."))
        self._update_buttons()

    def _fields(self, names: tuple[str, ...] | list[str]) -> str:
        """The line's changed fields in the clerk's words, not column names."""
        words = {
            "status": self.tr("status"), "status_before_loss": self.tr("status before loss"),
            "package": self.tr("plan"), "sim_serial": self.tr("SIM card"),
            "payment": self.tr("payment type"), "balance_fen": self.tr("balance"),
            "arrears_fen": self.tr("arrears"), "points": self.tr("points"),
            "customer_id": self.tr("owner"), "number": self.tr("number"),
            "roaming_open": self.tr("roaming"),
            "roaming_prepayment_fen": self.tr("roaming prepayment"),
            "realname": self.tr("real-name registration"), "kind": self.tr("line type"),
            "contract_end": self.tr("contract end"), "vip": self.tr("VIP"),
            "blacklisted": self.tr("blacklist"), "prepaid_phase": self.tr("prepaid phase")}
        sep = _in_ui_language("、 / , ")
        return sep.join(words.get(n, n) for n in names) if names else self.tr("none")

    def current(self) -> ConflictView | None:
        row = self.table.currentRow()
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def _selected(self) -> None:
        v = self.current()
        if v is None:
            self.detail.clear()
        else:
            changed = self.tr("Server's change: {a}. Other change: {b}.").format(
                a=self._fields(v.server.changed), b=self._fields(v.other.changed))
            text = f"{_in_ui_language(v.reason)}\n{changed}"
            if v.status != "open":
                text += "\n" + self.tr("Decided by {who}; follow-up for {order}.").format(
                    who=v.resolved_by or "-", order=v.follow_up_order_no or "-")
                if v.resolution_note:
                    text += " " + v.resolution_note
            self.detail.setText(text)
        self._update_buttons()

    def _update_buttons(self) -> None:
        v = self.current()
        usable = v is not None and v.status == "open" and not self._busy and bool(self.server_url)
        self.keep_button.setEnabled(usable)
        self.other_button.setEnabled(usable)
        self.refresh_button.setEnabled(not self._busy)

    def show_status(self, text: str, *, error: bool = False) -> None:
        self.status.setStyleSheet("color: #c62828; font-weight: bold;" if error else "")
        self.status.setText(text)

    # -- deciding -----------------------------------------------------------------------------------

    def decide(self, keep: str) -> None:
        from app.services.sync.conflicts.resolve import decide_and_sync

        v = self.current()
        if v is None or v.status != "open" or self._busy or not self.server_url:
            return
        db, actor, url, note = self.ctx.db, self.actor, self.server_url, self.note.text()
        side: Keep = "server" if keep == "server" else "other"
        self._busy = True
        self._update_buttons()
        self.show_status(self.tr("Deciding on the server..."))
        (CollectionOp(self.ctx.runner,
                      lambda _c: decide_and_sync(db, url, v.uid, side, actor, note),
                      changes={"line", "sync"})
         .success(self._decided).failure(self._failed).run_in_background())

    def _decided(self, decided: Decided) -> None:
        self._busy = False
        self.note.clear()
        self.show_status(self.tr("Decided: {status}; a follow-up was recorded for {order}.")
                         .format(status=self._status_text(decided.view.status),
                                 order=decided.follow_up_order_no or "-"))
        self.reload()

    def _failed(self, failure: OpFailure) -> None:
        self._busy = False
        self._update_buttons()
        self.show_status(failure.message, error=True)


class SyncConflictsEntry(QObject):
    """The Supervisor menu's "Sync conflicts..." entry of the counter window."""

    def __init__(self, window: CounterWindow, menu: QMenu) -> None:
        super().__init__(window)
        self.window = window
        self.dialog: SyncConflictsWindow | None = None
        self.action = QAction(window)
        self.action.setObjectName("syncConflictsAction")
        self.action.triggered.connect(self.open)
        menu.addAction(self.action)
        window.installEventFilter(self)
        self.retranslate()

    def retranslate(self) -> None:
        self.action.setText(self.tr("Sync conflicts..."))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        return False

    def open(self) -> SyncConflictsWindow:
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.raise_()
            return self.dialog
        self.dialog = SyncConflictsWindow(self.window.ctx, parent=self.window)
        self.dialog.show()
        return self.dialog
