"""Refusals of an export or an import, told in Chinese and English (`.zh` / `.en`)."""

from __future__ import annotations


class ExportError(RuntimeError):
    def __init__(self, zh: str, en: str) -> None:
        super().__init__(f"{zh} / {en}")
        self.zh, self.en = zh, en
        self.user_message = str(self)

