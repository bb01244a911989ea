"""The in-app preview: the paper's own PDF pages, paged with the keys, printed from there.

The preview replaces opening an outside viewer (which failed silently on a counter PC without
one); it shows what PDFium draws, the same pictures the printer is sent.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QFileDialog

from app.printing import render_receipt, render_slip
from app.ui.devices import a4_print
from app.ui.devices.a4_print import PrintChoice
from app.ui.devices.preview import PreviewDialog, PreviewPaper
from app.ui.kit import fonts
from app.ui.kit.op_runner import OpRunner
from app.ui.kit.screenshots import grab_to_png
from app.ui.kit.theme import apply_theme
from app.ui.settings.store import UiSettings
from tests import printing_fixtures as fx

from .ui_fixtures import app_look, no_thread_leak, op_runner, ui_settings

__all__ = ["app_look", "no_thread_leak", "op_runner", "ui_settings"]


@pytest.fixture
def papers(tmp_path: Path) -> list[PreviewPaper]:
    slip = tmp_path / "H1_slip.pdf"
    slip.write_bytes(render_slip(fx.long_cancellation()))  # four pages
    return [PreviewPaper("业务受理单", slip, "slip"),
            PreviewPaper("收据", render_receipt(fx.sim_replacement()), "receipt",
                         printable=False, suggested_name="H1_receipt.pdf")]


def open_preview(qtbot, papers: list[PreviewPaper], runner: OpRunner | None = None,
                 **kw: object) -> PreviewDialog:
    dialog = PreviewDialog(papers, runner=runner, **kw)  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    dialog.resize(1000, 760)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: len(dialog.page_labels) > 0, timeout=20_000)
    return dialog


def test_the_preview_shows_every_page_and_pages_with_the_keys(
        no_thread_leak: None, qtbot, op_runner: OpRunner, papers: list[PreviewPaper]) -> None:
    dialog = open_preview(qtbot, papers, op_runner)  # rendered on a worker
    assert len(dialog.page_labels) == 4
    assert dialog.page_info.text() in ("Page 1 of 4", "第 1 页，共 4 页")
    first = dialog.page_labels[0].pixmap()
    assert not first.isNull()
    # fit to width: the page fills the view across, with its A4 proportions
    view = dialog.scroll_area.viewport().width()
    assert view - 60 <= first.width() <= view
    assert abs(first.height() / first.width() - 297 / 210) < 0.01
    QTest.keyClick(dialog, Qt.Key.Key_PageDown)
    assert dialog.current_page() == 1
    assert dialog.page_info.text() in ("Page 2 of 4", "第 2 页，共 4 页")
    QTest.keyClick(dialog, Qt.Key.Key_PageDown)
    QTest.keyClick(dialog, Qt.Key.Key_PageDown)
    QTest.keyClick(dialog, Qt.Key.Key_PageDown)  # past the end: stays on the last page
    assert dialog.current_page() == 3
    QTest.keyClick(dialog, Qt.Key.Key_PageUp)
    assert dialog.current_page() == 2
    QTest.keyClick(dialog.scroll_area, Qt.Key.Key_PageUp)  # the pages have the keyboard
    assert dialog.current_page() == 1
    # the other paper: one page of the 80 mm roll, never blown up to the window's width
    dialog.chooser.setCurrentIndex(1)
    qtbot.waitUntil(lambda: len(dialog.page_labels) == 1, timeout=20_000)
    roll = dialog.page_labels[0].pixmap()
    assert roll.width() < view * 0.7  # at most twice its real size on screen
    assert not dialog.print_button.isEnabled()  # printed already: a reprint is the way
    QTest.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_print_from_the_preview_prints_the_same_pdf(
        no_thread_leak: None, qtbot, op_runner: OpRunner, papers: list[PreviewPaper],
        tmp_path: Path, ui_settings: UiSettings, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "printed.pdf"
    asked: list[str | None] = []

    def dialog_ok(parent: object, preset: str | None, copies: int = 1, title: str = ""
                  ) -> PrintChoice:
        asked.append(preset)
        return PrintChoice("", 1, str(out))  # the clerk picked "print to file"

    monkeypatch.setattr(a4_print, "ask_choice", dialog_ok)
    ui_settings.a4_printer = "Office A4"
    dialog = open_preview(qtbot, papers, op_runner, settings=ui_settings)
    QTest.keyClick(dialog, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "PDF" in dialog.status.text(), timeout=30_000)
    assert asked == ["Office A4"]  # the dialog opens on the remembered printer
    assert len(PdfReader(io.BytesIO(out.read_bytes())).pages) == 4
    assert dialog.status.text() == "已另存为 PDF：printed.pdf（4 页）"


def test_print_from_the_preview_can_be_left_to_the_caller(qtbot, papers: list[PreviewPaper],
                                                          monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    def no_dialog(*_a: object, **_k: object) -> None:
        raise AssertionError("the caller prints")

    monkeypatch.setattr(a4_print, "ask_choice", no_dialog)
    dialog = open_preview(qtbot, papers, handle_print=False)  # rendered here, no worker
    with qtbot.waitSignal(dialog.print_requested, timeout=2000) as signal:
        dialog.print_button.click()
    assert signal.args == [0]


def test_with_no_printer_the_preview_says_so_and_saves_a_pdf(
        qtbot, papers: list[PreviewPaper], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(a4_print, "available_printers", lambda: [])
    dialog = open_preview(qtbot, papers)
    dialog.print_button.click()
    assert dialog.status.text() == a4_print.no_printer().zh
    target = tmp_path / "copy" / "slip-copy.pdf"
    target.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *a, **k: (str(target), "PDF files (*.pdf)"))
    dialog.save_button.click()
    assert target.read_bytes() == Path(papers[0].source).read_bytes()  # the very PDF
    assert "slip-copy.pdf" in dialog.status.text()


def test_a_damaged_paper_is_one_sentence(qtbot, tmp_path: Path) -> None:
    broken = tmp_path / "H1_slip.pdf"
    broken.write_bytes(b"%PDF-1.4 broken")
    dialog = PreviewDialog([PreviewPaper("业务受理单", broken, "slip")])
    qtbot.addWidget(dialog)
    assert dialog.page_labels == [] and "无法读取" in dialog.status.text()


@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)])
def test_the_preview_at_counter_screen_sizes(qtbot, app_look: QApplication,
                                             papers: list[PreviewPaper], tmp_path: Path,
                                             size: tuple[int, int]) -> None:
    """As docs/screenshots/print_preview_*.png show it (the same grab, into tmp_path here)."""
    fonts.install_cjk_font(app_look)
    apply_theme(app_look)
    dialog = open_preview(qtbot, papers)
    dialog.resize(*size)
    qtbot.waitUntil(lambda: dialog.page_labels[0].pixmap().width() > size[0] * 0.8,
                    timeout=5000)
    shot = QImage(str(grab_to_png(dialog, tmp_path / "preview.png")))
    assert (shot.width(), shot.height()) == size
    # everything fits: the buttons are inside the window
    for button in (dialog.print_button, dialog.save_button):
        corner = button.mapTo(dialog, button.rect().bottomRight())
        assert 0 < corner.x() <= size[0] and 0 < corner.y() <= size[1]
