"""The HTTP/JSON queue adapter: the counter asks the hall's queue system for the next ticket.

Halls' queue systems (叫号系统) differ from vendor to vendor; this is the small contract a
site integrator maps theirs to (a few lines of glue in front of the vendor's API). All calls
are POST with a JSON body, UTF-8, answered within the timeout (3 s by default):

``POST {url}/call-next``  ``{"window": 3, "clerk": "C001"}``
    The queue system takes the next waiting ticket for this window, announces it on its
    screens and speakers, and answers ``200`` with
    ``{"ticket": "A023", "issued_at": "2026-11-22T09:41:05+08:00", "service": "缴费"}``
    (``issued_at``: ISO 8601, when the ticket was printed; without an offset it is read as
    the hall's local time; ``service`` optional: the business chosen at the ticket machine).
    Nobody waiting: ``204 No Content`` or ``200`` with ``{"ticket": null}``.
``POST {url}/recall``  ``{"window": 3, "clerk": "C001", "ticket": "A023"}``
    Announce the ticket again. Any ``2xx`` is success.
``POST {url}/skip``  same body
    The customer did not come (过号). Any ``2xx`` is success.
``GET {url}/status``
    ``200`` with ``{"waiting": 12}`` (``waiting`` optional): used by the device test, which
    must not call anybody.

Anything else (no connection, a timeout, HTTP 4xx/5xx, an answer that is not this JSON, a
ticket number that is not 1-8 letters or digits) is a `QueueError` with one sentence naming
the server. Proxies from the environment are not used: the queue system is on the hall's LAN.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from typing import Any, Final
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from app.devices.queue.ticket import (
    MAX_HINT,
    QueueError,
    Ticket,
    normalize_ticket_number,
    parse_issued_at,
)

__all__ = ["DEFAULT_TIMEOUT", "HttpQueueCaller"]

DEFAULT_TIMEOUT: Final = 3.0
MAX_ANSWER: Final = 64 * 1024  # bytes: a ticket is a few dozen


class HttpQueueCaller:
    kind: Final = "http"
    manual: Final = False

    def __init__(self, url: str, window: int, *, timeout: float = DEFAULT_TIMEOUT,
                 zone: ZoneInfo | None = None) -> None:
        self.url = url.rstrip("/")
        self.window = window
        self.timeout = timeout
        self.zone = zone or ZoneInfo("Asia/Shanghai")
        self.server = urlsplit(self.url).netloc or self.url
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    # -- the calls --------------------------------------------------------------------------
    def call_next(self, window: int | None = None, clerk_no: str = "") -> Ticket | None:
        """The next ticket for this window, or None when nobody is waiting."""
        status, body = self._request("call-next", {"window": self._window(window),
                                                   "clerk": clerk_no})
        if status == 204 or not body.strip():
            return None
        answer = self._json(body)
        raw = answer.get("ticket")
        if raw is None:
            return None
        try:
            number = normalize_ticket_number(raw) if isinstance(raw, str | int) else None
            issued = parse_issued_at(answer.get("issued_at"), self.zone)
        except (QueueError, ValueError):
            number = None
        if number is None:
            raise self._bad_answer()
        hint = answer.get("service")
        return Ticket(number, issued, str(hint)[:MAX_HINT] if hint else None)

    def recall(self, ticket: Ticket, window: int | None = None, clerk_no: str = "") -> None:
        self._request("recall", {"window": self._window(window), "clerk": clerk_no,
                                 "ticket": ticket.number})

    def skip(self, ticket: Ticket, window: int | None = None, clerk_no: str = "") -> None:
        self._request("skip", {"window": self._window(window), "clerk": clerk_no,
                               "ticket": ticket.number})

    def waiting(self) -> int | None:
        """How many wait, if the queue system says (the device test's call)."""
        _status, body = self._request("status", None)
        if not body.strip():
            return None
        value = self._json(body).get("waiting")
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    # -- HTTP -------------------------------------------------------------------------------
    def _window(self, window: int | None) -> int:
        return self.window if window is None else window

    def _request(self, path: str, payload: dict[str, Any] | None) -> tuple[int, bytes]:
        data = None if payload is None else json.dumps(payload, ensure_ascii=False).encode()
        request = urllib.request.Request(
            f"{self.url}/{path}", data=data, method="GET" if data is None else "POST",
            headers={"Content-Type": "application/json; charset=utf-8",
                     "Accept": "application/json"})
        deadline = time.monotonic() + self.timeout
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                return response.status, self._read(response, deadline)
        except urllib.error.HTTPError as exc:
            exc.close()
            raise self._http_error(exc.code) from None
        except urllib.error.URLError as exc:
            raise self._no_connection(exc.reason) from None
        except TimeoutError:
            raise self._timed_out() from None
        except OSError as exc:  # reset or closed half-way
            raise self._no_connection(exc) from None

    def _read(self, response: Any, deadline: float) -> bytes:
        """The body, within the same timeout as a whole (a server trickling bytes is cut)."""
        chunks: list[bytes] = []
        size = 0
        while True:
            if time.monotonic() > deadline:
                raise self._timed_out()
            chunk = response.read(8192)
            if not chunk:
                return b"".join(chunks)
            size += len(chunk)
            if size > MAX_ANSWER:
                raise self._bad_answer()
            chunks.append(chunk)

    def _json(self, body: bytes) -> dict[str, Any]:
        try:
            answer = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise self._bad_answer() from None
        if not isinstance(answer, dict):
            raise self._bad_answer()
        return answer

    # -- the clerk's sentences ---------------------------------------------------------------
    def _http_error(self, code: int) -> QueueError:
        if code >= 500:
            return QueueError(f"排队叫号服务器 {self.server} 出错（HTTP {code}），请稍后再试或手工录入排队号",
                              f"the queue server {self.server} failed (HTTP {code}): try again "
                              "or type the ticket number")
        return QueueError(f"排队叫号服务器 {self.server} 拒绝了请求（HTTP {code}），请检查设备设置中的地址和窗口号",
                          f"the queue server {self.server} refused the request (HTTP {code}): "
                          "check the URL and window number in the device settings")

    def _no_connection(self, reason: object) -> QueueError:
        if isinstance(reason, TimeoutError):
            return self._timed_out()
        if isinstance(reason, ConnectionRefusedError):
            why_zh, why_en = "连接被拒绝", "connection refused"
        else:
            why_zh = why_en = str(reason).strip() or type(reason).__name__
        return QueueError(f"无法连接排队叫号服务器 {self.server}（{why_zh}），可手工录入排队号",
                          f"cannot reach the queue server {self.server} ({why_en}); type the "
                          "ticket number instead")

    def _timed_out(self) -> QueueError:
        return QueueError(f"排队叫号服务器 {self.server} 在 {self.timeout:g} 秒内没有应答，可手工录入排队号",
                          f"the queue server {self.server} did not answer within "
                          f"{self.timeout:g} s; type the ticket number instead")

    def _bad_answer(self) -> QueueError:
        return QueueError(f"排队叫号服务器 {self.server} 的应答无法识别（不是约定的 JSON 格式）",
                          f"the queue server {self.server} gave an answer that is not the "
                          "agreed JSON")
