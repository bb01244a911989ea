"""The in-app preview of a paper: the PDF's own pages, as PDFium draws them for the printer.

No outside viewer is needed (a counter PC often has none, and opening one failed silently).
The pages are rendered once at `PREVIEW_DPI` on a worker and scaled to the window's width;
Page Up / Page Down go from page to page, Ctrl+P prints, Esc closes. With several papers (slip
and receipt) a list at the top picks the one shown.

Printing from the preview either goes back to the caller (`print_requested`, so that the
visit's papers are printed and recorded in one place) or, for a paper nobody records (a
report), is done here: the print dialog on the remembered printer, the job on a worker.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QImage, QKeyEvent, QKeySequence, QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.ui.devices import a4_print
from app.ui.devices.pdf_pages import PdfSource, PdfUnreadable, render_pages
from app.ui.devices.printer import remember_printer, routes_from
from app.ui.kit import i18n
from app.ui.kit.op_failures import OpFailure
from app.ui.kit.op_runner import OpRunner
from app.ui.kit.operations import OpContext, QueryOp
from app.ui.kit.theme import set_role
from app.ui.settings.store import UiSettings

__all__ = ["PREVIEW_DPI", "PreviewDialog", "PreviewPaper"]

PREVIEW_DPI = 150  # sharp at fit-to-width on a 1920 px screen, ~5 MB per A4 page
PAGE_GAP = 16


@dataclass(frozen=True)
class PreviewPaper:
    title: str  # as the clerk knows it: 业务受理单
    source: PdfSource
    kind: str = "report"  # the paper kind, for the remembered printer
    printable: bool = True  # False: already printed (a reprint is the way to another copy)
    suggested_name: str = ""


def _pick(zh: str, en: str) -> str:
    return en if i18n.installed_language() == "en" else zh


class PreviewDialog(QDialog):
    """Shows one paper at a time; `print_requested(index)` when a caller handles printing."""

    print_requested = Signal(int)

    def __init__(self, papers: Sequence[PreviewPaper], parent: QWidget | None = None, *,
                 runner: OpRunner | None = None, handle_print: bool = True,
                 settings: UiSettings | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("previewDialog")
        self.setWindowTitle(self.tr("Print preview"))
        self.papers = list(papers)
        self.runner = runner
        self.handle_print = handle_print
        self.settings = settings
        self.images: list[QImage] = []
        self.page_labels: list[QLabel] = []
        self.zoom = 1.0  # times the fit-to-width size
        self._load_seq = 0
        self.chooser = QComboBox()
        self.chooser.setObjectName("previewPaper")
        for paper in self.papers:
            self.chooser.addItem(paper.title)
        self.chooser.setVisible(len(self.papers) > 1)
        self.page_info = QLabel()
        self.page_info.setObjectName("previewPageInfo")
        zoom_out, fit, zoom_in = (QPushButton("−"), QPushButton(self.tr("Fit width")),
                                  QPushButton("+"))
        zoom_out.setObjectName("previewZoomOut")
        zoom_in.setObjectName("previewZoomIn")
        fit.setObjectName("previewFitWidth")
        self.save_button = QPushButton(self.tr("Save as PDF…"))
        self.save_button.setObjectName("previewSave")
        self.print_button = QPushButton(self.tr("Print…"))
        self.print_button.setObjectName("previewPrint")
        set_role(self.print_button, "primary")
        close = QPushButton(self.tr("Close"))
        close.setObjectName("previewClose")
        top = QHBoxLayout()
        top.addWidget(self.chooser)
        top.addWidget(self.page_info)
        top.addStretch(1)
        for b in (zoom_out, fit, zoom_in, self.save_button, self.print_button, close):
            b.setAutoDefault(False)
            top.addWidget(b)
        self.pages = QWidget()
        self.pages.setObjectName("previewPages")
        self.pages.setStyleSheet("#previewPages { background: #8a949e; }")
        self.pages_layout = QVBoxLayout(self.pages)
        self.pages_layout.setSpacing(PAGE_GAP)
        self.pages_layout.setContentsMargins(PAGE_GAP, PAGE_GAP, PAGE_GAP, PAGE_GAP)
        self.pages_layout.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.scroll_area = QScrollArea()
        self.scroll_area.setObjectName("previewScroll")
        self.scroll_area.setWidget(self.pages)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.status = QLabel()
        self.status.setObjectName("previewStatus")
        self.status.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.scroll_area, 1)
        layout.addWidget(self.status)
        self._rescale_timer = QTimer(self)
        self._rescale_timer.setSingleShot(True)
        self._rescale_timer.setInterval(60)
        self._rescale_timer.timeout.connect(self._rescale)
        self.chooser.currentIndexChanged.connect(self.show_paper)
        zoom_out.clicked.connect(lambda: self.set_zoom(self.zoom / 1.25))
        zoom_in.clicked.connect(lambda: self.set_zoom(self.zoom * 1.25))
        fit.clicked.connect(lambda: self.set_zoom(1.0))
        self.save_button.clicked.connect(self.save_as_pdf)
        self.print_button.clicked.connect(self.request_print)
        close.clicked.connect(self.reject)
        self.scroll_area.verticalScrollBar().valueChanged.connect(self._update_page_info)
        # The keys are read here, not as window shortcuts: they work as soon as the dialog
        # has the keyboard, and the scroll area must not take Page Up/Down for itself.
        self._keys: list[tuple[QKeySequence.StandardKey | Qt.Key, Callable[[], object]]] = [
            (QKeySequence.StandardKey.Print, self.request_print),
            (Qt.Key.Key_PageDown, self.next_page),
            (Qt.Key.Key_PageUp, self.previous_page),
            (QKeySequence.StandardKey.ZoomIn, zoom_in.click),
            (QKeySequence.StandardKey.ZoomOut, zoom_out.click),
        ]
        self.scroll_area.installEventFilter(self)
        self.resize(1000, 760)
        if self.papers:
            self.show_paper(0)

    # -- the paper shown ---------------------------------------------------------------------

    @property
    def index(self) -> int:
        return max(0, self.chooser.currentIndex())

    @property
    def paper(self) -> PreviewPaper:
        return self.papers[self.index]

    def show_paper(self, index: int) -> None:
        if index != self.chooser.currentIndex():
            self.chooser.setCurrentIndex(index)  # comes back here through the signal
            return
        paper = self.papers[index]
        self.print_button.setEnabled(paper.printable)
        self.print_button.setToolTip("" if paper.printable else self.tr(
            "Already printed: use Reprint for another copy (marked as such)."))
        self._set_images([])
        self.status.setText(self.tr("Preparing the preview..."))
        self._load_seq += 1
        seq, source = self._load_seq, paper.source
        if self.runner is None:  # no worker (a tool, a test): render here
            try:
                self._loaded(seq, render_pages(source, PREVIEW_DPI))
            except PdfUnreadable as exc:
                self.status.setText(_pick(exc.zh, exc.en))
            return

        def work(_c: OpContext) -> list[QImage]:
            return render_pages(source, PREVIEW_DPI)  # QImage: fine off the GUI thread

        def failed(f: OpFailure) -> None:
            if shiboken6.isValid(self) and seq == self._load_seq:
                exc = f.exception
                self.status.setText(_pick(exc.zh, exc.en) if isinstance(exc, PdfUnreadable)
                                    else f.message)

        (QueryOp(self.runner, work).success(lambda images: self._loaded(seq, images))
         .failure(failed).run_in_background())

    def _loaded(self, seq: int, images: list[QImage]) -> None:
        if not shiboken6.isValid(self) or seq != self._load_seq:
            return  # closed, or another paper was picked meanwhile
        self.status.clear()
        self._set_images(images)

    def _set_images(self, images: list[QImage]) -> None:
        for label in self.page_labels:
            label.deleteLater()
        self.page_labels = []
        self.images = images
        for number, _image in enumerate(images, start=1):
            label = QLabel()
            label.setObjectName(f"previewPage{number}")
            label.setStyleSheet("background: white; border: 1px solid #5f6b7a;")
            self.pages_layout.addWidget(label, 0, Qt.AlignmentFlag.AlignHCenter)
            self.page_labels.append(label)
        self._rescale()
        self.scroll_area.verticalScrollBar().setValue(0)
        self._update_page_info()

    # -- size and pages ------------------------------------------------------------------------

    def page_width(self, image: QImage) -> int:
        """Fit to the window's width, times the zoom; never wider than twice the paper's
        real size (an 80 mm receipt would otherwise be blown up to a poster)."""
        available = self.scroll_area.viewport().width() - 2 * PAGE_GAP - 4
        real = image.width() * self.logicalDpiX() / PREVIEW_DPI
        return max(120, round(min(available, 2 * real) * self.zoom))

    def _rescale(self) -> None:
        width, height = 0, PAGE_GAP
        for image, label in zip(self.images, self.page_labels, strict=True):
            scaled = image.scaledToWidth(self.page_width(image),
                                         Qt.TransformationMode.SmoothTransformation)
            label.setPixmap(QPixmap.fromImage(scaled))
            label.setFixedSize(scaled.size())
            width, height = max(width, scaled.width()), height + scaled.height() + PAGE_GAP
        # the scroll range follows from this at once (the layout would set it only on its
        # next pass), so that Page Down right after the pages came in goes somewhere
        self.pages.setMinimumSize(width + 2 * PAGE_GAP, height)
        self.scroll_area.setWidgetResizable(True)
        self._update_page_info()

    def _key(self, event: QKeyEvent) -> bool:
        """Run the action of a preview key; whether it was one."""
        for key, action in self._keys:
            hit = (event.matches(key) if isinstance(key, QKeySequence.StandardKey)
                   else event.key() == key and not event.modifiers())
            if hit:
                action()
                return True
        return False

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not self._key(event):
            super().keyPressEvent(event)  # Esc closes

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) \
                and self._key(event):
            return True
        return super().eventFilter(watched, event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._rescale_timer.start()

    def set_zoom(self, zoom: float) -> None:
        self.zoom = min(4.0, max(0.25, zoom))
        self._rescale()

    def page_tops(self) -> list[int]:
        """Where each page starts in the scrolled area (computed from the pages' sizes, so
        that it holds before the layout has placed them)."""
        tops, y = [], PAGE_GAP
        for label in self.page_labels:
            tops.append(y)
            y += label.height() + PAGE_GAP
        return tops

    def current_page(self) -> int:
        """0-based: the last page whose top is at or above the top of the view."""
        value = self.scroll_area.verticalScrollBar().value()
        current = 0
        for i, top in enumerate(self.page_tops()):
            if top <= value + PAGE_GAP:
                current = i
        return current

    def go_to_page(self, index: int) -> None:
        if not self.page_labels:
            return
        index = min(max(0, index), len(self.page_labels) - 1)
        self.scroll_area.verticalScrollBar().setValue(self.page_tops()[index] - PAGE_GAP)
        self._update_page_info()

    def next_page(self) -> None:
        self.go_to_page(self.current_page() + 1)

    def previous_page(self) -> None:
        self.go_to_page(self.current_page() - 1)

    def _update_page_info(self) -> None:
        count = len(self.page_labels)
        self.page_info.setText(self.tr("Page {page} of {count}").format(
            page=self.current_page() + 1, count=count) if count else "")

    # -- print and save ------------------------------------------------------------------------

    def request_print(self) -> None:
        if not self.papers or not self.paper.printable:
            return
        if not self.handle_print:
            self.print_requested.emit(self.index)
            return
        paper = self.paper
        routes = routes_from(self.settings)
        asked = a4_print.ask_choice(self, routes.printer_for(paper.kind) or None,
                                    title=self.tr("Print: {paper}").format(paper=paper.title))
        if isinstance(asked, a4_print.PrintOutcome):
            self.status.setText(_pick(asked.zh, asked.en))
            return
        if asked.printer_name:
            remember_printer(paper.kind, asked.printer_name)
        self.print_button.setEnabled(False)
        self.status.setText(self.tr("Printing..."))
        source, choice = paper.source, asked

        def work() -> a4_print.PrintOutcome:
            return a4_print.paint_pdf(source, a4_print.new_printer(choice),
                                      doc_name=paper.suggested_name or paper.title)

        if self.runner is None:
            self._printed(work())
            return
        (QueryOp(self.runner, lambda _c: work()).success(self._printed)
         .failure(lambda f: self._printed(a4_print.PrintOutcome(False, f.message, f.message)))
         .run_in_background())

    def _printed(self, outcome: a4_print.PrintOutcome) -> None:
        if not shiboken6.isValid(self):
            return
        self.print_button.setEnabled(self.paper.printable)
        self.status.setText(_pick(outcome.zh, outcome.en))

    def save_as_pdf(self) -> None:
        """A copy of the very PDF (not a re-render), where the clerk chooses."""
        if not self.papers:
            return
        paper = self.paper
        name = paper.suggested_name or (Path(paper.source).name
                                        if not isinstance(paper.source, bytes) else "paper.pdf")
        target, _filter = QFileDialog.getSaveFileName(
            self, self.tr("Save as PDF"), name, self.tr("PDF files (*.pdf)"))
        if not target:
            return
        from app.printing import atomic_write

        try:
            data = (paper.source if isinstance(paper.source, bytes)
                    else Path(paper.source).read_bytes())
            atomic_write(Path(target), data)
        except OSError:
            self.status.setText(self.tr("The PDF could not be saved there; choose another "
                                        "folder."))
            return
        self.status.setText(self.tr("Saved as PDF: {name}").format(name=Path(target).name))
