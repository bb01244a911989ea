"""The personal-data master key itself: its size, the names it is stored under, a fresh one,
and the independent sub-keys derived from it.

The master key is never used directly: :func:`derive_subkeys` runs HKDF so that encryption,
lookup hashes and the audit chain each get an independent key. Where the key is read from is
decided in :mod:`app.security.keys`.
"""

from __future__ import annotations

import base64
import secrets
from dataclasses import dataclass
from typing import Final

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

__all__ = [
    "CLI_CREATE_FILE",
    "CLI_CREATE_KEYRING",
    "ENV_KEY_FILE",
    "ENV_KEY_PASSPHRASE",
    "KEYRING_ENTRY",
    "KEYRING_SERVICE",
    "KEY_SIZE",
    "SubKeys",
    "b64_text",
    "check_master_key",
    "derive_subkeys",
    "generate_key",
    "key_fingerprint",
]

KEY_SIZE: Final = 32
ENV_KEY_FILE: Final = "COUNTER_KEY_FILE"
ENV_KEY_PASSPHRASE: Final = "COUNTER_KEY_PASSPHRASE"
KEYRING_SERVICE: Final = "hall-counter"
KEYRING_ENTRY: Final = "personal-data-key"

#: Commands the CLI is expected to offer; quoted in the error messages.
CLI_CREATE_FILE: Final = "counter key create --file PATH"
CLI_CREATE_KEYRING: Final = "counter key create --keyring"


# --------------------------------------------------------------------------- sub-keys


@dataclass(frozen=True, slots=True, repr=False)
class SubKeys:
    """Independent keys derived from the master key (repr hides them)."""

    enc_key: bytes
    lookup_key: bytes
    audit_key: bytes
    key_id: bytes  # 4 public bytes identifying the master key inside ciphertexts

    def __repr__(self) -> str:
        return f"SubKeys(key_id={self.key_id.hex()}, <secret>)"


def _hkdf(master_key: bytes, label: str, length: int = 32) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(),
        length=length,
        salt=None,  # the master key is already uniformly random
        info=f"hall-counter/v1/{label}".encode("ascii"),
    ).derive(master_key)


def check_master_key(master_key: bytes) -> bytes:
    if not isinstance(master_key, bytes | bytearray) or len(master_key) != KEY_SIZE:
        raise ValueError(f"master key must be {KEY_SIZE} bytes")
    return bytes(master_key)


def derive_subkeys(master_key: bytes) -> SubKeys:
    """Split the master key with HKDF-SHA256 so no two purposes share a key.

    A lookup hash (HMAC) and a ciphertext (AES-GCM) under the same key would be a
    cross-protocol risk, and a separate audit key lets the audit chain be
    verified by code that is never given the encryption key.
    """
    mk = check_master_key(master_key)
    return SubKeys(
        enc_key=_hkdf(mk, "enc"),
        lookup_key=_hkdf(mk, "lookup"),
        audit_key=_hkdf(mk, "audit"),
        key_id=_hkdf(mk, "key-id", 4),
    )


def key_fingerprint(master_key: bytes) -> str:
    """Public 16-hex-digit id of a master key.

    Store it next to the data (e.g. a settings row) so that starting the app with
    the wrong key is detected at once instead of as a flood of decryption errors.
    Derived one-way, so it reveals nothing about the key.
    """
    return _hkdf(check_master_key(master_key), "fingerprint", 8).hex()


def generate_key() -> bytes:
    """A fresh 32-byte master key from the OS CSPRNG."""
    return secrets.token_bytes(KEY_SIZE)


def b64_text(data: bytes) -> str:
    """Bytes as base64 text (how a key is written into a key file or the keyring)."""
    return base64.b64encode(data).decode("ascii")
