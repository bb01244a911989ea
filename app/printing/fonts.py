"""The CJK font every paper is printed with, registered once with reportlab.

WenQuanYi Micro Hei ships in `resources/fonts/` (licence next to it). reportlab embeds only
TrueType outlines, so an OTF/CFF font such as Noto Sans CJK would not work here.

`ensure_fonts()` is lazy, idempotent and thread-safe: the first caller (GUI thread or a worker)
loads the font (~0.1 s), later callers return at once. `font_path()` lets the GUI load the same
file into Qt so screen and paper match.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from app.resources import resource_path

__all__ = [
    "FONT_FILE",
    "FONT_NAME",
    "FontMissingError",
    "ensure_fonts",
    "font_path",
    "unsupported_chars",
]

FONT_NAME = "WQYMicroHei"  # the name the renderers use with reportlab
FONT_FILE = "wqy-microhei.ttc"
_SUBFONT_INDEX = 0  # 0: WenQuanYi Micro Hei (proportional), 1: the Mono face

_lock = threading.Lock()
_font: TTFont | None = None


class FontMissingError(FileNotFoundError):
    """The shipped font file is not where it should be (broken install or bundle)."""


def font_path() -> Path:
    """Path of the shipped TrueType collection (for reportlab and for QFontDatabase)."""
    return resource_path("fonts", FONT_FILE)


def ensure_fonts() -> str:
    """Register the printing font with reportlab (once) and return its reportlab name."""
    global _font
    if _font is not None:
        return FONT_NAME
    with _lock:
        if _font is None:
            path = font_path()
            if not path.is_file():
                raise FontMissingError(f"printing font not found: {path}")
            font = TTFont(FONT_NAME, str(path), subfontIndex=_SUBFONT_INDEX)
            pdfmetrics.registerFont(font)
            _font = font
    return FONT_NAME


@lru_cache(maxsize=1)
def _cmap() -> frozenset[int]:
    ensure_fonts()
    assert _font is not None
    return frozenset(_font.face.charToGlyph)


def unsupported_chars(text: str) -> set[str]:
    """Characters of `text` the font has no glyph for (they would print as empty boxes).

    Whitespace and control characters are ignored. The GUI can use this to warn before
    printing a rare name character (生僻字) the font does not cover.
    """
    cmap = _cmap()
    return {ch for ch in text if not ch.isspace() and ord(ch) >= 32 and ord(ch) not in cmap}
