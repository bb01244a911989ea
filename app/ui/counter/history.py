"""The customer's history beside their lines: what is still open for them (follow-ups,
complaints, fault tickets; overdue in red), a unit's registered contact and key persons with
"use as the unit's agent", and their past orders, latest first.

Loaded on the read pool (`app.services.customers.history`, which checks the actor may serve
customers); an answer that arrives for a customer no longer shown is dropped. Names of other
people and phones come masked from the core; a unit person's full name travels only in the
`agent_chosen` signal, to fill the presenter (经办人) of the next service.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.core.money import format_yuan
from app.ui.kit import labels
from app.ui.kit.op_failures import OpFailure
from app.ui.kit.operations import QueryOp
from app.ui.kit.widgets import fit_money_columns

if TYPE_CHECKING:
    from app.services.customers.history import CustomerHistory, OpenItem, PastOrder, UnitPerson
    from app.ui.shell.context import AppContext

Index = QModelIndex | QPersistentModelIndex
OVERDUE_STYLE = "color: #c62828;"
AMOUNT_COLUMN = 2
VISIBLE_ROWS = 4



class PastOrdersModel(QAbstractTableModel):
    """Columns: date, service, amount, status, order no."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.rows: list[PastOrder] = []

    def headers(self) -> list[str]:
        return [self.tr("Date"), self.tr("Service"), self.tr("Amount"), self.tr("Status"),
                self.tr("Order no.")]

    def set_rows(self, rows: list[PastOrder]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 5

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.headers()[section]
        return None

    def cell(self, o: PastOrder, col: int) -> str:
        return [o.business_date.isoformat(), labels.service_name(self.ctx.catalog, o.service),
                format_yuan(o.total_fen), labels.decision_name(
                    "voided" if o.status == "voided" else "accepted"), o.order_no][col]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        o = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.cell(o, index.column())
        if role == Qt.ItemDataRole.ForegroundRole and o.status == "voided":
            return QColor("#9aa5b1")
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == AMOUNT_COLUMN:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and o.line_number:
            return o.line_number
        if role == Qt.ItemDataRole.UserRole:
            return o
        return None


class HistoryPanel(QWidget):
    """`show_customer(id)` loads and shows one customer's history; `agent_chosen(UnitPerson)`
    when the clerk picks a unit's person as the 经办人."""

    agent_chosen = Signal(object)
    loaded = Signal(object)  # the CustomerHistory shown (None when cleared or refused)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("historyPanel")
        self.ctx = ctx
        self.customer_id: int | None = None
        self.history: CustomerHistory | None = None
        self.agent_buttons: list[QPushButton] = []
        self.title = QLabel()
        self.title.setObjectName("historyTitle")
        bold = self.title.font()
        bold.setBold(True)
        self.title.setFont(bold)
        self.status = QLabel()
        self.status.setObjectName("historyStatus")
        self.status.setWordWrap(True)
        self.status.setProperty("hint", True)
        self.open_title = QLabel()
        self.open_title.setObjectName("openItemsTitle")
        self.open_list = QLabel()
        self.open_list.setObjectName("openItems")
        self.open_list.setWordWrap(True)
        self.open_list.setTextFormat(Qt.TextFormat.RichText)
        self.people_title = QLabel()
        self.people_title.setObjectName("unitPeopleTitle")
        self.people_host = QWidget()
        self.people_host.setObjectName("unitPeople")
        self.people_layout = QVBoxLayout(self.people_host)
        self.people_layout.setContentsMargins(0, 0, 0, 0)
        self.people_layout.setSpacing(2)
        self.orders_title = QLabel()
        self.model = PastOrdersModel(ctx)
        self.view = QTableView()
        self.view.setObjectName("pastOrdersView")
        self.view.setModel(self.model)
        self.view.verticalHeader().hide()
        self.view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.setFocusPolicy(Qt.FocusPolicy.ClickFocus)  # Tab stays on the search & lines
        self.view.setWordWrap(False)  # one line per order; the order no. scrolls sideways
        row = self.view.fontMetrics().height() + 8
        self.view.verticalHeader().setDefaultSectionSize(row)
        self.view.setMinimumHeight(row * (VISIBLE_ROWS + 1) + 8)  # a few orders always in sight
        fit_money_columns(self.view, AMOUNT_COLUMN)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        for w in (self.title, self.status, self.open_title, self.open_list, self.people_title,
                  self.people_host, self.orders_title):
            layout.addWidget(w)
        layout.addWidget(self.view, 1)
        self.retranslate_ui()
        self.show_customer(None)

    # -- loading --------------------------------------------------------------------------------

    def show_customer(self, customer_id: int | None) -> None:
        """Load the customer's history on a worker (None clears the panel)."""
        self.customer_id = customer_id
        if customer_id is None:
            self._show(None)
            self.status.setText(self.tr("Their orders and open items show here."))
            return
        if self.history is None or self.history.customer_id != customer_id:
            self._show(None)
            self.status.setText(self.tr("Loading the customer's history…"))
        from app.services.customers.history import customer_history

        ctx, actor = self.ctx, self.ctx.require_actor()
        if ctx.runner.is_closed:  # the window is closing
            return
        (QueryOp(ctx.runner, lambda _c: customer_history(ctx.db, actor, customer_id))
         .success(lambda h: self._arrived(customer_id, h))
         .failure(lambda f: self._refused(customer_id, f)).run_in_background())

    def _arrived(self, customer_id: int, history: CustomerHistory | None) -> None:
        if not shiboken6.isValid(self) or customer_id != self.customer_id:
            return  # the clerk has moved on to someone else
        self._show(history)
        self.loaded.emit(history)

    def _refused(self, customer_id: int, failure: OpFailure) -> None:
        if not shiboken6.isValid(self) or customer_id != self.customer_id:
            return
        self._show(None)
        self.status.setText(failure.message)  # one sentence, e.g. "权限不足：…"
        self.loaded.emit(None)

    # -- showing --------------------------------------------------------------------------------

    def _show(self, h: CustomerHistory | None) -> None:
        self.history = h
        self.model.set_rows(list(h.orders) if h else [])
        items = h.open_items if h else ()
        self.open_list.setText("<br>".join(self.item_text(i) for i in items))
        for w in (self.open_title, self.open_list):
            w.setVisible(bool(items))
        self._fill_people(h.people if h else ())
        self.orders_title.setVisible(h is not None)
        self.view.setVisible(h is not None)
        self.status.setVisible(h is None or not h.orders)
        if h is not None and not h.orders:
            self.status.setText(self.tr("No orders recorded for this customer yet."))
        self._titles()

    def item_text(self, item: OpenItem) -> str:
        """One open item as a line of rich text; overdue ones in red."""
        what = {
            "follow_up": self.tr("Follow-up"),
            "answer": self.tr("Complaint to answer"),
            "callback": self.tr("Complaint follow-up visit"),
            "restore": self.tr("Fault to restore"),
        }[item.stage]
        when = labels.local_time(item.due_at, self.ctx.timezone, "%m-%d %H:%M") \
            if item.due_at else self.tr("no date")
        due = (self.tr("overdue since {when}") if item.overdue
               else self.tr("due {when}")).format(when=when)
        parts = [f"<b>{_esc(what)}</b>: {_esc(item.subject)}" if item.subject
                 else f"<b>{_esc(what)}</b>", _esc(due)]
        if item.line_number:
            parts.append(_esc(item.line_number))
        if item.owner_name:
            parts.append(_esc(self.tr("owner {name}").format(name=item.owner_name)))
        text = " · ".join(parts)
        return f'<span style="{OVERDUE_STYLE}">{text}</span>' if item.overdue else text

    def person_text(self, p: UnitPerson) -> str:
        role = self.tr("Contact") if p.role == "contact" else self.tr("Key person")
        bits = [f"{role}: {p.name_masked}", p.title or "", p.phone_masked or ""]
        return " · ".join(b for b in bits if b)

    def _fill_people(self, people: tuple[UnitPerson, ...]) -> None:
        self.agent_buttons = []  # deleted with their rows
        while self.people_layout.count():
            item = self.people_layout.takeAt(0)
            if item is not None and item.widget() is not None:
                item.widget().deleteLater()  # type: ignore[union-attr]
        for i, p in enumerate(people):
            row = QWidget()
            line = QHBoxLayout(row)
            line.setContentsMargins(0, 0, 0, 0)
            text = QLabel(self.person_text(p))
            text.setObjectName("unitPerson")
            use = QPushButton(self.tr("Use as the unit's agent"))
            use.setObjectName(f"useAsAgent_{i}")
            use.setAutoDefault(False)
            use.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            use.clicked.connect(lambda _c=False, person=p: self.agent_chosen.emit(person))
            self.agent_buttons.append(use)
            line.addWidget(text, 1)
            line.addWidget(use)
            self.people_layout.addWidget(row)
        self.people_title.setVisible(bool(people))
        self.people_host.setVisible(bool(people))

    def _titles(self) -> None:
        h = self.history
        self.open_title.setText(self.tr("Open for this customer ({count})").format(
            count=len(h.open_items) if h else 0))
        self.people_title.setText(self.tr("The unit's contact and key persons"))
        more = h is not None and h.more_orders
        self.orders_title.setText((self.tr("Latest {count} orders (older ones in the "
                                           "supervisor's record)") if more else
                                   self.tr("Orders ({count})")).format(
            count=len(h.orders) if h else 0))

    def retranslate_ui(self) -> None:
        self.title.setText(self.tr("History"))
        self._titles()
        h = self.history
        if h is not None:
            self.open_list.setText("<br>".join(self.item_text(i) for i in h.open_items))
            self._fill_people(h.people)
        self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, 4)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
