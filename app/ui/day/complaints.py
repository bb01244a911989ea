"""The complaint register (投诉登记): first-ask owner, promised answer time, the answer, the
follow-up visit (回访), hand-overs. Fault tickets with their restoration clock beside it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.db import Database
from app.services.day import registers
from app.services.day.hooks import hall_zone
from app.services.hall.registry import Actor
from app.ui.day.common import (
    ensure_error_messages,
    error_label,
    failure_text,
    local_text,
    show_error,
)
from app.ui.kit.op_failures import OpFailure
from app.ui.kit.op_runner import OpRunner
from app.ui.kit.operations import CollectionOp, QueryOp
from app.ui.kit.qt_time import instant_of, local_datetime_edit
from app.ui.kit.theme import set_role

LATE = QColor("#fde0e0")
STAMP = "%m-%d %H:%M"
PROMISE_HOURS = 48  # the answer promised by default


class _Form(QDialog):
    """A small form whose OK runs a core call on the write worker; errors stay in the form."""

    def __init__(self, title: str, runner: OpRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.setWindowTitle(title)
        self.layout_ = QVBoxLayout(self)
        self.form = QFormLayout()
        self.layout_.addLayout(self.form)
        self.error = error_label(self)
        self.layout_.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        set_role(self.ok, "primary")
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        self.layout_.addWidget(buttons)
        self.call: Callable[[], object] | None = None

    def submit(self) -> None:
        if self.call is None:
            return
        call = self.call
        self.ok.setEnabled(False)
        show_error(self.error, "")
        (CollectionOp(self.runner, lambda ctx: call(), changes={"complaint"}, parent=self)
         .success(lambda _r: self.accept()).failure(self._failed).run_in_background())

    def _failed(self, failure: OpFailure) -> None:
        self.ok.setEnabled(True)
        show_error(self.error, failure_text(failure))


class ComplaintRegisterView(QDialog):
    def __init__(self, runner: OpRunner, db: Database, actor: Actor,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        ensure_error_messages()
        self.runner, self.db, self.actor = runner, db, actor
        with db.read() as s:  # one cheap read: times are shown in the hall's zone
            self.zone = hall_zone(s, actor.hall_id)
        self.rows: list[registers.ComplaintRow] = []
        self.faults: list[registers.FaultRow] = []
        self.setObjectName("complaintRegister")
        self.setWindowTitle(self.tr("Complaint register"))
        self.resize(1100, 640)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.filter = QComboBox(self)
        self.filter.setObjectName("statusFilter")
        for code, text in (("", self.tr("All")), ("open", self.tr("Waiting for an answer")),
                           ("answered", self.tr("Waiting for the follow-up visit")),
                           ("closed", self.tr("Closed"))):
            self.filter.addItem(text, code)
        self.filter.currentIndexChanged.connect(self.load)
        top.addWidget(self.filter)
        top.addStretch(1)
        self.buttons: dict[str, QPushButton] = {}
        for key, text, slot in (("new", self.tr("New complaint…"), self.new_complaint),
                                ("answer", self.tr("Answer…"), self.answer),
                                ("callback", self.tr("Follow-up visit…"), self.callback),
                                ("handover", self.tr("Hand over…"), self.hand_over),
                                ("restore", self.tr("Service restored…"), self.restore)):
            button = QPushButton(text, self)
            button.setObjectName(f"{key}Button")
            button.clicked.connect(slot)
            self.buttons[key] = button
            top.addWidget(button)
        set_role(self.buttons["new"], "primary")
        layout.addLayout(top)
        self.tabs = QTabWidget(self)
        self.table = self._table([self.tr("Received"), self.tr("Order"), self.tr("Customer"),
                                  self.tr("Phone"), self.tr("Subject"), self.tr("Owner"),
                                  self.tr("Promised answer"), self.tr("Status"),
                                  self.tr("Follow-up visit")])
        self.fault_table = self._table([self.tr("Reported"), self.tr("Order"), self.tr("Line"),
                                        self.tr("Fault"), self.tr("Deadline"), self.tr("Owner"),
                                        self.tr("Status")])
        self.tabs.addTab(self.table, self.tr("Complaints"))
        self.tabs.addTab(self.fault_table, self.tr("Fault tickets"))
        self.tabs.currentChanged.connect(self._update_buttons)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.fault_table.itemSelectionChanged.connect(self._update_buttons)
        layout.addWidget(self.tabs, 1)
        self.error = error_label(self)
        layout.addWidget(self.error)
        self.load()

    def _table(self, headers: list[str]) -> QTableWidget:
        table = QTableWidget(0, len(headers), self)
        table.setHorizontalHeaderLabels(headers)
        table.verticalHeader().hide()
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table.horizontalHeader().setStretchLastSection(True)
        return table

    # -- loading ---------------------------------------------------------------------------------
    def load(self) -> None:
        db, status = self.db, self.filter.currentData() or None
        (QueryOp(self.runner, lambda ctx: (registers.list_complaints(db, status=status),
                                           registers.list_faults(db)), parent=self)
         .success(self._loaded).failure(self._failed).run_in_background())

    def _loaded(self, result: tuple[list[registers.ComplaintRow],
                                    list[registers.FaultRow]]) -> None:
        self.rows, self.faults = result
        status = {"open": self.tr("waiting for an answer"),
                  "answered": self.tr("waiting for the visit"), "closed": self.tr("closed"),
                  "voided": self.tr("voided")}
        self.table.setRowCount(len(self.rows))
        for r, c in enumerate(self.rows):
            visit = c.callback_result or (local_text(c.callback_due_at, self.zone, STAMP)
                                          if c.callback_due_at else "")
            cells = [local_text(c.received_at, self.zone, STAMP), c.order_no, c.customer_name,
                     c.contact_phone, c.subject, c.owner,
                     local_text(c.promised_at, self.zone, STAMP),
                     status.get(c.status, c.status), visit]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c.overdue:
                    item.setBackground(QBrush(LATE))
                self.table.setItem(r, col, item)
        fault_status = {"open": self.tr("open"), "restored": self.tr("restored"),
                        "voided": self.tr("voided")}
        kinds = {"ordinary": self.tr("ordinary (12 h)"), "cable_cut": self.tr("cable cut (24 h)")}
        self.fault_table.setRowCount(len(self.faults))
        for r, f in enumerate(self.faults):
            cells = [local_text(f.reported_at, self.zone, STAMP), f.order_no, f.line_number,
                     kinds.get(f.fault_type, f.fault_type),
                     local_text(f.deadline_at, self.zone, STAMP),
                     f.owner, fault_status.get(f.status, f.status)]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if f.overdue:
                    item.setBackground(QBrush(LATE))
                self.fault_table.setItem(r, col, item)
        self._update_buttons()

    def _failed(self, failure: OpFailure) -> None:
        show_error(self.error, failure_text(failure))

    def selected(self) -> registers.ComplaintRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.rows[rows[0].row()] if rows and self.tabs.currentIndex() == 0 else None

    def selected_fault(self) -> registers.FaultRow | None:
        rows = self.fault_table.selectionModel().selectedRows()
        return self.faults[rows[0].row()] if rows and self.tabs.currentIndex() == 1 else None

    def _update_buttons(self) -> None:
        c, f = self.selected(), self.selected_fault()
        self.buttons["answer"].setEnabled(c is not None and c.status == "open")
        self.buttons["callback"].setEnabled(c is not None and c.status == "answered")
        self.buttons["handover"].setEnabled((c is not None and c.status in ("open", "answered"))
                                            or (f is not None and f.status == "open"))
        self.buttons["restore"].setEnabled(f is not None and f.status == "open")

    def _run(self, form: _Form) -> _Form:
        form.finished.connect(lambda code: self.load() if code else None)
        form.open()
        return form

    # -- actions ---------------------------------------------------------------------------------
    def new_complaint(self) -> _Form:
        form = _Form(self.tr("New complaint"), self.runner, self)
        name, phone, line, subject = (QLineEdit(form) for _ in range(4))
        description = QPlainTextEdit(form)
        promised = local_datetime_edit(self.db.clock.now() + timedelta(hours=PROMISE_HOURS),
                                       self.zone, form)
        promised.setDisplayFormat("yyyy-MM-dd HH:mm")
        promised.setCalendarPopup(True)
        for label, widget in ((self.tr("Customer"), name), (self.tr("Contact phone"), phone),
                              (self.tr("Line concerned"), line), (self.tr("Subject"), subject),
                              (self.tr("Description"), description),
                              (self.tr("Promised answer"), promised)):
            form.form.addRow(label, widget)
        name.setObjectName("complaintName")
        subject.setObjectName("complaintSubject")
        description.setObjectName("complaintDescription")
        db, actor = self.db, self.actor
        form.call = lambda: registers.register_complaint(
            db, actor, customer_name=name.text(), subject=subject.text(),
            description=description.toPlainText(), contact_phone=phone.text(),
            line_number=line.text(),
            promised_at=instant_of(promised))
        return self._run(form)

    def answer(self) -> _Form | None:
        c = self.selected()
        if c is None:
            return None
        form = _Form(self.tr("Answer complaint: %1").replace("%1", c.subject), self.runner, self)
        text = QPlainTextEdit(form)
        text.setObjectName("answerText")
        form.form.addRow(self.tr("Answer given"), text)
        db, actor = self.db, self.actor
        form.call = lambda: registers.answer_complaint(db, actor, c.id, text.toPlainText())
        return self._run(form)

    def callback(self) -> _Form | None:
        c = self.selected()
        if c is None:
            return None
        form = _Form(self.tr("Follow-up visit: %1").replace("%1", c.subject), self.runner, self)
        result = QComboBox(form)
        result.setObjectName("callbackResult")
        for code, zh in registers.CALLBACK_RESULTS.items():
            result.addItem(zh, code)
        note = QLineEdit(form)
        form.form.addRow(self.tr("Result"), result)
        form.form.addRow(self.tr("Note"), note)
        db, actor = self.db, self.actor
        form.call = lambda: registers.record_callback(db, actor, c.id, result.currentData(),
                                                      note.text())
        return self._run(form)

    def hand_over(self) -> _Form | None:
        c, f = self.selected(), self.selected_fault()
        if c is None and f is None:
            return None
        subject, subject_id = ("complaint", c.id) if c else ("fault", f.id if f else 0)
        form = _Form(self.tr("Hand over"), self.runner, self)
        to = QLineEdit(form)
        to.setObjectName("handoverTo")
        note = QLineEdit(form)
        note.setObjectName("handoverReason")
        form.form.addRow(self.tr("To staff no."), to)
        form.form.addRow(self.tr("Reason"), note)  # required by the core
        db, actor = self.db, self.actor
        form.call = lambda: registers.hand_over(db, actor, subject, subject_id, to.text(),
                                                note.text())
        return self._run(form)

    def restore(self) -> _Form | None:
        f = self.selected_fault()
        if f is None:
            return None
        form = _Form(self.tr("Service restored: %1").replace("%1", f.order_no), self.runner,
                     self)
        note = QLineEdit(form)
        form.form.addRow(self.tr("What was done"), note)
        db, actor = self.db, self.actor
        form.call = lambda: registers.restore_fault(db, actor, f.id, note.text())
        return self._run(form)


def complaint_register_view(parent: QWidget | None, runner: OpRunner, db: Database,
                            actor: Actor) -> ComplaintRegisterView:
    view = ComplaintRegisterView(runner, db, actor, parent)
    view.setWindowFlag(Qt.WindowType.Window)
    view.show()
    return view
