"""Copies retained (复印留存): a scanner (SANE's `scanimage`, Windows WIA) or a document camera
saving into a folder, behind one interface. Qt-free; the window runs `scan()` on a worker."""

from app.devices.scanner.base import (
    MAX_SCAN_BYTES,
    ScanCancelled,
    ScannedImage,
    Scanner,
    ScannerError,
)
from app.devices.scanner.folder import FolderScanner
from app.devices.scanner.formats import sniff_mime
from app.devices.scanner.sane import SaneScanner
from app.devices.scanner.setup import open_scanner
from app.devices.scanner.wia import WiaScanner

__all__ = [
    "MAX_SCAN_BYTES",
    "FolderScanner",
    "SaneScanner",
    "ScanCancelled",
    "ScannedImage",
    "Scanner",
    "ScannerError",
    "WiaScanner",
    "open_scanner",
    "sniff_mime",
]
