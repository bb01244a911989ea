"""Input widgets of the wizard: an ID number with its live check, and one editor per detail
type of the catalog (text, enum, bool, date, money, mobile, int, month, id_document).

Ages and expiry dates are checked on the hall's business date, which the owner hands in as a
callable (`today`), so a widget left open across midnight checks on the new day."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate, QRegularExpression, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.core.catalog import Catalog, DetailField
from app.core.validators import check_document, check_mobile, normalize, normalize_id_number
from app.ui.kit import labels
from app.ui.kit.qt_time import qdate

OK_STYLE = "color: #2e7d32; font-weight: bold;"
BAD_STYLE = "color: #c62828; font-weight: bold;"
PLAIN_STYLE = "color: #5f6b7a;"
# The documents whose number has a format or check digit `check_document` verifies. Any other
# paper (a unit's introduction letter, an authorization letter, an embassy note, ...) has no
# number check: what is typed is recorded as typed, and never shown as "✓ number valid".
NUMBER_CHECKED = frozenset({
    "resident_id", "household_register", "hk_macau_residence_permit",
    "taiwan_residence_permit", "foreigner_permanent_id", "business_license",
    "org_code_certificate", "hk_macau_permit", "taiwan_permit", "passport", "military_id",
    "armed_police_id"})


def has_number_check(doc_type: str) -> bool:
    return doc_type in NUMBER_CHECKED


def id_hint(doc_type: str, number: str, today: date,
            expected: str | None = None) -> tuple[bool | None, str]:
    """(ok, text) for a typed document number, checked on the business date `today`: None
    while nothing is typed."""
    if not number.strip():
        return None, ""
    check = check_document(doc_type, number, today)
    if not check.ok:
        return False, "✗ " + (check.reason_en if labels.lang() == "en" else check.reason_zh)
    if not has_number_check(doc_type) and not expected:
        return True, QCoreApplication.translate(
            "IdCheck", "recorded as typed (this paper's number has no check)")
    parts = ["✓ " + QCoreApplication.translate("IdCheck", "number valid")] \
        if has_number_check(doc_type) else []
    age = check.age_on(today)
    if check.birth_date is not None and age is not None:
        parts.append(QCoreApplication.translate("IdCheck", "born {born}, {age} years old").format(
            born=check.birth_date.isoformat(), age=age))
        if doc_type == "resident_id" and age < 16:
            young = QCoreApplication.translate(
                "IdCheck", "under 16 ({age}): a household register is needed")
            return False, "✗ " + young.format(age=age)
    if expected and normalize(expected) != normalize(number):
        return False, "✗ " + QCoreApplication.translate(
            "IdCheck", "does not match the customer's registered ID")
    if expected:
        parts.append(("" if parts else "✓ ")
                     + QCoreApplication.translate("IdCheck", "matches the record"))
    return True, QCoreApplication.translate("IdCheck", ", ").join(parts)


class IdNumberField(QWidget):
    """Document type, number, and a green/red hint under it as the number is typed."""

    changed = Signal()

    def __init__(self, catalog: Catalog, categories: tuple[str, ...] = ("personal_id",),
                 parent: QWidget | None = None, *, today: Callable[[], date]) -> None:
        super().__init__(parent)
        self.today = today
        self.expected: str | None = None
        self.type = QComboBox()
        self.type.setObjectName("idType")
        for code, doc in catalog.documents.items():
            if doc.category in categories:
                self.type.addItem(labels.text(doc.name), code)
        self.number = QLineEdit()
        self.number.setObjectName("idNumber")
        self.number.setMaxLength(64)
        self.hint = QLabel()
        self.hint.setObjectName("idHint")
        self.hint.setWordWrap(True)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.type)
        row.addWidget(self.number, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(row)
        layout.addWidget(self.hint)
        self.number.textChanged.connect(self._update)
        self.type.currentIndexChanged.connect(self._update)
        self.setFocusProxy(self.number)

    def doc_type(self) -> str:
        return str(self.type.currentData() or "")

    def set_doc_type(self, code: str) -> None:
        i = self.type.findData(code)
        if i >= 0:
            self.type.setCurrentIndex(i)

    def text(self) -> str:
        """The number in its canonical form (full-width digits, spaces, dashes as typed)."""
        return normalize_id_number(self.doc_type(), self.number.text())

    def set_text(self, number: str) -> None:
        self.number.setText(number)

    def is_ok(self) -> bool | None:
        return id_hint(self.doc_type(), self.text(), self.today(), self.expected)[0]

    def _update(self) -> None:
        ok, text = id_hint(self.doc_type(), self.text(), self.today(), self.expected)
        self.hint.setText(text)
        checked = has_number_check(self.doc_type())
        self.hint.setStyleSheet(BAD_STYLE if ok is False else OK_STYLE if checked
                                else PLAIN_STYLE)
        self.hint.setProperty("ok", ok)
        self.changed.emit()


# --- details --------------------------------------------------------------------------------

_MONEY = QRegularExpression(r"^\d{0,9}(\.\d{0,2})?$")
_INT = QRegularExpression(r"^\d{0,9}$")
_MONTH = QRegularExpression(r"^\d{0,4}(-\d{0,2})?$")


class DetailEditor(QWidget):
    """One detail of a service: `value()` is what the visit state keeps (JSON-able)."""

    changed = Signal()

    def __init__(self, spec: DetailField, catalog: Catalog, parent: QWidget | None = None, *,
                 today: Callable[[], date]) -> None:
        super().__init__(parent)
        self.spec = spec
        self.setObjectName(f"detail_{spec.key}")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.hide()
        self.editor: QWidget
        self.date_set: QCheckBox | None = None
        t = spec.type
        if t == "enum":
            combo = QComboBox()
            if not spec.required or spec.default is None:
                combo.addItem("—", None)
            for c in spec.choices:
                combo.addItem(labels.text(c.label), c.value)
            combo.currentIndexChanged.connect(self.changed)
            self.editor = combo
        elif t == "bool":
            box = QCheckBox(labels.text(spec.label))
            box.toggled.connect(self.changed)
            self.editor = box
        elif t == "date":
            edit = QDateEdit()
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setDate(qdate(today()))
            self.date_set = QCheckBox()
            self.date_set.setObjectName("dateSet")
            self.date_set.toggled.connect(edit.setEnabled)
            self.date_set.toggled.connect(self.changed)
            edit.setEnabled(False)
            edit.dateChanged.connect(self.changed)
            row = QHBoxLayout()
            row.setContentsMargins(0, 0, 0, 0)
            row.addWidget(self.date_set)
            row.addWidget(edit, 1)
            layout.addLayout(row)
            self.editor = edit
        elif t == "id_document":
            field = IdNumberField(catalog, today=today)
            field.changed.connect(self.changed)
            self.editor = field
        else:
            line = QLineEdit()
            if t == "money":
                line.setValidator(QRegularExpressionValidator(_MONEY, line))
                line.setPlaceholderText("0.00")
            elif t == "int":
                line.setValidator(QRegularExpressionValidator(_INT, line))
            elif t == "month":
                line.setValidator(QRegularExpressionValidator(_MONTH, line))
                line.setPlaceholderText("YYYY-MM")
            elif t == "mobile":
                line.setMaxLength(11)
                line.setInputMask("")
            else:
                line.setMaxLength(500)
            line.textChanged.connect(self.changed)
            line.textChanged.connect(self._check)
            self.editor = line
        if t != "date":
            layout.addWidget(self.editor)
        layout.addWidget(self.hint)
        self.setFocusProxy(self.editor)
        if spec.default is not None:
            self.set_value(spec.default)

    def value(self) -> Any:
        e, t = self.editor, self.spec.type
        if isinstance(e, QComboBox):
            return e.currentData()
        if isinstance(e, QCheckBox):
            return e.isChecked()
        if isinstance(e, QDateEdit):
            return e.date().toString("yyyy-MM-dd") if self.date_set and \
                self.date_set.isChecked() else None
        if isinstance(e, IdNumberField):
            return {"type": e.doc_type(), "id_number": e.text()} if e.text() else None
        assert isinstance(e, QLineEdit)
        text = e.text().strip()
        if not text:
            return None
        if t == "int":
            return int(text)
        return text

    def set_value(self, value: Any) -> None:
        e = self.editor
        if isinstance(e, QComboBox):
            i = e.findData(value)
            e.setCurrentIndex(i if i >= 0 else 0)
        elif isinstance(e, QCheckBox):
            e.setChecked(bool(value))
        elif isinstance(e, QDateEdit):
            if value:
                e.setDate(QDate.fromString(str(value), "yyyy-MM-dd"))
            if self.date_set is not None:
                self.date_set.setChecked(bool(value))
        elif isinstance(e, IdNumberField):
            if isinstance(value, dict):
                e.set_doc_type(str(value.get("type") or "resident_id"))
                e.set_text(str(value.get("id_number") or ""))
        elif isinstance(e, QLineEdit):
            e.setText("" if value is None else str(value))

    def is_filled(self) -> bool:
        v = self.value()
        if self.spec.type == "bool":
            return True
        return v is not None and v != ""

    def _check(self) -> None:
        e = self.editor
        if not isinstance(e, QLineEdit):
            return
        text = e.text().strip()
        problem = ""
        if text and self.spec.type == "mobile" and not check_mobile(text).ok:
            problem = check_mobile(text).reason_en if labels.lang() == "en" else \
                check_mobile(text).reason_zh
        elif text and self.spec.type == "month" and len(text) == 7:
            try:
                date.fromisoformat(text + "-01")
            except ValueError:
                problem = "YYYY-MM"
        self.hint.setText(("✗ " + problem) if problem else "")
        self.hint.setStyleSheet(BAD_STYLE)
        self.hint.setVisible(bool(problem))
