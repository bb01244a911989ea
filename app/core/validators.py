"""Checks of identity-document numbers and phone numbers (domain.md 2.4).

Numbers with a GB 11643 (ISO 7064 MOD 11-2) check character: the resident ID card; the
residence permits for Hong Kong and Macau residents (address code 810000 or 820000) and for
Taiwan residents (830000), issued since 2018 with 18-digit numbers in the citizen-number
layout; the foreigner's permanent residence ID card of the 2023 issue (18 digits starting
with 9: 2-digit province, 3-digit ISO 3166-1 numeric nationality, birth date, sequence,
check). The foreigner's card of the 2004 and 2017 issues, still valid, has a 15-character
number: ISO 3166-1 alpha-3 nationality, 4-digit issuing region, birth date YYMMDD, one
sequence digit and a check digit by the 7-3-1 weights of machine-readable travel documents
(ICAO 9303). Both are accepted (`check_foreigner_permanent_id`).

Each check returns a `Check` with `ok` and, when it fails, a reason in Chinese and English so
the wizard can show it next to the field as it is typed.

A document number is put in its canonical form by `normalize_id_number` before it is checked,
stored or looked up: `310104-19900215-4578`, `３１０１０４１９９００２１５４５７８` and
`310104 1990 0215 4578` are all `310104199002154578`, and `…002x` ends in the check character X.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

# GB 11643-1999: weights of the first 17 digits and the remainder -> check character map.
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"

# GB 32100-2015: the 31-character alphabet (no I, O, Z, S, V) and position weights.
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

# GB 11714-1997: weights of the 8 body characters.
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)

_MOBILE = re.compile(r"^1\d{10}$")
_HK_MACAU = re.compile(r"^[HM]\d{8}(\d{2})?$")
_TAIWAN = re.compile(r"^(\d{8}|\d{10}[A-Z]?)$")
_PASSPORT = re.compile(r"^[A-Z0-9]{5,17}$")
_SERVICE_ID = re.compile(r"^[\u4e00-\u9fffA-Z0-9]{4,20}$")  # 军/武警 numbers: 军字第xxxx号


@dataclass(frozen=True)
class Check:
    ok: bool
    reason_zh: str = ""
    reason_en: str = ""
    birth_date: date | None = None

    def age_on(self, day: date) -> int | None:
        if self.birth_date is None:
            return None
        b = self.birth_date
        return day.year - b.year - ((day.month, day.day) < (b.month, b.day))


OK = Check(True)


def _fail(zh: str, en: str) -> Check:
    return Check(False, zh, en)


# Document types whose numbers are letters and digits only: a space or a dash in them is only
# how the number was written, never part of it.
_ALPHANUMERIC_TYPES = frozenset({
    "resident_id", "household_register", "business_license", "org_code_certificate",
    "hk_macau_permit", "taiwan_permit", "passport", "hk_macau_residence_permit",
    "taiwan_residence_permit", "foreigner_permanent_id"})
_SPACES = re.compile(r"\s+")
_SPACES_AND_DASHES = re.compile(r"[\s\-\u2010-\u2015\u2212]+")  # after NFKC: - ‐ ‑ ‒ – — ― −


def normalize_id_number(doc_type: str, text: str) -> str:
    """The canonical form of a document number, as checked, stored and looked up.

    NFKC first (full-width digits and letters typed through a Chinese IME become ASCII), then
    upper case (a resident ID's check character is X, never x), no spaces and no invisible
    format characters (a BOM or zero-width space pasted along with a number). Dashes are
    dropped only for the types whose numbers never hold one (`_ALPHANUMERIC_TYPES`); any other
    type keeps them, since its format is not known. Total: any text in, never an error.
    """
    if text.isascii() and text.isalnum():  # as typed or read from a card: only the case
        return text.upper()  # (NFKC, Cf characters, spaces and dashes: none in these)
    text = unicodedata.normalize("NFKC", text).upper()
    text = "".join(c for c in text if unicodedata.category(c) != "Cf")
    pattern = _SPACES_AND_DASHES if doc_type in _ALPHANUMERIC_TYPES else _SPACES
    return pattern.sub("", text)


def normalize(number: str) -> str:
    """A number compared loosely (the wizard's "matches the record"): spaces and dashes aside."""
    return normalize_id_number("resident_id", number)


def resident_id_check_char(first17: str) -> str:
    total = sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def check_resident_id(number: str, today: date) -> Check:
    """`today`: the hall's business date (a birth date after it is not plausible)."""
    n = normalize(number)
    if len(n) != 18:
        return _fail("身份证号码应为18位", "a resident ID number has 18 characters")
    if not n[:17].isdigit() or not (n[17].isdigit() or n[17] == "X"):
        return _fail("身份证号码前17位应为数字，末位为数字或X",
                     "17 digits then a digit or X expected")
    if n[0] not in "12345678":
        return _fail("身份证号码地区码无效", "invalid region code")
    if n[:6] in RESIDENCE_PERMIT_REGIONS:
        return _fail("该号码为港澳台居民居住证号码，请选择证件类型“港澳居民居住证”或“台湾居民居住证”",
                     "this is a residence permit number: choose the residence permit type")
    return _gb11643_tail(n, today, "身份证号码")


def _gb11643_tail(n: str, today: date, what: str) -> Check:
    """Birth date (characters 7-14) and check character of an 18-character GB 11643 number
    whose layout (length, digits) is already checked."""
    try:
        born = date(int(n[6:10]), int(n[10:12]), int(n[12:14]))
    except ValueError:
        return _fail(f"{what}中的出生日期不存在", "the birth date in the number does not exist")
    if born.year < 1900 or born > today:
        return _fail(f"{what}中的出生日期不合理", "the birth date in the number is not plausible")
    if resident_id_check_char(n[:17]) != n[17]:
        return _fail(f"{what}校验位错误", "the check digit is wrong")
    return Check(True, birth_date=born)


# Address codes of the residence permits (GB/T 2260 has no such county: the permit's number
# names the region of the holder's home, not where the permit was issued).
HK_MACAU_PERMIT_REGIONS = {"810000": "香港", "820000": "澳门"}
TAIWAN_PERMIT_REGIONS = {"830000": "台湾"}
RESIDENCE_PERMIT_REGIONS = {**HK_MACAU_PERMIT_REGIONS, **TAIWAN_PERMIT_REGIONS}
# Province codes (GB/T 2260, first two digits) that may issue a foreigner's permanent ID.
_PROVINCES = frozenset({
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
    "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64",
    "65"})
_FOREIGNER_15 = re.compile(r"^[A-Z]{3}\d{12}$")


def _eighteen_digits(n: str, what: str) -> Check | None:
    if len(n) != 18:
        return _fail(f"{what}应为18位", "18 characters expected")
    if not n[:17].isdigit() or not (n[17].isdigit() or n[17] == "X"):
        return _fail(f"{what}前17位应为数字，末位为数字或X", "17 digits then a digit or X expected")
    return None


def check_residence_permit(number: str, today: date, regions: dict[str, str],
                           what: str) -> Check:
    """港澳居民居住证 / 台湾居民居住证: 18 characters, GB 11643 check; the address code
    (first 6 digits) is one of `regions`."""
    n = normalize(number)
    bad = _eighteen_digits(n, what)
    if bad is not None:
        return bad
    if n[:6] not in regions:
        codes = "、".join(regions)
        return _fail(f"{what}应以 {codes} 开头", f"the number starts with {' or '.join(regions)}")
    return _gb11643_tail(n, today, what)


def check_hk_macau_residence_permit(number: str, today: date) -> Check:
    return check_residence_permit(number, today, HK_MACAU_PERMIT_REGIONS, "港澳居民居住证号码")


def check_taiwan_residence_permit(number: str, today: date) -> Check:
    return check_residence_permit(number, today, TAIWAN_PERMIT_REGIONS, "台湾居民居住证号码")


def mrz_check_digit(text: str) -> str:
    """ICAO 9303 check digit: weights 7, 3, 1 repeating; A-Z count 10-35; sum mod 10."""
    total = sum((int(c) if c.isdigit() else ord(c) - 55) * (7, 3, 1)[i % 3]
                for i, c in enumerate(text))
    return str(total % 10)


def check_foreigner_permanent_id(number: str, today: date) -> Check:
    """外国人永久居留身份证: the 18-digit number of the 2023 card (9, province, nationality,
    birth date, sequence, GB 11643 check) or the 15-character number of the 2004/2017 cards
    (3 letters, 12 digits: region, YYMMDD, sequence, ICAO 7-3-1 check digit)."""
    n = normalize(number)
    what = "外国人永久居留身份证号码"
    if len(n) == 15:
        if not _FOREIGNER_15.fullmatch(n):
            return _fail(f"15位的{what}应为3位字母加12位数字",
                         "the 15-character number is 3 letters then 12 digits")
        if n[3:5] not in _PROVINCES:
            return _fail(f"{what}第4、5位的地区代码无效", "invalid region code (characters 4-5)")
        born = _yymmdd(n[7:13], today)
        if born is None:
            return _fail(f"{what}中的出生日期不存在", "the birth date in the number does not exist")
        if mrz_check_digit(n[:14]) != n[14]:
            return _fail(f"{what}校验位错误", "the check digit is wrong")
        return Check(True, birth_date=born)
    if len(n) == 18 and not n.startswith("9"):
        return _fail(f"18位的{what}以9开头", "the 18-digit number starts with 9")
    if len(n) != 18:
        return _fail(f"{what}应为18位（2023年版）或15位（2017年版及以前）",
                     "18 characters (2023 card) or 15 (earlier cards) expected")
    bad = _eighteen_digits(n, what)
    if bad is not None:
        return bad
    if n[1:3] not in _PROVINCES:
        return _fail(f"{what}第2、3位的省份代码无效", "invalid province code (characters 2-3)")
    return _gb11643_tail(n, today, what)


def _yymmdd(text: str, today: date) -> date | None:
    """A two-digit-year birth date: the latest century that puts it on or before `today`."""
    for century in (2000, 1900):
        try:
            born = date(century + int(text[:2]), int(text[2:4]), int(text[4:6]))
        except ValueError:
            continue
        if born <= today:
            return born
    return None


def uscc_check_char(first17: str) -> str:
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def check_uscc(code: str) -> Check:
    c = normalize(code)
    if len(c) != 18:
        return _fail("统一社会信用代码应为18位", "a unified social credit code has 18 characters")
    if any(ch not in USCC_ALPHABET for ch in c):
        return _fail("统一社会信用代码含有无效字符（不使用I、O、Z、S、V）",
                     "invalid character (I, O, Z, S and V are not used)")
    if uscc_check_char(c[:17]) != c[17]:
        return _fail("统一社会信用代码校验位错误", "the check character is wrong")
    return OK


def _org_value(ch: str) -> int:
    return int(ch) if ch.isdigit() else ord(ch) - 55  # A=10 ... Z=35


def org_code_check_char(first8: str) -> str:
    total = sum(_org_value(c) * w for c, w in zip(first8, _ORG_WEIGHTS, strict=True))
    r = 11 - total % 11
    return "X" if r == 10 else "0" if r == 11 else str(r)


def check_org_code(code: str) -> Check:
    c = normalize(code)
    if len(c) != 9:
        return _fail("组织机构代码应为9位", "an organization code has 9 characters")
    if not re.fullmatch(r"[0-9A-Z]{8}[0-9X]", c):
        return _fail("组织机构代码格式错误", "8 digits or capital letters then a check character")
    if org_code_check_char(c[:8]) != c[8]:
        return _fail("组织机构代码校验位错误", "the check character is wrong")
    return OK


def check_mobile(number: str) -> Check:
    if _MOBILE.fullmatch(number.strip()):
        return OK
    return _fail("手机号码应为以1开头的11位数字", "11 digits starting with 1 expected")


def _pattern(regex: re.Pattern[str], zh: str, en: str) -> Callable[[str], Check]:
    def check(number: str) -> Check:
        return OK if regex.fullmatch(normalize(number)) else _fail(zh, en)

    return check

check_hk_macau_permit = _pattern(_HK_MACAU, "港澳居民来往内地通行证号码应为H或M加8位数字",
                                 "H or M followed by 8 digits expected")
check_taiwan_permit = _pattern(_TAIWAN, "台湾居民来往大陆通行证号码应为8位数字",
                               "8 digits expected")
check_passport = _pattern(_PASSPORT, "护照号码应为5至17位字母或数字",
                          "5 to 17 letters or digits expected")
check_service_id = _pattern(_SERVICE_ID, "证件号码格式错误", "invalid document number")


def check_document(doc_type: str, number: str, today: date) -> Check:
    """Check a document number by its type; types with no known format only need a value.

    `number` may be as typed: it is checked in its canonical form (`normalize_id_number`).
    """
    number = normalize_id_number(doc_type, number)
    if not number:
        return _fail("证件号码不能为空", "the number is empty")
    match doc_type:
        case "resident_id" | "household_register":
            # A household register is checked by the citizen number it carries.
            return check_resident_id(number, today)
        case "hk_macau_residence_permit":
            return check_hk_macau_residence_permit(number, today)
        case "taiwan_residence_permit":
            return check_taiwan_residence_permit(number, today)
        case "foreigner_permanent_id":
            return check_foreigner_permanent_id(number, today)
        case "business_license":
            return check_uscc(number)
        case "org_code_certificate":
            return check_org_code(number)
        case "hk_macau_permit":
            return check_hk_macau_permit(number)
        case "taiwan_permit":
            return check_taiwan_permit(number)
        case "passport":
            return check_passport(number)
        case "military_id" | "armed_police_id":
            return check_service_id(number)
        case _:
            return OK if len(number) <= 64 else _fail("证件号码过长", "number too long")
