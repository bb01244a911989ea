"""One editor per hall setting, chosen by the setting's kind (`SettingSpec.kind`): the widget,
the value as the core takes it, and read-only for those who may only look.

Amounts kept in fen are edited in yuan; the core checks every value again on save and names
the key it refuses (`app.services.hall.settings_keys`).
"""

from __future__ import annotations

from typing import Any
from zoneinfo import available_timezones

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSpinBox,
    QWidget,
)

from app.core import domain
from app.core.config import text_length, whole_number_bounds
from app.services.hall.settings_keys import MAX_TOLERANCE, SettingSpec, rate_text
from app.ui.kit import labels

# Choices named as a clerk knows them (Chinese, English).
CHOICE_NAMES = {
    **{code: (name, code) for code, name in domain.CARRIER_ZH.items()},
    "whole_month": ("整月计费", "whole month"), "by_day": ("按天计费", "by day"),
    **{code: (name, code.replace("_", " ")) for code, name in domain.STATUS_ZH.items()},
}


def _name(code: str) -> str:
    zh, en = CHOICE_NAMES.get(code, (code, code))
    return en if labels.lang() == "en" else zh


def _tr(text: str) -> str:
    return QCoreApplication.translate("HallSettings", text)


class SettingField:
    """The editor of one setting: `widget`, `value()` for the core, `set_value()` from it."""

    def __init__(self, spec: SettingSpec) -> None:
        self.spec = spec
        self.widget = self._build()
        self.widget.setObjectName(f"setting_{spec.key.replace('.', '_')}")
        self.widget.setToolTip(spec.key)

    @property
    def label(self) -> str:
        return self.spec.en if labels.lang() == "en" else self.spec.zh

    def _build(self) -> QWidget:
        spec = self.spec
        if spec.kind == "bool":
            return QCheckBox()
        if spec.kind == "int":
            box = QSpinBox()
            low, high = whole_number_bounds(spec.key) or (0, MAX_TOLERANCE)
            box.setRange(low, min(high, 2**31 - 1))
            return box
        if spec.kind == "fen":
            money = QDoubleSpinBox()
            high = (whole_number_bounds(spec.key) or (0, MAX_TOLERANCE))[1]
            money.setRange(0, high / 100)
            money.setDecimals(2)
            money.setSuffix(_tr(" yuan"))
            return money
        if spec.kind in ("choice", "zone"):
            combo = QComboBox()
            if spec.kind == "zone":
                combo.setEditable(True)
                combo.addItems(sorted(z for z in available_timezones() if "/" in z))
            for code in spec.choices:
                combo.addItem(_name(code), code)
            return combo
        if spec.kind == "list" and spec.choices:
            checks = QListWidget()
            for code in spec.choices:
                item = QListWidgetItem(_name(code))
                item.setData(Qt.ItemDataRole.UserRole, code)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Unchecked)
                checks.addItem(item)
            checks.setFixedHeight(checks.sizeHintForRow(0) * len(spec.choices) + 6)
            return checks
        edit = QLineEdit()
        if spec.kind == "list":
            edit.setPlaceholderText(_tr("comma-separated; empty: none"))
        if text_length(spec.key):
            edit.setMaxLength(text_length(spec.key) or 100)
        return edit

    def set_value(self, value: Any) -> None:
        w = self.widget
        if isinstance(w, QCheckBox):
            w.setChecked(bool(value))
        elif isinstance(w, QDoubleSpinBox):
            w.setValue(int(value) / 100)
        elif isinstance(w, QSpinBox):
            w.setValue(int(value))
        elif isinstance(w, QComboBox):
            index = w.findData(value) if self.spec.kind == "choice" else w.findText(str(value))
            if index >= 0:
                w.setCurrentIndex(index)
            else:
                w.setEditText(str(value))
        elif isinstance(w, QListWidget):
            chosen = set(value or ())
            for row in range(w.count()):
                item = w.item(row)
                code = item.data(Qt.ItemDataRole.UserRole)
                item.setCheckState(Qt.CheckState.Checked if code in chosen
                                   else Qt.CheckState.Unchecked)
        elif isinstance(w, QLineEdit):
            if isinstance(value, list):
                w.setText(", ".join(value))
            else:
                w.setText(rate_text(value) if self.spec.kind == "rate" else str(value))

    def value(self) -> Any:
        """The value as the core takes it (fen for money; the core checks it again)."""
        w = self.widget
        if isinstance(w, QCheckBox):
            return w.isChecked()
        if isinstance(w, QDoubleSpinBox):
            return round(w.value() * 100)
        if isinstance(w, QSpinBox):
            return w.value()
        if isinstance(w, QComboBox):
            return w.currentData() if self.spec.kind == "choice" else w.currentText().strip()
        if isinstance(w, QListWidget):
            return [w.item(r).data(Qt.ItemDataRole.UserRole) for r in range(w.count())
                    if w.item(r).checkState() == Qt.CheckState.Checked]
        assert isinstance(w, QLineEdit)
        text = w.text().strip()
        if self.spec.kind == "list":
            return [part.strip() for part in text.replace("，", ",").split(",") if part.strip()]
        return text

    def changed_from(self, loaded: Any) -> bool:
        value = self.value()
        if self.spec.kind == "rate":
            return rate_text(value) != rate_text(loaded)
        if self.spec.kind == "list" and self.spec.choices:  # a set of codes: order is no change
            return set(value) != set(loaded or ())
        return bool(value != loaded)

    def set_editable(self, editable: bool) -> None:
        w = self.widget
        if not self.spec.editable:  # never changes here (the hall code): greyed
            w.setEnabled(False)
            return
        if isinstance(w, QLineEdit | QAbstractSpinBox):  # read-only, still selectable
            w.setReadOnly(not editable)
        else:
            w.setEnabled(editable)
