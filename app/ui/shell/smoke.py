"""Start the GUI's foundations for a moment and check each one: `counter smoke-gui`.

Made for the frozen program (tests/test_bundle.py runs it from the bundle): it proves that the
Qt platform plugin, the image and icon plugins, the bundled font, our translations and Qt's
own, the icon, the print support and the login window's code all made it into the bundle and
load. It opens no database and touches no real settings (a throw-away settings file is used).
"""

from __future__ import annotations

import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QTimer, QTranslator, qVersion
from PySide6.QtGui import QIcon, QImage
from PySide6.QtWidgets import QApplication, QWidget

from app.resources import resource_path

__all__ = ["SmokeReport", "run_smoke"]


@dataclass
class SmokeReport:
    checks: dict[str, bool] = field(default_factory=dict)
    details: dict[str, str] = field(default_factory=dict)
    exit_code: int = 0

    def check(self, name: str, ok: bool, detail: str = "") -> None:
        self.checks[name] = bool(ok)
        self.details[name] = detail

    @property
    def ok(self) -> bool:
        return self.exit_code == 0 and all(self.checks.values())

    @property
    def failed(self) -> list[str]:
        return [name for name, ok in self.checks.items() if not ok]


def _qt_translation_loads(lang: str) -> tuple[bool, str]:
    if lang == "en":
        return True, "source language"
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    ok = QTranslator().load(QLocale(lang), "qtbase", "_", folder)
    return ok, folder


def _show_window(settings_file: Path) -> tuple[QWidget, str]:
    """The login window (what `counter` shows first), or a plain widget without one."""
    try:
        from app.ui.settings.store import UiSettings
        from app.ui.shell.login import LoginWindow
    except ImportError as exc:
        return QWidget(), f"plain widget ({exc})"
    return LoginWindow(UiSettings(settings_file)), "LoginWindow"


def run_smoke(exit_ms: int = 1000, lang: str = "zh_CN") -> SmokeReport:
    from app.ui.kit import i18n
    from app.ui.kit.fonts import install_cjk_font
    from app.ui.kit.theme import apply_theme
    from app.ui.shell.about import AboutDialog

    report = SmokeReport()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    report.check("platform", bool(app.platformName()), f"{app.platformName()} / Qt {qVersion()}")

    family = install_cjk_font(app)
    report.check("font", family is not None, family or "bundled font not loaded")
    apply_theme(app)
    ours = i18n.install_translators(lang)
    report.check("translations", ours, str(i18n.translations_dir()))
    qt_ok, qt_dir = _qt_translation_loads(lang)
    report.check("qt_translations", qt_ok, qt_dir)

    svg = QIcon(str(resource_path("icons", "counter.svg")))
    report.check("icon_svg", not svg.pixmap(64, 64).isNull(), "svg icon engine")
    png = QImage(str(resource_path("icons", "counter.png")))
    report.check("icon_png", not png.isNull(), f"{png.width()}x{png.height()}")
    app.setWindowIcon(svg)

    try:
        from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

        QPrinter()  # loads the print support plugin (CUPS / Windows spooler)
        names = QPrinterInfo.availablePrinterNames()
        report.check("print_support", True, f"{len(names)} printer(s)")
    except ImportError as exc:
        report.check("print_support", False, str(exc))

    with tempfile.TemporaryDirectory(prefix="counter-smoke-") as tmp:
        window, kind = _show_window(Path(tmp) / "ui.ini")
        window.show()
        about = AboutDialog(window)
        about.show()
        report.check("window", window.isVisible(), kind)
        font_text = about.font_licence.toPlainText()
        report.check("about", "WenQuanYi" in font_text and about.table.rowCount() > 3,
                     f"{about.table.rowCount()} components")
        # Let the event loop run: paint, polish, load the platform theme and input context.
        QTimer.singleShot(max(0, exit_ms), app.quit)
        report.exit_code = app.exec()
        about.close()
        window.close()
        about.deleteLater()
        window.deleteLater()
        app.processEvents()
    i18n.remove_translators()
    return report
