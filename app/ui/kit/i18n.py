"""The UI's language: our own translations plus Qt's `qtbase` ones.

Strings in the code are English, wrapped in ``self.tr()`` or
``QCoreApplication.translate(context, ...)``; ``resources/translations/counter_zh_CN.ts``
gives the Chinese. ``tools/update_translations.py`` refreshes the ``.ts`` files with
``pyside6-lupdate`` and compiles the ``.qm`` files with ``pyside6-lrelease``.

The language is the ``ui/language`` setting (default ``zh_CN``). `set_language` switches at
once: Qt sends every widget a ``QEvent.LanguageChange``, on which a window re-sets its texts
(``changeEvent`` -> ``retranslate_ui()``).
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from app.resources import resource_path
from app.ui.settings.store import SUPPORTED_LANGUAGES, UiSettings

__all__ = [
    "DEFAULT_LANGUAGE",
    "LANGUAGE_NAMES",
    "SUPPORTED_LANGUAGES",
    "current_language",
    "install_translators",
    "installed_language",
    "remove_translators",
    "set_language",
    "translations_dir",
]

logger = logging.getLogger(__name__)

DEFAULT_LANGUAGE = "zh_CN"
APP_CATALOG = "counter"
# Shown in the language menu, each in its own language (never translated).
LANGUAGE_NAMES = {"zh_CN": "简体中文", "en": "English"}

_installed: list[QTranslator] = []
_installed_language: str | None = None


def translations_dir() -> Path:
    return resource_path("translations")


def _check(lang: str) -> str:
    if lang not in SUPPORTED_LANGUAGES:
        raise ValueError(f"unsupported language {lang!r}; expected one of {SUPPORTED_LANGUAGES}")
    return lang


def current_language(settings: UiSettings | None = None) -> str:
    """The language chosen in the settings (``zh_CN`` unless changed)."""
    return (settings if settings is not None else UiSettings()).language


def installed_language() -> str | None:
    """The language whose translators are installed now, or None."""
    return _installed_language


def remove_translators() -> None:
    """Uninstall the translators installed here (the UI falls back to the English sources)."""
    global _installed_language
    while _installed:
        QCoreApplication.removeTranslator(_installed.pop())
    _installed_language = None


def install_translators(lang: str | None = None, settings: UiSettings | None = None) -> bool:
    """Install the translators for `lang` (default: the saved language) instead of any previous.

    Needs a QCoreApplication. Returns whether our own catalog was loaded; a missing catalog
    is logged and the UI shows the English sources.
    """
    global _installed_language
    if QCoreApplication.instance() is None:
        raise RuntimeError("create the QApplication before installing translators")
    lang = _check(lang if lang is not None else current_language(settings))
    remove_translators()
    locale = QLocale(lang)

    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    qtbase = QTranslator()
    if qtbase.load(locale, "qtbase", "_", qt_dir):
        QCoreApplication.installTranslator(qtbase)
        _installed.append(qtbase)
    else:
        logger.info("No Qt translation for %s in %s", lang, qt_dir)

    ours = QTranslator()
    ok = ours.load(f"{APP_CATALOG}_{lang}", str(translations_dir()))
    if ok:
        QCoreApplication.installTranslator(ours)
        _installed.append(ours)
    else:
        logger.warning(
            "Translation catalog %s_%s.qm not found in %s", APP_CATALOG, lang, translations_dir()
        )
    QLocale.setDefault(locale)  # dates, numbers and money formatted the local way
    _installed_language = lang
    return ok


def set_language(lang: str, settings: UiSettings | None = None) -> bool:
    """Save `lang` as the UI language and switch to it now (if a QApplication exists)."""
    _check(lang)
    settings = settings if settings is not None else UiSettings()
    settings.language = lang
    settings.sync()
    if QCoreApplication.instance() is None:
        return True
    return install_translators(lang)
