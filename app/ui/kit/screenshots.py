"""Grab a widget to a PNG file, to look at what the clerk would see (offscreen works too)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

__all__ = ["grab_to_png"]


def grab_to_png(widget: QWidget, path: str | Path) -> Path:
    """Render `widget` (shown or not) into `path` as PNG; returns the path.

    Pending layout and paint events are processed first so that the grab is up to date.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    widget.ensurePolished()
    if not widget.isVisible():
        widget.adjustSize()
    QCoreApplication.processEvents()
    pixmap = widget.grab()
    if pixmap.isNull() or not pixmap.save(str(path), "PNG"):
        raise OSError(f"could not save a grab of {widget.objectName() or widget!r} to {path}")
    return path
