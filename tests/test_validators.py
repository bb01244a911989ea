"""Identity-document checks (domain.md 2.4): known examples and generated properties."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from app.core.validators import (
    USCC_ALPHABET,
    check_document,
    check_mobile,
    check_org_code,
    check_resident_id,
    check_uscc,
    org_code_check_char,
    resident_id_check_char,
    uscc_check_char,
)

TODAY = date(2026, 11, 22)


def test_known_resident_ids() -> None:
    for number in ("11010519491231002X", "310104199002154578", "320102198211096348"):
        assert check_resident_id(number, TODAY).ok, number


def test_resident_id_reasons() -> None:
    assert "18" in check_resident_id("11010519491231002", TODAY).reason_zh
    assert "校验位" in check_resident_id("110105194912310021", TODAY).reason_zh
    bad_date = "11010519490231" + "001"
    assert "出生日期不存在" in check_resident_id(bad_date + resident_id_check_char(bad_date),
                                                 TODAY).reason_zh
    future = "110105203001010012"
    future = future[:17] + resident_id_check_char(future[:17])
    assert not check_resident_id(future, TODAY).ok
    assert not check_resident_id("91010519491231002X", TODAY).ok  # region 9 does not exist


def test_age_from_resident_id() -> None:
    check = check_resident_id("11010519491231002X", TODAY)
    assert check.age_on(TODAY) == 76
    assert check.age_on(date(2026, 12, 31)) == 77


def test_lower_case_x_and_spaces_accepted() -> None:
    assert check_resident_id("110105 19491231 002x", TODAY).ok


def test_uscc_and_org_code() -> None:
    assert check_uscc("91310000MA1FL2X37J").ok
    assert not check_uscc("91310000MA1FL2X37K").ok
    assert "I、O、Z、S、V" in check_uscc("91310000MA1FL2X3IJ").reason_zh
    assert check_org_code("D2143569-X").ok
    assert not check_org_code("D2143569-1").ok


def test_mobile_and_permits() -> None:
    assert check_mobile("13012345678").ok
    assert not check_mobile("23012345678").ok
    assert not check_mobile("1301234567").ok
    assert check_document("hk_macau_permit", "H12345678", TODAY).ok
    assert not check_document("hk_macau_permit", "X12345678", TODAY).ok
    assert check_document("taiwan_permit", "12345678", TODAY).ok
    assert check_document("passport", "E12345678", TODAY).ok
    assert not check_document("passport", "E1234-5678$", TODAY).ok
    assert check_document("household_register", "11010519491231002X", TODAY).ok
    assert not check_document("resident_id", "", TODAY).ok


births = st.dates(min_value=date(1900, 1, 1), max_value=TODAY)
regions = st.sampled_from(["110105", "310104", "440106", "320102", "510107"])


@given(regions, births, st.integers(0, 999))
def test_every_well_made_id_passes_with_its_age(region: str, born: date, seq: int) -> None:
    body = f"{region}{born:%Y%m%d}{seq:03d}"
    number = body + resident_id_check_char(body)
    check = check_resident_id(number, TODAY)
    assert check.ok and check.birth_date == born
    age = check.age_on(TODAY)
    assert age is not None and 0 <= age <= TODAY.year - 1900


@given(regions, births, st.integers(0, 999), st.integers(0, 16), st.integers(1, 9))
def test_any_single_digit_change_is_caught(region: str, born: date, seq: int, pos: int,
                                           delta: int) -> None:
    body = f"{region}{born:%Y%m%d}{seq:03d}"
    number = body + resident_id_check_char(body)
    changed = number[:pos] + str((int(number[pos]) + delta) % 10) + number[pos + 1:]
    assert not check_resident_id(changed, TODAY).ok


@given(st.text(alphabet=USCC_ALPHABET, min_size=17, max_size=17))
def test_uscc_check_char_round_trip(body: str) -> None:
    assert check_uscc(body + uscc_check_char(body)).ok


@given(st.text(alphabet="0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=8, max_size=8))
def test_org_code_check_char_round_trip(body: str) -> None:
    assert check_org_code(body + org_code_check_char(body)).ok


@given(st.text(max_size=40))
def test_checks_never_raise(text: str) -> None:
    for kind in ("resident_id", "household_register", "business_license",
                 "org_code_certificate", "hk_macau_permit", "taiwan_permit", "passport",
                 "military_id", "introduction_letter"):
        assert isinstance(check_document(kind, text, TODAY).ok, bool)
    assert isinstance(check_mobile(text).ok, bool)


def test_child_born_recently() -> None:
    born = TODAY - timedelta(days=365 * 10)
    body = f"110105{born:%Y%m%d}123"
    check = check_resident_id(body + resident_id_check_char(body), TODAY)
    assert check.age_on(TODAY) in (9, 10)
