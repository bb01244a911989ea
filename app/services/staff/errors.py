"""Errors of staff administration, in the clerk's language (`zh`) and English."""

from __future__ import annotations

from app.security import SecurityError


class AdminError(SecurityError):
    """Bad input to an administration action (exit status 2 on the command line)."""

    code = 2

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(zh, en)
        self.zh, self.en = zh, en


class SecondPersonRequired(AdminError):
    """The change gives rights beyond a clerk's: a second supervisor must confirm it in the
    same call (two-person rule). Nothing was written; ask for one and call again."""

    def __init__(self, staff_no: str, role_zh: str, role_en: str) -> None:
        super().__init__(
            f"将 {staff_no} 设为{role_zh}需要另一位值班长确认（两人规则）：请另一位值班长输入工号和密码",
            f"making {staff_no} a {role_en} needs a second supervisor's confirmation "
            "(two-person rule): another supervisor enters their staff number and password")
        self.staff_no = staff_no
