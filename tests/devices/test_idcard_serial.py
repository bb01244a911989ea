"""The GA 467 serial driver against a reader simulated on a pseudo-terminal (real frames)."""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from app.devices.idcard.card import IdCardReaderError
from app.devices.idcard.ga467_frames import (
    FIND_CARD,
    READ_BASE,
    SELECT_CARD,
    ChecksumError,
    command_frame,
    read_reply,
)
from app.devices.idcard.ga467_serial import Ga467SerialReader

from .ga467_sim import WLT_PHOTO, Ga467Simulator, SimCard

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")


@pytest.fixture
def sim(tmp_path: Path) -> Iterator[Ga467Simulator]:
    simulator = Ga467Simulator(tmp_path / "ttyIDCARD")
    yield simulator
    simulator.stop()


@pytest.fixture
def reader(sim: Ga467Simulator) -> Iterator[Ga467SerialReader]:
    r = Ga467SerialReader(sim.port, 115200, timeout=0.4)
    yield r
    r.close()


def _bytes(hex_text: str) -> bytes:
    return bytes.fromhex(hex_text)


def test_command_frames_are_the_documented_bytes() -> None:
    assert command_frame(FIND_CARD) == _bytes("AAAAAA9669 0003 2001 22")
    assert command_frame(SELECT_CARD) == _bytes("AAAAAA9669 0003 2002 21")
    assert command_frame(READ_BASE) == _bytes("AAAAAA9669 0003 3001 32")


def test_replies_captured_from_readers_parse() -> None:
    def parse(hex_text: str):  # type: ignore[no-untyped-def]
        data = iter(_bytes(hex_text))
        return read_reply(lambda n: bytes(next(data) for _ in range(n)))

    found = parse("AAAAAA9669 0008 00009F 00000000 97")
    assert found.status == 0x9F and found.data == bytes(4)
    assert parse("AAAAAA9669 0004 000080 84").status == 0x80
    assert parse("00FF AAAAAA9669 000C 000090 0000000000000000 9C").status == 0x90  # noise first
    with pytest.raises(ChecksumError):
        parse("AAAAAA9669 0004 000080 85")


def test_reads_every_field_of_a_card(sim: Ga467Simulator, reader: Ga467SerialReader) -> None:
    sim.feed(SimCard(name="欧阳娜娜", sex_code="2", ethnicity_code="05", birth="19900228",
                     address="新疆维吾尔自治区乌鲁木齐市天山区解放南路100号",
                     id_number="65010219900228002x", authority="乌鲁木齐市公安局天山区分局",
                     valid_from="20100228", valid_until="20300228"))
    reader.open()
    card = reader.read()
    assert card is not None
    assert card.name == "欧阳娜娜"
    assert card.sex == "女"
    assert card.ethnicity == "维吾尔"
    assert card.birth_date == date(1990, 2, 28)
    assert card.address == "新疆维吾尔自治区乌鲁木齐市天山区解放南路100号"
    assert card.id_number == "65010219900228002X"
    assert card.issuing_authority == "乌鲁木齐市公安局天山区分局"
    assert card.valid_from == date(2010, 2, 28)
    assert card.valid_until == date(2030, 2, 28)
    assert card.photo is None  # no decoder set: the WLT photo is not guessed at
    assert sim.commands == [FIND_CARD, SELECT_CARD, READ_BASE]
    # the module reports a card once per placing: the next poll sees none
    assert reader.read() is None


def test_long_term_card_and_other_codes(sim: Ga467Simulator, reader: Ga467SerialReader) -> None:
    sim.feed(SimCard(sex_code="1", ethnicity_code="56", valid_from="20100101",
                     valid_until="长期"))
    sim.feed(SimCard(ethnicity_code="98"))
    first = reader.read()
    assert first is not None and first.valid_until is None and first.sex == "男"
    assert first.ethnicity == "基诺"
    second = reader.read()
    assert second is not None and second.ethnicity == "外国血统中国籍人士"


def test_no_card_is_none(sim: Ga467Simulator, reader: Ga467SerialReader) -> None:
    assert reader.read() is None
    assert reader.card_present() is False
    assert sim.commands == [FIND_CARD, FIND_CARD]


def test_a_bad_checksum_is_sent_again_once(sim: Ga467Simulator,
                                           reader: Ga467SerialReader) -> None:
    sim.feed(SimCard())
    sim.corrupt_next(1)
    card = reader.read()
    assert card is not None and card.name == "张三"
    assert sim.commands[:2] == [FIND_CARD, FIND_CARD]


def test_a_bad_checksum_twice_is_reported(sim: Ga467Simulator,
                                          reader: Ga467SerialReader) -> None:
    sim.feed(SimCard())
    sim.corrupt_next(2)
    with pytest.raises(IdCardReaderError) as err:
        reader.read()
    assert err.value.zh == f"读卡器的应答有误（已重试）：请检查 {sim.port} 的连线。"
    assert "garbled" in err.value.en


def test_a_garbled_read_reply_is_read_again(sim: Ga467Simulator,
                                            reader: Ga467SerialReader) -> None:
    sim.feed(SimCard())
    sim.corrupt_next(1, READ_BASE)  # the big reply spoiled once: the card still comes
    card = reader.read()
    assert card is not None and card.name == "张三"
    assert sim.commands == [FIND_CARD, SELECT_CARD, READ_BASE, READ_BASE]


def test_a_failure_status_is_one_sentence(sim: Ga467Simulator,
                                          reader: Ga467SerialReader) -> None:
    sim.feed(SimCard())
    sim.fail_next(0x32)
    with pytest.raises(IdCardReaderError) as err:
        reader.read()
    assert "证件认证失败" in err.value.zh and "\n" not in err.value.zh
    assert err.value.detail == "status 00 00 32"


def test_silence_times_out_with_a_clear_message(sim: Ga467Simulator,
                                                reader: Ga467SerialReader) -> None:
    sim.silent = True
    started = time.monotonic()
    with pytest.raises(IdCardReaderError) as err:
        reader.read()
    assert time.monotonic() - started < 2.0
    assert err.value.zh == f"读卡器未响应：请检查 {sim.port} 的连线和波特率（115200）。"
    sim.silent = False
    sim.feed(SimCard())
    assert reader.read() is not None  # answers again: nothing is stuck


def test_a_pulled_cable_is_one_line_and_the_reader_comes_back(
        sim: Ga467Simulator, reader: Ga467SerialReader) -> None:
    reader.open()
    assert reader.read() is None
    sim.pull_cable()
    with pytest.raises(IdCardReaderError) as err:
        reader.read()
    assert err.value.zh == f"读卡器连接断开：请检查 {sim.port} 的连线。"
    assert "\n" not in err.value.en
    # the port has vanished: opening it again says so
    with pytest.raises(IdCardReaderError) as err:
        reader.read()
    assert err.value.zh.startswith("读卡器未连接：无法打开")
    sim.replug()
    sim.feed(SimCard(name="李四"))
    card = reader.read()
    assert card is not None and card.name == "李四"


def test_a_port_that_is_not_there(tmp_path: Path) -> None:
    reader = Ga467SerialReader(str(tmp_path / "nothing"), timeout=0.2)
    with pytest.raises(IdCardReaderError) as err:
        reader.open()
    assert "无法打开" in err.value.zh and "cannot be opened" in err.value.en
    reader.close()


def test_nothing_personal_is_logged(sim: Ga467Simulator, reader: Ga467SerialReader,
                                    caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    card = SimCard()
    sim.feed(card)
    sim.corrupt_next(1)
    read = reader.read()
    assert read is not None
    sim.pull_cable()
    with pytest.raises(IdCardReaderError) as err:
        reader.read()
    text = caplog.text + repr(read) + str(err.value)
    assert "Bad checksum" in text  # the log does speak, without the card
    for secret in (card.name, card.id_number, card.address, card.birth):
        assert secret not in text


def test_the_photo_decoder_hook_is_only_used_when_set(sim: Ga467Simulator) -> None:
    class FakeDecoder:
        def __init__(self) -> None:
            self.seen: list[bytes] = []

        def decode(self, wlt: bytes) -> bytes:
            self.seen.append(wlt)
            return b"BM-photo"

    decoder = FakeDecoder()
    reader = Ga467SerialReader(sim.port, timeout=0.4, photo_decoder=decoder)  # type: ignore[arg-type]
    sim.feed(SimCard())
    try:
        card = reader.read()
    finally:
        reader.close()
    assert card is not None and card.photo == b"BM-photo"
    assert decoder.seen == [WLT_PHOTO]
