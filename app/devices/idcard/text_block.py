"""The card's 256-byte text block (机读文字信息), as both the SAM serial protocol and the
vendors' sdtapi libraries hand it over: UCS-2 little-endian, fixed-width fields padded with
spaces, dates as ``YYYYMMDD``, sex and ethnicity as codes (GB/T 2261.1, GB 3304).
"""

from __future__ import annotations

from datetime import date

from app.devices.idcard.card import IdCardData, IdCardReaderError

__all__ = ["ETHNICITIES", "FIELDS", "SEXES", "TEXT_BLOCK_SIZE", "decode_text_block"]

TEXT_BLOCK_SIZE = 256

# (field, width in bytes), in the order of the block.
FIELDS: tuple[tuple[str, int], ...] = (
    ("name", 30), ("sex", 2), ("ethnicity", 4), ("birth_date", 16), ("address", 70),
    ("id_number", 36), ("issuing_authority", 30), ("valid_from", 16), ("valid_until", 16),
    ("reserved", 36),
)

SEXES = {"0": "未知", "1": "男", "2": "女", "9": "未说明"}

# GB 3304 codes, as the card prints them (without the trailing 族).
ETHNICITIES = {
    f"{i:02d}": name for i, name in enumerate((
        "汉", "蒙古", "回", "藏", "维吾尔", "苗", "彝", "壮", "布依", "朝鲜",
        "满", "侗", "瑶", "白", "土家", "哈尼", "哈萨克", "傣", "黎", "傈僳",
        "佤", "畲", "高山", "拉祜", "水", "东乡", "纳西", "景颇", "柯尔克孜", "土",
        "达斡尔", "仫佬", "羌", "布朗", "撒拉", "毛南", "仡佬", "锡伯", "阿昌", "普米",
        "塔吉克", "怒", "乌孜别克", "俄罗斯", "鄂温克", "德昂", "保安", "裕固", "京", "塔塔尔",
        "独龙", "鄂伦春", "赫哲", "门巴", "珞巴", "基诺"), start=1)
}
ETHNICITIES.update({"97": "其他", "98": "外国血统中国籍人士"})


def _fields(block: bytes) -> dict[str, str]:
    out: dict[str, str] = {}
    pos = 0
    for name, width in FIELDS:
        raw = block[pos:pos + width]
        pos += width
        out[name] = raw.decode("utf-16-le", errors="replace").rstrip(" \x00")
    return out


def _date(text: str) -> date:
    if len(text) != 8 or not text.isdigit():
        raise ValueError("not a YYYYMMDD date")
    return date(int(text[:4]), int(text[4:6]), int(text[6:]))


def decode_text_block(block: bytes, photo: bytes | None = None) -> IdCardData:
    """The card from its text block; a block that does not parse is a reader error (the
    detail names the field, never its value)."""
    if len(block) < TEXT_BLOCK_SIZE:
        raise IdCardReaderError(f"text block of {len(block)} bytes, expected 256",
                                "身份证信息不完整，请将证件重新放到阅读器上。",
                                "The card's data came incomplete. Put the card on the reader "
                                "again.")
    f = _fields(block[:TEXT_BLOCK_SIZE])
    field = "birth_date"
    try:
        birth = _date(f["birth_date"])
        field = "valid_from"
        valid_from = _date(f["valid_from"]) if f["valid_from"] else None
        field = "valid_until"
        until_text = f["valid_until"]
        valid_until = None if until_text in ("长期", "") else _date(until_text)
    except ValueError:
        raise IdCardReaderError(f"the card's {field} does not parse",
                                "身份证信息无法识别，请将证件重新放到阅读器上。",
                                "The card's data could not be understood. Put the card on the "
                                "reader again.") from None
    return IdCardData(
        name=f["name"],
        id_number=f["id_number"].upper(),
        address=f["address"],
        birth_date=birth,
        issuing_authority=f["issuing_authority"],
        valid_until=valid_until,
        valid_from=valid_from,
        sex=SEXES.get(f["sex"], f["sex"]),
        ethnicity=ETHNICITIES.get(f["ethnicity"], f["ethnicity"]),
        photo=photo,
    )
