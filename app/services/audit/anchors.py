"""The audit chain's head kept in the key store, outside the database file.

Deleting the newest events, or all of them, leaves a chain that is whole but shorter. The key
store -- the key file (`COUNTER_KEY_FILE`) or, without one, the OS keyring -- keeps the head
(seq and hash) of each chain written with it, so that `counter audit verify` finds the cut with
no `--anchor` given. A chain is named by the uid of its first event.

When it is stored (`app.services.audit.events`): writing the key file after every order would
put the hall's wrapped master key through an atomic rewrite, and an fsync, thousands of times
a day. So the head is stored after a transaction whose events include a log-out, a screen
lock, a shift close, a day sign-off or a restore, after every `EVERY` events, and at the end of
a `counter process` run. Between those moments up to `EVERY - 1` of the newest events are
covered only by the sign-off and the sync server.

Each stored head carries an HMAC under the audit sub-key, so a head edited in the key file
shows; a stored head only moves forward, except after a restore (the chain then really goes
back to the backup's head plus the restore event).
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import logging
import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from app.security import ENV_KEY_FILE, ENV_KEY_PASSPHRASE, KEYRING_SERVICE
from app.security.key_file import write_private_file

log = logging.getLogger(__name__)

EVERY: Final = 50
ANCHOR_ACTIONS: Final = frozenset({"logout", "session.lock", "shift.close", "day.signoff",
                                   "restore"})
RESET_ACTIONS: Final = frozenset({"restore"})  # may move the stored head back
FIELD: Final = "audit_heads"  # in the key file's JSON
KEYRING_HEADS: Final = "audit-heads"  # keyring entry under KEYRING_SERVICE
MAX_HEADS: Final = 64  # chains remembered (a workstation has one; tests have many)
_KEY_FILE_FORMAT: Final = "hall-counter-key"
_MAX_KEY_FILE: Final = 64 * 1024  # what `open_key_file` accepts
_DOMAIN: Final = b"hall-counter/audit-head/v1\x00"

Heads = list[dict[str, Any]]


@dataclass(frozen=True)
class Head:
    chain: str  # uid of the chain's first event
    seq: int
    hash: str


class HeadDamaged(ValueError):
    """The key store's head of this chain does not carry a valid HMAC (edited)."""


def _mac(head: Head, key: bytes) -> str:
    message = _DOMAIN + f"{head.chain}\x00{head.seq}\x00{head.hash}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def _key_file(environ: Mapping[str, str] | None) -> Path | None:
    """The key file the master key is read from, if any (as `load_master_key` decides)."""
    env = os.environ if environ is None else environ
    path = env.get(ENV_KEY_FILE, "").strip()
    return Path(path).expanduser() if path and env.get(ENV_KEY_PASSPHRASE) else None


# --------------------------------------------------------------------------- reading


def _read_key_file(path: Path) -> dict[str, Any]:
    with path.open("rb") as fh:
        raw = fh.read(_MAX_KEY_FILE + 1)
    doc = json.loads(raw.decode("utf-8")) if len(raw) <= _MAX_KEY_FILE else None
    if not isinstance(doc, dict) or doc.get("format") != _KEY_FILE_FORMAT \
            or "wrapped_key" not in doc:
        raise ValueError(f"not a key file: {path}")
    return doc


def _heads(value: object) -> Heads:
    return [h for h in value if isinstance(h, dict)] if isinstance(value, list) else []


def _load(environ: Mapping[str, str] | None) -> Heads:
    path = _key_file(environ)
    if path is not None:
        return _heads(_read_key_file(path).get(FIELD))
    import keyring

    text = keyring.get_password(KEYRING_SERVICE, KEYRING_HEADS)
    return _heads(json.loads(text)) if text else []


def stored_head(chain: str, key: bytes, *,
                environ: Mapping[str, str] | None = None) -> Head | None:
    """The head the key store keeps for `chain`, or None (none kept, or no key store to ask).

    Raises `HeadDamaged` when the entry's HMAC does not hold."""
    try:
        heads = _load(environ)
    except Exception as exc:  # no keyring, an unreadable file: nothing to compare with
        log.info("no audit head from the key store: %s", exc)
        return None
    for entry in heads:
        if entry.get("chain") != chain:
            continue
        seq, digest, mac = entry.get("seq"), entry.get("hash"), entry.get("mac")
        if type(seq) is not int or not isinstance(digest, str) or not isinstance(mac, str):
            raise HeadDamaged(chain)
        head = Head(chain, seq, digest)
        if not hmac.compare_digest(_mac(head, key), mac):
            raise HeadDamaged(chain)
        return head
    return None


# --------------------------------------------------------------------------- writing


def _merged(heads: Heads, head: Head, key: bytes, reset: bool) -> Heads | None:
    """The new list (this chain's head first), or None when the stored one is newer."""
    mine = [h for h in heads if h.get("chain") == head.chain]
    others = [h for h in heads if h.get("chain") != head.chain]
    if mine and not reset and type(mine[0].get("seq")) is int and mine[0]["seq"] >= head.seq:
        return None  # a later transaction stored a later head already
    entry = {"chain": head.chain, "seq": head.seq, "hash": head.hash, "mac": _mac(head, key)}
    return [entry, *others][:MAX_HEADS]


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """One writer of the key file at a time (the window and `counter process` may both
    store); where no lock can be taken, a lost update only leaves an older head."""
    try:
        import fcntl
    except ImportError:  # Windows: no advisory locks here
        yield
        return
    with open(path.with_name(f".{path.name}.lock"), "a+b") as lock:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock.fileno(), fcntl.LOCK_UN)


def _store_in_key_file(path: Path, change: Callable[[Heads], Heads | None]) -> None:
    with _locked(path):
        doc = _read_key_file(path)
        heads = change(_heads(doc.get(FIELD)))
        if heads is None:
            return
        while True:
            new = {**doc, FIELD: heads}
            data = (json.dumps(new, indent=2, sort_keys=True) + "\n").encode("ascii")
            if len(data) <= _MAX_KEY_FILE - 1024 or not heads:
                break
            heads = heads[:-1]  # the oldest chains go first
        # Never lose the key: everything but the heads must read back exactly as it was.
        back = json.loads(data)
        if {k: v for k, v in back.items() if k != FIELD} != \
                {k: v for k, v in doc.items() if k != FIELD}:
            raise RuntimeError("key file would change beyond its audit heads")
        write_private_file(path, data, overwrite=True)


def store_head(head: Head, key: bytes, *, reset: bool = False,
               environ: Mapping[str, str] | None = None) -> bool:
    """Keep `head` in the key store. Never raises (the transaction it anchors is committed
    already): False, logged, when it could not be stored."""
    def change(heads: Heads) -> Heads | None:
        return _merged(heads, head, key, reset)

    try:
        path = _key_file(environ)
        if path is not None:
            _store_in_key_file(path, change)
            return True
        import keyring

        text = keyring.get_password(KEYRING_SERVICE, KEYRING_HEADS)
        heads = change(_heads(json.loads(text)) if text else [])
        if heads is not None:
            keyring.set_password(KEYRING_SERVICE, KEYRING_HEADS,
                                 json.dumps(heads, separators=(",", ":")))
        return True
    except Exception as exc:
        log.warning("could not keep the audit head in the key store: %s", exc)
        return False
