"""The small forms of 我的待办: close an item with its result, hand it over (to whom, why), and
an item's hand-over history. Each write runs on the write worker; the core's refusal (not the
owner, text missing, already closed) stays in the form as one sentence."""

from __future__ import annotations

from collections.abc import Callable
from zoneinfo import ZoneInfo

import shiboken6
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.services.day import registers, todo
from app.ui.day.common import error_label, failure_text, local_text, show_error
from app.ui.kit.op_failures import OpFailure
from app.ui.kit.operations import CollectionOp, QueryOp
from app.ui.kit.theme import set_role
from app.ui.shell.context import AppContext

# What a write here announces on the change bus: the status bar's count and the lists reload.
TODO_CHANGES = frozenset({"todo", "complaint", "follow_up"})
STAMP = "%Y-%m-%d %H:%M"


class TodoForm(QDialog):
    """OK runs `call` on the write worker; the dialog closes on success only."""

    def __init__(self, ctx: AppContext, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(title)
        layout = QVBoxLayout(self)
        self.heading = QLabel(self)
        self.heading.setWordWrap(True)
        layout.addWidget(self.heading)
        self.form = QFormLayout()
        layout.addLayout(self.form)
        self.error = error_label(self)
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setObjectName("todoFormOk")
        set_role(self.ok, "primary")
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.call: Callable[[], object] | None = None
        self.resize(520, 300)

    def submit(self) -> None:
        if self.call is None or not self.ok.isEnabled():
            return
        call = self.call
        self.ok.setEnabled(False)
        show_error(self.error, "")
        (CollectionOp(self.ctx.runner, lambda _c: call(), changes=TODO_CHANGES, parent=self)
         .success(lambda _r: self._done()).failure(self._failed).run_in_background())

    def _done(self) -> None:
        if shiboken6.isValid(self):
            self.accept()

    def _failed(self, failure: OpFailure) -> None:
        if shiboken6.isValid(self):
            self.ok.setEnabled(True)
            show_error(self.error, failure_text(failure))


def _describe(item: todo.TodoItem, zone: ZoneInfo | str) -> str:
    due = local_text(item.due_at, zone, STAMP) if item.due_at else ""
    parts = [item.title, item.order_no, item.line_number, due]
    return " · ".join(p for p in parts if p)


class CloseForm(TodoForm):
    """Close with a result: the result text is required; a complaint's follow-up visit also
    takes the customer's verdict."""

    def __init__(self, ctx: AppContext, item: todo.TodoItem, zone: ZoneInfo | str,
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, self.tr("Close with a result"), parent)
        self.setObjectName("todoCloseForm")
        self.heading.setText(_describe(item, zone))
        self.verdict: QComboBox | None = None
        if item.stage == "callback":
            self.verdict = QComboBox(self)
            self.verdict.setObjectName("callbackResult")
            for code, zh in registers.CALLBACK_RESULTS.items():
                self.verdict.addItem(zh, code)
            self.form.addRow(self.tr("Customer's verdict"), self.verdict)
        self.result_text = QPlainTextEdit(self)
        self.result_text.setObjectName("todoResult")
        self.result_text.setTabChangesFocus(True)
        self.result_text.setPlaceholderText({
            "answer": self.tr("The answer given to the customer"),
            "callback": self.tr("What the customer said on the follow-up visit"),
            "restore": self.tr("What was done to restore service"),
        }.get(item.stage, self.tr("What was done")))
        self.form.addRow(self.tr("Result"), self.result_text)
        db, actor, verdict = ctx.db, ctx.require_actor(), self.verdict
        self.call = lambda: todo.close_item(
            db, actor, item.kind, item.id, self.result_text.toPlainText(),
            callback_result=verdict.currentData() if verdict is not None else None)
        self.result_text.setFocus()


class HandoverForm(TodoForm):
    """Hand over to a colleague (chosen from the hall's serving staff), with the reason."""

    def __init__(self, ctx: AppContext, item: todo.TodoItem, zone: ZoneInfo | str,
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, self.tr("Hand over"), parent)
        self.setObjectName("todoHandoverForm")
        self.heading.setText(_describe(item, zone))
        self.to = QComboBox(self)
        self.to.setObjectName("handoverTo")
        self.reason = QLineEdit(self)
        self.reason.setObjectName("handoverReason")
        self.reason.setMaxLength(500)
        self.form.addRow(self.tr("To"), self.to)
        self.form.addRow(self.tr("Reason"), self.reason)
        self.ok.setEnabled(False)  # until the colleagues are there
        db, actor = ctx.db, ctx.require_actor()
        self.call = lambda: todo.hand_over_item(db, actor, item.kind, item.id,
                                                str(self.to.currentData() or ""),
                                                self.reason.text())
        owner = item.owner_no

        def loaded(people: list[tuple[str, str]]) -> None:
            if not shiboken6.isValid(self):
                return
            for staff_no, name in people:
                if staff_no != owner:
                    self.to.addItem(f"{name} ({staff_no})", staff_no)
            self.ok.setEnabled(self.to.count() > 0)
            self.to.setFocus()

        (QueryOp(ctx.runner, lambda _c: todo.colleagues(db, actor), parent=self)
         .success(loaded).failure(self._failed).run_in_background())


class HistoryDialog(QDialog):
    """Who handed the item to whom, when, and why (oldest first)."""

    def __init__(self, ctx: AppContext, item: todo.TodoItem, zone: ZoneInfo | str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("todoHistory")
        self.setWindowTitle(self.tr("Hand-over history"))
        self.zone = zone
        layout = QVBoxLayout(self)
        heading = QLabel(_describe(item, zone), self)
        heading.setWordWrap(True)
        layout.addWidget(heading)
        self.table = QTableWidget(0, 5, self)
        self.table.setHorizontalHeaderLabels([self.tr("When"), self.tr("From"), self.tr("To"),
                                              self.tr("By"), self.tr("Reason")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        layout.addWidget(self.table)
        self.error = error_label(self)
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(640, 320)
        db = ctx.db
        (QueryOp(ctx.runner, lambda _c: todo.history(db, item.kind, item.id), parent=self)
         .success(self._loaded).failure(self._failed).run_in_background())

    def _loaded(self, entries: list[todo.HandoverEntry]) -> None:
        if not shiboken6.isValid(self):
            return
        self.table.setRowCount(len(entries))
        for row, e in enumerate(entries):
            for col, text in enumerate((local_text(e.at, self.zone, STAMP), e.from_name,
                                        e.to_name, e.by_name, e.reason)):
                self.table.setItem(row, col, QTableWidgetItem(text))

    def _failed(self, failure: OpFailure) -> None:
        if shiboken6.isValid(self):
            show_error(self.error, failure_text(failure))
