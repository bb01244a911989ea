"""The sync password kept in the hall's key file, for a machine without a secure keyring.

The key file (`COUNTER_KEY_FILE`, opened with `COUNTER_KEY_PASSPHRASE`) already holds the
hall's wrapped master key; the sync password is added to it under ``sync_passwords``,
encrypted with the master key (AES-GCM, bound to the server's keyring entry name), so that it
is no more readable than the personal data the key protects. Written atomically with mode
0600 under the same lock file the audit heads use (`app.services.audit.anchors`), so that
neither update loses the other; everything else in the file reads back exactly as it was.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, Final

from app.security import ENV_KEY_FILE, ENV_KEY_PASSPHRASE, PersonalDataCipher, load_master_key
from app.security.key_file import write_private_file

FIELD: Final = "sync_passwords"
_MAX_FILE: Final = 64 * 1024


def key_file(environ: Mapping[str, str] | None = None) -> Path | None:
    """The key file the master key comes from, if one is configured with its passphrase."""
    env = os.environ if environ is None else environ
    path = env.get(ENV_KEY_FILE, "").strip()
    return Path(path).expanduser() if path and env.get(ENV_KEY_PASSPHRASE) else None


def _aad(entry: str) -> str:
    return f"sync-password:{entry}"


def _read(path: Path) -> dict[str, Any]:
    with path.open("rb") as fh:
        raw = fh.read(_MAX_FILE + 1)
    doc = json.loads(raw.decode("utf-8")) if len(raw) <= _MAX_FILE else None
    if not isinstance(doc, dict) or "wrapped_key" not in doc:
        raise ValueError(f"not a key file: {path}")
    return doc


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    try:
        import fcntl
    except ImportError:  # Windows: no advisory locks
        yield
        return
    with open(path.with_name(f".{path.name}.lock"), "a+b") as lock:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock.fileno(), fcntl.LOCK_UN)


def load_password(entry: str, environ: Mapping[str, str] | None = None) -> str | None:
    """The password kept for `entry`, or None (no key file, nothing kept, unreadable)."""
    path = key_file(environ)
    if path is None:
        return None
    try:
        sealed = _read(path).get(FIELD, {}).get(entry)
        if not isinstance(sealed, str):
            return None
        cipher = PersonalDataCipher(load_master_key(environ))
        return cipher.decrypt(base64.b64decode(sealed), aad=_aad(entry))
    except Exception:  # a damaged entry or file, a wrong passphrase: no password from here
        return None


def store_password(entry: str, password: str, environ: Mapping[str, str] | None = None) -> Path:
    """Keep `password` for `entry` in the key file; returns the file. Raises when there is no
    key file or it cannot be written."""
    path = key_file(environ)
    if path is None:
        raise FileNotFoundError(ENV_KEY_FILE)
    cipher = PersonalDataCipher(load_master_key(environ))
    sealed = base64.b64encode(cipher.encrypt(password, aad=_aad(entry))).decode("ascii")
    with _locked(path):
        doc = _read(path)
        found = doc.get(FIELD)
        kept: dict[str, Any] = found if isinstance(found, dict) else {}
        new = {**doc, FIELD: {**kept, entry: sealed}}
        data = (json.dumps(new, indent=2, sort_keys=True) + "\n").encode("ascii")
        back = json.loads(data)
        if {k: v for k, v in back.items() if k != FIELD} != \
                {k: v for k, v in doc.items() if k != FIELD}:
            raise RuntimeError("key file would change beyond its sync passwords")
        write_private_file(path, data, overwrite=True)
    return path
