"""A request's key is made from its canonical JSON (`idempotency.canonical_request`): made
faster for #17, it must stay byte for byte what it was, or a batch run again would not find
the orders it recorded before."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from app.core.request import parse_request
from app.services.orders.idempotency import _plain, canonical_request
from tests.builders import examples, personal


def _as_data_before(value: Any) -> Any:
    """The conversion as it was (its reference: `dataclasses.asdict`, an empty
    `valid_until` left out)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out = {}
        for f in dataclasses.fields(value):
            item = getattr(value, f.name)
            if not (f.name == "valid_until" and item is None):
                out[f.name] = _as_data_before(item)
        return out
    if isinstance(value, list | tuple):
        return [_as_data_before(item) for item in value]
    if isinstance(value, dict):
        return {_as_data_before(k): _as_data_before(v) for k, v in value.items()}
    return value


def test_canonical_request_is_byte_for_byte_as_before() -> None:
    dated = personal("report_loss")
    dated["customer"]["id_document"]["valid_until"] = "2030-01-01"
    requests = [e["request"] for e in examples()] + [dated]
    for raw in requests:
        req = parse_request(raw)
        before = json.dumps(_as_data_before(req), sort_keys=True, ensure_ascii=False,
                            separators=(",", ":"), default=_plain).encode()
        assert canonical_request(req) == before
