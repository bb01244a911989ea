"""The sync server's address and credentials.

A password in the URL is used as given; otherwise `COUNTER_SYNC_PASSWORD` (for unattended
runs), otherwise the OS keyring entry ``("hall-counter", "sync:<server URL without
password>")`` (`store_server_password`).
"""

from __future__ import annotations

import os
from typing import Final

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from app.services.sync.errors import SyncError

ENV_PASSWORD: Final = "COUNTER_SYNC_PASSWORD"
KEYRING_SERVICE: Final = "hall-counter"


def display_url(url: str) -> str:
    """The server URL with any password hidden (for status lines and logs)."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<invalid URL>"


def keyring_entry(url: str) -> str:
    """The keyring user name for a server: ``sync:`` and its URL without the password."""
    # URL.set() ignores None; _replace is the named tuple's own way to drop a field.
    bare = make_url(url)._replace(password=None)
    return "sync:" + bare.render_as_string(hide_password=False)


def resolve_server_url(url: str) -> str:
    """The URL to connect with: its own password, else the environment, else the keyring."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise SyncError(f"同步服务器地址无效：{url}", f"invalid sync server URL: {url}") from None
    if parsed.get_backend_name() != "postgresql":
        raise SyncError("同步服务器必须是 PostgreSQL（postgresql+psycopg://...）",
                        "the sync server must be PostgreSQL (postgresql+psycopg://...)")
    if parsed.password:
        return url
    password = os.environ.get(ENV_PASSWORD) or _keyring_password(url)
    if password:
        parsed = parsed.set(password=password)
    return parsed.render_as_string(hide_password=False)


def _keyring_password(url: str) -> str | None:
    try:
        import keyring

        return keyring.get_password(KEYRING_SERVICE, keyring_entry(url))
    except Exception:  # no backend, a locked keyring, the test suite's fail backend
        return None


def store_server_password(url: str, password: str) -> None:
    """Keep the server password in the OS keyring (never in a plain file)."""
    from app.security import secure_keyring_available

    if not secure_keyring_available():
        raise SyncError("本机没有安全的系统密钥环，无法保存同步密码；请用环境变量 "
                        f"{ENV_PASSWORD}", "no secure OS keyring here to keep the sync password; "
                        f"use the {ENV_PASSWORD} environment variable")
    import keyring

    keyring.set_password(KEYRING_SERVICE, keyring_entry(url), password)
