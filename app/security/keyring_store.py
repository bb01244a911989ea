"""The master key in the operating system's keyring (Windows Credential Locker, macOS
Keychain, Secret Service / KWallet) -- and only when the backend really is one of those: a
plaintext, "encrypted file", null or failing backend is refused, never used as a fallback.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any, Final

from app.security.errors import KeyAlreadyExists, KeyUnavailable
from app.security.master_key import (
    CLI_CREATE_FILE,
    CLI_CREATE_KEYRING,
    ENV_KEY_FILE,
    ENV_KEY_PASSPHRASE,
    KEY_SIZE,
    KEYRING_ENTRY,
    KEYRING_SERVICE,
    b64_text,
    check_master_key,
)

__all__ = [
    "keyring_backend_name",
    "load_from_keyring",
    "secure_keyring_available",
    "store_in_keyring",
]

# Keyring backends that do not protect the secret (or store nothing at all).
_INSECURE_MODULE_PREFIXES: Final = (
    "keyring.backends.fail",
    "keyring.backends.null",
    "keyrings.alt",  # plaintext / "encrypted" files, registry, Google docs: none acceptable
    "keyrings.cryptfile",  # passphrase prompt on stdin, unusable from a GUI
)
_INSECURE_NAME_MARKERS: Final = ("plaintext", "encrypted", "null", "fail", "insecure", "file")


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
    master = check_master_key(key)
    backend, detail = _secure_backend()
    if backend is None:
        raise _no_secure_store(detail)
    try:
        existing = backend.get_password(KEYRING_SERVICE, KEYRING_ENTRY)
        if existing is not None and not replace:
            if existing == b64_text(master):
                return
            raise KeyAlreadyExists(
                "系统钥匙串中已有另一个个人信息密钥，拒绝覆盖（覆盖会导致已加密数据无法解密）",
                "a different personal-data key is already in the keyring; refusing to replace it "
                "(existing encrypted data would become unreadable)",
            )
        backend.set_password(KEYRING_SERVICE, KEYRING_ENTRY, b64_text(master))
    except KeyAlreadyExists:
        raise
    except Exception as exc:
        raise KeyUnavailable(
            f"无法写入系统钥匙串（{type(exc).__name__}）", f"cannot write to the keyring: {exc}"
        ) from None


def load_from_keyring() -> bytes:
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
