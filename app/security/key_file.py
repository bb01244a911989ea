"""The passphrase-protected key file (``COUNTER_KEY_FILE`` + ``COUNTER_KEY_PASSPHRASE``).

The master key is wrapped with AES-256-GCM under a key derived from the passphrase (scrypt or
argon2id); the file is written atomically with mode 0600 and never overwritten by accident
(a fresh key would make existing data unreadable).
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import hmac
import json
import logging
import os
import secrets
import tempfile
import unicodedata
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from app.security.errors import KeyAlreadyExists, KeyUnavailable, WeakPassphrase
from app.security.master_key import KEY_SIZE, b64_text, check_master_key, generate_key

__all__ = ["MIN_PASSPHRASE_LENGTH", "check_passphrase", "create_key_file", "open_key_file"]

log = logging.getLogger(__name__)

MIN_PASSPHRASE_LENGTH: Final = 12

_FILE_FORMAT: Final = "hall-counter-key"
_FILE_VERSION: Final = 1
_FILE_CIPHER: Final = "AES-256-GCM"
_MAX_FILE_SIZE: Final = 64 * 1024
_KDF_OUTPUT: Final = 64  # 32 bytes wrap key + 32 bytes passphrase-check key
_SALT_SIZE: Final = 16
_NONCE_SIZE: Final = 12

# Defaults: scrypt per the brief / RFC 7914 interactive-plus; argon2id per RFC 9106 §4 (2nd).
_SCRYPT_DEFAULT: Final = {"n": 2**15, "r": 8, "p": 1}
_ARGON2_DEFAULT: Final = {"time_cost": 3, "memory_cost": 64 * 1024, "parallelism": 4}

# Bounds accepted when *reading* a file: low enough to stop a tampered file from
# making us burn gigabytes of RAM, high enough for a future cost increase.
_SCRYPT_BOUNDS: Final = {"n": (2**14, 2**20), "r": (8, 16), "p": (1, 4)}
_ARGON2_BOUNDS: Final = {
    "time_cost": (2, 10),
    "memory_cost": (19 * 1024, 1024 * 1024),
    "parallelism": (1, 8),
}

_MSG_WRONG_PASSPHRASE: Final = ("密钥文件口令错误", "wrong passphrase")
_MSG_CORRUPT_ZH: Final = "密钥文件已损坏或被篡改（{detail}）：{path}"
_MSG_CORRUPT_EN: Final = "key file is corrupt or has been tampered with ({detail}): {path}"


def _normalize_passphrase(passphrase: str) -> bytes:
    # NFKC: full-width characters typed through a Chinese IME match their ASCII form.
    return unicodedata.normalize("NFKC", passphrase).encode("utf-8")


def _is_text(passphrase: str) -> bool:
    """False for bytes that were not valid in the terminal's or the environment's encoding
    (Python keeps them as lone surrogates, which no key derivation can take)."""
    return not any("\ud800" <= c <= "\udfff" for c in passphrase)


def check_passphrase(passphrase: str) -> None:
    """Refuse a passphrase for a new key file with a plain reason (`WeakPassphrase`).

    At least `MIN_PASSPHRASE_LENGTH` characters (counted as typed through an IME: NFKC), no
    control characters and no spaces at either end: a newline or an edge space is easily lost
    when the passphrase is put in COUNTER_KEY_PASSPHRASE, and the key with it.
    """
    if not isinstance(passphrase, str) or not passphrase.strip():
        raise WeakPassphrase("密钥文件口令不能为空", "the key file passphrase is empty")
    if not _is_text(passphrase):
        raise WeakPassphrase("密钥文件口令含有无法识别的字符（请检查终端或环境变量的编码）",
                             "the key file passphrase holds bytes that are not valid text "
                             "(check the encoding of the terminal or the environment)")
    if any(unicodedata.category(c) == "Cc" for c in passphrase):
        raise WeakPassphrase("密钥文件口令不能含有控制字符（如换行、制表符）",
                             "the key file passphrase must not hold control characters "
                             "(such as a newline or a tab)")
    if passphrase != passphrase.strip():
        raise WeakPassphrase("密钥文件口令首尾不能有空格", "the key file passphrase must not "
                             "begin or end with a space")
    length = len(unicodedata.normalize("NFKC", passphrase))
    if length < MIN_PASSPHRASE_LENGTH:
        raise WeakPassphrase(
            f"密钥文件口令至少需要 {MIN_PASSPHRASE_LENGTH} 个字符（现为 {length} 个）",
            f"the key file passphrase must be at least {MIN_PASSPHRASE_LENGTH} characters "
            f"long (it has {length})")


def _header_bytes(header: Mapping[str, Any]) -> bytes:
    return json.dumps(header, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def _run_kdf(kdf: Mapping[str, Any], salt: bytes, passphrase: bytes) -> bytes:
    if kdf["name"] == "scrypt":
        return Scrypt(salt=salt, length=_KDF_OUTPUT, n=kdf["n"], r=kdf["r"], p=kdf["p"]).derive(
            passphrase
        )
    from argon2.low_level import Type, hash_secret_raw

    return hash_secret_raw(
        passphrase,
        salt,
        time_cost=kdf["time_cost"],
        memory_cost=kdf["memory_cost"],
        parallelism=kdf["parallelism"],
        hash_len=_KDF_OUTPUT,
        type=Type.ID,
    )


def _fsync_dir(directory: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_private_file(path: Path, data: bytes, *, overwrite: bool) -> None:
    """Write atomically with mode 0600: a crash leaves either the old file or the new one."""
    directory = path.parent
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fh:
            if os.name == "posix":
                os.fchmod(fh.fileno(), 0o600)
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if overwrite:
            os.replace(tmp, path)
        else:
            try:
                os.link(tmp, path)  # atomic and refuses to clobber
            except FileExistsError:
                raise
            except OSError:  # filesystem without hard links
                if path.exists():
                    raise FileExistsError(path) from None
                os.replace(tmp, path)
        _fsync_dir(directory)
    except FileExistsError:
        raise KeyAlreadyExists(
            f"密钥文件已存在，拒绝覆盖（覆盖会导致已加密数据无法解密）：{path}",
            f"key file already exists, refusing to overwrite "
            f"(existing encrypted data would become unreadable): {path}",
        ) from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def create_key_file(
    path: str | os.PathLike[str],
    passphrase: str,
    key: bytes | None = None,
    *,
    kdf: str = "scrypt",
    overwrite: bool = False,
) -> bytes:
    """Wrap ``key`` (or a fresh one) under ``passphrase`` into a JSON key file; return the key.

    File layout (version 1)::

        {"format": "hall-counter-key", "version": 1, "cipher": "AES-256-GCM",
         "kdf": {"name": "scrypt", "n": 32768, "r": 8, "p": 1, "salt": b64},
         "check": b64(HMAC(check_key, header)), "nonce": b64, "wrapped_key": b64}

    The KDF yields a wrap key and a check key. The header (format, version,
    cipher, kdf) is the AES-GCM associated data, so editing any of it is
    detected; ``check`` lets :func:`open_key_file` tell a wrong passphrase apart
    from a damaged ciphertext. Refuses a weak passphrase (:func:`check_passphrase`) and to
    overwrite unless ``overwrite=True``.
    """
    check_passphrase(passphrase)
    master = generate_key() if key is None else check_master_key(key)
    salt = secrets.token_bytes(_SALT_SIZE)
    params: dict[str, Any]
    if kdf == "scrypt":
        params = {"name": "scrypt", **_SCRYPT_DEFAULT}
    elif kdf == "argon2id":
        params = {"name": "argon2id", **_ARGON2_DEFAULT}
    else:
        raise ValueError(f"unsupported kdf {kdf!r}; use 'scrypt' or 'argon2id'")
    derived = _run_kdf(params, salt, _normalize_passphrase(passphrase))
    wrap_key, check_key = derived[:32], derived[32:]
    header = {
        "format": _FILE_FORMAT,
        "version": _FILE_VERSION,
        "cipher": _FILE_CIPHER,
        "kdf": {**params, "salt": b64_text(salt)},
    }
    aad = _header_bytes(header)
    nonce = secrets.token_bytes(_NONCE_SIZE)
    document = {
        **header,
        "check": b64_text(hmac.new(check_key, aad, hashlib.sha256).digest()),
        "nonce": b64_text(nonce),
        "wrapped_key": b64_text(AESGCM(wrap_key).encrypt(nonce, master, aad)),
    }
    data = (json.dumps(document, indent=2, sort_keys=True) + "\n").encode("ascii")
    write_private_file(Path(path), data, overwrite=overwrite)
    return master


class _Corrupt(Exception):
    """Internal: a structural problem in a key file (turned into KeyUnavailable)."""


def _field_b64(doc: Mapping[str, Any], name: str, size: int) -> bytes:
    value = doc.get(name)
    if not isinstance(value, str):
        raise _Corrupt(f"missing {name}")
    try:
        raw = base64.b64decode(value.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        raise _Corrupt(f"bad base64 in {name}") from None
    if len(raw) != size:
        raise _Corrupt(f"bad length of {name}")
    return raw


def _parse_kdf(raw: Any) -> tuple[dict[str, Any], bytes]:
    if not isinstance(raw, dict):
        raise _Corrupt("missing kdf")
    name = raw.get("name")
    if name == "scrypt":
        bounds = _SCRYPT_BOUNDS
    elif name == "argon2id":
        bounds = _ARGON2_BOUNDS
    else:
        raise _Corrupt("unknown kdf")
    params: dict[str, Any] = {"name": name}
    for param, (low, high) in bounds.items():
        value = raw.get(param)
        if type(value) is not int or not low <= value <= high:
            raise _Corrupt(f"kdf parameter {param} out of range")
        params[param] = value
    if name == "scrypt" and params["n"] & (params["n"] - 1):
        raise _Corrupt("kdf parameter n not a power of two")
    if set(raw) != {*params, "salt"}:
        raise _Corrupt("unexpected kdf fields")
    salt = _field_b64(raw, "salt", _SALT_SIZE)
    return {**params, "salt": raw["salt"]}, salt


def open_key_file(path: str | os.PathLike[str], passphrase: str) -> bytes:
    """Unwrap the master key from a key file.

    Raises :class:`KeyUnavailable` -- and only that -- for a missing/unreadable
    file, a wrong passphrase (``"密钥文件口令错误 / wrong passphrase"``) or a
    corrupt/tampered file.
    """
    p = Path(path)
    try:
        with p.open("rb") as fh:
            data = fh.read(_MAX_FILE_SIZE + 1)
    except FileNotFoundError:
        raise KeyUnavailable(f"找不到密钥文件：{p}", f"key file not found: {p}") from None
    except OSError as exc:
        raise KeyUnavailable(
            f"无法读取密钥文件：{p}（{exc.strerror or exc}）",
            f"cannot read key file {p}: {exc.strerror or exc}",
        ) from None
    if os.name == "posix":
        with contextlib.suppress(OSError):
            if p.stat().st_mode & 0o077:
                log.warning("key file %s is readable by other users; chmod 600 it", p)
    if not isinstance(passphrase, str) or not passphrase:
        raise KeyUnavailable("未提供密钥文件口令", "no key file passphrase given")
    if not _is_text(passphrase):
        raise KeyUnavailable("密钥文件口令含有无法识别的字符（请检查终端或环境变量的编码）",
                             "the key file passphrase holds bytes that are not valid text "
                             "(check the encoding of the terminal or the environment)")
    try:
        if len(data) > _MAX_FILE_SIZE:
            raise _Corrupt("file too large")
        try:
            doc = json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
            raise _Corrupt("not JSON") from None
        if not isinstance(doc, dict) or doc.get("format") != _FILE_FORMAT:
            raise _Corrupt("not a hall-counter key file")
        if doc.get("version") != _FILE_VERSION or doc.get("cipher") != _FILE_CIPHER:
            raise _Corrupt("unsupported version")
        kdf, salt = _parse_kdf(doc.get("kdf"))
        check = _field_b64(doc, "check", 32)
        nonce = _field_b64(doc, "nonce", _NONCE_SIZE)
        wrapped = _field_b64(doc, "wrapped_key", KEY_SIZE + 16)
    except _Corrupt as exc:
        raise KeyUnavailable(
            _MSG_CORRUPT_ZH.format(detail=exc, path=p), _MSG_CORRUPT_EN.format(detail=exc, path=p)
        ) from None

    opened = _unwrapped_before(data, passphrase)
    if opened is not None:
        return opened
    header = {"format": _FILE_FORMAT, "version": _FILE_VERSION, "cipher": _FILE_CIPHER, "kdf": kdf}
    aad = _header_bytes(header)
    derived = _run_kdf(kdf, salt, _normalize_passphrase(passphrase))
    wrap_key, check_key = derived[:32], derived[32:]
    expected = hmac.new(check_key, aad, hashlib.sha256).digest()
    if not hmac.compare_digest(expected, check):
        # Also what an edited header (salt, kdf cost) looks like: indistinguishable by design.
        raise KeyUnavailable(*_MSG_WRONG_PASSPHRASE)
    try:
        master = AESGCM(wrap_key).decrypt(nonce, wrapped, aad)
    except InvalidTag:
        raise KeyUnavailable(
            _MSG_CORRUPT_ZH.format(detail="认证失败", path=p),
            _MSG_CORRUPT_EN.format(detail="authentication failed", path=p),
        ) from None
    _remember(data, passphrase, master)
    return master


# The last key file this process unwrapped. The KDF is deliberately slow (scrypt: ~0.1 s and
# 32 MB), and one process asks for the key more than once (personal data, the audit chain,
# the anchor); the answer depends only on the file's bytes and the passphrase, so the same
# bytes with the same passphrase give the same key without deriving again. Anything else (a
# rewritten or damaged file, another passphrase) misses and goes through every check; a
# failure is never remembered.
_last_opened: tuple[bytes, bytes] | None = None


def _opening_id(data: bytes, passphrase: str) -> bytes:
    pw = _normalize_passphrase(passphrase)
    return hashlib.sha256(len(data).to_bytes(8, "big") + data + pw).digest()


def _unwrapped_before(data: bytes, passphrase: str) -> bytes | None:
    last = _last_opened
    if last is None or not hmac.compare_digest(last[0], _opening_id(data, passphrase)):
        return None
    return last[1]


def _remember(data: bytes, passphrase: str, master: bytes) -> None:
    global _last_opened
    _last_opened = (_opening_id(data, passphrase), master)


def forget_opened_keys() -> None:
    """Drop the remembered key (tests; a program that is done with the key)."""
    global _last_opened
    _last_opened = None
