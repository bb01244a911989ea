"""The bundled CJK font (WenQuanYi Micro Hei), so that no machine shows boxes for Chinese.

`install_cjk_font(app)` is called once at start-up, after the QApplication exists: it adds
``resources/fonts/wqy-microhei.ttc`` to the application's font database and puts it behind the
system UI font as a fallback family, so Latin text keeps the system's look and any glyph the
system font lacks comes from the bundled font. Common Chinese family names (宋体, 微软雅黑...)
are also substituted by it, for style sheets or documents that ask for them by name.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication

from app.resources import resource_path

__all__ = ["CJK_FONT_PARTS", "bundled_font_path", "install_cjk_font", "load_font_file"]

logger = logging.getLogger(__name__)

CJK_FONT_PARTS = ("fonts", "wqy-microhei.ttc")
# Families that documents or style sheets may ask for and that a machine may lack.
_SUBSTITUTED = (
    "SimSun",
    "宋体",
    "NSimSun",
    "SimHei",
    "黑体",
    "Microsoft YaHei",
    "微软雅黑",
    "Microsoft YaHei UI",
    "PingFang SC",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
)

_loaded: dict[Path, list[str]] = {}


def bundled_font_path() -> Path:
    return resource_path(*CJK_FONT_PARTS)


def load_font_file(path: str | Path) -> list[str]:
    """Add a font file (a .ttc may hold several faces) to the font database; its families.

    Loading the same file again returns the families without adding it twice. Returns [] (and
    logs a warning) if the file is missing or unreadable.
    """
    path = Path(path).resolve()
    if path in _loaded:
        return list(_loaded[path])
    if not path.is_file():
        logger.warning("Font file %s is missing", path)
        return []
    font_id = QFontDatabase.addApplicationFont(str(path))
    if font_id < 0:
        logger.warning("Font file %s could not be loaded", path)
        return []
    families = list(QFontDatabase.applicationFontFamilies(font_id))
    _loaded[path] = families
    return list(families)


def install_cjk_font(
    app: QGuiApplication, path: str | Path | None = None, point_size: float | None = None
) -> str | None:
    """Load the bundled CJK font and make it the application font's fallback family.

    Returns the family used as fallback, or None if the font could not be loaded (the UI then
    relies on the fonts of the machine). `point_size` sets the application font's size too.
    """
    families = load_font_file(path if path is not None else bundled_font_path())
    font = QFont(app.font())
    if point_size is not None:
        font.setPointSizeF(point_size)
    if not families:
        app.setFont(font)
        return None
    # a .ttc holds "WenQuanYi Micro Hei" and its "Mono" sibling: prefer the proportional face
    cjk = min(families, key=lambda f: ("mono" in f.lower(), len(f)))
    primary = font.family()
    fallback = [f for f in font.families() if f != cjk] or [primary]
    font.setFamilies([*fallback, cjk])
    app.setFont(font)
    for name in _SUBSTITUTED:
        QFont.insertSubstitution(name, cjk)
    logger.info("CJK font %s installed as fallback of %s", cjk, primary)
    return cjk
