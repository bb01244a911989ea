"""Run-time hook of the bundle, in place of PyInstaller's own PySide6 hook (installer/counter.spec
drops it): the same search paths for Qt, set without importing Qt.

PyInstaller's hook imports PySide6.QtCore at every start to embed a qt.conf. PySide6's QtCore
already registers one of its own when it loads (its prefix is the PySide6/Qt folder beside
it, which the bundle keeps), so that import only cost every command, most of which (`counter
process`, `day`, `export`, `sync`) never open a window. The window's first Qt import loads
QtCore as before.
"""

import os
import sys


def _qt_paths() -> None:
    base = sys._MEIPASS  # type: ignore[attr-defined]  # set by PyInstaller's bootloader
    qt = os.path.join(base, "PySide6") if sys.platform == "win32" else \
        os.path.join(base, "PySide6", "Qt")
    os.environ["QT_PLUGIN_PATH"] = os.path.join(qt, "plugins")
    os.environ["QML2_IMPORT_PATH"] = os.path.join(qt, "qml")
    if sys.platform == "win32":  # Qt's OpenSSL DLLs, when collected beside the program
        os.environ["PATH"] = base + os.pathsep + os.environ.get("PATH", "")


_qt_paths()
del _qt_paths
