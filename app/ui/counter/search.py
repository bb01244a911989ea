"""Search as you type: ID number (exact), line number prefix, or name prefix.

`SearchController` debounces the typing, runs `queries.search_customers` on the read pool and
drops answers to queries that were overtaken by newer typing. `HitModel` hands the results to
the list view lazily (`canFetchMore` / `fetchMore`), a screenful at a time.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import QLabel, QLineEdit, QListView, QVBoxLayout, QWidget

from app.ui.kit import labels
from app.ui.kit.op_failures import OpFailure
from app.ui.kit.operations import QueryOp
from app.ui.shell.context import AppContext

if TYPE_CHECKING:
    from app.services.customers.queries import CustomerHit

DEBOUNCE_MS = 150
BATCH = 40
HIT_ROLE = Qt.ItemDataRole.UserRole + 1

Index = QModelIndex | QPersistentModelIndex


class HitModel(QAbstractListModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._all: list[CustomerHit] = []
        self._shown = 0

    def set_hits(self, hits: list[CustomerHit]) -> None:
        self.beginResetModel()
        self._all = hits
        self._shown = min(BATCH, len(hits))
        self.endResetModel()

    def hit(self, row: int) -> CustomerHit | None:
        return self._all[row] if 0 <= row < self._shown else None

    def total(self) -> int:
        return len(self._all)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._shown

    def canFetchMore(self, parent: Index) -> bool:
        return not parent.isValid() and self._shown < len(self._all)

    def fetchMore(self, parent: Index) -> None:
        if parent.isValid():
            return
        more = min(BATCH, len(self._all) - self._shown)
        if more <= 0:
            return
        self.beginInsertRows(QModelIndex(), self._shown, self._shown + more - 1)
        self._shown += more
        self.endInsertRows()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        hit = self.hit(index.row())
        if hit is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            first = f"{hit.name}    {labels.kind_name(hit.kind)}"
            second = "    ".join(x for x in (hit.line_number, hit.id_masked) if x)
            return f"{first}\n{second}"
        if role == HIT_ROLE:
            return hit
        return None


class SearchController(QObject):
    """Typing in, hits out (`results(list[CustomerHit], text)`)."""

    results = Signal(object, str)
    failed = Signal(str)

    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._run)
        self._text = ""
        self._seq = 0

    def pending(self) -> bool:
        return self._timer.isActive()

    def typed(self, text: str) -> None:
        self._text = text
        self._timer.start()

    def cancel(self) -> None:
        """Drop the typing pending and the answer of a search under way."""
        self._timer.stop()
        self._seq += 1
        self._text = ""

    def search_now(self, text: str) -> None:
        self._text = text
        self._timer.stop()
        self._run()

    def _run(self) -> None:
        from app.services.customers.queries import search_customers, search_kind

        self._seq += 1
        seq, text = self._seq, self._text
        if search_kind(text) == "none":
            self.results.emit([], text)
            return
        ctx = self.ctx

        def done(hits: list[CustomerHit]) -> None:
            if seq == self._seq:  # a newer search overtook this one: drop it
                self.results.emit(hits, text)

        def failed(f: OpFailure) -> None:
            if seq == self._seq:
                self.failed.emit(f.message)

        (QueryOp(ctx.runner, lambda _c: search_customers(ctx.db, text, ctx.pd))
         .success(done).failure(failed).run_in_background())


class SearchPanel(QWidget):
    """The search box and its results; `customer_chosen(customer_id)`."""

    customer_chosen = Signal(int)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("searchPanel")
        self.controller = SearchController(ctx, self)
        self.box = QLineEdit()
        self.box.setObjectName("searchBox")
        self.box.setClearButtonEnabled(True)
        self.box.setMaxLength(40)
        self.model = HitModel(self)
        self.view = QListView()
        self.view.setObjectName("searchResults")
        self.view.setModel(self.model)
        self.view.setUniformItemSizes(True)
        self.view.setSpacing(2)
        self.view.setAlternatingRowColors(True)
        self.status = QLabel()
        self.status.setObjectName("searchStatus")
        self.status.setProperty("hint", True)
        self.status.setWordWrap(True)
        self.title = QLabel()
        self.title.setProperty("heading", True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.box)
        layout.addWidget(self.status)
        layout.addWidget(self.view, 1)
        self.box.textChanged.connect(self.controller.typed)
        self.box.returnPressed.connect(self._enter)
        self.view.activated.connect(self._activated)
        self.controller.results.connect(self._show)
        self.controller.failed.connect(self.status.setText)
        self._auto_choose = False
        if ctx.reader is not None:  # a reader fault is one line here, where cards land
            ctx.reader.read_failed.connect(self.reader_failed)
            ctx.reader.recovered.connect(self.reader_recovered)
        self.retranslate_ui()

    def reader_failed(self, message: str) -> None:
        self.status.setText(message)

    def reader_recovered(self) -> None:
        self.status.clear()
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.title.setText(self.tr("Find customer"))
        self.box.setPlaceholderText(self.tr("ID number, line number or name"))
        if not self.box.text():
            self.status.setText(self.tr("Type an 18-character ID number, the start of a line "
                                        "number, or of a name. F1 goes here."))

    def clear(self) -> None:
        """The next customer: nothing of the last one stays (box, hits, a search under way)."""
        self.controller.cancel()
        self._auto_choose = False
        self.box.blockSignals(True)
        self.box.clear()
        self.box.blockSignals(False)
        self.model.set_hits([])
        self.status.clear()
        self.retranslate_ui()

    def search_for(self, text: str, *, choose: bool = True) -> None:
        """Fill the box (e.g. from the ID card reader) and search at once."""
        self._auto_choose = choose
        self.box.blockSignals(True)
        self.box.setText(text)
        self.box.blockSignals(False)
        self.controller.search_now(text)

    def _show(self, hits: list[CustomerHit], text: str) -> None:
        self.model.set_hits(hits)
        if not text.strip():
            self.retranslate_ui()
        elif not hits:
            self.status.setText(self.tr("No customer found."))
        else:
            self.status.setText(self.tr("{count} found").format(count=len(hits)))
            self.view.setCurrentIndex(self.model.index(0))
        if self._auto_choose and hits:
            self.customer_chosen.emit(hits[0].customer_id)
        self._auto_choose = False

    def _enter(self) -> None:
        index = self.view.currentIndex()
        if index.isValid() and not self.controller.pending():
            self._activated(index)
        else:  # typed faster than the search: take the first hit when it comes
            self._auto_choose = True
            self.controller.search_now(self.box.text())

    def _activated(self, index: QModelIndex) -> None:
        hit = self.model.hit(index.row())
        if hit is not None:
            self.customer_chosen.emit(hit.customer_id)
