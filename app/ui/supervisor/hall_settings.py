"""The hall settings screen (营业厅设置): a grouped form of the hall's settings with where
each value comes from, the tariff with its dates and history, and the counters.

Supervisors may look; hall managers and system administrators may change (the core checks
again: `app.services.hall.settings`). One save is all or nothing; a refused value is named
and its field focused. A saved change is in force at once: the save refreshes this program's
cached configuration and announces "hall_settings", on which the counter window re-reads its
idle-lock time.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.services.hall.settings import HallChanges, HallSettings, save, show_settings
from app.services.hall.settings_keys import GROUPS, SettingsError, spec_of
from app.ui.kit import labels
from app.ui.kit.op_failures import OpFailure
from app.ui.kit.operations import CollectionOp, QueryOp
from app.ui.kit.theme import set_role
from app.ui.kit.widgets import plain_scroll
from app.ui.shell.context import AppContext
from app.ui.shell.errors import install_error_messages, pick
from app.ui.supervisor.hall_fields import SettingField
from app.ui.supervisor.hall_tables import CountersTab, TariffTab

CHANGED = "hall_settings"  # what a save announces on the change bus
# Groups in three columns, so that the form fits a 1366x768 screen without scrolling.
COLUMNS = (("hall",), ("rules",), ("tolerances", "security"))


class HallSettingsDialog(QDialog):
    saved = Signal(object)  # the new HallSettings

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        install_error_messages()
        self.ctx = ctx
        self.actor = ctx.require_actor()
        self.view: HallSettings | None = None
        self.fields: dict[str, SettingField] = {}
        self.sources: dict[str, QLabel] = {}
        self.setObjectName("hallSettingsDialog")
        self.setWindowTitle(self.tr("Hall settings"))
        self.heading = QLabel()
        self.heading.setProperty("heading", True)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.tabs = QTabWidget()
        self.form_page = QWidget()
        self.form_page.setObjectName("hallSettingsForm")
        self.columns = QHBoxLayout(self.form_page)
        self.tariff = TariffTab(ctx.catalog)
        self.counters = CountersTab()
        self.tabs.addTab(plain_scroll(self.form_page, horizontal=True), self.tr("Settings"))
        self.tabs.addTab(self.tariff, self.tr("Tariff"))
        self.tabs.addTab(self.counters, self.tr("Counters"))
        self.error = QLabel()
        self.error.setObjectName("errorLabel")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #c62828; font-weight: bold;")
        self.error.hide()
        self.status = QLabel()
        self.status.setObjectName("statusLabel")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.save_button = QPushButton(self.tr("Save"))
        self.save_button.setObjectName("saveButton")
        self.save_button.setEnabled(False)
        set_role(self.save_button, "primary")
        self.save_button.clicked.connect(self.save)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.note)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        for button in self.findChildren(QPushButton):  # Enter in a field neither saves half a
            button.setAutoDefault(False)  # form nor closes the screen on the edits
        self.resize(1320, 680)

    # -- loading --------------------------------------------------------------------------------

    def load(self) -> None:
        ctx, actor = self.ctx, self.actor
        (QueryOp(ctx.runner, lambda _c: show_settings(ctx.db, actor), parent=self)
         .success(self.show_view).failure(self._failed).run_in_background())

    def show_view(self, view: HallSettings) -> None:
        self.view = view
        if not self.fields:
            self._build_form(view)
        for s in view.settings:
            field = self.fields.get(s.key)
            if field is not None:
                field.set_value(s.value)
                field.set_editable(view.can_change)
                label = self.sources[s.key]
                label.setProperty("source", s.source)
                label.setText(self.tr("default") if s.source == "default" else self.tr("hall"))
        self.tariff.show_view(view)
        self.counters.show_view(view)
        self.heading.setText(self.tr("{code} {name} - business date {day}").format(
            code=view.hall_code, name=view.hall_name, day=view.today.isoformat()))
        if view.can_change or view.can_change_tariff:
            self.note.setText(self.tr(
                "Changes are checked, recorded in the audit trail and in force at once. "
                "\"default\": the value of the default file (hall.toml); \"hall\": this hall's "
                "own value."))
        else:
            self.note.setText(self.tr(
                "You can look at the settings. Changing them needs a hall manager or a system "
                "administrator."))
        self.save_button.setEnabled(view.can_change or view.can_change_tariff)

    def _build_form(self, view: HallSettings) -> None:
        for groups, stretch in zip(COLUMNS, (4, 5, 5), strict=True):
            column = QVBoxLayout()
            self.columns.addLayout(column, stretch)
            for group in groups:
                zh, en = GROUPS[group]
                box = QGroupBox(en if labels.lang() == "en" else zh)
                box.setObjectName(f"group_{group}")
                form = QFormLayout(box)
                for s in (s for s in view.settings if s.spec.group == group):
                    field = SettingField(s.spec)
                    source = QLabel()
                    source.setObjectName(f"source_{s.key.replace('.', '_')}")
                    source.setEnabled(False)  # greyed: a hint, not a value
                    line = QWidget()
                    inner = QGridLayout(line)
                    inner.setContentsMargins(0, 0, 0, 0)
                    inner.addWidget(field.widget, 0, 0)
                    inner.addWidget(source, 0, 1)
                    inner.setColumnStretch(0, 1)
                    form.addRow(field.label, line)
                    self.fields[s.key] = field
                    self.sources[s.key] = source
                column.addWidget(box)
            column.addStretch(1)

    # -- saving ---------------------------------------------------------------------------------

    def changes(self) -> HallChanges:
        view = self.view
        assert view is not None
        settings: dict[str, Any] = {}
        if view.can_change:
            settings = {s.key: self.fields[s.key].value() for s in view.settings
                        if s.spec.editable and s.key in self.fields
                        and self.fields[s.key].changed_from(s.value)}
        return HallChanges(
            settings=settings, counters=self.counters.changes() if view.can_change else {},
            tariffs=self.tariff.changes() if view.can_change_tariff else {},
            tariff_from=self.tariff.chosen_from(), reason=self.tariff.reason.text())

    def save(self) -> None:
        changes = self.changes()
        if not (changes.settings or changes.counters or changes.tariffs):
            self.status.setText(self.tr("Nothing has changed."))
            return
        ctx, actor = self.ctx, self.actor

        def run(_c: object) -> HallSettings:
            view = save(ctx.db, actor, changes)
            ctx.orders.refresh_config()  # this program's cache, before anyone reads it again
            return view

        self.save_button.setEnabled(False)
        self._show_error("")
        (CollectionOp(ctx.runner, run, changes={CHANGED}, parent=self)
         .success(self._saved).failure(self._failed).run_in_background())

    def _saved(self, view: HallSettings) -> None:
        self.show_view(view)
        self.status.setText(self.tr("Saved."))
        self.saved.emit(view)

    def _failed(self, failure: OpFailure) -> None:
        if self.view is not None:
            self.save_button.setEnabled(self.view.can_change or self.view.can_change_tariff)
        exc = failure.exception
        if isinstance(exc, SettingsError):
            self._show_error(self._named(exc))
            self._focus(exc.key)
        else:
            self._show_error(failure.message)

    def _named(self, exc: SettingsError) -> str:
        """"空闲锁屏分钟数: must be ..." with the field's label where there is one."""
        problem = pick(exc.problem_zh, exc.problem_en)
        try:
            spec = spec_of(exc.key)
        except SettingsError:
            return pick(exc.zh, exc.en)
        name = spec.en if labels.lang() == "en" else spec.zh
        return f"{name} ({exc.key}): {problem}"

    def _focus(self, key: str) -> None:
        head, _, rest = key.partition(".")
        if head == "tariff" or key == "from":
            self.tabs.setCurrentWidget(self.tariff)
            self.tariff.focus_item(rest)
        elif head == "counter":
            self.tabs.setCurrentWidget(self.counters)
        elif key in self.fields:
            self.tabs.setCurrentIndex(0)
            self.fields[key].widget.setFocus()

    def _show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))
        if text:
            self.status.clear()


def open_hall_settings(ctx: AppContext, parent: QWidget | None = None) -> HallSettingsDialog:
    dialog = HallSettingsDialog(ctx, parent)
    dialog.load()
    dialog.open()
    return dialog
