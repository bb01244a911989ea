"""How the connection to the sync server is secured: TLS for every host but this machine.

A workstation sends the server password when it connects. Over a network that must happen
inside TLS with the server's certificate checked, or anyone on the hall's network could read
it (a server that declines TLS and asks for a cleartext password gets it from a client that
allows plain connections). So:

* a Unix socket or a loopback address (``localhost``, 127.0.0.0/8, ``::1``): the connection
  never leaves the machine; libpq's default applies;
* any other host: ``sslmode=verify-full`` (TLS, the certificate signed by the CA file of
  `COUNTER_SYNC_CA_FILE`, or by the system's CAs when none is set, and issued for the host
  named in the URL). libpq asks for TLS before it sends anything else; a server that declines
  gets no start-up message and no password. ``COUNTER_SYNC_SSLMODE=require`` (an explicit
  choice, for a hall whose server has a self-signed certificate) keeps TLS but does not check
  the certificate. Any weaker mode (``disable``, ``allow``, ``prefer``) in the URL is refused
  before connecting.

Host names are not resolved: only ``localhost`` and literal loopback addresses count as this
machine (a name that happens to resolve to 127.0.0.1 still gets TLS).
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Final

from sqlalchemy.engine import URL, make_url

from app.services.sync.errors import SyncError

if TYPE_CHECKING:
    from app.db import Database

ENV_SSLMODE: Final = "COUNTER_SYNC_SSLMODE"
ENV_CA_FILE: Final = "COUNTER_SYNC_CA_FILE"
MODES: Final = ("verify-full", "require")  # what a remote host may use
SYSTEM_CAS: Final = "system"  # libpq >= 16: the operating system's trusted CAs


def _hosts(url: URL, environ: Mapping[str, str]) -> list[str]:
    """Every host the URL may connect to ("" for libpq's default Unix socket)."""
    raw = url.host or url.query.get("host") or environ.get("PGHOST") or ""
    if isinstance(raw, tuple):  # ?host=a&host=b
        raw = ",".join(raw)
    return [h.strip() for h in str(raw).split(",")] or [""]


def is_local_host(host: str) -> bool:
    """A Unix socket folder (or libpq's default socket) or a loopback address."""
    host = host.strip().strip("[]")
    if not host or host.startswith(("/", "@")):
        return True
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def is_local(url: str | URL, environ: Mapping[str, str] | None = None) -> bool:
    env = os.environ if environ is None else environ
    return all(is_local_host(h) for h in _hosts(make_url(url), env))


def secure_url(url: str, *, sslmode: str | None = None, ca_file: str | None = None,
               environ: Mapping[str, str] | None = None) -> str:
    """The URL to connect with: for a remote host with ``sslmode`` and ``sslrootcert`` set.

    `sslmode` / `ca_file`: the workstation's setting (the GUI's); else `COUNTER_SYNC_SSLMODE`
    / `COUNTER_SYNC_CA_FILE`. `SyncError` when the URL asks for less than TLS, the setting
    is not one of `MODES`, or the CA file is missing."""
    env = os.environ if environ is None else environ
    parsed = make_url(url)
    if is_local(parsed, env):
        return url
    given = str(parsed.query.get("sslmode") or "")
    chosen = (sslmode or env.get(ENV_SSLMODE) or "").strip().lower()
    if chosen and chosen not in MODES:
        raise SyncError(f"{ENV_SSLMODE} 只能是 verify-full 或 require（现为 {chosen}）",
                        f"{ENV_SSLMODE} must be verify-full or require (it is {chosen})")
    mode = chosen or "verify-full"
    if given and given != mode and not (given == "verify-full" and mode == "require"):
        raise SyncError(
            f"同步服务器 {parsed.host} 不在本机：连接必须加密（sslmode=verify-full），地址中的 "
            f"sslmode={given} 不允许；自签名证书的服务器可设置 {ENV_SSLMODE}=require",
            f"the sync server {parsed.host} is not this machine: the connection must use TLS "
            f"(sslmode=verify-full); sslmode={given} in the URL is not allowed (for a "
            f"self-signed server certificate set {ENV_SSLMODE}=require)")
    query: dict[str, str] = {"sslmode": given or mode}
    if query["sslmode"] == "verify-full":
        root = ca_file or env.get(ENV_CA_FILE) or str(parsed.query.get("sslrootcert") or "")
        if root and root != SYSTEM_CAS and not Path(root).is_file():
            raise SyncError(f"找不到同步服务器的 CA 证书文件 {root}（{ENV_CA_FILE}）",
                            f"the sync server's CA file {root} ({ENV_CA_FILE}) does not exist")
        query["sslrootcert"] = root or SYSTEM_CAS
    return parsed.update_query_dict(query).render_as_string(hide_password=False)


def password_in_remote_url(url: str, environ: Mapping[str, str] | None = None) -> bool:
    """A password written into the URL of a remote server (it would show in process lists,
    shell history and settings files)."""
    parsed = make_url(url)
    return bool(parsed.password) and not is_local(parsed, environ)


__all__ = ["ENV_CA_FILE", "ENV_SSLMODE", "MODES", "is_local", "is_local_host", "open_server",
           "password_in_remote_url", "secure_url"]


def open_server(server_url: str, *, sslmode: str | None = None,
                ca_file: str | None = None) -> Database:
    """The sync server named by its URL, reached as `counter sync` reaches it (TLS, the
    password from the keyring or key file); `SyncUnavailable` when it cannot be reached."""
    from app.db import open_database
    from app.services.sync.credentials import check_given_url, display_url, resolve_server_url
    from app.services.sync.errors import server_unavailable

    check_given_url(server_url)
    try:
        return open_database(secure_url(resolve_server_url(server_url), sslmode=sslmode,
                                        ca_file=ca_file), migrate=False)
    except Exception as exc:
        problem = server_unavailable(exc, display_url(server_url))
        if problem is not None:
            raise problem from None
        raise
