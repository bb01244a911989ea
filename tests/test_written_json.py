"""A JSON column's sealed value is what a JSON round trip makes of it
(`app.services.audit.written_forms`); a value the round trip gives back as it is skips the
round trip (#17). Whatever is skipped must be exactly what the round trip would give."""

from __future__ import annotations

import json
import math
from typing import Any

from app.services.audit.written_forms import json_native

NATIVE: list[Any] = [
    {}, [], "中文", 0, -7, 10**30, True, False, None, 0.1, -0.0, 1e300,
    {"a": [1, {"b": None, "c": [True, "x"]}], "fees": [{"item": "sim", "amount": 10.0}]},
]
CHANGED: list[Any] = [
    (1, 2), {"a": (1,)}, {1: "x"}, {"a": {2: "y"}}, [float("nan")], {"a": math.inf},
    [{"d": "x", "e": {None: 1}}],
]


def test_native_values_read_back_as_they_are() -> None:
    for value in NATIVE:
        assert json_native(value)
        back = json.loads(json.dumps(value))
        assert back == value and json.dumps(back) == json.dumps(value)


def test_anything_a_round_trip_changes_takes_the_round_trip() -> None:
    for value in CHANGED:
        assert not json_native(value)
    for value in [{"at": object()}, [b"bytes"], bytearray(b"s")]:
        assert not json_native(value)  # the round trip refuses them, as before
