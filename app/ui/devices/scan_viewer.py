"""Viewing a retained copy (复印留存) again: an image or a PDF's pages, fitted to the window.

The copy is fetched, decrypted, checked and audited by the core (`scan_access.view_scan`) and
decoded into `QImage`s on a worker (a `QImage` may be built on any thread; PDF pages are
rendered by PDFium under its lock in `pdf_pages`); only the finished pages reach the GUI
thread. A refusal or an altered copy is one line where the picture would be. Esc closes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QKeySequence, QPixmap, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.ui.devices.pdf_pages import OpenPdf, PdfUnreadable
from app.ui.kit.op_failures import OpFailure, register_error_message
from app.ui.kit.op_runner import OpRunner
from app.ui.kit.operations import CollectionOp

if TYPE_CHECKING:
    from app.db import Database
    from app.services.hall.registry import Actor

__all__ = ["LoadedScan", "ScanUnreadable", "ScanViewer", "decode_pages",
           "register_scan_messages", "stored_scan_loader"]

MAX_PAGES = 20  # a retained copy is a page or two; a huge PDF is not browsed here
VIEW_DPI = 120
ZOOM_STEP = 1.25


class ScanUnreadable(ValueError):
    def __init__(self) -> None:
        self.zh = "复印件不是可以显示的图像或 PDF"
        self.en = "The copy is not a picture or PDF that can be shown"
        super().__init__(self.en)


def register_scan_messages() -> None:
    """Scanner faults, wrong device settings and unreadable copies, told in the UI's language
    (the core's own errors are registered by app/ui/shell/errors.py)."""
    from app.devices.config import DeviceConfigError
    from app.devices.scanner import ScannerError
    from app.ui.shell.errors import pick

    register_error_message(ScannerError, lambda e: pick(e.zh, e.en))
    register_error_message(DeviceConfigError, lambda e: pick(e.zh, e.en))
    register_error_message(ScanUnreadable, lambda e: pick(e.zh, e.en))


def decode_pages(data: bytes, mime: str) -> list[QImage]:
    """The pages of a scan as images (any thread)."""
    if mime == "application/pdf":
        try:
            with OpenPdf(data) as pdf:
                return [pdf.render(i, VIEW_DPI) for i in range(min(len(pdf), MAX_PAGES))]
        except PdfUnreadable:
            raise ScanUnreadable() from None
    image = QImage.fromData(data)
    if image.isNull():
        raise ScanUnreadable()
    return [image]


@dataclass(frozen=True)
class LoadedScan:
    name: str
    sha256: str | None  # None: no hash was recorded (a signature's scan)
    pages: list[QImage]


class ScanViewer(QDialog):
    """Opens at once with "loading…"; `load` runs on the write worker (it records the view)."""

    def __init__(self, runner: OpRunner, load: Callable[[], LoadedScan], title: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        register_scan_messages()
        self.setObjectName("scanViewer")
        self.setWindowTitle(title)
        self.pages: list[QImage] = []
        self.index = 0
        self.zoom: float | None = None  # None: fit the window
        self.info = QLabel(self.tr("Loading the copy…"))
        self.info.setObjectName("scanInfo")
        self.info.setWordWrap(True)
        self.picture = QLabel()
        self.picture.setObjectName("scanPicture")
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.area = QScrollArea()
        self.area.setWidget(self.picture)
        self.area.setWidgetResizable(True)
        self.area.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.prev_button = QPushButton(self.tr("< Previous page"))
        self.next_button = QPushButton(self.tr("Next page >"))
        self.page_label = QLabel()
        self.fit_button = QPushButton(self.tr("Fit"))
        self.fit_button.setObjectName("scanFit")
        self.zoom_out = QPushButton("−")
        self.zoom_in = QPushButton("+")
        close = QPushButton(self.tr("Close"))
        bar = QHBoxLayout()
        for w in (self.prev_button, self.page_label, self.next_button):
            bar.addWidget(w)
        bar.addStretch(1)
        for w in (self.zoom_out, self.fit_button, self.zoom_in, close):
            bar.addWidget(w)
        layout = QVBoxLayout(self)
        layout.addWidget(self.info)
        layout.addWidget(self.area, 1)
        layout.addLayout(bar)
        self.prev_button.clicked.connect(lambda: self.show_page(self.index - 1))
        self.next_button.clicked.connect(lambda: self.show_page(self.index + 1))
        self.fit_button.clicked.connect(lambda: self.set_zoom(None))
        self.zoom_in.clicked.connect(lambda: self.set_zoom(self._scale() * ZOOM_STEP))
        self.zoom_out.clicked.connect(lambda: self.set_zoom(self._scale() / ZOOM_STEP))
        close.clicked.connect(self.reject)
        QShortcut(QKeySequence.StandardKey.ZoomIn, self,
                  lambda: self.set_zoom(self._scale() * ZOOM_STEP))
        QShortcut(QKeySequence.StandardKey.ZoomOut, self,
                  lambda: self.set_zoom(self._scale() / ZOOM_STEP))
        self._controls(False)
        self.resize(1000, 720)
        (CollectionOp(runner, lambda _c: load(), parent=self)
         .success(self._loaded).failure(self._failed).run_in_background())

    def _controls(self, on: bool) -> None:
        many = on and len(self.pages) > 1
        for w in (self.prev_button, self.next_button, self.page_label):
            w.setVisible(many)
        for w in (self.fit_button, self.zoom_in, self.zoom_out):
            w.setEnabled(on)

    def _loaded(self, loaded: LoadedScan) -> None:
        self.pages = loaded.pages
        digest = (self.tr("SHA-256 {digest}… verified").format(digest=loaded.sha256[:16])
                  if loaded.sha256 else self.tr("no hash recorded for this copy"))
        self.info.setText(f"{self.windowTitle()} · {loaded.name} · {digest}")
        self._controls(True)
        self.show_page(0)

    def _failed(self, failure: OpFailure) -> None:
        self.info.setText("")
        self.picture.setText(failure.message)
        self.picture.setStyleSheet("color: #c62828; font-weight: bold;")

    def show_page(self, index: int) -> None:
        if not self.pages:
            return
        self.index = max(0, min(index, len(self.pages) - 1))
        self.page_label.setText(self.tr("Page {n} of {total}").format(
            n=self.index + 1, total=len(self.pages)))
        self.prev_button.setEnabled(self.index > 0)
        self.next_button.setEnabled(self.index < len(self.pages) - 1)
        self._paint()

    def _fit_scale(self) -> float:
        page = self.pages[self.index]
        view = self.area.viewport().size()
        if page.width() <= 0 or page.height() <= 0:
            return 1.0
        return max(0.05, min((view.width() - 8) / page.width(),
                             (view.height() - 8) / page.height()))

    def _scale(self) -> float:
        if not self.pages:
            return 1.0
        return self.zoom if self.zoom is not None else self._fit_scale()

    def set_zoom(self, zoom: float | None) -> None:
        self.zoom = None if zoom is None else max(0.05, min(zoom, 8.0))
        self._paint()

    def _paint(self) -> None:
        if not self.pages:
            return
        page = self.pages[self.index]
        scale = self._scale()
        size = page.size() * scale
        self.picture.setPixmap(QPixmap.fromImage(page.scaled(
            size, Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation)))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.zoom is None:
            self._paint()


def stored_scan_loader(db: Database, actor: Actor, order_no: str,
                       document: str) -> Callable[[], LoadedScan]:
    """`load` for a stored copy: the core's checked, audited view, decoded into pages."""
    from app.services.customers.scan_access import view_scan

    def load() -> LoadedScan:
        scan = view_scan(db, actor, order_no, document)
        return LoadedScan(scan.name, scan.sha256, decode_pages(scan.data, scan.mime))

    return load
