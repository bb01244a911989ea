"""Building blocks of the fuzz tests (tests/test_fuzz.py, tests/test_fuzz_hostile.py)."""

from __future__ import annotations

from typing import Any


def deep(depth: int, as_list: bool) -> Any:
    """A value nested `depth` levels deep, as lists or as objects."""
    value: Any = "bottom"
    for _ in range(depth):
        value = [value] if as_list else {"k": value}
    return value


def places(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in a request where a value could be changed."""
    out = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            out += places(item, (*prefix, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            out += places(item, (*prefix, i))
    return out
