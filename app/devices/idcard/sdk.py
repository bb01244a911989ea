"""A reader driven through its vendor's library, loaded with ctypes (``[idcard] kind = sdk``).

Two families of calls are in common use, both with the vendor's library path in
``[idcard] library``:

* **sdtapi** (``sdtapi.dll`` / ``libsdtapi.so``; the default when the library exports it)::

      int SDT_OpenPort(int port);                       // 0x90 = opened
      int SDT_ClosePort(int port);
      int SDT_StartFindIDCard(int port, unsigned char *mana, int if_open);  // 0x9F / 0x80
      int SDT_SelectIDCard(int port, unsigned char *mana, int if_open);     // 0x90 / 0x81
      int SDT_ReadBaseMsg(int port, unsigned char *text, unsigned int *text_len,
                          unsigned char *wlt, unsigned int *wlt_len, int if_open);  // 0x90

  The text is the same 256-byte block as on the serial line (`text_block`); the WLT photo
  is decoded only when ``photo_decoder`` names the vendor's decoder (`native.WltDecoder`).
  The status codes are the SAM module's own (`ga467_frames.status_message`).

* **termb** (``termb.dll``; ``api = termb``)::

      int InitComm(int port);  int CloseComm(void);      // 1 = done
      int Authenticate(void);                            // 1 = a card is there
      int Read_Content_Path(char *folder, int active);   // or Read_Content(int active)

  It writes ``wz.txt`` (the text block) and ``zp.bmp`` (the decoded photo) into the folder
  (a private temporary one with Read_Content_Path; the working folder with Read_Content); the
  files hold personal data and are deleted as soon as they are read.

``port`` is the vendor's port number: 1001-1016 for USB (the default, 1001), 1-16 for COM1-16;
``COM3`` and ``USB1`` are accepted too. Windows libraries are loaded as stdcall (`WinDLL`).
"""

from __future__ import annotations

import ctypes
import logging
import os
import re
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from app.devices.idcard.card import IdCardData, IdCardReader, IdCardReaderError
from app.devices.idcard.ga467_frames import (
    STATUS_CARD_FOUND,
    STATUS_NO_CARD,
    STATUS_OK,
    status_message,
)
from app.devices.idcard.native import WLT_SIZE, WltDecoder, load_library
from app.devices.idcard.text_block import TEXT_BLOCK_SIZE, decode_text_block

if TYPE_CHECKING:
    from app.devices.config import DeviceConfig

__all__ = ["SdkIdCardReader", "parse_sdk_port"]

logger = logging.getLogger(__name__)

APIS = ("sdtapi", "termb")


def parse_sdk_port(text: str) -> int:
    """``1001`` / ``COM3`` / ``USB1`` / empty (the first USB reader) -> the vendor's number."""
    text = text.strip().upper()
    if not text:
        return 1001
    if text.isdigit():
        return int(text)
    m = re.fullmatch(r"(COM|USB)(\d{1,2})", text)
    if not m:
        raise ValueError(text)
    return int(m[2]) + (1000 if m[1] == "USB" else 0)


class SdkIdCardReader(IdCardReader):
    kind: ClassVar[str] = "sdk"

    def __init__(self, library: str, port: int = 1001, *, api: str = "",
                 photo_decoder: WltDecoder | None = None) -> None:
        self.library = library
        self.port = port
        self.where = f"USB {port}" if port > 1000 else f"COM{port}"
        self.api = api
        self.photo_decoder = photo_decoder
        self._lib: Any = None
        self._opened = False

    @classmethod
    def from_config(cls, config: DeviceConfig) -> SdkIdCardReader:
        from app.devices.config import DeviceConfigError

        library = config.get("idcard", "library")
        if not library:
            raise DeviceConfigError("idcard", "library", "请填写读卡器厂家驱动库的路径",
                                    "give the path of the reader vendor's library")
        try:
            port = parse_sdk_port(config.get("idcard", "port"))
        except ValueError:
            raise DeviceConfigError("idcard", "port", "应为 1001（USB）、COM3 或 USB1 这样的端口",
                                    "must be a port such as 1001 (USB), COM3 or USB1") from None
        api = config.get("idcard", "api").lower()
        if api and api not in APIS:
            raise DeviceConfigError("idcard", "api", "应为 sdtapi 或 termb",
                                    "must be sdtapi or termb")
        decoder = config.get("idcard", "photo_decoder")
        return cls(library, port, api=api,
                   photo_decoder=WltDecoder(decoder, config.get("idcard", "photo_decoder_symbol"))
                   if decoder else None)

    # -- open / close --------------------------------------------------------------------------

    def open(self) -> None:
        if self._opened:
            return
        if self._lib is None:
            self._lib = load_library(self.library)
            if not self.api:
                self.api = "sdtapi" if hasattr(self._lib, "SDT_OpenPort") else "termb"
            self._declare()
        if self.api == "sdtapi":
            result = self._lib.SDT_OpenPort(self.port)
            ok = result == STATUS_OK
        else:
            result = self._lib.InitComm(self.port)
            ok = result == 1
        if not ok:
            raise IdCardReaderError(
                f"{self.api} open port {self.port} returned {result:#x}",
                f"读卡器未连接：厂家驱动无法打开端口 {self.where}，请检查连线和设备设置。",
                f"The ID card reader is not connected: the vendor's library cannot open "
                f"{self.where}. Check the cable and the device settings.")
        self._opened = True

    def close(self) -> None:
        if not self._opened:
            return
        self._opened = False
        try:
            if self.api == "sdtapi":
                self._lib.SDT_ClosePort(self.port)
            else:
                self._lib.CloseComm()
        except Exception:
            logger.debug("Closing the vendor's reader failed", exc_info=True)

    def _declare(self) -> None:
        """Argument types, so that ctypes passes ints and pointers the way the C side wants."""
        lib, c_int, buf = self._lib, ctypes.c_int, ctypes.c_char_p
        try:
            if self.api == "sdtapi":
                for name, args in (("SDT_OpenPort", [c_int]), ("SDT_ClosePort", [c_int]),
                                   ("SDT_StartFindIDCard", [c_int, buf, c_int]),
                                   ("SDT_SelectIDCard", [c_int, buf, c_int]),
                                   ("SDT_ReadBaseMsg", [c_int, buf, ctypes.POINTER(ctypes.c_uint),
                                                        buf, ctypes.POINTER(ctypes.c_uint),
                                                        c_int])):
                    func = getattr(lib, name)
                    func.argtypes, func.restype = args, c_int
            else:
                for name, args in (("InitComm", [c_int]), ("CloseComm", []),
                                   ("Authenticate", [])):
                    func = getattr(lib, name)
                    func.argtypes, func.restype = args, c_int
        except AttributeError as exc:
            self._lib = None
            raise IdCardReaderError(
                f"{self.library} lacks {exc}",
                f"厂家驱动库缺少 {self.api} 的函数：请检查设备设置中的库和接口类型。",
                f"The vendor's library lacks the {self.api} calls: check the library and the "
                "interface in the device settings.") from None

    # -- the card ------------------------------------------------------------------------------

    def card_present(self) -> bool:
        self.open()
        if self.api == "termb":
            return bool(self._lib.Authenticate() == 1)
        status = self._lib.SDT_StartFindIDCard(self.port, ctypes.create_string_buffer(8), 0)
        if status in (STATUS_CARD_FOUND, STATUS_NO_CARD):
            return bool(status == STATUS_CARD_FOUND)
        raise self._status_error(status)

    def read(self) -> IdCardData | None:
        if not self.card_present():
            return None
        return self._read_sdtapi() if self.api == "sdtapi" else self._read_termb()

    def _read_sdtapi(self) -> IdCardData:
        lib = self._lib
        status = lib.SDT_SelectIDCard(self.port, ctypes.create_string_buffer(16), 0)
        if status != STATUS_OK:
            raise self._status_error(status)
        text = ctypes.create_string_buffer(1024)
        wlt = ctypes.create_string_buffer(1024)
        text_len, wlt_len = ctypes.c_uint(0), ctypes.c_uint(0)
        status = lib.SDT_ReadBaseMsg(self.port, text, ctypes.byref(text_len), wlt,
                                     ctypes.byref(wlt_len), 0)
        if status != STATUS_OK:
            raise self._status_error(status)
        if text_len.value < TEXT_BLOCK_SIZE:
            raise IdCardReaderError(f"SDT_ReadBaseMsg gave {text_len.value} bytes of text")
        photo = None
        if self.photo_decoder is not None and wlt_len.value:
            try:
                photo = self.photo_decoder.decode(wlt.raw[:min(wlt_len.value, WLT_SIZE)])
            except IdCardReaderError as exc:
                logger.warning("The photo could not be decoded: %s", exc.detail)
        return decode_text_block(text.raw[:TEXT_BLOCK_SIZE], photo)

    def _read_termb(self) -> IdCardData:
        lib = self._lib
        with tempfile.TemporaryDirectory(prefix="idcard-") as tmp:
            folder = Path(tmp)
            if hasattr(lib, "Read_Content_Path"):
                lib.Read_Content_Path.argtypes = [ctypes.c_char_p, ctypes.c_int]
                lib.Read_Content_Path.restype = ctypes.c_int
                result = lib.Read_Content_Path(os.fsencode(folder), 1)
            else:  # the old call writes into the working folder
                lib.Read_Content.argtypes, lib.Read_Content.restype = [ctypes.c_int], ctypes.c_int
                result = lib.Read_Content(1)
                folder = Path.cwd()
            files = [folder / "wz.txt", folder / "zp.bmp", folder / "xp.wlt"]
            try:
                if result != 1:
                    raise IdCardReaderError(f"Read_Content returned {result}")
                text = files[0].read_bytes() if files[0].exists() else b""
                photo = files[1].read_bytes() if files[1].exists() else None
            finally:
                for f in files:  # personal data: never left on the disk
                    f.unlink(missing_ok=True)
        return decode_text_block(text, photo)

    def _status_error(self, status: int) -> IdCardReaderError:
        zh, en = status_message(status)
        return IdCardReaderError(f"{self.api} status {status:#x}", zh, en)
