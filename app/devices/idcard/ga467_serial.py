"""Readers built on the Ministry of Public Security's SAM module, over a serial port (GA 467).

Most desktop readers (华视, 神思, 精伦, 新中新 ...) show up as a serial or USB-serial port and
speak the SAM frames (`ga467_frames`): find card 20 01, select card 20 02, read the text and
photo 30 01. The reply to 30 01 carries the 256-byte text block (`text_block`) and the
1024-byte WLT photo, which only the vendor's decoder turns into a picture: with ``[idcard]
photo_decoder`` set it is decoded (`native.WltDecoder`), otherwise the card has no photo.

devices.ini::

    [idcard]
    kind = ga467-serial
    port = /dev/ttyUSB0          ; or COM3
    baudrate = 115200
    timeout_ms = 1000            ; per command, at most 3000
    photo_decoder = /opt/vendor/libwlt.so   ; optional

Faults are `IdCardReaderError` with one sentence: a port that cannot be opened, a pulled cable
(the port vanishes or reports an I/O error: the port is closed and opened again on the next
call), silence past the timeout, and a garbled reply (sent again once, then reported).
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING, Any, ClassVar

from app.devices.idcard.card import IdCardData, IdCardReader, IdCardReaderError
from app.devices.idcard.ga467_frames import (
    FIND_CARD,
    READ_BASE,
    RETRYABLE,
    SELECT_CARD,
    STATUS_CARD_FOUND,
    STATUS_NO_CARD,
    STATUS_OK,
    ChecksumError,
    FrameError,
    Reply,
    command_frame,
    read_reply,
    status_message,
)
from app.devices.idcard.native import WltDecoder
from app.devices.idcard.text_block import TEXT_BLOCK_SIZE, decode_text_block

if TYPE_CHECKING:
    from app.devices.config import DeviceConfig

__all__ = ["Ga467SerialReader"]

logger = logging.getLogger(__name__)

_POLL_S = 0.05  # pyserial's own read timeout; our deadline is counted around it


class _Timeout(Exception):
    pass


def _port_errors() -> tuple[type[BaseException], ...]:
    """What a vanished port raises: pyserial's error, the OS's, and (POSIX) termios' own,
    which is not an OSError (a flush on a pty whose other end is gone)."""
    import serial

    errors: tuple[type[BaseException], ...] = (serial.SerialException, OSError)
    try:
        import termios
    except ImportError:  # Windows
        return errors
    return (*errors, termios.error)


class Ga467SerialReader(IdCardReader):
    kind: ClassVar[str] = "ga467-serial"

    def __init__(self, port: str, baudrate: int = 115200, *, timeout: float = 1.0,
                 photo_decoder: WltDecoder | None = None) -> None:
        self.port = self.where = port
        self.baudrate = baudrate
        self.timeout = timeout
        self.photo_decoder = photo_decoder
        self._serial: Any = None

    @classmethod
    def from_config(cls, config: DeviceConfig) -> Ga467SerialReader:
        from app.devices.config import DeviceConfigError

        port = config.get("idcard", "port")
        if not port:
            raise DeviceConfigError("idcard", "port", "请填写读卡器所在的串口（如 COM3、/dev/ttyUSB0）",
                                    "give the reader's serial port (e.g. COM3, /dev/ttyUSB0)")
        baudrate = config.get_int("idcard", "baudrate", 115200)
        timeout_ms = config.get_int("idcard", "timeout_ms", 1000)
        if not 100 <= timeout_ms <= 3000:
            raise DeviceConfigError("idcard", "timeout_ms", "应在 100 到 3000 毫秒之间",
                                    "must be between 100 and 3000 ms")
        decoder = config.get("idcard", "photo_decoder")
        return cls(port, baudrate, timeout=timeout_ms / 1000,
                   photo_decoder=WltDecoder(decoder, config.get("idcard", "photo_decoder_symbol"))
                   if decoder else None)

    # -- the port ------------------------------------------------------------------------------

    def open(self) -> None:
        if self._serial is not None:
            return
        import serial

        try:
            self._serial = serial.Serial(self.port, self.baudrate, timeout=_POLL_S,
                                         write_timeout=self.timeout)
        except (serial.SerialException, OSError, ValueError) as exc:
            raise IdCardReaderError(
                f"cannot open {self.port}: {exc}",
                f"读卡器未连接：无法打开 {self.port}，请检查连线和设备设置。",
                f"The ID card reader is not connected: {self.port} cannot be opened. Check the "
                "cable and the device settings.") from None

    def close(self) -> None:
        ser, self._serial = self._serial, None
        if ser is not None:
            try:
                ser.close()
            except Exception:  # a vanished port may fail to close; it is gone either way
                logger.debug("Closing %s failed", self.port, exc_info=True)

    # -- the card ------------------------------------------------------------------------------

    def card_present(self) -> bool:
        self.open()
        reply = self._command(FIND_CARD)
        if reply.status in (STATUS_CARD_FOUND, STATUS_NO_CARD):
            return reply.status == STATUS_CARD_FOUND
        raise self._status_error(reply)

    def read(self) -> IdCardData | None:
        self.open()
        found = self._command(FIND_CARD)
        if found.status == STATUS_NO_CARD:
            return None
        if found.status != STATUS_CARD_FOUND:
            raise self._status_error(found)
        selected = self._command(SELECT_CARD)
        if selected.status != STATUS_OK:
            raise self._status_error(selected)
        content = self._command(READ_BASE)
        if content.status != STATUS_OK:
            raise self._status_error(content)
        return self._card(content.data)

    def _card(self, data: bytes) -> IdCardData:
        if len(data) < 4:
            raise IdCardReaderError("read reply without lengths")
        text_len = int.from_bytes(data[0:2], "big")
        photo_len = int.from_bytes(data[2:4], "big")
        text = data[4:4 + text_len]
        wlt = data[4 + text_len:4 + text_len + photo_len]
        if text_len < TEXT_BLOCK_SIZE or len(text) < text_len:
            raise IdCardReaderError(f"text block of {len(text)}/{text_len} bytes")
        photo = None
        if self.photo_decoder is not None and wlt:
            try:
                photo = self.photo_decoder.decode(wlt)
            except IdCardReaderError as exc:  # the text is still worth having
                logger.warning("The photo could not be decoded: %s", exc.detail)
        return decode_text_block(text, photo)

    # -- one command ---------------------------------------------------------------------------

    def _command(self, command: bytes) -> Reply:
        """Send one command and read its reply; a garbled exchange is tried once more."""
        for attempt in (1, 2):
            try:
                reply = self._exchange(command)
            except ChecksumError:
                if attempt == 1:
                    logger.info("Bad checksum from the reader on %s; sending again", self.port)
                    continue
                raise self._garbled("bad checksum twice") from None
            if reply.status in RETRYABLE and attempt == 1:
                logger.info("The reader on %s got a garbled command; sending again", self.port)
                continue
            return reply
        raise AssertionError("unreachable")  # pragma: no cover

    def _exchange(self, command: bytes) -> Reply:
        ser = self._serial
        if ser is None:
            raise self._disconnected("port not open")
        deadline = time.monotonic() + self.timeout
        try:
            ser.reset_input_buffer()  # a late reply to an earlier command is not this one's
            ser.write(command_frame(command))
            return read_reply(lambda n: self._read_exact(ser, n, deadline))
        except _Timeout:
            raise IdCardReaderError(
                f"no reply within {self.timeout:.1f} s",
                f"读卡器未响应：请检查 {self.port} 的连线和波特率（{self.baudrate}）。",
                f"The ID card reader does not answer: check the cable on {self.port} and the "
                f"baud rate ({self.baudrate}).") from None
        except ChecksumError:
            raise
        except FrameError as exc:
            raise self._garbled(str(exc)) from None
        except _port_errors() as exc:
            self.close()  # opened again on the next call, when the cable is back
            raise self._disconnected(str(exc)) from None

    @staticmethod
    def _read_exact(ser: Any, n: int, deadline: float) -> bytes:
        buf = bytearray()
        while len(buf) < n:
            if time.monotonic() >= deadline:
                raise _Timeout
            buf += ser.read(n - len(buf))
        return bytes(buf)

    # -- the clerk's sentences -----------------------------------------------------------------

    def _disconnected(self, detail: str) -> IdCardReaderError:
        return IdCardReaderError(
            f"{self.port}: {detail}",
            f"读卡器连接断开：请检查 {self.port} 的连线。",
            f"The ID card reader was disconnected: check the cable on {self.port}.")

    def _garbled(self, detail: str) -> IdCardReaderError:
        return IdCardReaderError(
            f"{self.port}: {detail}",
            f"读卡器的应答有误（已重试）：请检查 {self.port} 的连线。",
            f"The reader's answers arrive garbled (tried again): check the cable on "
            f"{self.port}.")

    def _status_error(self, reply: Reply) -> IdCardReaderError:
        zh, en = status_message(reply.status)
        return IdCardReaderError(
            f"status {reply.sw1:02X} {reply.sw2:02X} {reply.sw3:02X}", zh, en)
