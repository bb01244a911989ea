"""Display masking of personal data (receipts, lists, exports without ``export.unmasked``).

Why: most screens only need enough of a value to recognise it, and anything
printed or exported leaves the hall. The rules follow common Chinese practice
(GB/T 35273 style): ID numbers keep region + last 4, mobiles keep 3 + 4, names
keep the surname, addresses keep the province/city/district prefix. Identifier
masks keep the original length (``*`` per hidden character) so the layout
matches the document; addresses use a fixed ``****`` so their length isn't
revealed. Every function is total: any string in, a masked string out.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

__all__ = ["mask_address", "mask_id", "mask_mobile", "mask_name"]

MASK: Final = "*"
_ADDRESS_MASK: Final = "****"

# Two-character surnames (复姓) that must stay whole: "欧阳娜娜" -> "欧阳**".
_COMPOUND_SURNAME_TEXT: Final = """
    欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 轩辕 令狐 端木 独孤 南宫
    西门 百里 呼延 澹台 公冶 太史 申屠 万俟 闻人 赫连 钟离 宗政 濮阳 公羊 仲孙 单于 拓跋 司空
    鲜于 闾丘 子车 亓官 司寇 巫马 公西 颛孙 壤驷 公良 漆雕 乐正 宰父 谷梁 段干 东郭 南门 羊舌
    微生 梁丘 左丘 东门 第五 公仪 夹谷 乌孙 完颜 纳兰 叶赫
"""
_COMPOUND_SURNAMES: Final = frozenset(_COMPOUND_SURNAME_TEXT.split())
_NAME_SEPARATORS: Final = " ·•・.-"


def _clean(value: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", value or "")).upper()


def _mask_middle(text: str, head: int, tail: int) -> str:
    hidden = len(text) - head - tail
    if hidden <= 0:
        return MASK * len(text)
    return text[:head] + MASK * hidden + (text[len(text) - tail :] if tail else "")


def mask_id(number: str) -> str:
    """Mask a document number.

    * 18-char resident ID: keep region (6) and last 4 -> ``440106********3414``
    * 15-char first-generation ID: keep region (6) and sequence (3), hide the birth date
    * passports / permits (5-14 chars): keep 1-2 leading and 2-3 trailing characters,
      e.g. ``E12345678`` -> ``E******78``, always hiding at least half
    * 4 characters or fewer: fully masked
    """
    s = _clean(number)
    n = len(s)
    if n == 18:
        return _mask_middle(s, 6, 4)
    if n == 15:
        return _mask_middle(s, 6, 3)
    if n <= 4:
        return MASK * n
    if n <= 6:
        return _mask_middle(s, 1, 1)
    if n < 10:
        return _mask_middle(s, 1, 2)
    return _mask_middle(s, 2, 3)


def mask_name(name: str) -> str:
    """Keep the surname, one ``*`` per other character.

    ``张三`` -> ``张*``, ``张三丰`` -> ``张**``, ``欧阳娜娜`` -> ``欧阳**``; a single
    character becomes ``*``. Names with separators (``阿依古丽·买买提``,
    ``JOHN SMITH``) keep only their first character and the separators.
    """
    s = unicodedata.normalize("NFKC", name or "").strip()
    if not s:
        return ""
    if any(sep in s for sep in _NAME_SEPARATORS):
        return s[0] + "".join(c if c in _NAME_SEPARATORS else MASK for c in s[1:])
    if len(s) == 1:
        return MASK
    keep = 2 if len(s) >= 3 and s[:2] in _COMPOUND_SURNAMES else 1
    return s[:keep] + MASK * (len(s) - keep)


def _mask_digits(text: str, keep: set[int]) -> str:
    """Mask every digit whose digit-index is not in ``keep``; separators stay."""
    out: list[str] = []
    index = 0
    for ch in text:
        if ch.isdigit():
            out.append(ch if index in keep else MASK)
            index += 1
        else:
            out.append(ch)
    return "".join(out)


def mask_mobile(number: str) -> str:
    """Mask a phone number, keeping its formatting characters.

    * mainland mobile (11 digits starting with 1, optional +86/0086): ``138****5678``
    * landline with area code (starts with 0): area code + last 4, e.g. ``020-****5678``
    * anything else: last 4 digits if at least 8 digits, last 2 if 5-7, otherwise all masked
    """
    s = unicodedata.normalize("NFKC", number or "").strip()
    digits = "".join(c for c in s if c.isdigit())
    prefix = 0
    if len(digits) == 13 and digits.startswith("86") and s.lstrip("+ ").startswith("86"):
        prefix = 2
    elif len(digits) == 15 and digits.startswith("0086"):
        prefix = 4
    national = digits[prefix:]
    n = len(national)
    keep = set(range(prefix))
    if n == 11 and national.startswith("1"):
        keep |= {prefix + i for i in (0, 1, 2, 7, 8, 9, 10)}
    elif national.startswith("0") and n >= 10:
        area = 3 if national[1] in "12" else 4  # 010, 02x are 3 digits, the rest 4
        keep |= set(range(prefix, prefix + area)) | set(range(prefix + n - 4, prefix + n))
    elif n >= 8:
        keep |= set(range(prefix + n - 4, prefix + n))
    elif n >= 5:
        keep |= set(range(prefix + n - 2, prefix + n))
    return _mask_digits(s, keep)


# Name characters exclude level suffixes, digits and street words (路街巷号楼...), so a
# street such as "人民路菜市场" is never mistaken for a city.
_NAME: Final = r"[^省市区县旗盟路街巷弄号楼栋室\d]"
_ADMIN_PREFIX_RE: Final = re.compile(
    rf"""
    (?P<province>
        {_NAME}{{2,7}}?(?:省|自治区|特别行政区)
      | 北京市 | 上海市 | 天津市 | 重庆市
    )?
    (?P<city>{_NAME}{{1,8}}?(?:市|自治州|地区|盟))?
    (?P<district>{_NAME}{{1,8}}?(?:区|县|旗|市))?
    """,
    re.VERBOSE,
)


def mask_address(address: str) -> str:
    """Keep the administrative prefix down to district/county level, hide the rest.

    ``广东省广州市天河区体育西路103号`` -> ``广东省广州市天河区****``. When no
    administrative prefix is recognised the whole address is hidden: better a
    useless mask than a leaked street address.
    """
    s = re.sub(r"\s+", "", unicodedata.normalize("NFKC", address or ""))
    if not s:
        return ""
    match = _ADMIN_PREFIX_RE.match(s)
    prefix = match.group(0) if match else ""
    if prefix == s:
        return s
    return prefix + _ADDRESS_MASK
