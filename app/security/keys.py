"""The personal-data master key: where it lives and how sub-keys are derived.

Why this module is strict: every ID number, name, phone number and scan in the
database is encrypted under one 32-byte master key. Losing it loses the data;
leaking it leaks every customer. So the key is only ever read from

1. a passphrase-protected key file (``COUNTER_KEY_FILE`` + ``COUNTER_KEY_PASSPHRASE``), or
2. the operating system's keyring (Windows Credential Locker, macOS Keychain,
   Secret Service / KWallet) -- and only when that backend really is one of those,

and otherwise :class:`KeyUnavailable` is raised with instructions. There is no
silent fallback to a plaintext file, and nothing here ever generates a key
implicitly (a fresh key would make existing data unreadable).

The master key itself is never used directly: :func:`derive_subkeys` runs HKDF
so that encryption, lookup hashes and the audit chain each get an independent key.
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
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from app.security.errors import KeyAlreadyExists, KeyUnavailable

__all__ = [
    "ENV_KEY_FILE",
    "ENV_KEY_PASSPHRASE",
    "KEYRING_ENTRY",
    "KEYRING_SERVICE",
    "KEY_SIZE",
    "MIN_PASSPHRASE_LENGTH",
    "SubKeys",
    "create_key_file",
    "derive_subkeys",
    "generate_key",
    "key_fingerprint",
    "keyring_backend_name",
    "load_master_key",
    "open_key_file",
    "secure_keyring_available",
    "store_in_keyring",
]

log = logging.getLogger(__name__)

KEY_SIZE: Final = 32
ENV_KEY_FILE: Final = "COUNTER_KEY_FILE"
ENV_KEY_PASSPHRASE: Final = "COUNTER_KEY_PASSPHRASE"
KEYRING_SERVICE: Final = "hall-counter"
KEYRING_ENTRY: Final = "personal-data-key"
MIN_PASSPHRASE_LENGTH: Final = 12

#: Commands the CLI is expected to offer; quoted in the error messages.
CLI_CREATE_FILE: Final = "counter key create --file PATH"
CLI_CREATE_KEYRING: Final = "counter key create --keyring"

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

# Keyring backends that do not protect the secret (or store nothing at all).
_INSECURE_MODULE_PREFIXES: Final = (
    "keyring.backends.fail",
    "keyring.backends.null",
    "keyrings.alt",  # plaintext / "encrypted" files, registry, Google docs: none acceptable
    "keyrings.cryptfile",  # passphrase prompt on stdin, unusable from a GUI
)
_INSECURE_NAME_MARKERS: Final = ("plaintext", "encrypted", "null", "fail", "insecure", "file")


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


def _check_master_key(master_key: bytes) -> bytes:
    if not isinstance(master_key, bytes | bytearray) or len(master_key) != KEY_SIZE:
        raise ValueError(f"master key must be {KEY_SIZE} bytes")
    return bytes(master_key)


def derive_subkeys(master_key: bytes) -> SubKeys:
    """Split the master key with HKDF-SHA256 so no two purposes share a key.

    A lookup hash (HMAC) and a ciphertext (AES-GCM) under the same key would be a
    cross-protocol risk, and a separate audit key lets the audit chain be
    verified by code that is never given the encryption key.
    """
    mk = _check_master_key(master_key)
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
    return _hkdf(_check_master_key(master_key), "fingerprint", 8).hex()


def generate_key() -> bytes:
    """A fresh 32-byte master key from the OS CSPRNG."""
    return secrets.token_bytes(KEY_SIZE)


# --------------------------------------------------------------------------- key file


def _normalize_passphrase(passphrase: str) -> bytes:
    # NFKC: full-width characters typed through a Chinese IME match their ASCII form.
    return unicodedata.normalize("NFKC", passphrase).encode("utf-8")


def _b64e(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


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


def _write_private_file(path: Path, data: bytes, *, overwrite: bool) -> None:
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
    from a damaged ciphertext. Refuses to overwrite unless ``overwrite=True``.
    """
    if not isinstance(passphrase, str) or len(passphrase) < MIN_PASSPHRASE_LENGTH:
        raise ValueError(
            f"密钥文件口令至少需要 {MIN_PASSPHRASE_LENGTH} 个字符 / "
            f"key file passphrase must be at least {MIN_PASSPHRASE_LENGTH} characters"
        )
    master = generate_key() if key is None else _check_master_key(key)
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
        "kdf": {**params, "salt": _b64e(salt)},
    }
    aad = _header_bytes(header)
    nonce = secrets.token_bytes(_NONCE_SIZE)
    document = {
        **header,
        "check": _b64e(hmac.new(check_key, aad, hashlib.sha256).digest()),
        "nonce": _b64e(nonce),
        "wrapped_key": _b64e(AESGCM(wrap_key).encrypt(nonce, master, aad)),
    }
    data = (json.dumps(document, indent=2, sort_keys=True) + "\n").encode("ascii")
    _write_private_file(Path(path), data, overwrite=overwrite)
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

    header = {"format": _FILE_FORMAT, "version": _FILE_VERSION, "cipher": _FILE_CIPHER, "kdf": kdf}
    aad = _header_bytes(header)
    derived = _run_kdf(kdf, salt, _normalize_passphrase(passphrase))
    wrap_key, check_key = derived[:32], derived[32:]
    expected = hmac.new(check_key, aad, hashlib.sha256).digest()
    if not hmac.compare_digest(expected, check):
        # Also what an edited header (salt, kdf cost) looks like: indistinguishable by design.
        raise KeyUnavailable(*_MSG_WRONG_PASSPHRASE)
    try:
        return AESGCM(wrap_key).decrypt(nonce, wrapped, aad)
    except InvalidTag:
        raise KeyUnavailable(
            _MSG_CORRUPT_ZH.format(detail="认证失败", path=p),
            _MSG_CORRUPT_EN.format(detail="authentication failed", path=p),
        ) from None


# --------------------------------------------------------------------------- keyring


def _describe(backend: object) -> str:
    cls = type(backend)
    return f"{cls.__module__}.{cls.__qualname__}"


def _insecure_reason(backend: object) -> str | None:
    """Why ``backend`` must not hold the key, or None if it is an OS-protected store."""
    cls = type(backend)
    module = cls.__module__ or ""
    if any(module == p or module.startswith(p + ".") for p in _INSECURE_MODULE_PREFIXES):
        return f"{_describe(backend)} is a fail/null/plaintext backend"
    name = cls.__name__.lower()
    if any(marker in name for marker in _INSECURE_NAME_MARKERS):
        return f"{_describe(backend)} looks like a plaintext/file/null backend"
    try:
        priority = float(cls.priority)  # type: ignore[attr-defined]
    except Exception:  # a backend signals "not viable here" by raising from priority
        return f"{_describe(backend)} is not usable on this system"
    if priority <= 0:
        return f"{_describe(backend)} has priority {priority} (not usable)"
    return None


def _secure_backend() -> tuple[Any | None, str]:
    """The secure backend to use, or None with a description of what was found.

    For a chainer we pick the highest-priority *secure* member and talk to it
    directly, so an insecure member further down the chain is never consulted.
    """
    try:
        import keyring
        from keyring.backends.chainer import ChainerBackend

        active = keyring.get_keyring()
    except Exception as exc:  # keyring not installed or detection failed
        return None, f"keyring unavailable ({type(exc).__name__})"
    if isinstance(active, ChainerBackend):
        try:
            members = list(active.backends)
        except Exception:
            members = []
        for member in members:
            if _insecure_reason(member) is None:
                return member, _describe(member)
        found = ", ".join(_describe(m) for m in members) or "none"
        return None, f"chainer with no secure backend (members: {found})"
    reason = _insecure_reason(active)
    if reason is not None:
        return None, reason
    return active, _describe(active)


def secure_keyring_available() -> bool:
    """True only if the active keyring backend is an OS-protected store (see module doc)."""
    return _secure_backend()[0] is not None


def keyring_backend_name() -> str:
    """Human-readable description of the keyring backend that would be used (for diagnostics)."""
    return _secure_backend()[1]


def _no_secure_store(detail: str) -> KeyUnavailable:
    return KeyUnavailable(
        "没有可用的安全密钥存储：本机没有安全的系统钥匙串（不会改用明文保存密钥）。"
        f"请创建受口令保护的密钥文件：{CLI_CREATE_FILE}，"
        f"然后设置环境变量 {ENV_KEY_FILE}=密钥文件路径 和 {ENV_KEY_PASSPHRASE}=口令。",
        f"No secure key store: no secure OS keyring is available ({detail}); "
        "the key is never kept in plaintext. Create a passphrase-protected key file with "
        f"`{CLI_CREATE_FILE}`, then set {ENV_KEY_FILE}=PATH and {ENV_KEY_PASSPHRASE}=<passphrase>.",
    )


def store_in_keyring(key: bytes, *, replace: bool = False) -> None:
    """Save the master key (base64) in the secure OS keyring.

    Refuses insecure backends (:class:`KeyUnavailable`) and refuses to replace a
    different existing key unless ``replace=True`` (:class:`KeyAlreadyExists`).
    """
    master = _check_master_key(key)
    backend, detail = _secure_backend()
    if backend is None:
        raise _no_secure_store(detail)
    try:
        existing = backend.get_password(KEYRING_SERVICE, KEYRING_ENTRY)
        if existing is not None and not replace:
            if existing == _b64e(master):
                return
            raise KeyAlreadyExists(
                "系统钥匙串中已有另一个个人信息密钥，拒绝覆盖（覆盖会导致已加密数据无法解密）",
                "a different personal-data key is already in the keyring; refusing to replace it "
                "(existing encrypted data would become unreadable)",
            )
        backend.set_password(KEYRING_SERVICE, KEYRING_ENTRY, _b64e(master))
    except KeyAlreadyExists:
        raise
    except Exception as exc:
        raise KeyUnavailable(
            f"无法写入系统钥匙串（{type(exc).__name__}）", f"cannot write to the keyring: {exc}"
        ) from None


def _load_from_keyring() -> bytes:
    backend, detail = _secure_backend()
    if backend is None:
        raise _no_secure_store(detail)
    try:
        value = backend.get_password(KEYRING_SERVICE, KEYRING_ENTRY)
    except Exception as exc:  # locked keyring, D-Bus failure, access denied ...
        raise KeyUnavailable(
            f"无法读取系统钥匙串（可能已锁定）：{type(exc).__name__}",
            f"cannot read the OS keyring ({detail}), it may be locked: {exc}",
        ) from None
    if value is None:
        raise KeyUnavailable(
            f"系统钥匙串中没有个人信息密钥（服务 {KEYRING_SERVICE}，条目 {KEYRING_ENTRY}）。"
            f"首次安装请运行 {CLI_CREATE_KEYRING}；或用 {CLI_CREATE_FILE} 创建密钥文件并设置 "
            f"{ENV_KEY_FILE} 和 {ENV_KEY_PASSPHRASE}。",
            f"No personal-data key in the keyring (service {KEYRING_SERVICE!r}, entry "
            f"{KEYRING_ENTRY!r}). On first installation run `{CLI_CREATE_KEYRING}`, or create a "
            f"key file with `{CLI_CREATE_FILE}` and set {ENV_KEY_FILE} and {ENV_KEY_PASSPHRASE}.",
        )
    try:
        master = base64.b64decode(value.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError, AttributeError):
        master = b""
    if len(master) != KEY_SIZE:
        raise KeyUnavailable(
            "系统钥匙串中的个人信息密钥格式错误（已损坏）",
            "the personal-data key stored in the keyring is malformed",
        )
    return master


# --------------------------------------------------------------------------- resolution


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
    return _load_from_keyring()
