"""The day's orders across counters, loaded a page at a time as the table scrolls.

`DayOrdersModel.canFetchMore` / `fetchMore` ask `queries.day_orders_page` for the next page
(keyset paging on the order id) on the read pool; the view paints the first page as soon as it
arrives, whatever the size of the day.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Signal

from app.ui.counter.today import OrdersModel
from app.ui.kit.op_failures import OpFailure
from app.ui.kit.operations import QueryOp
from app.ui.shell.context import AppContext

if TYPE_CHECKING:
    from app.services.customers.day_listings import DayFilter, OrderRow

Index = QModelIndex | QPersistentModelIndex


class DayOrdersModel(OrdersModel):
    loaded = Signal()  # a page arrived
    counted = Signal(int, int)  # matching orders, their total in fen
    failed = Signal(str)

    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx, wide=True)
        self.filter: DayFilter | None = None
        self._loading = False
        self._exhausted = True
        self._generation = 0

    def set_filter(self, f: DayFilter) -> None:
        """Start again with a new filter: clear, count, and load the first page."""
        from app.services.customers.day_listings import day_orders_count

        self._generation += 1
        self.filter = f
        self.set_rows([])
        self._exhausted = False
        self._loading = False
        self._load()
        ctx, actor, gen, tz = self.ctx, self.ctx.require_actor(), self._generation, \
            self.ctx.timezone

        def done(out: tuple[int, int]) -> None:
            if gen == self._generation:
                self.counted.emit(*out)

        (QueryOp(ctx.runner, lambda _c: day_orders_count(ctx.db, actor, f, tz))
         .success(done).failure(self._failed).run_in_background())

    def canFetchMore(self, parent: Index) -> bool:
        return not parent.isValid() and not self._exhausted and not self._loading

    def fetchMore(self, parent: Index) -> None:
        if self.canFetchMore(parent):
            self._load()

    def is_loading(self) -> bool:
        return self._loading

    def _load(self) -> None:
        from app.services.customers.day_listings import PAGE_SIZE, day_orders_page

        f = self.filter
        if f is None:
            return
        self._loading = True
        before = self.rows[-1].order_id if self.rows else None
        ctx, actor, gen, tz = self.ctx, self.ctx.require_actor(), self._generation, \
            self.ctx.timezone

        def done(rows: list[OrderRow]) -> None:
            if gen != self._generation:
                return
            self._loading = False
            self._exhausted = len(rows) < PAGE_SIZE
            self.append_rows(rows)
            self.loaded.emit()

        (QueryOp(ctx.runner, lambda _c: day_orders_page(ctx.db, actor, f, before_id=before,
                                                        tz=tz))
         .success(done).failure(self._failed).run_in_background())

    def _failed(self, failure: OpFailure) -> None:
        self._loading = False
        self._exhausted = True
        self.failed.emit(failure.message)
