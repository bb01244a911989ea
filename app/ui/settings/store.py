"""The UI's settings, declared once and typed, on an INI file through QSettings.

Settings (what the clerk or the administrator chooses) are declared as `Setting` records in
`UiSettings`; window geometry and splitter/toolbar state are UI *state*, kept apart under the
``state/`` group of the same file (as Picard separates "setting" from "persist").

The file is ``ui.ini`` in the user's configuration folder, or in ``$COUNTER_CONFIG_DIR`` when
that is set (tests, portable installs). Tests pass their own file: ``UiSettings(tmp_path /
"ui.ini")``, so the real user's settings are never read nor written.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, Protocol, TypeVar

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QWidget

__all__ = [
    "CONFIG_DIR_ENV",
    "SUPPORTED_LANGUAGES",
    "Setting",
    "UiSettings",
    "default_settings_file",
]

logger = logging.getLogger(__name__)

T = TypeVar("T", str, int, bool, float)

CONFIG_DIR_ENV = "COUNTER_CONFIG_DIR"
SETTINGS_FILE_NAME = "ui.ini"
SUPPORTED_LANGUAGES = ("zh_CN", "en")


@dataclass(frozen=True)
class Setting(Generic[T]):
    """One setting: its key in the file, its type, its default, and what values are allowed."""

    key: str
    type: type[T]
    default: T
    valid: Callable[[T], bool] | None = None
    doc: str = ""

    def accepts(self, value: T) -> bool:
        return isinstance(value, self.type) and (self.valid is None or self.valid(value))


class _SavesState(Protocol):
    def saveState(self) -> QByteArray: ...

    def restoreState(self, state: QByteArray | bytes) -> bool: ...


def default_settings_file() -> Path:
    """``$COUNTER_CONFIG_DIR/ui.ini`` if the variable is set, else in the user's config folder."""
    override = os.environ.get(CONFIG_DIR_ENV)
    if override:
        return Path(override) / SETTINGS_FILE_NAME
    import platformdirs

    return Path(platformdirs.user_config_dir("hall-counter", appauthor=False)) / SETTINGS_FILE_NAME


class UiSettings:
    """Typed access to the UI settings and the saved window state."""

    LANGUAGE: Setting[str] = Setting(
        "ui/language", str, "zh_CN", lambda v: v in SUPPORTED_LANGUAGES, "界面语言"
    )
    THERMAL_PRINTER: Setting[str] = Setting(
        "printing/thermal_printer", str, "", None, "热敏小票打印机名称（空为未设置）"
    )
    A4_PRINTER: Setting[str] = Setting(
        "printing/a4_printer", str, "", None, "A4 打印机名称（空为未设置）"
    )
    IDLE_LOCK_MINUTES: Setting[int] = Setting(
        "security/idle_lock_minutes", int, 5, lambda v: 1 <= v <= 120, "无操作自动锁屏分钟数"
    )

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path is not None else default_settings_file()
        self._qs = QSettings(str(self.path), QSettings.Format.IniFormat)

    @classmethod
    def declared(cls) -> list[Setting[Any]]:
        return [v for v in vars(cls).values() if isinstance(v, Setting)]

    @property
    def qsettings(self) -> QSettings:
        return self._qs

    # -- settings -------------------------------------------------------------------------------

    def get(self, setting: Setting[T]) -> T:
        raw = self._qs.value(setting.key)
        if raw is None:
            return setting.default
        try:
            value = self._convert(setting, raw)
        except (TypeError, ValueError):
            value = None
        if value is None or not setting.accepts(value):
            logger.warning("Ignoring invalid value %r of setting %s", raw, setting.key)
            return setting.default
        return value

    def set(self, setting: Setting[T], value: T) -> None:
        if not setting.accepts(value):
            raise ValueError(f"invalid value for {setting.key}: {value!r}")
        self._qs.setValue(setting.key, value)

    def reset(self, setting: Setting[Any]) -> None:
        self._qs.remove(setting.key)

    def sync(self) -> None:
        """Write to disk now (QSettings also does it by itself, later)."""
        self._qs.sync()

    @staticmethod
    def _convert(setting: Setting[T], raw: object) -> T | None:
        kind = setting.type
        if isinstance(raw, kind) and not (kind is int and isinstance(raw, bool)):
            return raw
        if kind is bool:
            text = str(raw).strip().lower()
            if text in ("true", "1", "yes"):
                return True  # type: ignore[return-value]
            if text in ("false", "0", "no"):
                return False  # type: ignore[return-value]
            return None
        return kind(str(raw))

    @property
    def language(self) -> str:
        return self.get(self.LANGUAGE)

    @language.setter
    def language(self, value: str) -> None:
        self.set(self.LANGUAGE, value)

    @property
    def thermal_printer(self) -> str:
        return self.get(self.THERMAL_PRINTER)

    @thermal_printer.setter
    def thermal_printer(self, value: str) -> None:
        self.set(self.THERMAL_PRINTER, value)

    @property
    def a4_printer(self) -> str:
        return self.get(self.A4_PRINTER)

    @a4_printer.setter
    def a4_printer(self, value: str) -> None:
        self.set(self.A4_PRINTER, value)

    @property
    def idle_lock_minutes(self) -> int:
        return self.get(self.IDLE_LOCK_MINUTES)

    @idle_lock_minutes.setter
    def idle_lock_minutes(self, value: int) -> None:
        self.set(self.IDLE_LOCK_MINUTES, value)

    # -- window state (kept apart from the settings) ----------------------------------------------

    @staticmethod
    def _state_key(name: str, what: str) -> str:
        if not name or "/" in name:
            raise ValueError(f"bad state name: {name!r}")
        return f"state/{name}/{what}"

    def _bytes(self, key: str) -> QByteArray | None:
        raw = self._qs.value(key)
        if isinstance(raw, QByteArray) and not raw.isEmpty():
            return raw
        if isinstance(raw, bytes | bytearray) and raw:
            return QByteArray(bytes(raw))
        return None

    def save_geometry(self, name: str, widget: QWidget) -> None:
        """Remember a window's size and position under `name` (e.g. "main_window")."""
        self._qs.setValue(self._state_key(name, "geometry"), widget.saveGeometry())

    def restore_geometry(self, name: str, widget: QWidget) -> bool:
        """Put a window back where it was; False (and nothing done) if nothing was saved."""
        data = self._bytes(self._state_key(name, "geometry"))
        return data is not None and widget.restoreGeometry(data)

    def save_state(self, name: str, obj: _SavesState) -> None:
        """Remember `saveState()` of a QMainWindow (toolbars, docks), QSplitter or QHeaderView."""
        self._qs.setValue(self._state_key(name, "state"), obj.saveState())

    def restore_state(self, name: str, obj: _SavesState) -> bool:
        data = self._bytes(self._state_key(name, "state"))
        return data is not None and bool(obj.restoreState(data))

    def clear_state(self) -> None:
        """Forget all window state (e.g. a "reset layout" command)."""
        self._qs.remove("state")
