"""Render the program icon from its SVG source: ``counter.png`` (256 px) and ``counter.ico``.

    python installer/make_icons.py            # writes resources/icons/counter.{png,ico}
    python installer/make_icons.py --check    # exit 1 if the committed files are out of date

The SVG (``resources/icons/counter.svg``) is the only source; the PNG is the window icon and
the one the Linux desktop file installs, the ICO goes into ``counter.exe`` and the Windows
installer. Rendering is done offscreen with Qt (QSvgRenderer on a QPainter over a QImage).

The ICO holds 16, 24, 32, 48, 64, 128 and 256 px images: the small ones as 32-bit DIBs (the
classic layout every Windows shell, resource compiler and Inno Setup reads), the 256 px one as
PNG (what Windows expects for that size, and a tenth of the bytes). QImageWriter's own ``ico``
format writes a single image only, so the container is assembled here.
"""

from __future__ import annotations

import argparse
import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QGuiApplication, QImage, QImageWriter, QPainter
from PySide6.QtSvg import QSvgRenderer

ROOT = Path(__file__).resolve().parents[1]
ICONS = ROOT / "resources" / "icons"
SVG = ICONS / "counter.svg"
PNG = ICONS / "counter.png"
ICO = ICONS / "counter.ico"
PNG_SIZE = 256
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)


def render(renderer: QSvgRenderer, size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    return image


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QImageWriter(buffer, QByteArray(b"png"))
    if not writer.write(image):
        raise SystemExit(f"PNG encoding failed: {writer.errorString()}")
    buffer.close()
    return bytes(data.data())


def dib_bytes(image: QImage) -> bytes:
    """A 32-bit BGRA device-independent bitmap as stored in an ICO (XOR image + AND mask)."""
    size = image.width()
    # Format_ARGB32 is 0xAARRGGBB per pixel: B, G, R, A in memory on little-endian machines,
    # which is the byte order of a 32-bit DIB. Rows are stored bottom-up.
    argb = image.convertToFormat(QImage.Format.Format_ARGB32)
    row = size * 4
    pixels = bytearray()
    for y in reversed(range(size)):
        line = bytes(argb.constScanLine(y))[:row]
        if sys.byteorder == "big":
            line = b"".join(line[i : i + 4][::-1] for i in range(0, row, 4))
        pixels += line
    # The AND mask is ignored for 32-bit images with alpha, but must be present (all zero).
    mask_row = ((size + 31) // 32) * 4
    mask = bytes(mask_row * size)
    header = struct.pack(
        "<IiiHHIIiiII", 40, size, size * 2, 1, 32, 0, len(pixels) + len(mask), 0, 0, 0, 0
    )
    return header + bytes(pixels) + mask


def ico_bytes(images: dict[int, QImage]) -> bytes:
    entries = []
    for size, image in sorted(images.items()):
        data = png_bytes(image) if size >= 256 else dib_bytes(image)
        entries.append((size, data))
    offset = 6 + 16 * len(entries)
    directory = bytearray(struct.pack("<HHH", 0, 1, len(entries)))
    blobs = bytearray()
    for size, data in entries:
        dim = 0 if size >= 256 else size  # 0 means 256 in an ICONDIRENTRY
        directory += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(data), offset)
        offset += len(data)
        blobs += data
    return bytes(directory + blobs)


def build() -> dict[Path, bytes]:
    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        raise SystemExit(f"cannot read {SVG}")
    images = {size: render(renderer, size) for size in ICO_SIZES}
    return {PNG: png_bytes(images[PNG_SIZE]), ICO: ico_bytes(images)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only compare with the files")
    args = parser.parse_args(argv)
    app = QGuiApplication.instance() or QGuiApplication([])  # noqa: F841 (fonts, plugins)
    outputs = build()
    if args.check:
        stale = [p for p, data in outputs.items() if not p.exists() or p.read_bytes() != data]
        for path in stale:
            print(f"out of date: {path.relative_to(ROOT)} (run python installer/make_icons.py)")
        return 1 if stale else 0
    for path, data in outputs.items():
        path.write_bytes(data)
        print(f"wrote {path.relative_to(ROOT)} ({len(data)} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
