"""The counter's own settings, declared like those of `UiSettings` and kept in the same file.

    from app.ui.counter_settings import COUNTER_CODE, KEY_FILE
    code = settings.get(COUNTER_CODE)
"""

from __future__ import annotations

from app.ui.settings import Setting

COUNTER_CODE: Setting[str] = Setting(
    "counter/code", str, "C01", lambda v: v.isalnum() and 1 <= len(v) <= 8, "本机柜台编码"
)
KEY_FILE: Setting[str] = Setting(
    "security/key_file", str, "", None, "个人信息密钥文件路径（无安全钥匙串时使用）"
)

__all__ = ["COUNTER_CODE", "KEY_FILE"]
