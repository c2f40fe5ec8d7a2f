"""A local stand-in for the WeCom, DingTalk and Feishu webhook endpoints, on 127.0.0.1.

It answers as the real services do and records every request (path, query, JSON body), so the
tests and the demo can show that a message really left through apprise. Start it with
``gongsheng chat_fake_server`` and point ``GONGSHENG_WECOM_URL`` (etc.) at it.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class Received:
    path: str
    query: dict[str, list[str]]
    body: Any


@dataclass
class FakeChatServer:
    """``with FakeChatServer() as server: ... server.url ... server.received``.

    ``status`` is the HTTP status every request gets (500 to play a broken service).
    """

    status: int = 200
    port: int = 0
    received: list[Received] = field(default_factory=list)

    def __post_init__(self) -> None:
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                try:
                    body = json.loads(raw.decode("utf-8"))
                except ValueError:
                    body = raw.decode("utf-8", "replace")
                parts = urlsplit(self.path)
                owner.received.append(Received(parts.path, parse_qs(parts.query), body))
                answer = {"errcode": 0, "errmsg": "ok", "code": 0, "msg": "success"}
                if owner.status != 200:
                    answer = {"errcode": 500, "errmsg": "server error"}
                data = json.dumps(answer).encode()
                self.send_response(owner.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:
                return

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def texts(self) -> list[str]:
        """The message text of every request, whichever service's payload it was."""
        out = []
        for r in self.received:
            body = r.body if isinstance(r.body, dict) else {}
            text = (body.get("text") or {}).get("content") or (body.get("content") or {}).get(
                "text"
            )
            out.append(text if isinstance(text, str) else json.dumps(r.body, ensure_ascii=False))
        return out

    def start(self) -> FakeChatServer:
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> FakeChatServer:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()
