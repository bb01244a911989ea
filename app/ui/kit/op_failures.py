"""How a failed background operation is told to the clerk.

An error never reaches the clerk as a traceback: it becomes an `OpFailure` whose `message` is
a sentence for the clerk (Chinese by default, through the translators). Exceptions that carry a
`user_message` attribute (the core's own errors can, without knowing Qt) are shown as they are;
unexpected exceptions are logged with `logging.exception` and shown as a generic message.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from PySide6.QtCore import QCoreApplication

E = TypeVar("E", bound=BaseException)


class OperationCancelled(Exception):
    """Raised inside an operation (by `OpContext.check_cancelled`) when it was cancelled."""


class UserFacingError(Exception):
    """An expected failure whose text is meant for the clerk, e.g. "该号码已被预占"."""

    def __init__(self, user_message: str) -> None:
        super().__init__(user_message)
        self.user_message = user_message


def _sqlite_locked(exc: BaseException) -> bool:
    """A busy SQLite file. `sqlite3` is looked up, not imported (its library costs the login's
    start): if nothing imported it, none of its errors can have been raised."""
    sqlite3 = sys.modules.get("sqlite3")
    return (sqlite3 is not None and isinstance(exc, sqlite3.OperationalError)
            and "locked" in str(exc))


_formatters: dict[type[BaseException], Callable[[BaseException], str]] = {}


def register_error_message(exc_type: type[E], formatter: Callable[[E], str]) -> None:
    """Say how an exception type is told to the clerk (e.g. an SQLAlchemy integrity error).

    The most specific registered base class of a raised exception wins. A formatter runs on the
    GUI thread and should return a translated sentence.
    """
    _formatters[exc_type] = formatter  # type: ignore[assignment]


def _builtin_message(exc: BaseException) -> str | None:
    if isinstance(exc, OperationCancelled):
        return QCoreApplication.translate("workers", "The operation was cancelled.")
    if isinstance(exc, TimeoutError):
        return QCoreApplication.translate(
            "workers", "The operation took too long. Please try again."
        )
    if isinstance(exc, PermissionError):
        return QCoreApplication.translate(
            "workers", "Access to a file or device was refused. Please call the administrator."
        )
    if isinstance(exc, ConnectionError):
        return QCoreApplication.translate(
            "workers",
            "The connection to the server failed. Please check the network and try again.",
        )
    if _sqlite_locked(exc):
        return QCoreApplication.translate(
            "workers", "The database is busy. Please try again in a moment."
        )
    return None


def is_expected(exc: BaseException) -> bool:
    """Whether the clerk will be told in words made for it (a cancelled operation, a domain
    error with a registered message, a known machine condition): such a failure is logged
    in one line, not with a traceback. Safe off the GUI thread (no translation here)."""
    if isinstance(exc, OperationCancelled | TimeoutError | PermissionError | ConnectionError):
        return True
    if isinstance(getattr(exc, "user_message", None), str):
        return True
    if _sqlite_locked(exc):
        return True
    return any(klass in _formatters for klass in type(exc).__mro__)


def user_message_for(exc: BaseException) -> tuple[str, bool]:
    """The clerk's message for an exception, and whether the exception was unexpected."""
    message = getattr(exc, "user_message", None)
    if isinstance(message, str) and message:
        return message, False
    for klass in type(exc).__mro__:
        formatter = _formatters.get(klass)
        if formatter is not None:
            return formatter(exc), False
    builtin = _builtin_message(exc)
    if builtin is not None:
        return builtin, False
    return (
        QCoreApplication.translate(
            "workers",
            "An unexpected error occurred and the operation was not completed. "
            "Please try again; if it happens again, call the administrator.",
        ),
        True,
    )


@dataclass(frozen=True)
class OpFailure:
    """What a `failure` callback receives: never show `exception` to the clerk, show `message`."""

    message: str
    exception: BaseException
    unexpected: bool
    cancelled: bool
