"""What goes wrong in a sync, and telling an unreachable server from every other failure.

`SyncUnavailable` (the server is away) is the one failure the counter shrugs off: it works on
its own database and tries again later. Everything else is a `SyncError` or the error itself.
"""

from __future__ import annotations

from sqlalchemy.exc import DBAPIError

from app.db import DatabaseError


class SyncError(RuntimeError):
    """Sync cannot run as asked (a setting or the databases are wrong)."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(f"{zh} / {en}")
        self.zh, self.en = zh, en
        self.user_message = str(self)


class SyncUnavailable(SyncError):
    """The server cannot be reached right now; the counter goes on and retries later."""


def driver_error(exc: BaseException) -> BaseException | None:
    """The psycopg error behind `exc` (wrapped by SQLAlchemy, or raised by the bulk writer
    directly), if it is one."""
    orig = exc.orig if isinstance(exc, DBAPIError) else exc
    if orig is not None and type(orig).__module__.split(".")[0] == "psycopg":
        return orig
    return None


def _behind(exc: BaseException) -> BaseException | None:
    """The driver's error behind `exc`, also when `open_database` put it into words of its own
    (a `DatabaseError` raised with the original as its context)."""
    orig = driver_error(exc)
    if orig is None and isinstance(exc, DatabaseError) and exc.__context__ is not None:
        orig = driver_error(exc.__context__)
    return orig


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def tls_failure(exc: BaseException, server: str) -> SyncError | None:
    """The TLS handshake failed (no TLS on the server, a certificate not signed by the CA
    given, issued for another name): a setting to fix, not a server that is away. libpq
    asks for TLS before anything else, so the password was not sent."""
    orig = _behind(exc)
    if orig is None:
        return None
    low = str(orig).lower()
    if not any(word in low for word in ("ssl", "certificate", "tls")):
        return None
    reason = _first_line(orig)
    return SyncError(
        f"无法与同步服务器 {server} 建立加密连接，密码未发送；请检查服务器的 TLS 设置和 CA 证书"
        f"（COUNTER_SYNC_CA_FILE）（{reason}）",
        f"no encrypted connection to the sync server {server}; the password was not sent: "
        f"check the server's TLS set-up and the CA file (COUNTER_SYNC_CA_FILE) ({reason})")


def server_unavailable(exc: BaseException, server: str) -> SyncUnavailable | None:
    """A connection problem with the server (not a local database error)?"""
    if isinstance(exc, DatabaseError) and _behind(exc) is not None:
        exc = exc.__context__ or exc  # the driver's own words say more than ours
    orig = driver_error(exc)
    if orig is not None:
        invalidated = isinstance(exc, DBAPIError) and exc.connection_invalidated
        if not (invalidated or type(orig).__name__ in (
                "OperationalError", "InterfaceError", "AdminShutdown", "ConnectionTimeout",
                "CannotConnectNow", "ConnectionFailure", "CrashShutdown")
                or "connection" in str(orig).lower()):
            return None
        reason = str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__
    elif isinstance(exc, DatabaseError) and ("连接" in str(exc) or "connect" in str(exc)):
        reason = str(exc)
    elif isinstance(exc, ConnectionError | TimeoutError):
        reason = str(exc) or type(exc).__name__
    else:
        return None
    return SyncUnavailable(
        f"无法连接同步服务器 {server}，本机照常受理，稍后自动重试（{reason}）",
        f"cannot reach the sync server {server}; this counter works as usual and retries "
        f"later ({reason})")
