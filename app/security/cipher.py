"""Field-level encryption and blind-index lookup hashes for personal data.

Why: the database (and its backups) must not reveal ID numbers, names, phone
numbers or scanned ID cards, yet the counter must still find a customer by ID
number. So values are stored encrypted (AES-256-GCM, randomized) and searched
through a keyed HMAC "blind index" computed over a normalized form.

Ciphertext layout (version 1)::

    0x01 | key_id (4 bytes) | nonce (12 bytes) | AES-GCM ciphertext + 16-byte tag

The associated data binds the version, the key id, whether the payload is text
or bytes, and a caller-chosen context such as the column name
(``"customer.id_number"``): a ciphertext copied into another column fails to
decrypt instead of silently showing the wrong value. ``key_id`` makes key
rotation possible: a cipher built with ``previous_keys`` still decrypts old
values and :meth:`PersonalDataCipher.needs_reencrypt` finds them.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import unicodedata
from collections.abc import Sequence
from typing import Final

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from app.security.errors import DecryptionError
from app.security.master_key import SubKeys, derive_subkeys

__all__ = ["CIPHER_VERSION", "PersonalDataCipher", "normalize_lookup_value"]

CIPHER_VERSION: Final = 1
_HEADER_LEN: Final = 1 + 4 + 12
_MIN_BLOB_LEN: Final = _HEADER_LEN + 16
_AAD_PREFIX: Final = b"hall-counter/pd/v1"
_KIND_RE: Final = re.compile(r"[a-z][a-z0-9_.]{0,63}")
_WHITESPACE_RE: Final = re.compile(r"\s+")


def normalize_lookup_value(value: str) -> str:
    """Canonical form for lookup hashing: NFKC, no whitespace at all, upper case.

    NFKC turns full-width digits/letters typed via a Chinese IME (``４４０１…ｘ``)
    into ASCII, so the same document number always hashes the same.
    """
    return _WHITESPACE_RE.sub("", unicodedata.normalize("NFKC", value)).upper()


def _context_bytes(aad: str | bytes | None) -> bytes:
    if aad is None:
        return b""
    if isinstance(aad, str):
        return aad.encode("utf-8")
    return bytes(aad)


class PersonalDataCipher:
    """Encrypts/decrypts personal data and computes lookup hashes under one master key.

    ``previous_keys`` (older master keys) are only used to decrypt and to offer
    extra lookup hashes during a rotation; new ciphertexts always use the
    current key.
    """

    __slots__ = ("_by_id", "_current", "_previous")

    def __init__(self, master_key: bytes, *, previous_keys: Sequence[bytes] = ()) -> None:
        self._current: SubKeys = derive_subkeys(master_key)
        self._previous: tuple[SubKeys, ...] = tuple(derive_subkeys(k) for k in previous_keys)
        self._by_id: dict[bytes, AESGCM] = {}
        for sub in (self._current, *self._previous):
            if sub.key_id in self._by_id:
                raise ValueError("duplicate master key (or key id collision) in previous_keys")
            self._by_id[sub.key_id] = AESGCM(sub.enc_key)

    def __repr__(self) -> str:
        return f"PersonalDataCipher(key_id={self._current.key_id.hex()})"

    @property
    def key_id(self) -> str:
        """Hex id of the current key as embedded in new ciphertexts."""
        return self._current.key_id.hex()

    # ------------------------------------------------------------------ encryption

    @staticmethod
    def _aad(header: bytes, payload_type: bytes, aad: str | bytes | None) -> bytes:
        return _AAD_PREFIX + header[:5] + payload_type + _context_bytes(aad)

    def _seal(self, data: bytes, payload_type: bytes, aad: str | bytes | None) -> bytes:
        nonce = secrets.token_bytes(12)  # random 96-bit nonce; safe far beyond a hall's volume
        header = bytes([CIPHER_VERSION]) + self._current.key_id + nonce
        aead = self._by_id[self._current.key_id]
        return header + aead.encrypt(nonce, data, self._aad(header, payload_type, aad))

    def _open(
        self, blob: bytes | bytearray | memoryview, payload_type: bytes, aad: str | bytes | None
    ) -> bytes:
        raw = bytes(blob)
        if len(raw) < _MIN_BLOB_LEN:
            raise DecryptionError("加密数据已损坏（长度不足）", "ciphertext too short")
        if raw[0] != CIPHER_VERSION:
            raise DecryptionError(
                f"不支持的加密数据版本 {raw[0]}", f"unsupported ciphertext version {raw[0]}"
            )
        aead = self._by_id.get(raw[1:5])
        if aead is None:
            raise DecryptionError(
                "数据是用另一把密钥加密的，当前密钥无法解密（请检查是否加载了正确的密钥）",
                f"ciphertext was made with an unknown key (key id {raw[1:5].hex()}); "
                "is the right master key loaded?",
            )
        header = raw[:_HEADER_LEN]
        try:
            return aead.decrypt(header[5:], raw[_HEADER_LEN:], self._aad(header, payload_type, aad))
        except InvalidTag:
            raise DecryptionError(
                "加密数据校验失败：数据被篡改、损坏，或不属于该字段",
                "ciphertext authentication failed: tampered, corrupt, or from another field",
            ) from None

    def encrypt(self, text: str, aad: str | bytes | None = None) -> bytes:
        """Encrypt a string; ``aad`` (e.g. the column name) must be repeated to decrypt."""
        if not isinstance(text, str):
            raise TypeError("encrypt() takes str; use encrypt_bytes() for binary data")
        return self._seal(text.encode("utf-8"), b"t", aad)

    def decrypt(self, blob: bytes | bytearray | memoryview, aad: str | bytes | None = None) -> str:
        """Inverse of :meth:`encrypt`; raises :class:`DecryptionError` on any mismatch."""
        data = self._open(blob, b"t", aad)
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:  # cannot happen for our own ciphertexts
            raise DecryptionError("解密结果不是有效文本", "decrypted data is not UTF-8") from None

    def encrypt_bytes(self, data: bytes, aad: str | bytes | None = None) -> bytes:
        """Encrypt binary data (ID card scans, signatures). Not interchangeable with text."""
        if not isinstance(data, bytes | bytearray | memoryview):
            raise TypeError("encrypt_bytes() takes bytes")
        return self._seal(bytes(data), b"b", aad)

    def decrypt_bytes(
        self, blob: bytes | bytearray | memoryview, aad: str | bytes | None = None
    ) -> bytes:
        """Inverse of :meth:`encrypt_bytes`."""
        return self._open(blob, b"b", aad)

    def needs_reencrypt(self, blob: bytes | bytearray | memoryview) -> bool:
        """True if ``blob`` is not under the current key/version (rotation work list)."""
        raw = bytes(blob)
        return (
            len(raw) < _MIN_BLOB_LEN
            or raw[0] != CIPHER_VERSION
            or (raw[1:5] != self._current.key_id)
        )

    # ------------------------------------------------------------------ lookup hashes

    @staticmethod
    def _lookup_message(kind: str, value: str) -> bytes:
        if not isinstance(kind, str) or not _KIND_RE.fullmatch(kind):
            raise ValueError(f"lookup kind must match {_KIND_RE.pattern!r}, got {kind!r}")
        normalized = normalize_lookup_value(value)
        if not normalized:
            raise ValueError("cannot compute a lookup hash of an empty value")
        # kind cannot contain NUL, so "kind\0value" is unambiguous.
        return kind.encode("ascii") + b"\x00" + normalized.encode("utf-8")

    def lookup_hash(self, kind: str, value: str) -> str:
        """Hex HMAC-SHA256 blind index of ``value`` for exact-match search.

        ``kind`` (e.g. ``"resident_id"``, ``"passport"``, ``"mobile"``) is a domain
        separator: the same characters as a resident ID and as a passport number
        hash differently, so an index for one document type can't be joined against
        another. Searching "any document type" means hashing once per kind.
        """
        message = self._lookup_message(kind, value)
        return hmac.new(self._current.lookup_key, message, hashlib.sha256).hexdigest()

    def lookup_hashes(self, kind: str, value: str) -> list[str]:
        """Current hash first, then one per previous key: use with ``IN (...)`` mid-rotation."""
        message = self._lookup_message(kind, value)
        return [
            hmac.new(sub.lookup_key, message, hashlib.sha256).hexdigest()
            for sub in (self._current, *self._previous)
        ]
