"""The sync server's address and credentials.

A password in the URL is used as given (only for a server on this machine: a remote server's
password must not be written into its URL, `check_given_url`); otherwise
`COUNTER_SYNC_PASSWORD` (for unattended runs), otherwise the OS keyring entry
``("hall-counter", "sync:<server URL without password>")``, otherwise the hall's key file
(`key_file_password`, for a machine without a secure keyring). `store_server_password` keeps
it in the keyring, or in the key file where there is no secure keyring. Never in the settings
file. How the connection itself is secured: `transport`.
"""

from __future__ import annotations

import os
from typing import Final

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from app.services.sync import key_file_password
from app.services.sync.errors import SyncError
from app.services.sync.transport import password_in_remote_url

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
    password = os.environ.get(ENV_PASSWORD) or _keyring_password(url) or \
        key_file_password.load_password(keyring_entry(url))
    if password:
        parsed = parsed.set(password=password)
    return parsed.render_as_string(hide_password=False)


def _keyring_password(url: str) -> str | None:
    try:
        import keyring

        return keyring.get_password(KEYRING_SERVICE, keyring_entry(url))
    except Exception:  # no backend, a locked keyring, the test suite's fail backend
        return None


def check_given_url(url: str) -> None:
    """Refuse a remote server's URL with a password written into it."""
    try:
        remote_password = password_in_remote_url(url)
    except ArgumentError:
        return  # `resolve_server_url` says what is wrong with it
    if remote_password:
        raise SyncError("不要把同步密码写在服务器地址里：用 counter sync --set-password 保存到系统密钥环"
                        f"或密钥文件，或用环境变量 {ENV_PASSWORD}",
                        "do not write the sync password into the server URL: keep it with "
                        "`counter sync --set-password` (OS keyring or key file) or give it in "
                        f"{ENV_PASSWORD}")


def store_server_password(url: str, password: str) -> str:
    """Keep the server password in the OS keyring, or (no secure keyring here) encrypted in
    the hall's key file; never in a plain file. Returns where it was kept."""
    from app.security import secure_keyring_available

    if secure_keyring_available():
        import keyring

        keyring.set_password(KEYRING_SERVICE, keyring_entry(url), password)
        return "keyring"
    try:
        path = key_file_password.store_password(keyring_entry(url), password)
    except FileNotFoundError:
        raise SyncError("本机没有安全的系统密钥环，也没有配置密钥文件（COUNTER_KEY_FILE 和口令），无法保存"
                        f"同步密码；请用环境变量 {ENV_PASSWORD}",
                        "no secure OS keyring here and no key file (COUNTER_KEY_FILE and its "
                        f"passphrase) to keep the sync password; use {ENV_PASSWORD}") from None
    except Exception as exc:
        raise SyncError(f"无法把同步密码写入密钥文件（{exc}）",
                        f"cannot keep the sync password in the key file ({exc})") from None
    return str(path)
