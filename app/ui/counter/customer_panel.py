"""The customer found at the counter: who they are, their lines, each line's state badges."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.core.money import format_yuan
from app.ui.kit import labels
from app.ui.kit.theme import BadgeKind, badge
from app.ui.kit.widgets import plain_scroll

if TYPE_CHECKING:
    from app.core.request import LineState
    from app.services.customers.history import UnitPerson
    from app.services.customers.queries import CustomerDetail, LineInfo
    from app.ui.counter.history import HistoryPanel
    from app.ui.shell.context import AppContext

STOPPED = ("single_stop", "double_stop")
LINES_MIN_WIDTH = 250  # a line card's number, state and badges stay readable
PANEL_MIN_HEIGHT = 340


class LineCard(QFrame):
    clicked = Signal(str)

    def __init__(self, info: LineInfo, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.number = info.number
        self.setObjectName(f"line_{info.number}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        st = info.state
        head = QLabel(f"<b>{info.number}</b>　{labels.status_name(st.status)}"
                      + (f"　{info.package}" if info.package else ""))
        head.setTextFormat(Qt.TextFormat.RichText)
        money = QLabel(self.tr("Balance {balance} · points {points}").format(
            balance=format_yuan(st.balance_fen), points=st.points))
        money.setProperty("hint", True)
        badges = QHBoxLayout()
        badges.setSpacing(6)
        self.badges = []
        held = [(self.tr("Conflict awaiting the supervisor"), BadgeKind.ARREARS)] \
            if info.conflict else []  # a sync conflict: no change until it is decided
        for text, kind in held + self.badges_for(st, today):
            b = badge(text, kind)
            self.badges.append(b)
            badges.addWidget(b)
        badges.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.setSpacing(4)
        layout.addWidget(head)
        layout.addWidget(money)
        layout.addLayout(badges)
        self.set_selected(False)

    def badges_for(self, st: LineState, today: date) -> list[tuple[str | None, BadgeKind]]:
        """The badges a line shows: (text, kind); text None takes the kind's usual label."""
        out: list[tuple[str | None, BadgeKind]] = []
        if st.arrears_fen > 0 or st.status == "arrears_stop":
            text = self.tr("Arrears {amount} yuan").format(amount=format_yuan(st.arrears_fen))
            out.append((text, BadgeKind.ARREARS))
        if st.status == "suspended_keep_number":
            out.append((self.tr("Suspended, number kept"), BadgeKind.SUSPENDED))
        if st.status in STOPPED:
            realname = st.realname != "complete"
            text = labels.status_name(st.status)
            if realname:
                text += " · " + labels.realname_name(st.realname)
            out.append((text, BadgeKind.REALNAME_STOP if realname else BadgeKind.SUSPENDED))
        elif st.realname != "complete":
            text = self.tr("Real-name: {what}").format(what=labels.realname_name(st.realname))
            out.append((text, BadgeKind.INFO))
        if st.status == "loss_reported":
            out.append((None, BadgeKind.LOST))
        if st.status == "cancelled":
            out.append((labels.status_name("cancelled"), BadgeKind.INFO))
        if st.contract_end and st.contract_end >= today:
            text = self.tr("In contract until {day}").format(day=st.contract_end.isoformat())
            out.append((text, BadgeKind.CONTRACT))
        locks = [d for d in (st.nice_number_until, st.subsidy_until, st.campaign_until)
                 if d and d >= today]
        if locks:
            text = self.tr("Number locked until {day}").format(day=max(locks).isoformat())
            out.append((text, BadgeKind.CONTRACT))
        if st.payment == "prepaid":
            phase = labels.phase_name(st.prepaid_phase)
            prepaid = self.tr("Prepaid: {phase}").format(phase=phase) if phase else None
            if st.lock_expired:
                prepaid = self.tr("Prepaid: lock expired")
            out.append((prepaid, BadgeKind.PREPAID))
        if st.vip:
            out.append((None, BadgeKind.VIP))
        if st.blacklisted:
            out.append((self.tr("Blacklisted"), BadgeKind.ARREARS))
        if st.roaming_open:
            out.append((self.tr("Intl. roaming open"), BadgeKind.INFO))
        return out

    def set_selected(self, on: bool) -> None:
        self.setStyleSheet("LineCard { border: 2px solid #1565c0; background: #eef5fd; "
                           "border-radius: 6px; }" if on else
                           "LineCard { border: 1px solid #c5ced8; background: #ffffff; "
                           "border-radius: 6px; }")

    def mousePressEvent(self, event: object) -> None:  # type: ignore[override]
        self.clicked.emit(self.number)


class CustomerPanel(QWidget):
    """Shows one customer; `line_selected(number)` when the clerk picks a line.

    `business_date` gives the hall's business date, on which the line badges are judged
    (contract still running, campaign commitments). With `ctx` the customer's history shows
    beside the lines (`HistoryPanel`), and `agent_chosen(UnitPerson)` tells when the clerk
    picks a unit's contact or key person as the 经办人 (kept in `chosen_agent` until another
    customer is shown)."""

    line_selected = Signal(str)
    agent_chosen = Signal(object)

    def __init__(self, business_date: Callable[[], date], parent: QWidget | None = None, *,
                 ctx: AppContext | None = None) -> None:
        super().__init__(parent)
        self.business_date = business_date
        self.setObjectName("customerPanel")
        self.customer: CustomerDetail | None = None
        self.selected_line: str | None = None
        self.chosen_agent: UnitPerson | None = None
        self.history: HistoryPanel | None = None
        self.cards: list[LineCard] = []
        self.name = QLabel()
        self.name.setObjectName("customerName")
        self.name.setProperty("heading", True)
        self.info = QLabel()
        self.info.setObjectName("customerInfo")
        self.info.setWordWrap(True)
        self.info.setProperty("hint", True)
        self.lines_host = QWidget()
        self.lines_layout = QVBoxLayout(self.lines_host)
        self.lines_layout.setContentsMargins(0, 0, 0, 0)
        self.lines_host.setObjectName("linesHost")
        scroll = plain_scroll(self.lines_host)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.name)
        layout.addWidget(self.info)
        if ctx is None:
            layout.addWidget(scroll, 1)
        else:
            from app.ui.counter.history import HistoryPanel

            self.history = HistoryPanel(ctx)
            self.history.agent_chosen.connect(self._agent_chosen)
            scroll.setMinimumWidth(LINES_MIN_WIDTH)
            self.split = QSplitter(Qt.Orientation.Horizontal)
            self.split.setObjectName("linesHistorySplit")
            self.split.setChildrenCollapsible(False)
            self.split.addWidget(scroll)
            self.split.addWidget(self.history)
            self.split.setStretchFactor(0, 1)
            self.split.setStretchFactor(1, 1)
            self.split.setSizes([1000, 1000])  # halves to start with; the clerk may drag
            layout.addWidget(self.split, 1)
            # The lines and a few past orders stay in sight above today's list.
            self.setMinimumHeight(PANEL_MIN_HEIGHT)
        self.show_customer(None)

    def _agent_chosen(self, person: UnitPerson) -> None:
        self.chosen_agent = person
        self.agent_chosen.emit(person)

    def show_customer(self, c: CustomerDetail | None) -> None:
        if c is None or self.customer is None or c.customer_id != self.customer.customer_id:
            self.chosen_agent = None  # a picked 经办人 belongs to the unit it was picked for
        fresh = c is not self.customer  # a new load (after a change too), not a retranslation
        self.customer = c
        if self.history is not None and fresh:
            self.history.show_customer(c.customer_id if c is not None else None)
        for card in self.cards:
            card.setParent(None)
            card.deleteLater()
        self.cards = []
        while self.lines_layout.count():
            self.lines_layout.takeAt(0)
        if c is None:
            self.name.setText(self.tr("No customer selected"))
            self.info.setText(self.tr("Find a customer on the left, or put their ID card on "
                                      "the reader. A new line (F2) needs no customer."))
            self.selected_line = None
            return
        self.name.setText(c.name)
        ident = c.id_masked or c.reg_masked or ""
        parts = [labels.kind_name(c.kind), ident]
        if c.kind == "group" and c.contact_name:
            parts.append(self.tr("Contact: {name}").format(name=c.contact_name))
        parts.append(self.tr("{count} line(s)").format(count=len(c.lines)))
        self.info.setText("    ".join(p for p in parts if p))
        day = self.business_date()
        for info in c.lines:
            card = LineCard(info, day)
            card.clicked.connect(self.select_line)
            self.cards.append(card)
            self.lines_layout.addWidget(card)
        self.lines_layout.addStretch(1)
        keep = self.selected_line if c.line(self.selected_line or "") else None
        self.select_line(keep or (c.lines[0].number if c.lines else None))

    def select_line(self, number: str | None) -> None:
        self.selected_line = number
        for card in self.cards:
            card.set_selected(card.number == number)
        if number:
            self.line_selected.emit(number)
