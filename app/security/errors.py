"""Exception types shared by the security primitives.

Every error carries a Chinese message for the counter clerk and an English one
for logs and support, because the GUI shows ``message_zh`` while operations
staff read the log. ``str(err)`` gives both, separated by `` / ``.
"""

from __future__ import annotations


class SecurityError(Exception):
    """Base class: a bilingual, user-presentable error (never a raw traceback type)."""

    def __init__(self, message_zh: str, message_en: str | None = None) -> None:
        self.message_zh = message_zh
        self.message_en = message_en or ""
        text = f"{message_zh} / {message_en}" if message_en else message_zh
        super().__init__(text)


class KeyUnavailable(SecurityError):
    """The personal-data master key cannot be obtained (missing, wrong passphrase, corrupt)."""


class WeakPassphrase(SecurityError, ValueError):
    """A passphrase refused for a new key file (too short, blank, not plain text): bad input."""


class KeyAlreadyExists(SecurityError):
    """Refused to overwrite an existing key: doing so would orphan every encrypted record."""


class DecryptionError(SecurityError):
    """A ciphertext is corrupt, was tampered with, belongs to another column or another key."""
