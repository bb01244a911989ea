"""叫号 at the counter: call the next ticket (F12), show its number and how long it waited,
recall it, mark a no-show, or type the ticket from the customer's slip.

The queue system is asked on the write worker (`CollectionOp`: the call is followed by the
visit's row), never on the GUI thread; its timeout is a few seconds. A fault is one line here,
and the manual entry opens with it, so the clerk can still record the ticket. Which caller the
workstation has is read from devices.ini at each call (a change in the settings applies at
once). The counter window ends the visit when the wizard's "Finish: next customer" is pressed
(`visit_served`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QLabel,
    QPushButton,
    QWidget,
)

from app.clock import zone_of
from app.devices import config as device_config
from app.devices.queue import QueueCaller, QueueError, open_caller
from app.services.day.queue_times import mmss
from app.services.day.queue_visits import (
    VisitInfo,
    call_next,
    current_visit,
    finish_visit,
    recall_ticket,
    record_ticket,
    skip_ticket,
)
from app.ui.counter.queue_entry import QueueTicketDialog
from app.ui.day.common import failure_text, local_text
from app.ui.kit.op_failures import OpFailure
from app.ui.kit.operations import CollectionOp, QueryOp
from app.ui.shell.context import AppContext

CALL_KEY = "F12"
T = TypeVar("T")


class QueueCallPanel(QGroupBox):
    def __init__(self, ctx: AppContext, shortcut_host: QWidget,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("queuePanel")
        self.ctx = ctx
        self.actor = ctx.require_actor()
        self.visit: VisitInfo | None = None
        self.dialog: QueueTicketDialog | None = None
        self.busy = False
        self.ticket = QLabel("—", self)
        self.ticket.setObjectName("queueTicket")
        self.ticket.setStyleSheet("font-size: 22pt; font-weight: bold;")
        self.info = QLabel(self)
        self.info.setObjectName("queueInfo")
        self.info.setWordWrap(True)
        self.message = QLabel(self)
        self.message.setObjectName("queueMessage")
        self.message.setWordWrap(True)
        self.call_button = QPushButton(self)
        self.call_button.setObjectName("callNextButton")
        self.recall_button = QPushButton(self)
        self.recall_button.setObjectName("recallButton")
        self.skip_button = QPushButton(self)
        self.skip_button.setObjectName("noShowButton")
        self.type_button = QPushButton(self)
        self.type_button.setObjectName("typeTicketButton")
        for b in (self.call_button, self.recall_button, self.skip_button, self.type_button):
            b.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        grid = QGridLayout(self)
        grid.setContentsMargins(8, 14, 8, 8)
        grid.setHorizontalSpacing(6)
        grid.addWidget(self.ticket, 0, 0, 2, 1)
        grid.addWidget(self.info, 0, 1, 2, 3)
        grid.addWidget(self.call_button, 2, 0)
        grid.addWidget(self.recall_button, 2, 1)
        grid.addWidget(self.skip_button, 2, 2)
        grid.addWidget(self.type_button, 2, 3)
        grid.addWidget(self.message, 3, 0, 1, 4)
        grid.setColumnStretch(1, 1)
        self.shortcut = QShortcut(QKeySequence(CALL_KEY), shortcut_host)
        self.shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
        self.shortcut.activated.connect(self.call_next)
        self.call_button.clicked.connect(self.call_next)
        self.recall_button.clicked.connect(self.recall)
        self.skip_button.clicked.connect(self.no_show)
        self.type_button.clicked.connect(lambda: self.type_ticket(""))
        self.retranslate_ui()
        self.refresh()

    # -- texts ----------------------------------------------------------------------------------
    def retranslate_ui(self) -> None:
        self.setTitle(self.tr("Queue"))
        self.call_button.setText(self.tr("Call next  {key}").format(key=CALL_KEY))
        self.recall_button.setText(self.tr("Recall"))
        self.skip_button.setText(self.tr("No-show"))
        self.type_button.setText(self.tr("Type ticket..."))
        self._show(self.visit)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def _show(self, visit: VisitInfo | None) -> None:
        self.visit = visit
        serving = visit is not None and visit.status == "serving"
        self.recall_button.setEnabled(serving and visit is not None
                                      and visit.source != "manual")
        self.skip_button.setEnabled(serving)
        if visit is None or not serving:
            self.ticket.setText("—")
            self.info.setText(self.tr("Nobody called yet. Press {key} to call the next "
                                      "customer.").format(key=CALL_KEY))
            return
        self.ticket.setText(visit.ticket_no)
        waited = visit.waited_seconds
        lines = [self.tr("Waited {time}").format(time=mmss(waited)) if waited is not None
                 else self.tr("Waiting time unknown (no time of issue)"),
                 self.tr("Called at {time}").format(
                     time=local_text(visit.called_at, self.ctx.timezone, "%H:%M:%S"))]
        if visit.finished_at is not None:
            lines.append(self.tr("Visit ended at {time}").format(
                time=local_text(visit.finished_at, self.ctx.timezone, "%H:%M:%S")))
        if visit.service_hint:
            lines.append(visit.service_hint)
        self.info.setText("\n".join(lines))

    def _say(self, text: str, fault: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet("color: #b71c1c;" if fault else "")

    # -- operations -----------------------------------------------------------------------------
    def _caller(self) -> Callable[[], QueueCaller]:
        """Made on the worker from devices.ini (the hall's zone read here, on the GUI thread)."""
        zone = zone_of(self.ctx.timezone)
        return lambda: open_caller(device_config.load(), zone)

    def _write(self, job: Callable[[], T], done: Callable[[T], None],
               failed: Callable[[OpFailure], None] | None = None) -> None:
        if self.busy:
            return
        self.busy = True
        self.call_button.setEnabled(False)

        def finish() -> None:
            self.busy = False
            self.call_button.setEnabled(True)

        def ok(result: T) -> None:
            finish()
            done(result)

        def bad(failure: OpFailure) -> None:
            finish()
            (failed or self._failed)(failure)

        (CollectionOp(self.ctx.runner, lambda _c: job(), changes={"queue"}, parent=self)
         .success(ok).failure(bad).run_in_background())

    def refresh(self) -> None:
        """The visit being served at this counter (e.g. after the window was reopened)."""
        db, actor = self.ctx.db, self.actor
        (QueryOp(self.ctx.runner, lambda _c: current_visit(db, actor), parent=self)
         .success(self._show).failure(self._failed).run_in_background())

    def call_next(self) -> None:
        """F12: the queue system's next ticket; with no queue system, the typed ticket."""
        db, actor, make = self.ctx.db, self.actor, self._caller()
        self._say(self.tr("Calling..."))

        def job() -> VisitInfo | str | None:
            caller = make()  # a wrong setting: its sentence, then manual entry
            if caller.manual:
                return "manual"
            return call_next(db, actor, caller)

        self._write(job, self._called, self._call_failed)

    def _called(self, result: VisitInfo | str | None) -> None:
        if result == "manual":
            self._say("")
            self.type_ticket("")
        elif result is None:
            self._say(self.tr("Nobody is waiting."))
        elif isinstance(result, VisitInfo):
            self._say("")
            self._show(result)

    def _call_failed(self, failure: OpFailure) -> None:
        text = failure_text(failure)
        self._say(text, fault=True)
        exc = failure.exception
        if isinstance(exc, QueueError | device_config.DeviceConfigError):
            self.type_ticket(text)  # the clerk can still record the customer's ticket

    def type_ticket(self, fault: str = "") -> QueueTicketDialog:
        db, actor = self.ctx.db, self.actor
        dialog = QueueTicketDialog(self.ctx.runner,
                                   lambda number, issued: record_ticket(db, actor, number, issued),
                                   fault, self.window())
        self.dialog = dialog
        dialog.accepted.connect(lambda: self._typed(dialog))
        dialog.open()
        return dialog

    def _typed(self, dialog: QueueTicketDialog) -> None:
        self._say("")
        self._show(dialog.visit)

    def recall(self) -> None:
        db, actor, make = self.ctx.db, self.actor, self._caller()
        self._write(lambda: recall_ticket(db, actor, make()),
                    lambda v: self._say(self.tr("Ticket {ticket} called again.").format(
                        ticket=v.ticket_no)))

    def no_show(self) -> None:
        db, actor, make = self.ctx.db, self.actor, self._caller()
        self._write(lambda: skip_ticket(db, actor, make()), self._skipped)

    def _skipped(self, visit: VisitInfo) -> None:
        self._show(None)
        self._say(self.tr("Ticket {ticket} marked as a no-show.").format(ticket=visit.ticket_no))

    def visit_served(self) -> None:
        """"Finish: next customer": the visit's end (the next call starts the next one)."""
        if self.visit is None or self.visit.status != "serving":
            return
        db, actor = self.ctx.db, self.actor
        self._write(lambda: finish_visit(db, actor), self._show)

    def _failed(self, failure: OpFailure) -> None:
        self._say(failure_text(failure), fault=True)
