"""Which kind of file a scan is, by its first bytes, and whether it was written to the end.

The name's extension is not trusted: a document camera may save a JPEG as `.png`, and the
viewer must know what it decodes. `looks_complete` lets the folder backend wait while the
camera's program is still writing a file.
"""

from __future__ import annotations

__all__ = ["EXTENSIONS", "MIME_EXTENSIONS", "looks_complete", "sniff_mime"]

MIME_EXTENSIONS: dict[str, str] = {
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/tiff": "tif",
    "image/bmp": "bmp",
    "application/pdf": "pdf",
}
#: The file names a watched folder may hand over (lower case, with the dot).
EXTENSIONS = frozenset({".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".pdf"})


def sniff_mime(data: bytes) -> str | None:
    """The MIME type of a scan from its signature, or None for anything else."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith((b"II*\x00", b"MM\x00*")):
        return "image/tiff"
    if data.startswith(b"BM") and len(data) >= 26:
        return "image/bmp"
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    return None


def looks_complete(data: bytes, mime: str) -> bool:
    """Whether the file ends as its format ends (a half-written file does not)."""
    tail = data[-1024:]
    if mime == "image/png":
        return b"IEND" in data[-12:]
    if mime == "image/jpeg":
        return tail.rstrip(b"\x00").endswith(b"\xff\xd9")
    if mime == "application/pdf":
        return b"%%EOF" in tail
    if mime == "image/bmp":
        declared = int.from_bytes(data[2:6], "little")
        return declared == 0 or len(data) >= declared
    return True  # TIFF: its directory may sit anywhere; a steady size has to do
