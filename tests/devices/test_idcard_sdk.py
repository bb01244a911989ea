"""The vendor-library driver (ctypes) against fake sdtapi / termb / libwlt libraries compiled
here with `cc`. The fakes keep the vendors' signatures and status codes; the card's text
block comes from the simulator's own encoder."""

from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from app.devices.config import DeviceConfigError, load
from app.devices.idcard.card import IdCardReaderError
from app.devices.idcard.native import WltDecoder
from app.devices.idcard.sdk import SdkIdCardReader, parse_sdk_port

from .ga467_sim import SimCard

CC = shutil.which("cc") or shutil.which("gcc")
pytestmark = [
    pytest.mark.skipif(CC is None, reason="no C compiler (cc) to build the fake vendor library"),
    pytest.mark.skipif(sys.platform == "win32", reason="builds a POSIX shared library"),
]

CARD = SimCard(name="王小明", sex_code="1", ethnicity_code="03", birth="20000101",
               id_number="110101200001010018", valid_from="20180101", valid_until="20280101")

FAKE_C = r"""
#include <stdio.h>
#include <string.h>

static const unsigned char TEXT[256] = { %(text)s };
static int card = 0, opened = 0, fail_open = 0;

void fake_set(int card_present, int open_fails) { card = card_present; fail_open = open_fails; }

#ifdef SDTAPI
int SDT_OpenPort(int port) { if (fail_open || port != 1001) return 0x01; opened = 1; return 0x90; }
int SDT_ClosePort(int port) { opened = 0; return 0x90; }
int SDT_StartFindIDCard(int port, unsigned char *mana, int if_open) {
    if (!opened) return 0x01;
    return card ? 0x9F : 0x80;
}
int SDT_SelectIDCard(int port, unsigned char *mana, int if_open) { return card ? 0x90 : 0x81; }
int SDT_ReadBaseMsg(int port, unsigned char *text, unsigned int *text_len,
                    unsigned char *wlt, unsigned int *wlt_len, int if_open) {
    if (!card) return 0x41;
    memcpy(text, TEXT, 256); *text_len = 256;
    memset(wlt, 0x57, 1024); *wlt_len = 1024;
    card = 0;  /* read once per placing */
    return 0x90;
}
#endif

#ifdef TERMB
int InitComm(int port) { if (fail_open) return 0; opened = 1; return 1; }
int CloseComm(void) { opened = 0; return 1; }
int Authenticate(void) { return opened && card ? 1 : 0; }
int Read_Content_Path(char *folder, int active) {
    char path[1024]; FILE *f;
    snprintf(path, sizeof path, "%%s/wz.txt", folder);
    if (!(f = fopen(path, "wb"))) return 0;
    fwrite(TEXT, 1, 256, f); fclose(f);
    snprintf(path, sizeof path, "%%s/zp.bmp", folder);
    if (!(f = fopen(path, "wb"))) return 0;
    fwrite("BMfake", 1, 6, f); fclose(f);
    card = 0;
    return 1;
}
#endif

#ifdef WLT
/* libwlt's call: a 2 x 2 BMP for any WLT starting with 0x57, refusal otherwise */
int unpack(char *wlt, char *bmp, int save) {
    static const unsigned char tiny[70] = {
        'B','M', 70,0,0,0, 0,0,0,0, 54,0,0,0, 40,0,0,0, 2,0,0,0, 2,0,0,0, 1,0, 24,0,
        0,0,0,0, 16,0,0,0, 0,0,0,0, 0,0,0,0, 0,0,0,0, 0,0,0,0,
        0,0,255, 0,255,0, 0,0, 255,0,0, 255,255,255, 0,0 };
    if ((unsigned char)wlt[0] != 0x57) return -1;
    memcpy(bmp, tiny, sizeof tiny);
    return 1;
}
#endif
"""


def _build(tmp_path: Path, name: str, *defines: str) -> Path:
    source = tmp_path / f"{name}.c"
    source.write_text(FAKE_C % {"text": ", ".join(str(b) for b in CARD.text_block())})
    lib = tmp_path / f"lib{name}.so"
    assert CC is not None
    subprocess.run([CC, "-shared", "-fPIC", "-o", str(lib), str(source),
                    *(f"-D{d}" for d in defines)], check=True, capture_output=True, timeout=60)
    return lib


def _set(reader: SdkIdCardReader, card: bool) -> None:
    """Open the reader, then put a card on it (or take it off) through the fake's hook."""
    reader.open()
    reader._lib.fake_set(int(card), 0)


def test_sdtapi_reads_a_card_and_then_none(tmp_path: Path) -> None:
    reader = SdkIdCardReader(str(_build(tmp_path, "sdtapi", "SDTAPI")), 1001)
    try:
        _set(reader, card=True)
        assert reader.api == "sdtapi"
        card = reader.read()
        assert card is not None
        assert (card.name, card.sex, card.ethnicity) == ("王小明", "男", "回")
        assert card.id_number == "110101200001010018"
        assert card.birth_date == date(2000, 1, 1) and card.valid_until == date(2028, 1, 1)
        assert card.photo is None  # no decoder set
        assert reader.read() is None  # no card
        assert reader.card_present() is False
    finally:
        reader.close()


def test_sdtapi_with_the_photo_decoder(tmp_path: Path) -> None:
    decoder = WltDecoder(str(_build(tmp_path, "wlt", "WLT")))
    reader = SdkIdCardReader(str(_build(tmp_path, "sdtapi", "SDTAPI")), 1001,
                             photo_decoder=decoder)
    try:
        _set(reader, card=True)
        card = reader.read()
    finally:
        reader.close()
    assert card is not None and card.photo is not None
    assert card.photo[:2] == b"BM" and len(card.photo) == 70
    assert decoder.decode(b"\x01" * 1024) is None  # the decoder's refusal is no photo


def test_sdtapi_open_failure_is_one_sentence(tmp_path: Path) -> None:
    reader = SdkIdCardReader(str(_build(tmp_path, "sdtapi", "SDTAPI")), 3)  # COM3: not there
    with pytest.raises(IdCardReaderError) as err:
        reader.open()
    assert err.value.zh == "读卡器未连接：厂家驱动无法打开端口 COM3，请检查连线和设备设置。"
    reader.close()


def test_termb_file_style(tmp_path: Path) -> None:
    reader = SdkIdCardReader(str(_build(tmp_path, "termb", "TERMB")), 1001)
    try:
        _set(reader, card=True)
        assert reader.api == "termb"
        card = reader.read()
        assert card is not None and card.name == "王小明" and card.photo == b"BMfake"
        assert reader.read() is None
    finally:
        reader.close()


def test_a_library_that_is_not_there(tmp_path: Path) -> None:
    reader = SdkIdCardReader(str(tmp_path / "libnothing.so"))
    with pytest.raises(IdCardReaderError) as err:
        reader.open()
    assert "库无法加载" in err.value.zh


def test_from_config(tmp_path: Path) -> None:
    ini = tmp_path / "devices.ini"
    ini.write_text("[idcard]\nkind = sdk\nlibrary = /opt/x/libsdtapi.so\nport = USB2\n",
                   encoding="utf-8")
    reader = SdkIdCardReader.from_config(load(ini))
    assert (reader.library, reader.port, reader.where) == ("/opt/x/libsdtapi.so", 1002,
                                                           "USB 1002")
    assert [parse_sdk_port(p) for p in ("", "COM3", "1001", "usb1")] == [1001, 3, 1001, 1001]
    ini.write_text("[idcard]\nkind = sdk\n", encoding="utf-8")
    with pytest.raises(DeviceConfigError) as err:
        SdkIdCardReader.from_config(load(ini))
    assert err.value.key == "library"
