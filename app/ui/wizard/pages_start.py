"""The first pages: which service, which customer and line, who is at the counter.

Enter is the wizard's (`EnterIsNext`): no field here moves the wizard on by itself. The
customer page shows the blockers found before any typing (`visit_blockers`).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QRadioButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
)

from app.ui.devices.idcard_reader import IdCardData
from app.ui.devices.idcard_view import CardPhoto, CardValidity
from app.ui.kit import labels
from app.ui.wizard.base import CUSTOMER, PRESENTER, SERVICE, VisitPage, esc, hint
from app.ui.wizard.controller import VisitController
from app.ui.wizard.fields import IdNumberField
from app.ui.wizard.visit_blockers import BlockerBanner, PreCheck

if TYPE_CHECKING:
    from app.ui.wizard.pages_payment import PaymentDialog


class ServicePage(VisitPage):
    page_id = SERVICE

    def __init__(self, controller: VisitController) -> None:
        super().__init__(controller)
        self.setTitle(self.tr("Service"))
        self.setSubTitle(self.tr("Choose the service the customer asks for (or press its key)."))
        self.filter = QLineEdit()
        self.filter.setObjectName("serviceFilter")
        self.filter.setPlaceholderText(self.tr("Type to filter services"))
        self.tree = QTreeWidget()
        self.tree.setObjectName("serviceTree")
        self.tree.setHeaderHidden(True)
        self.tree.setColumnCount(2)
        catalog = controller.ctx.catalog
        groups: dict[str, QTreeWidgetItem] = {}
        for group in labels.GROUP_ORDER:
            for svc in catalog.services.values():
                if svc.group != group:
                    continue
                if group not in groups:
                    top = QTreeWidgetItem([labels.group_name(group), ""])
                    top.setFlags(Qt.ItemFlag.ItemIsEnabled)
                    font = top.font(0)
                    font.setBold(True)
                    top.setFont(0, font)
                    self.tree.addTopLevelItem(top)
                    groups[group] = top
                item = QTreeWidgetItem([labels.text(svc.name), svc.shortcut])
                item.setData(0, Qt.ItemDataRole.UserRole, svc.code)
                item.setToolTip(0, labels.text(svc.description))
                groups[group].addChild(item)
        self.tree.expandAll()
        self.tree.resizeColumnToContents(0)
        self.tree.setColumnWidth(0, max(self.tree.columnWidth(0), 260))
        self.tree.currentItemChanged.connect(lambda *_: self.completeChanged.emit())
        self.tree.itemDoubleClicked.connect(lambda *_: self._go_on())  # Enter: the wizard's
        self.filter.textChanged.connect(self._filter)
        layout = QVBoxLayout(self)
        layout.addWidget(self.filter)
        layout.addWidget(self.tree)

    def initializePage(self) -> None:
        code = self.controller.state.service
        for item in self._items():
            if item.data(0, Qt.ItemDataRole.UserRole) == code:
                self.tree.setCurrentItem(item)
        self.aim(self.filter)

    def _items(self) -> list[QTreeWidgetItem]:
        out: list[QTreeWidgetItem] = []
        for i in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(i)
            if top is not None:
                out += [c for j in range(top.childCount()) if (c := top.child(j)) is not None]
        return out

    def selected(self) -> str | None:
        item = self.tree.currentItem()
        code = item.data(0, Qt.ItemDataRole.UserRole) if item else None
        return str(code) if code else None

    def select(self, code: str) -> None:
        for item in self._items():
            if item.data(0, Qt.ItemDataRole.UserRole) == code:
                self.tree.setCurrentItem(item)

    def _filter(self, text: str) -> None:
        needle = text.strip().lower()
        for item in self._items():
            code = str(item.data(0, Qt.ItemDataRole.UserRole))
            visible = not needle or needle in item.text(0).lower() or needle in code
            item.setHidden(not visible)

    def before_enter(self) -> None:
        """Enter in the filter takes its first match (the wizard then goes on, once)."""
        current = self.tree.currentItem()
        if current is not None and not current.isHidden() and current.parent() is not None:
            return
        visible = [i for i in self._items() if not i.isHidden()]
        if visible:
            self.tree.setCurrentItem(visible[0])

    def _go_on(self) -> None:
        if self.isComplete():
            self.wizard().next()

    def isComplete(self) -> bool:
        return self.selected() is not None

    def store(self) -> None:
        code = self.selected()
        state = self.controller.state
        if code and code != state.service:
            state.service = code
            state.documents.clear()
            state.details.clear()
            if code != "new_activation" and state.new_customer:
                state.new_customer = False
            self.visit_wizard.service_picked()  # as if picked at the counter


class CustomerPage(VisitPage):
    page_id = CUSTOMER

    def __init__(self, controller: VisitController) -> None:
        super().__init__(controller)
        self.setTitle(self.tr("Customer and line"))
        self.summary = QLabel()
        self.summary.setObjectName("customerSummary")
        self.summary.setWordWrap(True)
        self.summary.setProperty("heading", True)
        self.blockers = BlockerBanner(controller.ctx.catalog)
        self.blockers.pay_requested.connect(self._pay_arrears)
        self.blockers.first_requested.connect(
            lambda code: self.visit_wizard.leave_for("first_requested", code))
        controller.prechecked.connect(self._show_blockers)
        controller.arrears_failed.connect(self._pay_failed)
        self.pay_dialog: PaymentDialog | None = None
        self.lines = QListWidget()
        self.lines.setObjectName("lineList")
        self.lines.currentItemChanged.connect(lambda *_: self._line_changed())
        self.lines.itemDoubleClicked.connect(lambda *_: self.wizard().next())  # Enter: wizard's
        self.no_customer = hint()
        self.no_customer.setObjectName("noCustomerHint")
        # new activation: this customer or a new one
        self.existing = QRadioButton(self.tr("For the customer found at the counter"))
        self.existing.setObjectName("existingCustomer")
        self.new = QRadioButton(self.tr("New customer"))
        self.new.setObjectName("newCustomer")
        choice = QButtonGroup(self)
        choice.addButton(self.existing)
        choice.addButton(self.new)
        self.existing.toggled.connect(self._update_form)
        self.new_form = QGroupBox(self.tr("New customer"))
        self.kind = QComboBox()
        self.kind.setObjectName("customerKind")
        self.kind.addItem(labels.kind_name("personal"), "personal")
        self.kind.addItem(labels.kind_name("group"), "group")
        self.name = QLineEdit()
        self.name.setObjectName("customerName")
        self.name.setMaxLength(100)
        catalog = controller.ctx.catalog
        self.id_field = IdNumberField(catalog, today=controller.ctx.business_date)
        self.id_field.setObjectName("customerId")
        self.unit_name = QLineEdit()
        self.unit_name.setObjectName("unitName")
        self.unit_name.setMaxLength(100)
        self.reg_field = IdNumberField(catalog, ("group_id",),
                                       today=controller.ctx.business_date)
        self.reg_field.setObjectName("unitRegistration")
        self.non_local = QCheckBox(self.tr("Presents a non-local ID (advance or prepaid only)"))
        self.non_local.setObjectName("nonLocal")
        form = QFormLayout(self.new_form)
        form.addRow(self.tr("Customer kind"), self.kind)
        self._name_label = QLabel(self.tr("Name"))
        form.addRow(self._name_label, self.name)
        self._id_label = QLabel(self.tr("ID document"))
        form.addRow(self._id_label, self.id_field)
        self._unit_label = QLabel(self.tr("Unit name"))
        form.addRow(self._unit_label, self.unit_name)
        self._reg_label = QLabel(self.tr("Unit registration"))
        form.addRow(self._reg_label, self.reg_field)
        form.addRow("", self.non_local)
        self.kind.currentIndexChanged.connect(self._update_form)
        for w in (self.name, self.unit_name):
            w.textChanged.connect(lambda _t: self.completeChanged.emit())
        for f in (self.id_field, self.reg_field):
            f.changed.connect(self.completeChanged)
        layout = QVBoxLayout(self)
        layout.addWidget(self.blockers)
        layout.addWidget(self.summary)
        layout.addWidget(self.no_customer)
        layout.addWidget(self.existing)
        layout.addWidget(self.new)
        layout.addWidget(self.new_form)
        layout.addWidget(self.lines)

    def _svc_needs_line(self) -> bool:
        svc = self.controller.service
        return bool(svc and svc.needs_line)

    # -- blockers -------------------------------------------------------------------------------

    def _show_blockers(self, check: PreCheck) -> None:
        self.blockers.show_check(check)
        button = self.blockers.way_out()
        if button is not None:  # Enter pays (or runs the service needed first)
            self.aim(button)
            if self.wizard() is not None and self.wizard().currentPage() is self:
                button.setFocus()
        self.completeChanged.emit()

    def _line_changed(self) -> None:
        self.completeChanged.emit()
        item = self.lines.currentItem()
        number = str(item.data(Qt.ItemDataRole.UserRole)) if item else None
        if self.isVisible() and number and number != self.controller.state.line_number:
            self.controller.select_line(number)  # another line: its own blockers
            self.blockers.show_check(None)
            self.controller.precheck()

    def _pay_arrears(self) -> None:
        from app.ui.wizard.pages_payment import PaymentDialog

        dialog = PaymentDialog(self.controller.arrears_fen(), self)
        self.pay_dialog = dialog
        dialog.accepted.connect(lambda: self._start_payment(dialog))
        dialog.open()

    def _start_payment(self, dialog: PaymentDialog) -> None:
        self.blockers.pay.setEnabled(False)
        self.controller.pay_arrears(dialog.payment())

    def _pay_failed(self, message: str) -> None:
        self.blockers.pay.setEnabled(True)
        self.blockers.text.setText(self.blockers.text.text() + "<br/>" + esc(message))

    def initializePage(self) -> None:
        c, s = self.controller.customer, self.controller.state
        svc = self.controller.service
        self.setSubTitle(labels.text(svc.name) if svc else "")
        if c is not None:
            ident = c.id_masked or c.reg_masked or ""
            self.summary.setText(f"{c.name}    {labels.kind_name(c.kind)}    {ident}")
        else:
            self.summary.setText(self.tr("No customer chosen"))
        needs_line = self._svc_needs_line()
        self.lines.clear()
        if needs_line and c is not None:
            for ln in c.lines:
                st = ln.state
                text = f"{ln.number}    {labels.status_name(st.status)}"
                if st.arrears_fen:
                    text += "    " + self.tr("arrears {amount}").format(
                        amount=labels.yuan(st.arrears_fen))
                if ln.package:
                    text += f"    {ln.package}"
                item = QListWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, ln.number)
                self.lines.addItem(item)
                if ln.number == s.line_number:
                    self.lines.setCurrentItem(item)
            if self.lines.currentItem() is None and self.lines.count() == 1:
                self.lines.setCurrentRow(0)
        self.lines.setVisible(needs_line)
        self.no_customer.setVisible(needs_line and c is None)
        self.no_customer.setText(self.tr(
            "This service is for an existing line: cancel, find the customer at the counter "
            "first, then start the service again."))
        activation = not needs_line
        self.existing.setVisible(activation and c is not None)
        self.new.setVisible(activation and c is not None)
        if activation:
            (self.new if s.new_customer or c is None else self.existing).setChecked(True)
            self.kind.setCurrentIndex(max(0, self.kind.findData(s.kind)))
            if s.new_customer:
                self.name.setText(s.customer_name)
                self.id_field.set_doc_type(s.customer_id_type)
                self.id_field.set_text(s.customer_id_number)
                self.unit_name.setText(s.unit_name)
                self.reg_field.set_doc_type(s.unit_reg_type)
                self.reg_field.set_text(s.unit_reg_id_number)
            self.non_local.setChecked(s.non_local_id)
        self._update_form()
        self.blockers.show_check(self.controller.check)
        self.blockers.pay.setEnabled(True)
        self.aim(self.blockers.way_out() or (self.lines if needs_line else self.name))

    def _update_form(self) -> None:
        activation = not self._svc_needs_line()
        new = activation and (self.new.isChecked() or self.controller.customer is None)
        self.new_form.setVisible(new)
        self.non_local.setVisible(activation)
        group = self.kind.currentData() == "group"
        for shown in (self._name_label, self.name, self._id_label, self.id_field):
            shown.setVisible(not group)
        for unit_part in (self._unit_label, self.unit_name, self._reg_label, self.reg_field):
            unit_part.setVisible(group)
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        check = self.controller.check
        if check is not None and check.shift_missing:  # nothing can be recorded: say so now
            return False
        if self._svc_needs_line():
            return self.controller.customer is not None and self.lines.currentItem() is not None
        if self.new_form.isVisible() or self.controller.customer is None:
            group = self.kind.currentData() == "group"
            field = self.reg_field if group else self.id_field
            return (bool((self.unit_name if group else self.name).text().strip())
                    and field.is_ok() is not False)  # an impossible number stops here
        return True

    def store(self) -> None:
        c, s = self.controller, self.controller.state
        if self._svc_needs_line():
            item = self.lines.currentItem()
            c.select_line(str(item.data(Qt.ItemDataRole.UserRole)) if item else None)
            return
        if self.new.isChecked() or c.customer is None:
            c.new_customer()
            s.kind = str(self.kind.currentData())
            s.customer_name = self.name.text().strip()
            s.customer_id_type = self.id_field.doc_type()
            s.customer_id_number = self.id_field.text()
            s.unit_name = self.unit_name.text().strip()
            s.unit_reg_type = self.reg_field.doc_type()
            s.unit_reg_id_number = self.reg_field.text()
            if s.kind == "group":
                s.customer_name = s.unit_name
                s.presenter_role = "agent"
        else:
            c.use_customer(c.customer)
        s.non_local_id = self.non_local.isChecked()


class PresenterPage(VisitPage):
    page_id = PRESENTER

    def __init__(self, controller: VisitController) -> None:
        super().__init__(controller)
        self.setTitle(self.tr("Who is at the counter"))
        self.setSubTitle(self.tr("The owner in person, or an agent with their own ID. Put an ID "
                                 "card on the reader to fill this in."))
        self.owner = QRadioButton(labels.role_name("owner"))
        self.owner.setObjectName("roleOwner")
        self.agent = QRadioButton(labels.role_name("agent"))
        self.agent.setObjectName("roleAgent")
        group = QButtonGroup(self)
        group.addButton(self.owner)
        group.addButton(self.agent)
        self.name = QLineEdit()
        self.name.setObjectName("presenterName")
        self.name.setMaxLength(100)
        self.id_field = IdNumberField(controller.ctx.catalog,
                                      today=controller.ctx.business_date)
        self.id_field.setObjectName("presenterId")
        self.group_hint = hint(self.tr("A unit is always represented by an agent (经办人), who "
                                       "shows their own ID."))
        self.valid_until = QLineEdit()
        self.valid_until.setObjectName("presenterIdValidUntil")
        self.valid_until.setMaxLength(10)
        self.valid_until.setPlaceholderText(self.tr("YYYY-MM-DD; empty when long-term"))
        self.valid_until_error = hint()
        self.valid_until_error.setObjectName("presenterIdValidUntilError")
        self.valid_until_error.setStyleSheet("color: #c62828;")
        self.card: IdCardData | None = None  # the presenter's card, when read on the reader
        self.card_validity = CardValidity()  # shown once a card was read
        self.card_photo = CardPhoto()
        self.reader_status = hint()
        self.reader_status.setObjectName("readerStatus")
        form = QFormLayout()
        form.addRow(self.tr("Presenter"), self.owner)
        form.addRow("", self.agent)
        form.addRow("", self.group_hint)
        form.addRow(self.tr("Name") + " *", self.name)
        form.addRow(self.tr("Own ID document"), self.id_field)
        form.addRow(self.tr("Valid until"), self.valid_until)
        form.addRow("", self.valid_until_error)
        form.addRow("", self.card_validity)
        form.addRow("", self.card_photo)
        form.addRow("", self.reader_status)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addStretch(1)
        self.owner.toggled.connect(self._role_changed)
        self.name.textChanged.connect(lambda _t: self.completeChanged.emit())
        self.id_field.changed.connect(self.completeChanged)
        self.valid_until.textChanged.connect(self._validity_typed)
        reader = controller.ctx.reader
        if reader is not None:
            reader.card_read.connect(self.fill_from_card)
            reader.read_failed.connect(self.reader_status.setText)
            reader.recovered.connect(self.reader_status.clear)

    def initializePage(self) -> None:
        s = self.controller.state
        group = s.kind == "group"
        self.agent.setText(labels.presenter_role_name("agent", s.kind))  # 经办人 for a unit
        self.owner.setEnabled(not group)
        self.group_hint.setVisible(group)
        (self.agent if s.role == "agent" else self.owner).setChecked(True)
        if not s.presenter_name and s.role == "owner":
            s.presenter_name = s.customer_name
        self.name.setText(s.presenter_name)
        self.id_field.set_doc_type(s.presenter_id_type or s.customer_id_type)
        self.id_field.set_text(s.presenter_id_number)
        self.valid_until.setText(s.presenter_id_valid_until)
        self._role_changed()
        self.aim(self.id_field.number if self.name.text() else self.name)

    def _role_changed(self) -> None:
        s = self.controller.state
        owner = self.owner.isChecked() and s.kind == "personal"
        self.id_field.expected = s.customer_id_number if owner and s.customer_id_number else None
        self.id_field.number.textChanged.emit(self.id_field.number.text())

    def fill_from_card(self, card: IdCardData) -> None:
        if self.wizard() is None or self.wizard().currentPage() is not self:
            return
        s = self.controller.state
        if s.kind == "personal" and s.customer_id_number:  # whose card it is tells the role
            (self.owner if card.id_number == s.customer_id_number.upper()
             else self.agent).setChecked(True)
        self.card = card
        self.name.setText(card.name)
        self.id_field.set_doc_type("resident_id")
        self.id_field.set_text(card.id_number)
        self.valid_until.setText(card.valid_until.isoformat() if card.valid_until else "")
        self.card_validity.show_card(card, self.controller.ctx.business_date())
        self.card_photo.show_card(card)
        self.reader_status.clear()

    def typed_validity(self) -> date | str | None:
        """The typed last valid day: a date, None when empty (long-term), or the problem."""
        text = self.valid_until.text().strip().replace("/", "-").replace(".", "-")
        if not text:
            return None
        if text.isdigit() and len(text) == 8:
            text = f"{text[:4]}-{text[4:6]}-{text[6:]}"
        try:
            return date.fromisoformat(text)
        except ValueError:
            return self.tr("Valid until: not a date (YYYY-MM-DD)")

    def _validity_typed(self) -> None:
        value = self.typed_validity()
        if isinstance(value, str):
            self.valid_until_error.setText(value)
        elif value is not None and value < self.controller.ctx.business_date():
            self.valid_until_error.setText(self.tr(
                "This ID expired on {day}: it cannot be accepted.").format(day=value.isoformat()))
        else:
            self.valid_until_error.clear()
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        # An expired ID is not blocked here: the verdict refuses it with the rule's words. An
        # impossible number (or the owner's not matching the record) is: it can only be wrong.
        return (bool(self.name.text().strip()) and not isinstance(self.typed_validity(), str)
                and self.id_field.is_ok() is not False)

    def store(self) -> None:
        s = self.controller.state
        s.presenter_role = "agent" if (self.agent.isChecked() or s.kind == "group") else "owner"
        s.presenter_name = self.name.text().strip()
        s.presenter_id_type = self.id_field.doc_type()
        s.presenter_id_number = self.id_field.text()
        until = self.typed_validity()
        s.presenter_id_valid_until = until.isoformat() if isinstance(until, date) else ""

