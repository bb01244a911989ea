"""The personal-data master key: where the program reads it from.

Why this module is strict: every ID number, name, phone number and scan in the
database is encrypted under one 32-byte master key. Losing it loses the data;
leaking it leaks every customer. So the key is only ever read from

1. a passphrase-protected key file (``COUNTER_KEY_FILE`` + ``COUNTER_KEY_PASSPHRASE``), or
2. the operating system's keyring (Windows Credential Locker, macOS Keychain,
   Secret Service / KWallet) -- and only when that backend really is one of those,

and otherwise :class:`KeyUnavailable` is raised with instructions. There is no
silent fallback to a plaintext file, and nothing here ever generates a key
implicitly (a fresh key would make existing data unreadable).

The key file lives in :mod:`.key_file`, the keyring in :mod:`.keyring_store`; the key and its
sub-keys in :mod:`.master_key`.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Mapping
from pathlib import Path

from app.security.errors import KeyUnavailable
from app.security.key_file import open_key_file
from app.security.keyring_store import load_from_keyring
from app.security.master_key import ENV_KEY_FILE, ENV_KEY_PASSPHRASE

__all__ = ["load_master_key", "start_loading_master_key"]

_early: list[threading.Thread] = []  # key files being opened ahead of need (at most one)


def start_loading_master_key(environ: Mapping[str, str] | None = None) -> None:
    """Begin opening the key file in the background, so that its deliberately slow derivation
    (scrypt releases the GIL) runs beside the program's imports instead of after them.

    Nothing is decided here: :func:`load_master_key` waits for it, then checks as always (the
    key file remembers only a successful open of the same bytes with the same passphrase). A
    keyring has no slow step and is left alone.
    """
    env = os.environ if environ is None else environ
    key_file = env.get(ENV_KEY_FILE, "").strip()
    passphrase = env.get(ENV_KEY_PASSPHRASE, "")
    if not (key_file and passphrase) or _early:
        return
    thread = threading.Thread(target=_open_quietly, args=(Path(key_file).expanduser(), passphrase),
                              name="open-key-file", daemon=True)
    thread.start()
    _early.append(thread)


def _open_quietly(path: Path, passphrase: str) -> None:
    with contextlib.suppress(Exception):  # told by load_master_key, which tries again
        open_key_file(path, passphrase)


def _wait_for_early() -> None:
    with contextlib.suppress(IndexError):  # none, or another thread took it first
        while True:
            _early.pop().join()


def load_master_key(environ: Mapping[str, str] | None = None) -> bytes:
    """Resolve the master key: key file from the environment, else secure keyring, else raise.

    ``environ`` defaults to ``os.environ`` (injectable for tests). Setting only
    one of the two variables is a configuration error and is reported rather
    than silently ignored.
    """
    env = os.environ if environ is None else environ
    key_file = env.get(ENV_KEY_FILE, "").strip()
    passphrase = env.get(ENV_KEY_PASSPHRASE, "")
    if key_file and passphrase:
        _wait_for_early()
        return open_key_file(Path(key_file).expanduser(), passphrase)
    if key_file:
        raise KeyUnavailable(
            f"已设置 {ENV_KEY_FILE}，但缺少 {ENV_KEY_PASSPHRASE}（密钥文件口令）",
            f"{ENV_KEY_FILE} is set but {ENV_KEY_PASSPHRASE} is missing",
        )
    if passphrase:
        raise KeyUnavailable(
            f"已设置 {ENV_KEY_PASSPHRASE}，但缺少 {ENV_KEY_FILE}（密钥文件路径）",
            f"{ENV_KEY_PASSPHRASE} is set but {ENV_KEY_FILE} is missing",
        )
    return load_from_keyring()
