"""Blockers at once: what stops a service, told before the clerk types anything.

When a service is picked, `precheck` runs on the worker with what is already known (the
counter's shift, the customer, the line's state) and keeps what the engine refuses for reasons
no typing can change: a cancelled, lost or suspended line, arrears, a prepaid phase, a
service for prepaid lines only. The first page shows them in `BlockerBanner`, with the way out
where there is one: pay the arrears here, or run 解挂 / 复机 / 账户解锁 first and come back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.core.money import format_yuan
from app.ui.kit import labels
from app.ui.kit.theme import set_role
from app.ui.wizard.base import esc

if TYPE_CHECKING:
    from app.core.catalog import Catalog
    from app.core.request import Request
    from app.db import Database
    from app.services.hall.registry import Actor
    from app.services.orders.service import OrderService

# Engine refusals about what the clerk will type (numbers, documents): not blockers.
TYPED = frozenset({"invalid_document_number", "document_not_accepted"})
# A refusal whose way out is another service, run first in the same visit.
FIRST = {"line_loss_reported": "cancel_loss", "line_suspended": "resume",
         "prepaid_locked_phase": "account_unlock"}
NO_SHIFT = "shift_not_open"


@dataclass(frozen=True)
class Blocker:
    rule: str
    message: str
    next_step: str
    first: str | None = None  # the service to run first, if any


@dataclass(frozen=True)
class PreCheck:
    blockers: tuple[Blocker, ...]
    arrears_fen: int = 0

    @property
    def shift_missing(self) -> bool:
        return any(b.rule == NO_SHIFT for b in self.blockers)


def precheck(db: Database, orders: OrderService, catalog: Catalog, actor: Actor,
             req: Request | None, lang: str) -> PreCheck:
    """The shift at this counter and the engine's refusals on what is known (worker)."""
    from app.services.day.shifts import current_shift

    found: list[Blocker] = []
    shift = current_shift(db, actor) if actor.channel == "counter" else None
    if actor.channel == "counter" and (shift is None or shift.staff_no != actor.staff_no):
        zh, en = (("本柜台尚未开班，不能受理业务", "This counter has no open shift")
                  if shift is None else
                  (f"本柜台当前班次属于{shift.staff_name}", "The open shift here is another clerk's"))
        found.append(Blocker(NO_SHIFT, en if lang.startswith("en") else zh,
                             "开班后再受理（业务菜单：开班）" if not lang.startswith("en")
                             else "Open your shift first (Work menu: Open shift)"))
    if req is not None:
        ev = orders.evaluate(req, lang)
        for v in ev.violations:
            if v.rule not in TYPED:
                first = FIRST.get(v.rule)
                found.append(Blocker(v.rule, v.message, v.next_step,
                                     first if first in catalog.services else None))
    arrears = req.line.arrears_fen if req is not None and req.line is not None else 0
    return PreCheck(tuple(found), arrears)


class BlockerBanner(QWidget):
    """The blockers in red at the top of the first page, with the way out as buttons."""

    pay_requested = Signal()
    first_requested = Signal(str)  # service code to run first

    def __init__(self, catalog: Catalog, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("blockerBanner")
        self.catalog = catalog
        self.text = QLabel()
        self.text.setObjectName("blockerText")
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setStyleSheet("QLabel { background: #ffebee; color: #b71c1c; "
                                "border-radius: 6px; padding: 8px 12px; }")
        self.pay = QPushButton()
        self.pay.setObjectName("blockerPayButton")
        set_role(self.pay, "primary")
        self.pay.clicked.connect(self.pay_requested)
        self.first = QPushButton()
        self.first.setObjectName("blockerFirstButton")
        set_role(self.first, "primary")
        self.first.clicked.connect(lambda: self.first_requested.emit(self._first or ""))
        self._first: str | None = None
        self.check: PreCheck | None = None
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.pay)
        row.addWidget(self.first)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.text)
        layout.addLayout(row)
        self.show_check(None)

    def show_check(self, check: PreCheck | None) -> None:
        self.check = check
        blockers = check.blockers if check else ()
        self.setVisible(bool(blockers))
        parts = [f"<b>{esc(b.message)}</b><br/>{esc(b.next_step)}" for b in blockers]
        self.text.setText("<br/>".join(parts))
        arrears = check.arrears_fen if check else 0
        can_pay = any(b.rule == "arrears_outstanding" for b in blockers) and arrears > 0
        self.pay.setVisible(can_pay)
        self.pay.setText(self.tr("Pay the arrears of {amount} yuan first").format(
            amount=format_yuan(arrears)))
        self._first = next((b.first for b in blockers if b.first), None)
        self.first.setVisible(self._first is not None)
        if self._first:
            name = labels.text(self.catalog.services[self._first].name)
            self.first.setText(self.tr("{service} first, then come back").format(service=name))

    def way_out(self) -> QPushButton | None:
        """The button the clerk most likely presses next (it gets the focus)."""
        for button in (self.pay, self.first):
            if not button.isHidden():
                return button
        return None
