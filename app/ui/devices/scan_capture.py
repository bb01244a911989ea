"""Scanning a paper at the checklist row: the scanner runs on a worker, never the window.

The scanner comes from this workstation's `devices.ini` (`[scanner]`, see
app/devices/scanner/setup.py), or from `ctx.extras["scanner"]` (tests, a drill). A scan is
then attached exactly as a chosen file is (`DocumentRow.attach_file`: the same size limit, the
same SHA-256 kept and checked again when the order is recorded), so it is first written to a
private temporary folder of this process (0700, files 0600), removed when the program ends:
in between it is the same kind of plain file a clerk could have picked. The copy is stored
encrypted with the order; the temporary file is only the hand-over.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QImage

from app.devices.scanner import (
    MAX_SCAN_BYTES,
    ScanCancelled,
    ScannedImage,
    Scanner,
    ScannerError,
)
from app.ui.devices.scan_viewer import ScanUnreadable, decode_pages, register_scan_messages
from app.ui.kit.op_failures import OpFailure
from app.ui.kit.operations import OpContext, OpHandle, QueryOp

if TYPE_CHECKING:
    from app.ui.shell.context import AppContext

__all__ = ["ScanCapture", "Scanned", "keep_scan", "scanner_for"]

THUMB_HEIGHT = 56
_scan_root: Path | None = None


def _root() -> Path:
    global _scan_root
    if _scan_root is None or not _scan_root.is_dir():
        _scan_root = Path(tempfile.mkdtemp(prefix="counter-scans-"))
        atexit.register(shutil.rmtree, _scan_root, True)
    return _scan_root


def keep_scan(image: ScannedImage) -> Path:
    """Write the scan under its own name into a fresh private folder; returns its path."""
    folder = Path(tempfile.mkdtemp(dir=_root()))
    path = folder / (Path(image.name).name or "scan")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(image.data)
    return path


def scanner_for(ctx: AppContext, zone: str) -> Scanner | None:
    """The counter's scanner (None: none is set up). Reads devices.ini: call on a worker."""
    injected = ctx.extras.get("scanner")
    if isinstance(injected, Scanner):
        return injected
    from app.devices.config import load
    from app.devices.scanner import open_scanner

    return open_scanner(load(), clock=ctx.db.clock, zone=zone)


@dataclass(frozen=True)
class Scanned:
    path: str
    thumbnail: QImage  # null when the copy cannot be pictured (still attached)


class ScanCapture(QObject):
    """One row's scan button logic: `start()` scans, `start()` again while waiting cancels."""

    scanned = Signal(object)  # Scanned
    failed = Signal(str)
    busy = Signal(bool)

    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        register_scan_messages()
        self.ctx = ctx
        self.handle: OpHandle | None = None

    @property
    def running(self) -> bool:
        return self.handle is not None and not self.handle.is_done()

    def start(self) -> None:
        if self.running:
            assert self.handle is not None
            self.handle.cancel()
            return
        ctx, zone = self.ctx, self.ctx.timezone

        def work(c: OpContext) -> Scanned:
            scanner = scanner_for(ctx, zone)
            if scanner is None:
                raise ScannerError("本柜台没有设置扫描仪（设备设置 [scanner]），请从文件附上",
                                   "No scanner is set up for this counter (device settings "
                                   "[scanner]); attach a file instead")
            image = scanner.scan(lambda: c.cancelled)
            if len(image.data) > MAX_SCAN_BYTES:
                raise ScannerError("扫描件超过 20 MB", "The scan is over 20 MB")
            try:
                pages = decode_pages(image.data, image.mime)
                thumb = pages[0].scaledToHeight(THUMB_HEIGHT,
                                                Qt.TransformationMode.SmoothTransformation)
            except ScanUnreadable:
                thumb = QImage()
            return Scanned(str(keep_scan(image)), thumb)

        def done(result: Scanned) -> None:
            self.handle = None
            self.busy.emit(False)
            self.scanned.emit(result)

        def failed(f: OpFailure) -> None:
            self.handle = None
            self.busy.emit(False)
            if f.cancelled:  # cancelled before the worker began: say it as the scanner would
                from app.ui.shell.errors import pick

                stop = ScanCancelled()
                self.failed.emit(pick(stop.zh, stop.en))
            else:
                self.failed.emit(f.message)

        self.busy.emit(True)
        self.handle = QueryOp(ctx.runner, work).success(done).failure(failed).run_in_background()
