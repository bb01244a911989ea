"""The counter's own settings, declared like those of `UiSettings` and kept in the same file.

    from app.ui.settings.counter import COUNTER_CODE, KEY_FILE
    code = settings.get(COUNTER_CODE)
"""

from __future__ import annotations

from app.ui.settings.store import Setting

COUNTER_CODE: Setting[str] = Setting(
    "counter/code", str, "C01", lambda v: v.isalnum() and 1 <= len(v) <= 8, "本机柜台编码"
)
KEY_FILE: Setting[str] = Setting(
    "security/key_file", str, "", None, "个人信息密钥文件路径（无安全钥匙串时使用）"
)



def sync_url_problem(url: str) -> str | None:
    """Why `url` cannot be the sync server's address, in English (None when it can; empty
    means no sync). The password never goes into this plain file: it is kept in the OS
    keyring (`counter sync --set-password`) or given by ``COUNTER_SYNC_PASSWORD``."""
    if not url:
        return None
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        parsed = make_url(url)
    except ArgumentError:
        return "not a database URL"
    if parsed.get_backend_name() != "postgresql":
        return "not a PostgreSQL URL"
    if parsed.password:
        return "the password belongs in the OS keyring, not in the address"
    return None


SYNC_SERVER_URL: Setting[str] = Setting(
    "sync/server_url", str, "", lambda v: sync_url_problem(v) is None,
    "中央同步服务器地址 postgresql+psycopg://用户@主机/库（空为不同步；密码在系统钥匙串）"
)

__all__ = ["COUNTER_CODE", "KEY_FILE", "SYNC_SERVER_URL", "sync_url_problem"]
