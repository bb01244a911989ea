"""A fake hall queue system (叫号系统) on 127.0.0.1, speaking the HTTP/JSON contract of
`app.devices.queue.http_caller`, for the adapter's and the window's tests.

    with QueueServer() as server:
        server.tickets.append(("A023", "2026-11-22T09:41:05+08:00", "缴费"))
        caller = HttpQueueCaller(server.url, window=3)

`mode` makes it misbehave: ``"500"`` answers HTTP 500, ``"404"`` HTTP 404 (a wrong URL), ``"garbage"`` answers 200 with bytes
that are not JSON, ``"hang"`` accepts the request and never answers (until the server is
closed). Every request is kept in `requests` as (path, JSON body).
"""

from __future__ import annotations

import json
import threading
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # quiet in tests
        return

    def do_GET(self) -> None:
        self._answer(None)

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        self._answer(json.loads(raw.decode()) if raw else None)

    def _answer(self, body: Any) -> None:
        owner = self.server.owner
        path = self.path.rsplit("/", 1)[-1]
        with owner.lock:
            owner.requests.append((path, body))
            mode = owner.mode
        if mode == "hang":
            owner.release.wait(30)
            return
        if mode == "500":
            self._send(500, b'{"error": "database down"}')
            return
        if mode == "404":
            self._send(404, b'{"error": "no such path"}')
            return
        if mode == "garbage":
            self._send(200, b"<html>\xff\xfe not json")
            return
        if path == "status":
            self._json({"waiting": len(owner.tickets)})
        elif path == "call-next":
            with owner.lock:
                ticket = owner.tickets.popleft() if owner.tickets else None
            if ticket is None:
                self._send(204, b"")
            else:
                number, issued, service = ticket
                self._json({"ticket": number, "issued_at": issued, "service": service})
        elif path in ("recall", "skip"):
            self._json({"ok": True})
        else:
            self._send(404, b'{"error": "no such call"}')

    def _json(self, value: Any) -> None:
        self._send(200, json.dumps(value, ensure_ascii=False).encode())

    def _send(self, code: int, payload: bytes) -> None:
        self.send_response(code)
        if code != 204:
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if code != 204:
            self.wfile.write(payload)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    owner: QueueServer


class QueueServer:
    def __init__(self) -> None:
        self.tickets: deque[tuple[str, str | None, str | None]] = deque()
        self.requests: list[tuple[str, Any]] = []
        self.mode = "ok"
        self.lock = threading.Lock()
        self.release = threading.Event()
        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        self._httpd.owner = self
        self._thread = threading.Thread(target=self._httpd.serve_forever,
                                        kwargs={"poll_interval": 0.05},
                                        name="queue-sim", daemon=True)

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}/api"

    def start(self) -> QueueServer:
        self._thread.start()
        return self

    def close(self) -> None:
        self.release.set()  # a hanging handler lets go
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(5)

    def __enter__(self) -> QueueServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()
