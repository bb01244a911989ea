"""Loading a vendor's shared library with ctypes, and the optional photo decoder (WLT -> BMP).

The card's photo is stored WLT-compressed and encrypted; only the vendors' libraries decode
it (libwlt.so ``unpack``, WltRS.dll ``GetBmp``, or a termb library that writes zp.bmp itself).
Without one set in devices.ini (``[idcard] photo_decoder = /opt/vendor/libwlt.so``) a driver
returns the card with ``photo=None``; nothing else depends on the photo.
"""

from __future__ import annotations

import ctypes
import logging
import struct
import sys
import tempfile
from pathlib import Path
from typing import Any

from app.devices.idcard.card import IdCardReaderError

__all__ = ["BMP_SIZE", "WLT_SIZE", "WltDecoder", "load_library"]

logger = logging.getLogger(__name__)

WLT_SIZE = 1024
PHOTO_W, PHOTO_H = 102, 126
_ROW = (PHOTO_W * 3 + 3) // 4 * 4  # BMP rows are padded to 4 bytes
BMP_SIZE = 54 + _ROW * PHOTO_H  # 38862: what the decoders hand back
_RAW_SIZE = PHOTO_W * PHOTO_H * 3  # 38556: some decoders give bare BGR pixels
_BUFFER_SYMBOLS = ("unpack", "ZKID_PHunpack")


def load_library(path: str) -> Any:
    """The library at `path` (stdcall `WinDLL` on Windows, where the vendors' DLLs use it)."""
    try:
        if sys.platform == "win32":
            return ctypes.WinDLL(path)  # type: ignore[attr-defined]
        return ctypes.CDLL(path)
    except OSError as exc:
        raise IdCardReaderError(
            f"cannot load {path}: {exc}",
            f"读卡器的驱动库无法加载：{path}。请检查设备设置中的库路径。",
            f"The reader's library cannot be loaded: {path}. Check the library path in the "
            "device settings.") from None


def _bmp_from_raw(raw: bytes) -> bytes:
    """A 24-bit BMP around bare 102 x 126 BGR pixels (rows as the decoder gave them)."""
    rows = b"".join(raw[y * PHOTO_W * 3:(y + 1) * PHOTO_W * 3].ljust(_ROW, b"\0")
                    for y in range(PHOTO_H))
    header = struct.pack("<2sIHHI", b"BM", 54 + len(rows), 0, 0, 54)
    info = struct.pack("<IiiHHIIiiII", 40, PHOTO_W, PHOTO_H, 1, 24, 0, len(rows), 0, 0, 0, 0)
    return header + info + rows


class WltDecoder:
    """The vendor's photo decoder, loaded on first use.

    Buffer style (libwlt): ``int unpack(char *wlt, char *bmp, int save_file)`` with save_file
    0, returning 1 on success. File style (WltRS.dll): ``int GetBmp(char *wlt_file, int
    intf)`` writing the .bmp beside the .wlt file, in a private temporary folder.
    """

    def __init__(self, path: str, symbol: str = "") -> None:
        self.path = path
        self.symbol = symbol
        self._lib: Any = None

    def decode(self, wlt: bytes) -> bytes | None:
        """The photo as BMP bytes, or None when the decoder refuses (logged, not raised)."""
        if not wlt.strip(b"\0"):
            return None
        if self._lib is None:
            self._lib = load_library(self.path)
        names = (self.symbol,) if self.symbol else (*_BUFFER_SYMBOLS, "GetBmp")
        for name in names:
            func = getattr(self._lib, name, None)
            if func is None:
                continue
            photo = self._file_style(func, wlt) if name == "GetBmp" else self._buffer(func, wlt)
            if photo is None:
                logger.warning("The photo decoder %s refused the photo", name)
            return photo
        logger.warning("The photo decoder library has none of %s", ", ".join(names))
        return None

    @staticmethod
    def _buffer(func: Any, wlt: bytes) -> bytes | None:
        func.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_int]
        func.restype = ctypes.c_int
        out = ctypes.create_string_buffer(BMP_SIZE + 1024)
        if func(wlt[:WLT_SIZE].ljust(WLT_SIZE, b"\0"), out, 0) != 1:
            return None
        data = out.raw
        if data[:2] == b"BM":
            size = int.from_bytes(data[2:6], "little")
            return data[:size] if 54 <= size <= len(data) else data[:BMP_SIZE]
        return _bmp_from_raw(data[:_RAW_SIZE])

    @staticmethod
    def _file_style(func: Any, wlt: bytes) -> bytes | None:
        func.argtypes = [ctypes.c_char_p, ctypes.c_int]
        func.restype = ctypes.c_int
        with tempfile.TemporaryDirectory(prefix="idcard-") as tmp:  # personal data: gone after
            source = Path(tmp) / "zp.wlt"
            source.write_bytes(wlt)
            if func(str(source).encode(), 2) != 1:
                return None
            bmp = source.with_suffix(".bmp")
            return bmp.read_bytes() if bmp.exists() else None
