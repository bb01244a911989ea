"""Copies retained at the counter, driven like a clerk and a supervisor drive them (offscreen):
the "扫描" button of a checklist row scans with SANE's test backend (from devices.ini) or a
document camera's folder on a worker, the copy is attached as a file would be and recorded
with the order; the supervisor's order record opens it in the viewer, which the core audits;
faults, a cancel and a refused view are one line each."""

from __future__ import annotations

import hashlib
import io
import os
import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import Qt, QUrl
from PySide6.QtTest import QTest
from sqlalchemy import select

from app.core.request import parse_request
from app.devices.scanner import FolderScanner, ScannedImage, Scanner, ScannerError
from app.models import AuditEvent, OrderDocument, ServiceOrder
from app.services.orders.service import DocumentIn, SignatureIn, Submission, content_hash
from app.ui.counter.window import CounterWindow
from app.ui.devices.scan_viewer import LoadedScan, ScanViewer, decode_pages, stored_scan_loader
from app.ui.shell.context import AppContext
from app.ui.supervisor.record import OrderRecordDialog
from app.ui.wizard.base import CUSTOMER, DETAILS, DOCUMENTS, DONE, PRESENTER, SIGNATURE
from tests.builders import group
from tests.devices.sane_fixtures import needs_scanimage, sane_env

from .counter_driver import (
    WAIT_MS,
    click_next,
    ctx,
    draw_signature,
    group_active,
    log_in,
    make_resident_id,
    pick_line,
    settle,
    wait_page,
    wait_verdict,
    window,
)
from .ui_fixtures import no_thread_leak, op_runner, translators, ui_settings

__all__ = ["ctx", "no_thread_leak", "op_runner", "sane_env", "translators", "ui_settings",
           "window"]


def find_and_choose(qtbot, w: CounterWindow, typed: str) -> None:  # type: ignore[no-untyped-def]
    w.search.box.setFocus()
    QTest.keyClicks(w.search.box, typed)
    qtbot.waitUntil(lambda: w.search.model.rowCount() > 0, timeout=WAIT_MS)
    with qtbot.waitSignal(w.customer_loaded, timeout=WAIT_MS):
        QTest.keyClick(w.search.box, Qt.Key.Key_Return)


def to_documents(qtbot, w: CounterWindow, ctx: AppContext):  # type: ignore[no-untyped-def]
    """A group customer's loss report, presented by an agent: the stamped letter is needed."""
    pick = pick_line(ctx, group_active)
    find_and_choose(qtbot, w, pick.number)
    w.panel.select_line(pick.number)
    w.launcher.buttons["report_loss"].click()
    qtbot.waitUntil(lambda: w.wizard is not None and w.wizard.currentId() == CUSTOMER,
                    timeout=WAIT_MS)
    wizard = w.wizard
    assert wizard is not None
    click_next(qtbot, wizard, PRESENTER)
    wizard.pages[PRESENTER].name.setText("经办人张三")
    QTest.keyClicks(wizard.pages[PRESENTER].id_field.number, make_resident_id(date(1979, 6, 1)))
    click_next(qtbot, wizard, DOCUMENTS)
    row = wizard.pages[DOCUMENTS].row("introduction_letter")
    assert row is not None
    return wizard, row


def write_devices_ini(body: str) -> None:
    folder = Path(os.environ["COUNTER_CONFIG_DIR"])  # set by the ui_settings fixture
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "devices.ini").write_text(body, encoding="utf-8")


def png(colour: str = "white", size: tuple[int, int] = (300, 200)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "PNG")
    return out.getvalue()


def recorded_order(ctx: AppContext, scan: bytes) -> str:
    """C001's accepted order with the letter's copy, recorded through the service."""
    clerk = log_in(ctx, "C001")
    req = parse_request(group("report_loss"))
    result = ctx.orders.submit(Submission(
        req, documents=[DocumentIn("introduction_letter", scan=scan, scan_name="letter.png")],
        signature=SignatureIn(content_hash(req, ctx.orders.evaluate(req)), on_paper=True)),
        clerk)
    assert result.order_no
    return result.order_no


@needs_scanimage
def test_scan_button_attaches_a_sane_scan_that_is_recorded_and_viewed_again(
        qtbot, window: CounterWindow, ctx: AppContext,  # type: ignore[no-untyped-def]
        sane_env: dict[str, str]) -> None:
    write_devices_ini("[scanner]\nbackend = sane\ndevice = test:0\nresolution = 100\n"
                      "options = --test-picture 'Color pattern'\n")
    wizard, row = to_documents(qtbot, window, ctx)
    assert row.scan_button.text() == "扫描"
    row.seen.setChecked(True)
    qtbot.mouseClick(row.scan_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(row.check.scan_path), timeout=WAIT_MS)
    path = Path(row.check.scan_path)
    assert path.name == "scan-20261122-100000.png"
    assert (path.stat().st_mode & 0o777) == 0o600 and (path.parent.stat().st_mode & 0o777) == 0o700
    data = path.read_bytes()
    assert row.check.scan_sha256 == hashlib.sha256(data).hexdigest()
    assert f"SHA-256 {row.check.scan_sha256[:12]}" in row.scan_label.text()
    assert row.thumb.isVisible() and row.thumb.pixmap().height() == 56
    with Image.open(io.BytesIO(data)) as image:  # 80 x 100 mm at 100 dpi
        assert abs(image.width - 315) <= 2 and abs(image.height - 394) <= 2

    click_next(qtbot, wizard, DETAILS)
    click_next(qtbot, wizard)
    assert wait_verdict(qtbot, wizard).decision == "accepted"
    wait_page(qtbot, wizard, SIGNATURE)
    draw_signature(wizard.pages[SIGNATURE].pad, strokes=1)
    click_next(qtbot, wizard, DONE)
    settle(ctx)
    order_no = wizard.controller.result.order_no
    with ctx.db.read() as s:
        order_id = s.execute(select(ServiceOrder.id).where(ServiceOrder.order_no == order_no)
                             ).scalar_one()
        doc = s.execute(select(OrderDocument).where(OrderDocument.order_id == order_id)
                        ).scalar_one()
        assert doc.scan_name == "scan-20261122-100000.png"
        assert doc.scan_sha256 == hashlib.sha256(data).hexdigest()
        assert doc.scan_enc is not None and data not in doc.scan_enc  # stored encrypted

    # The supervisor opens the order's record and follows the copy's link.
    log_in(ctx, "S001", open_shift=False)
    record = OrderRecordDialog(ctx, order_no, window)
    qtbot.addWidget(record)
    qtbot.waitUntil(lambda: record.record is not None, timeout=WAIT_MS)
    assert "scan:introduction_letter" in record.text.toHtml()
    record.text.anchorClicked.emit(QUrl("scan:introduction_letter"))
    viewer = record.viewer
    assert viewer is not None
    qtbot.waitUntil(lambda: bool(viewer.pages), timeout=WAIT_MS)
    assert viewer.pages[0].width() == Image.open(io.BytesIO(data)).width
    assert not viewer.picture.pixmap().isNull()
    assert "scan-20261122-100000.png" in viewer.info.text()
    assert f"SHA-256 {doc.scan_sha256[:16]}" in viewer.info.text()
    with ctx.db.read() as s:
        [seen] = s.execute(select(AuditEvent).where(AuditEvent.action == "scan.viewed")
                           ).scalars().all()
    assert (seen.actor, seen.target, seen.data["document"]) == ("S001", order_no,
                                                                "introduction_letter")
    QTest.keyClick(viewer, Qt.Key.Key_Escape)
    assert not viewer.isVisible()
    record.close()


class BrokenScanner(Scanner):
    backend = "fake"

    def devices(self) -> list[str]:
        return ["fake"]

    def scan(self, cancelled: Callable[[], bool] = lambda: False) -> ScannedImage:
        raise ScannerError("扫描仪盖板没有合上，请合上后再扫描", "The scanner cover is open")


def test_a_scanner_fault_or_no_scanner_is_one_line(qtbot, window: CounterWindow,  # type: ignore[no-untyped-def]
                                                   ctx: AppContext) -> None:
    _wizard, row = to_documents(qtbot, window, ctx)
    qtbot.mouseClick(row.scan_button, Qt.MouseButton.LeftButton)  # no devices.ini at all
    qtbot.waitUntil(lambda: "没有设置扫描仪" in row.scan_label.text(), timeout=WAIT_MS)
    assert "\n" not in row.scan_label.text() and row.scan_button.text() == "扫描"
    ctx.extras["scanner"] = BrokenScanner()
    qtbot.mouseClick(row.scan_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: row.scan_label.text() == "扫描仪盖板没有合上，请合上后再扫描",
                    timeout=WAIT_MS)
    assert not row.check.scan_path and not row.thumb.isVisible()
    ctx.extras.pop("scanner")


def test_document_camera_folder_and_cancel(qtbot, window: CounterWindow,  # type: ignore[no-untyped-def]
                                           ctx: AppContext, tmp_path: Path) -> None:
    camera = tmp_path / "camera"
    camera.mkdir()
    ctx.extras["scanner"] = FolderScanner(camera, timeout=30, poll=0.05)
    _wizard, row = to_documents(qtbot, window, ctx)
    qtbot.mouseClick(row.scan_button, Qt.MouseButton.LeftButton)  # waits for the camera
    qtbot.waitUntil(lambda: row.scan_button.text() == "取消扫描", timeout=WAIT_MS)
    qtbot.mouseClick(row.scan_button, Qt.MouseButton.LeftButton)  # the clerk gives up
    qtbot.waitUntil(lambda: row.scan_label.text() == "扫描已取消", timeout=WAIT_MS)
    assert row.scan_button.text() == "扫描"

    photo = png("orange")
    qtbot.mouseClick(row.scan_button, Qt.MouseButton.LeftButton)
    timer = threading.Timer(0.3, lambda: (camera / "IMG_0042.png").write_bytes(photo))
    timer.start()
    qtbot.waitUntil(lambda: bool(row.check.scan_path), timeout=WAIT_MS)
    timer.join()
    assert Path(row.check.scan_path).name == "IMG_0042.png"
    assert row.check.scan_sha256 == hashlib.sha256(photo).hexdigest()
    assert row.thumb.isVisible()
    ctx.extras.pop("scanner")


def test_a_refused_view_is_one_line(qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    order_no = recorded_order(ctx, png())
    other = log_in(ctx, "C002", "C02")
    viewer = ScanViewer(ctx.runner, stored_scan_loader(ctx.db, other, order_no,
                                                       "introduction_letter"), "copy")
    qtbot.addWidget(viewer)
    viewer.show()
    qtbot.waitUntil(lambda: bool(viewer.picture.text()), timeout=WAIT_MS)
    assert viewer.picture.text().startswith("权限不足：只有值班长")
    assert "\n" not in viewer.picture.text() and not viewer.pages
    assert not viewer.fit_button.isEnabled()


def test_the_viewer_pages_through_a_pdf_and_zooms(qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    out = io.BytesIO()
    first, second = Image.new("RGB", (600, 800), "white"), Image.new("RGB", (800, 600), "gray")
    first.save(out, "PDF", save_all=True, append_images=[second], resolution=100)
    pages = decode_pages(out.getvalue(), "application/pdf")
    assert [(p.width() > p.height()) for p in pages] == [False, True]
    viewer = ScanViewer(ctx.runner, lambda: LoadedScan("scan.pdf", "ab" * 32, pages), "pdf")
    qtbot.addWidget(viewer)
    viewer.resize(1000, 700)
    viewer.show()
    qtbot.waitUntil(lambda: bool(viewer.pages), timeout=WAIT_MS)
    assert viewer.page_label.text() == "第 1 页，共 2 页"
    fitted = viewer.picture.pixmap().size()
    view = viewer.area.viewport().size()
    assert fitted.height() <= view.height() and fitted.width() <= view.width()
    assert max(fitted.height() / view.height(), fitted.width() / view.width()) > 0.9
    qtbot.mouseClick(viewer.zoom_in, Qt.MouseButton.LeftButton)
    assert viewer.picture.pixmap().height() > fitted.height()
    qtbot.mouseClick(viewer.fit_button, Qt.MouseButton.LeftButton)
    assert viewer.picture.pixmap().size() == fitted
    qtbot.mouseClick(viewer.next_button, Qt.MouseButton.LeftButton)
    assert viewer.index == 1 and not viewer.next_button.isEnabled()
    QTest.keyClick(viewer, Qt.Key.Key_Escape)
    assert not viewer.isVisible()


@pytest.mark.parametrize("data", [b"not a picture"])
def test_an_unreadable_copy_says_so(qtbot, ctx: AppContext, data: bytes) -> None:  # type: ignore[no-untyped-def]
    viewer = ScanViewer(ctx.runner, lambda: LoadedScan("x", None, decode_pages(data, "image/png")),
                        "bad")
    qtbot.addWidget(viewer)
    viewer.show()
    qtbot.waitUntil(lambda: bool(viewer.picture.text()), timeout=WAIT_MS)
    assert viewer.picture.text() == "复印件不是可以显示的图像或 PDF"
