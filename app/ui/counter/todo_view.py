"""我的待办: the clerk's own follow-ups, complaints and faults (or, for a supervisor, everyone's)
with their deadlines in the hall's time, overdue first and in red. Close one with its result,
hand it over, or look at who had it before. The list comes from `app.services.day.todo` on
the read pool and reloads when a write announces a change."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.clock import zone_of
from app.services.day import todo
from app.ui.counter.todo_forms import (
    STAMP,
    TODO_CHANGES,
    CloseForm,
    HandoverForm,
    HistoryDialog,
    TodoForm,
)
from app.ui.day.common import ensure_error_messages, error_label, failure_text, show_error
from app.ui.kit.op_failures import OpFailure
from app.ui.kit.operations import QueryOp
from app.ui.kit.theme import set_role
from app.ui.shell.context import AppContext

OVERDUE_TEXT = QColor("#c62828")
OVERDUE_BACK = QColor("#fde0e0")
# Other changes that can add or move an item: an order (its follow-ups), a staff change.
RELOAD_ON = TODO_CHANGES | {"order", "staff"}


class TodoView(QDialog):
    """The list; `everyone` is the supervisor's view of the whole hall (with the owner)."""

    def __init__(self, ctx: AppContext, everyone: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        ensure_error_messages()
        self.ctx, self.everyone = ctx, everyone
        self.actor = ctx.require_actor()
        self.zone = zone_of(ctx.timezone)
        self.items: list[todo.TodoItem] = []
        self.form: QDialog | None = None
        self._loading = self._again = False
        self.setObjectName("todoAllView" if everyone else "todoView")
        self.setWindowFlag(Qt.WindowType.Window)
        layout = QVBoxLayout(self)
        self.summary = QLabel(self)
        self.summary.setObjectName("todoSummary")
        self.summary.setProperty("heading", True)
        layout.addWidget(self.summary)
        self.table = QTableWidget(0, 0, self)
        self.table.setObjectName("todoTable")
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.setWordWrap(False)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.doubleClicked.connect(lambda _i: self.close_selected())
        layout.addWidget(self.table, 1)
        # Enter on a row closes it with a result (the clerk's usual next step).
        for enter in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            QShortcut(QKeySequence(enter), self.table, self.close_selected,
                      context=Qt.ShortcutContext.WidgetShortcut)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Refresh), self, self.load)
        row = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for key, slot in (("close", self.close_selected), ("handover", self.hand_over_selected),
                          ("history", self.history_selected), ("refresh", self.load)):
            button = QPushButton(self)
            button.setObjectName(f"todo_{key}")
            button.clicked.connect(slot)
            button.setAutoDefault(False)
            self.buttons[key] = button
            row.addWidget(button)
        set_role(self.buttons["close"], "primary")
        row.addStretch(1)
        self.done_button = QPushButton(self)
        self.done_button.setAutoDefault(False)
        self.done_button.clicked.connect(self.close)
        row.addWidget(self.done_button)
        layout.addLayout(row)
        self.error = error_label(self)
        layout.addWidget(self.error)
        self.retranslate()
        self.resize(1100, 560)
        ctx.runner.changes.changed.connect(self._changed)
        self.load()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Everyone's to-do items") if self.everyone
                            else self.tr("My to-do list"))
        headers = [self.tr("Due"), self.tr("What"), self.tr("Item"), self.tr("Order"),
                   self.tr("Line")]
        if self.everyone:
            headers.append(self.tr("Owner"))
        headers.append(self.tr("Handed over"))
        self.table.setColumnCount(len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.buttons["close"].setText(self.tr("&Close with a result..."))
        self.buttons["handover"].setText(self.tr("&Hand over..."))
        self.buttons["history"].setText(self.tr("Hand-over hi&story"))
        self.buttons["refresh"].setText(self.tr("&Refresh"))
        self.done_button.setText(self.tr("Done"))
        self._fill()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def stage_name(self, item: todo.TodoItem) -> str:
        return {"follow_up": self.tr("Follow-up"), "answer": self.tr("Complaint: answer"),
                "callback": self.tr("Complaint: follow-up visit"),
                "restore": self.tr("Fault: restore service")}.get(item.stage, item.stage)

    # -- loading -------------------------------------------------------------------------------

    def load(self) -> None:
        if self._loading:  # one query at a time; a change during it loads once more
            self._again = True
            return
        self._loading, self._again = True, False
        db, actor, everyone = self.ctx.db, self.actor, self.everyone
        (QueryOp(self.ctx.runner, lambda _c: todo.all_items(db, actor) if everyone
                 else todo.my_items(db, actor), parent=self)
         .success(self._loaded).failure(self._failed).run_in_background())

    def _changed(self, changes: frozenset[str]) -> None:
        if shiboken6.isValid(self) and self.isVisible() and changes & RELOAD_ON:
            self.load()

    def _loaded(self, items: list[todo.TodoItem]) -> None:
        if not shiboken6.isValid(self):
            return
        self._loading = False
        show_error(self.error, "")
        selected = self.selected()
        self.items = items
        self._fill()
        keys = [i.key for i in items]
        if selected is not None and selected.key in keys:
            self.table.selectRow(keys.index(selected.key))
        elif items:
            self.table.selectRow(0)
        if self._again:
            self.load()

    def _failed(self, failure: OpFailure) -> None:
        if shiboken6.isValid(self):
            self._loading = False
            show_error(self.error, failure_text(failure))

    def _fill(self) -> None:
        late = sum(1 for i in self.items if i.overdue)
        self.summary.setText(self.tr("%1 open, %2 overdue").replace(
            "%1", str(len(self.items))).replace("%2", str(late)))
        self.summary.setStyleSheet(f"color: {OVERDUE_TEXT.name()};" if late else "")
        self.table.setRowCount(len(self.items))
        bold = QFont(self.table.font())
        bold.setBold(True)
        for r, item in enumerate(self.items):
            due = item.due_at.astimezone(self.zone).strftime(STAMP) if item.due_at else ""
            if item.overdue:
                due = self.tr("%1 (overdue)").replace("%1", due)
            elif item.due_today:
                due = self.tr("%1 (today)").replace("%1", due)
            cells = [due, self.stage_name(item), item.title, item.order_no, item.line_number]
            if self.everyone:
                cells.append(f"{item.owner_name} ({item.owner_no})" if item.owner_no
                             else item.owner_name)
            cells.append(str(item.handovers) if item.handovers else "")
            for col, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                if item.overdue:
                    cell.setForeground(QBrush(OVERDUE_TEXT))
                    cell.setBackground(QBrush(OVERDUE_BACK))
                    cell.setFont(bold)
                elif item.due_today:
                    cell.setFont(bold)
                self.table.setItem(r, col, cell)
        self._update_buttons()

    # -- acting on the selected item -----------------------------------------------------------

    def selected(self) -> todo.TodoItem | None:
        rows = self.table.selectionModel().selectedRows()
        if rows and rows[0].row() < len(self.items):
            return self.items[rows[0].row()]
        return None

    def _update_buttons(self) -> None:
        chosen = self.selected() is not None
        for key in ("close", "handover", "history"):
            self.buttons[key].setEnabled(chosen)

    def _open(self, form: QDialog) -> QDialog:
        self.form = form
        if isinstance(form, TodoForm):
            form.accepted.connect(self.load)
        form.open()
        return form

    def close_selected(self) -> QDialog | None:
        item = self.selected()
        return self._open(CloseForm(self.ctx, item, self.zone, self)) if item else None

    def hand_over_selected(self) -> QDialog | None:
        item = self.selected()
        return self._open(HandoverForm(self.ctx, item, self.zone, self)) if item else None

    def history_selected(self) -> QDialog | None:
        item = self.selected()
        return self._open(HistoryDialog(self.ctx, item, self.zone, self)) if item else None
