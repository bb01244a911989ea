"""A calm, readable look for the counter: large type, clear primary actions, status badges.

`apply_theme(app)` sets the application font size and the style sheet once at start-up.
Buttons take a role with `set_role(button, "primary" | "danger")`; a subscription's status is
shown with `badge(text, kind)`. Colours are declared once here (`BADGE_COLORS`), and each
badge's text/background pair has a contrast ratio of at least 4.5:1 (checked by the tests).
"""

from __future__ import annotations

from enum import StrEnum

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QApplication, QLabel, QSizePolicy, QWidget

__all__ = [
    "BADGE_COLORS",
    "PALETTE",
    "BadgeKind",
    "apply_theme",
    "badge",
    "default_badge_text",
    "set_role",
    "stylesheet",
]

BASE_POINT_SIZE = 11.5


class BadgeKind(StrEnum):
    ARREARS = "arrears"  # 欠费
    SUSPENDED = "suspended"  # 停机
    LOST = "lost"  # 挂失
    REALNAME_STOP = "realname_stop"  # 实名制停机
    CONTRACT = "contract"  # 合约期内
    PREPAID = "prepaid"  # 预付费阶段
    VIP = "vip"  # VIP 客户
    INFO = "info"  # anything else worth a neutral badge


# (background, text)
BADGE_COLORS: dict[BadgeKind, tuple[str, str]] = {
    BadgeKind.ARREARS: ("#c62828", "#ffffff"),  # red
    BadgeKind.SUSPENDED: ("#f57c00", "#1a1a1a"),  # orange, dark text for contrast
    BadgeKind.LOST: ("#6a1b9a", "#ffffff"),  # purple
    BadgeKind.REALNAME_STOP: ("#7f0000", "#ffffff"),  # dark red
    BadgeKind.CONTRACT: ("#1565c0", "#ffffff"),  # blue
    BadgeKind.PREPAID: ("#e0e0e0", "#424242"),  # grey
    BadgeKind.VIP: ("#d4a72c", "#1a1400"),  # gold
    BadgeKind.INFO: ("#e3f2fd", "#0d47a1"),  # light blue
}

PALETTE = {
    "window": "#f4f6f8",
    "surface": "#ffffff",
    "text": "#1f2933",
    "muted": "#5f6b7a",
    "border": "#c5ced8",
    "primary": "#1565c0",
    "primary_hover": "#0d57a8",
    "primary_pressed": "#0b4a8f",
    "danger": "#c62828",
    "danger_hover": "#a91f1f",
    "focus": "#1e88e5",
    "selection": "#cfe3fa",
    "disabled_text": "#9aa5b1",
    "disabled_bg": "#eceff1",
}


def default_badge_text(kind: BadgeKind | str) -> str:
    """The usual label of a badge kind, in the UI language."""
    kind = BadgeKind(kind)
    texts = {
        BadgeKind.ARREARS: QCoreApplication.translate("Badge", "Arrears"),
        BadgeKind.SUSPENDED: QCoreApplication.translate("Badge", "Suspended"),
        BadgeKind.LOST: QCoreApplication.translate("Badge", "Reported lost"),
        BadgeKind.REALNAME_STOP: QCoreApplication.translate("Badge", "Real-name stop"),
        BadgeKind.CONTRACT: QCoreApplication.translate("Badge", "Under contract"),
        BadgeKind.PREPAID: QCoreApplication.translate("Badge", "Prepaid"),
        BadgeKind.VIP: QCoreApplication.translate("Badge", "VIP"),
        BadgeKind.INFO: "",
    }
    return texts[kind]


def _badge_style(kind: BadgeKind) -> str:
    background, text = BADGE_COLORS[kind]
    return (
        f"QLabel {{ background-color: {background}; color: {text}; border-radius: 4px;"
        f" padding: 2px 8px; font-weight: bold; }}"
    )


def badge(text: str | None, kind: BadgeKind | str, parent: QWidget | None = None) -> QLabel:
    """A small coloured label for a status; `text` None uses `default_badge_text(kind)`.

    The label carries the property ``badge`` (the kind's value), for tests and style sheets.
    """
    kind = BadgeKind(kind)
    label = QLabel(text if text is not None else default_badge_text(kind), parent)
    label.setObjectName(f"badge_{kind.value}")
    label.setProperty("badge", kind.value)
    label.setStyleSheet(_badge_style(kind))
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
    return label


def set_role(widget: QWidget, role: str | None) -> None:
    """Mark a button as ``"primary"`` (the one action to take) or ``"danger"`` (irreversible)."""
    if role not in (None, "primary", "danger"):
        raise ValueError(f"unknown role {role!r}")
    widget.setProperty("role", role or "")
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
    widget.update()


def stylesheet(point_size: float = BASE_POINT_SIZE) -> str:
    p = PALETTE
    big = point_size * 1.25
    return f"""
QWidget {{
    color: {p["text"]};
}}
QMainWindow, QDialog, QWizard {{
    background-color: {p["window"]};
}}
QLabel[heading="true"] {{
    font-size: {big:.1f}pt;
    font-weight: bold;
}}
QLabel[hint="true"] {{
    color: {p["muted"]};
}}
QLineEdit, QPlainTextEdit, QTextEdit, QComboBox, QSpinBox, QDoubleSpinBox, QDateEdit {{
    background-color: {p["surface"]};
    border: 1px solid {p["border"]};
    border-radius: 4px;
    padding: 4px 6px;
    min-height: 24px;
    selection-background-color: {p["selection"]};
    selection-color: {p["text"]};
}}
QLineEdit:focus, QPlainTextEdit:focus, QTextEdit:focus, QComboBox:focus, QSpinBox:focus,
QDoubleSpinBox:focus, QDateEdit:focus {{
    border: 2px solid {p["focus"]};
    padding: 3px 5px;
}}
QLineEdit:disabled, QComboBox:disabled, QSpinBox:disabled, QDateEdit:disabled {{
    background-color: {p["disabled_bg"]};
    color: {p["disabled_text"]};
}}
QPushButton {{
    background-color: {p["surface"]};
    border: 1px solid {p["border"]};
    border-radius: 4px;
    padding: 6px 16px;
    min-height: 24px;
}}
QPushButton:hover {{
    border-color: {p["primary"]};
}}
QPushButton:focus {{
    border: 2px solid {p["focus"]};
    padding: 5px 15px;
}}
QPushButton:disabled {{
    background-color: {p["disabled_bg"]};
    color: {p["disabled_text"]};
    border-color: {p["disabled_bg"]};
}}
QPushButton[role="primary"], QPushButton:default {{
    background-color: {p["primary"]};
    border: 1px solid {p["primary"]};
    color: #ffffff;
    font-weight: bold;
}}
QPushButton[role="primary"]:hover, QPushButton:default:hover {{
    background-color: {p["primary_hover"]};
}}
QPushButton[role="primary"]:pressed, QPushButton:default:pressed {{
    background-color: {p["primary_pressed"]};
}}
QPushButton[role="primary"]:focus, QPushButton:default:focus {{
    border: 2px solid #0a3d75;
}}
QPushButton[role="danger"] {{
    background-color: {p["surface"]};
    border: 1px solid {p["danger"]};
    color: {p["danger"]};
    font-weight: bold;
}}
QPushButton[role="danger"]:hover {{
    background-color: {p["danger"]};
    color: #ffffff;
}}
QPushButton[role="primary"]:disabled, QPushButton[role="danger"]:disabled,
QPushButton:default:disabled {{
    background-color: {p["disabled_bg"]};
    border-color: {p["disabled_bg"]};
    color: {p["disabled_text"]};
}}
QGroupBox {{
    border: 1px solid {p["border"]};
    border-radius: 6px;
    margin-top: 14px;
    padding-top: 8px;
    background-color: {p["surface"]};
}}
QGroupBox::title {{
    subcontrol-origin: margin;
    left: 10px;
    padding: 0 4px;
    font-weight: bold;
}}
QTableView, QTreeView, QListView {{
    background-color: {p["surface"]};
    alternate-background-color: #f7f9fb;
    border: 1px solid {p["border"]};
    selection-background-color: {p["selection"]};
    selection-color: {p["text"]};
}}
QHeaderView::section {{
    background-color: #e9eef3;
    border: none;
    border-right: 1px solid {p["border"]};
    border-bottom: 1px solid {p["border"]};
    padding: 4px 6px;
    font-weight: bold;
}}
QStatusBar {{
    background-color: #e9eef3;
}}
QToolTip {{
    background-color: #263238;
    color: #ffffff;
    border: none;
    padding: 4px;
}}
"""


def apply_theme(app: QApplication, point_size: float = BASE_POINT_SIZE) -> None:
    """Set the application font size and the style sheet (keep the font's families)."""
    font = app.font()
    font.setPointSizeF(point_size)
    app.setFont(font)
    app.setStyleSheet(stylesheet(point_size))
