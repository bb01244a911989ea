"""The generator's fast audit hashes: row seals and event hashes from byte templates.

Every generated row of a table has the same shape, so its canonical bytes (what the seal's
HMAC covers, `app.security.canonical_event_bytes`) are made once by the real encoder with
unique placeholders for the values that vary, and filled in per row. The templates are
checked: each template's first event hash against `chain_hash`, and the first rows' seals
against what `app.services.audit.seals.SealedRows` reads back from the database (`check`);
a mismatch stops the generator rather than writing seals `counter audit verify` would reject.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from operator import itemgetter
from typing import Any, Final

SEAL_DOMAIN: Final = b"hall-counter/row-seal/v1\x00"  # app.services.audit.seals._DOMAIN
CHAIN_DOMAIN: Final = b"hall-counter/audit/v1\x00"  # app.security.audit_chain's domain


def _marker(name: str) -> str:
    return f"\x01{name}\x01"


class Template:
    """Canonical bytes of a mapping with some string or int values left open.

    The bytes are cut once at the open values; `fill` joins the pieces with the values'
    JSON, so a row costs one join instead of a search-and-replace per value."""

    def __init__(self, build: Callable[[Mapping[str, Any]], Mapping[str, Any]],
                 strings: tuple[str, ...], ints: tuple[str, ...] = ()) -> None:
        from app.security import canonical_event_bytes

        self.build = build
        self.strings = strings
        self.ints = ints
        holders: dict[str, Any] = {name: _marker(name) for name in strings}
        holders.update({name: 7_770_000_000_000 + i for i, name in enumerate(ints)})
        self.raw = canonical_event_bytes(build(holders))
        text = self.raw.decode()
        needles = {json.dumps(_marker(n)): (n, True) for n in strings}
        needles.update({str(holders[n]): (n, False) for n in ints})
        for needle, (name, _) in needles.items():
            if needle not in text:
                raise RuntimeError(f"template slot {name} not found")
        pieces = re.split("(" + "|".join(map(re.escape, needles)) + ")", text)
        self.pieces, self.needles = pieces, needles
        self.holes: list[tuple[str, bool]] = [needles[n] for n in pieces[1::2]]
        # one %-format: the literal parts (their % doubled) with %s or %d at each hole
        self.form = "".join(piece.replace("%", "%%") if i % 2 == 0 else
                            ("%s" if needles[piece][1] else "%d")
                            for i, piece in enumerate(pieces))

    def fill(self, values: Mapping[str, Any]) -> bytes:
        return (self.form % tuple([json_text(values[name]) if is_text else int(values[name])
                                   for name, is_text in self.holes])).encode()

    def plain(self, names: Sequence[str], prefix: str = "") -> Callable[[Sequence[Any]], bytes]:
        """`prefix` + the bytes for values given as a tuple in `names` order, the strings put in
        as they are, unquoted by any encoder: only for strings that `is_plain` (the generator's
        alphabets are checked once, and the first row of each kind against `check`)."""
        form = prefix.replace("%", "%%") + "".join(
            piece.replace("%", "%%") if i % 2 == 0 else
            ('"%s"' if self.needles[piece][1] else "%d") for i, piece in enumerate(self.pieces))
        get = itemgetter(*[names.index(name) for name, _ in self.holes])
        if len(self.holes) == 1:
            return lambda values: (form % (get(values),)).encode()
        return lambda values: (form % get(values)).encode()

    def check(self, values: Mapping[str, Any]) -> bytes:
        from app.security import canonical_event_bytes

        filled = self.fill(values)
        if filled != canonical_event_bytes(self.build(values)):
            raise RuntimeError("seal template does not match the canonical encoder")
        return filled


def json_text(value: str) -> str:
    """`json.dumps(value, ensure_ascii=False)`: quoted as it is when nothing needs escaping
    (the common case: names, numbers, uids), else through the encoder."""
    if value.isprintable() and '"' not in value and "\\" not in value:
        return f'"{value}"'
    return json.dumps(value, ensure_ascii=False)


def is_plain(text: str) -> bool:
    """Whether JSON writes `text` as it is between quotes (nothing to escape)."""
    return not any(c < " " or c in '"\\' for c in text)


class FastHmac:
    """HMAC-SHA256 (RFC 2104) with the key's inner and outer pads hashed once: the digest
    `hmac.digest(key, msg, "sha256")` gives (checked when made), at about half its cost for a
    row's kilobyte (OpenSSL's one-shot HMAC sets the key up again on every call)."""

    def __init__(self, key: bytes) -> None:
        padded = (hashlib.sha256(key).digest() if len(key) > 64 else key).ljust(64, b"\x00")
        self._inner = hashlib.sha256(bytes(b ^ 0x36 for b in padded))
        self._outer = hashlib.sha256(bytes(b ^ 0x5C for b in padded))
        probe = b"hall-counter/generator/probe" * 9
        if self.hex(probe) != hmac.digest(key, probe, "sha256").hex():
            raise RuntimeError("the generator's HMAC does not match hmac.digest")

    def hex(self, message: bytes) -> str:
        inner = self._inner.copy()
        inner.update(message)
        outer = self._outer.copy()
        outer.update(inner.digest())
        return outer.hexdigest()


def fast_id_lookup(app_lookup: Callable[[str], str]) -> Callable[[str], str]:
    """`PersonalData.lookup_id` (the keyed blind index of an ID number) for the generator's
    numbers, with the lookup key's pads hashed once: the app hashes the kind, a NUL and the
    number in its normal form, and generated numbers (digits and X) are in it already. The
    app's own function is asked for a probe here, and `CustomerBatches` asks it again for
    the first row of every batch."""
    from app.security import derive_subkeys, load_master_key
    from app.services.customers.pii import ID_KIND

    mac = FastHmac(derive_subkeys(load_master_key()).lookup_key).hex
    prefix = ID_KIND.encode("ascii") + b"\x00"

    def lookup(number: str) -> str:
        return mac(prefix + number.encode())

    probe = "11010519491231002X"
    if lookup(probe) != app_lookup(probe):
        raise RuntimeError("the generator's lookup hash does not match the app's")
    return lookup


def seal(key: bytes, body: bytes) -> str:
    return hmac.digest(key, SEAL_DOMAIN + body, "sha256").hex()  # one C call


class EventChain:
    """Hashes of generated audit events, each linked to the one before."""

    def __init__(self, key: bytes, prev: str, seq: int) -> None:
        self.key, self.prev, self.seq = key, prev, seq
        self.mac = FastHmac(key).hex
        self.templates: dict[Any, Template] = {}
        self.checked: set[Any] = set()

    def link(self, body: bytes) -> str:
        """The hash of the next event (seq `self.seq + 1`), whose canonical bytes are `body`
        (made by a template checked through `append` or against `chain_hash`)."""
        digest = self.mac(CHAIN_DOMAIN + self.prev.encode() + b"\x00" + body)
        self.seq += 1
        self.prev = digest
        return digest

    def append(self, kind: Any, template: Callable[[], Template], values: dict[str, Any],
               fields: Callable[[int], dict[str, Any]],
               post: Callable[[bytes], bytes] | None = None) -> tuple[int, str, str]:
        """(seq, prev hash, hash) of the next event; `values` fill the template (then `post`
        changes the bytes), `fields(seq)` gives the event as `chain_hash` takes it (used
        once per template, to check)."""
        from app.security import chain_hash

        self.seq += 1
        values = {**values, "seq": self.seq}
        if kind not in self.templates:
            self.templates[kind] = template()
        body = self.templates[kind].fill(values)
        if post is not None:
            body = post(body)
        digest = hmac.digest(self.key, CHAIN_DOMAIN + self.prev.encode() + b"\x00" + body,
                             "sha256").hex()
        if kind not in self.checked:
            if chain_hash(self.prev, fields(self.seq), key=self.key) != digest:
                raise RuntimeError("audit template does not match the audit chain's encoder")
            self.checked.add(kind)
        prev, self.prev = self.prev, digest
        return self.seq, prev, digest


def seal_event_fields(uid: str, seq: int, at: datetime, rows: Mapping[str, str]
                      ) -> dict[str, Any]:
    """A `data.generate` event sealing generated rows (what `seal_existing` would record)."""
    return {"uid": uid, "seq": seq, "at": at, "actor": "gen", "actor_staff_id": None,
            "authorized_by": None, "counter": "", "action": "data.generate", "target": "",
            "data": {"sealed": len(rows), "rows": dict(rows)}}


def seal_event_body(template: bytes, rows: Mapping[str, str]) -> bytes:
    """A seal event's canonical bytes: its template with the sorted seals put in (keys are
    `table:uuid` and values hex, so their JSON is plain)."""
    inner = ",".join(f'"{k}":"{rows[k]}"' for k in sorted(rows))
    return template.replace(b'"rows":{}', b'"rows":{' + inner.encode() + b"}", 1)


def check_seals(db: Any, table: str, expected: Mapping[int, str], key: bytes) -> None:
    """The seals computed for these rows are the ones `SealedRows` reads back."""
    from app.services.audit.seals import SealedRows

    with db.read() as s:
        got = {row: value for row, _label, value in
               SealedRows(s).seals(table, sorted(expected), key)}
    want = set(expected.values())
    if set(got.values()) != want:
        raise RuntimeError(f"generated seals of {table} do not match what verify reads back")
