"""Staff password hashing (argon2id) and the password policy.

Why argon2id: memory-hard, the current OWASP/RFC 9106 recommendation, and
argon2-cffi's defaults (t=3, m=64 MiB, p=4) already follow RFC 9106. Hashes are
self-describing PHC strings, so :func:`needs_rehash` can upgrade them at the next
successful login when the parameters are raised.

Passwords are NFKC-normalized before hashing so that a password typed with a
Chinese IME in full-width mode (``ａｂｃ１２３``) equals its half-width form.
"""

from __future__ import annotations

import contextlib
import functools
import re
import unicodedata
from typing import Final

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

__all__ = [
    "MAX_PASSWORD_LENGTH",
    "MIN_PASSWORD_LENGTH",
    "check_password_policy",
    "hash_password",
    "needs_rehash",
    "verify_password",
]

MIN_PASSWORD_LENGTH: Final = 8
MAX_PASSWORD_LENGTH: Final = 128

_hasher: Final = PasswordHasher()  # argon2id, RFC 9106 "low memory" profile

# A few passwords that satisfy "letters + digits" but appear in every cracking list.
_COMMON_TEXT: Final = """
password1 password123 passw0rd p@ssw0rd abc12345 abcd1234 a1234567 a12345678 aa123456
12345678a 1234qwer qwer1234 qwerty123 1qaz2wsx 1q2w3e4r admin123 admin888 root1234
woaini1314 5201314a iloveyou1 test1234 zxcv1234 asdf1234
"""
_COMMON: Final = frozenset(_COMMON_TEXT.split())


def _normalize(password: str) -> str:
    return unicodedata.normalize("NFKC", password)


def hash_password(password: str) -> str:
    """Hash a password with argon2id; returns a PHC string (``$argon2id$v=19$...``)."""
    if not isinstance(password, str) or not password:
        raise ValueError("password must be a non-empty str")
    return _hasher.hash(_normalize(password))


@functools.cache
def _dummy_hash() -> str:
    return _hasher.hash("dummy-password-for-timing-equalization")


def verify_password(stored_hash: str | None, password: str) -> bool:
    """True iff ``password`` matches ``stored_hash``. Never raises.

    A missing (``None``) or malformed hash still costs one argon2 verification,
    so "no such user" and "wrong password" take the same time at the login screen.
    """
    candidate = _normalize(password) if isinstance(password, str) else ""
    if isinstance(stored_hash, str) and stored_hash.startswith("$argon2"):
        try:
            return _hasher.verify(stored_hash, candidate)
        except (VerificationError, InvalidHashError):
            return False
        except Exception:  # e.g. unsupported parameters in a hand-edited hash
            return False
    with contextlib.suppress(Exception):
        _hasher.verify(_dummy_hash(), candidate)
    return False


def needs_rehash(stored_hash: str) -> bool:
    """True if the hash uses weaker parameters than today's (or is unreadable)."""
    try:
        return _hasher.check_needs_rehash(stored_hash)
    except Exception:
        return True


def check_password_policy(password: str, *, username: str | None = None) -> str | None:
    """Return a Chinese message describing the first violated rule, or ``None`` if acceptable.

    Rules: 8-128 characters, at least one Latin letter and one digit, not a
    well-known password, not containing the staff number/username.
    """
    if not isinstance(password, str):
        return "密码格式无效"
    pw = _normalize(password)
    if len(pw) < MIN_PASSWORD_LENGTH:
        return f"密码至少需要 {MIN_PASSWORD_LENGTH} 个字符"
    if len(pw) > MAX_PASSWORD_LENGTH:
        return f"密码不能超过 {MAX_PASSWORD_LENGTH} 个字符"
    if not re.search(r"[A-Za-z]", pw) or not re.search(r"[0-9]", pw):
        return "密码必须同时包含字母和数字"
    if pw.lower() in _COMMON:
        return "密码过于常见，请换一个"
    if username and len(username.strip()) >= 3 and username.strip().lower() in pw.lower():
        return "密码不能包含工号或用户名"
    return None
