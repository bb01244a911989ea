"""The generator's shortcuts give what the app's own functions give: ID numbers valid by
`resident_id_check_char`, masks as `mask_id` makes them, uids version-4-shaped and unique,
order numbers as `format_order_no` writes them, and seal templates that fill to the
canonical encoder's bytes."""

from __future__ import annotations

import re
from datetime import date

from app.core.validators import resident_id_check_char
from app.security import canonical_event_bytes, mask_id
from bench.gen_rows import customer_id_number, id_masked, uid_of
from bench.gen_seals import Template

UUID4 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


def test_id_numbers_and_masks_match_the_app_s_functions() -> None:
    for k in [*range(0, 3000, 7), 72_999, 73_000, 1_000_003, 9_999_999]:
        number = customer_id_number(k)
        assert len(number) == 18
        assert number[17] == resident_id_check_char(number[:17])
        assert id_masked(number) == mask_id(number)
    assert len({customer_id_number(k) for k in range(20_000)}) == 20_000


def test_uids_are_v4_shaped_unique_and_per_table() -> None:
    nonce = b"12345678"
    uids = [uid_of(nonce, t, i) for t in ("customer", "line") for i in range(1, 2001)]
    assert all(UUID4.match(u) for u in uids)
    assert len(set(uids)) == len(uids)
    assert uid_of(b"another!", "customer", 1) != uid_of(nonce, "customer", 1)


def test_order_numbers_match_format_order_no() -> None:
    from app.services.orders.numbering import format_order_no
    from bench.generate import _OrderNumbers

    make = _OrderNumbers("H4401", date(2026, 11, 22))
    for counter in ("C01", "C02"):
        for serial in (1, 9, 10, 99_999, 4711, 1234, 100_000, 1_234_567):
            assert make(counter, serial) == format_order_no("H4401", counter,
                                                             date(2026, 11, 22), serial)


def test_templates_fill_to_the_encoder_s_bytes() -> None:
    def build(v: dict[str, object]) -> dict[str, object]:
        return {"name": v["name"], "uid": v["uid"], "n": v["n"], "note": "100% sure",
                "data": {"who": v["name"]}}

    tpl = Template(build, ("name", "uid"), ("n",))
    for values in ({"name": "王伟", "uid": "u-1", "n": 7},
                   {"name": 'quote " and \\ back', "uid": "tab\there", "n": 123456},
                   {"name": "line\u2028sep", "uid": "", "n": 0}):
        assert tpl.fill(values) == canonical_event_bytes(build(values))
        assert tpl.check(values) == tpl.fill(values)
