"""Second-generation resident ID card readers (二代身份证阅读器), without Qt.

`card` holds the data, the reader interface and its error; the drivers are `simulated`,
`ga467_serial` (the SAM serial protocol) and `sdk` (a vendor's library via ctypes), found by
`registry` through the ``hall_counter.idcard_readers`` entry points; `probe.check` answers
the device test in one sentence.
"""

from app.devices.idcard.card import IdCardData, IdCardReader, IdCardReaderError

__all__ = ["IdCardData", "IdCardReader", "IdCardReaderError"]
