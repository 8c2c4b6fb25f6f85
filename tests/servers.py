"""Real HTTP servers on 127.0.0.1 for the tests, speaking the services' documented protocols:

- a DingTalk custom robot (``POST /robot/send?access_token=…``): checks the token, the signature of
  signed mode exactly as DingTalk documents it (``timestamp`` in milliseconds within an hour,
  ``sign`` = Base64(HMAC-SHA256(secret, timestamp + "\\n" + secret))), the keyword of keyword mode and
  20 messages a minute, answering with DingTalk's own error codes;
- a WeCom group robot (``POST /cgi-bin/webhook/send?key=…``): checks the key, 4096 bytes of Markdown
  and a rate limit, answering with WeCom's own codes;
- pages for the link checker: 200 with and without a publish date, 404, 500, a slow one, a redirect
  loop, a redirect chain, 50 MB, and many small pages for the benchmark.

Each runs in a thread for the length of one test (a context manager) and keeps what it received."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class RobotState:
    kind: str  # dingtalk | wecom
    token: str
    secret: str | None = None
    keyword: str | None = None
    per_window: int = 20  # messages accepted in a window
    window: float = 60.0  # seconds
    received: list[dict[str, Any]] = field(default_factory=list)  # every body, accepted or not
    answers: list[int] = field(default_factory=list)  # the errcode given to each
    raw: list[bytes] = field(default_factory=list)  # every request line and body as received
    times: list[float] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _dingtalk(state: RobotState, query: dict[str, list[str]], body: dict[str, Any]) -> tuple[int, str]:
    if query.get("access_token", [""])[0] != state.token:
        return 300001, "token is not exist"
    if state.secret is not None:
        stamp, sign = query.get("timestamp", [""])[0], query.get("sign", [""])[0]
        if not stamp.isdigit() or abs(int(stamp) - time.time() * 1000) > 3600 * 1000:
            return 310000, "invalid timestamp"
        digest = hmac.new(state.secret.encode(), f"{stamp}\n{state.secret}".encode(), hashlib.sha256).digest()
        if sign != base64.b64encode(digest).decode():
            return 310000, "sign not match, more: [https://ding-doc.dingtalk.com/doc#/serverapi2/qf2nxq]"
    markdown = body.get("markdown") or {}
    if body.get("msgtype") != "markdown" or not markdown.get("title") or not markdown.get("text"):
        return 40035, "缺少参数 markdown"
    if state.keyword is not None and state.keyword not in markdown["title"] + markdown["text"]:
        return 310000, "keywords not in content, more: [https://ding-doc.dingtalk.com/doc#/serverapi2/qf2nxq]"
    return 0, "ok"


def _wecom(state: RobotState, query: dict[str, list[str]], body: dict[str, Any]) -> tuple[int, str]:
    if query.get("key", [""])[0] != state.token:
        return 93000, "invalid webhook url, hint: [1672109871_77_c1e0f8d1e0f6d7c29f4a2c34d0a8b1de]"
    content = (body.get("markdown") or {}).get("content")
    if body.get("msgtype") != "markdown" or not content:
        return 40008, "invalid message type"
    if len(content.encode("utf-8")) > 4096:
        return 40058, "markdown.content exceed max length 4096"
    return 0, "ok"


def _limited(state: RobotState) -> bool:
    now = time.monotonic()
    recent = [t for t in state.times if now - t < state.window]
    state.times[:] = recent
    if len(recent) >= state.per_window:
        return True
    state.times.append(now)
    return False


@contextmanager
def robot(kind: str, token: str, *, secret: str | None = None, keyword: str | None = None, per_window: int = 20,
          window: float = 60.0) -> Iterator[tuple[str, RobotState]]:  # fmt: skip
    """A robot on 127.0.0.1: its webhook address (with the token or key) and what it saw."""
    state = RobotState(kind, token, secret, keyword, per_window, window)

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length)
            parts = urlsplit(self.path)
            query = parse_qs(parts.query)
            with state.lock:
                state.raw.append(self.requestline.encode() + b"\n" + raw)
                try:
                    body = json.loads(raw.decode("utf-8"))
                except ValueError:
                    body = {}
                state.received.append(body)
                if (kind == "dingtalk" and parts.path != "/robot/send") or (
                    kind == "wecom" and parts.path != "/cgi-bin/webhook/send"
                ):
                    code, said = 404, "not found"
                elif _limited(state):
                    code, said = (130101, "send too fast, exceed 20 times per minute") if kind == "dingtalk" else (
                        45009, "api freq out of limit")  # fmt: skip
                else:
                    code, said = (_dingtalk if kind == "dingtalk" else _wecom)(state, query, body)
                state.answers.append(code)
            answer = json.dumps({"errcode": code, "errmsg": said}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

    with _serving(Handler) as base:
        path = "/robot/send?access_token=" if kind == "dingtalk" else "/cgi-bin/webhook/send?key="
        yield f"{base}{path}{token}", state


@contextmanager
def _serving(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


PAGE_WITH_DATE = """<!doctype html><html><head><meta charset="utf-8"><title>嵊泗县财政局 预算公开</title>
<meta name="PubDate" content="2022-09-18 09:30"></head><body><h1>预算公开</h1></body></html>"""
PAGE_DATE_IN_TEXT = """<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>决策目录</title></head><body><div class="info">发布时间:2022年9月20日 来源:县司法局</div></body></html>"""
PAGE_TIME_TAG = """<html><head><title>政务新媒体矩阵</title></head><body><time datetime="2022-07-28T10:00:00+08:00">
7月28日</time></body></html>"""
PAGE_NO_DATE = """<html><head><title>查阅场所</title></head><body>政府信息查阅场所已设立。</body></html>"""


@dataclass
class Site:
    base: str
    hits: dict[str, int]
    lock: threading.Lock


@contextmanager
def pages(*, slow_seconds: float = 5.0, pause: float = 0.0, big_mb: int = 50) -> Iterator[Site]:
    """Pages at known paths: /dated, /gbk, /time, /nodate, /missing (404), /broken (500), /slow (answers
    after ``slow_seconds``), /loop (redirects to itself through /loop2), /moved (301 to /dated), /big
    (``big_mb`` MB), /etag (an ETag, 304 when asked with it), /n/<k> (small dated pages, each after
    ``pause`` seconds)."""
    hits: dict[str, int] = {}
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:
            pass

        def _send(self, status: int, body: bytes, content_type: str = "text/html; charset=utf-8",
                  extra: dict[str, str] | None = None) -> None:  # fmt: skip
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for key, value in (extra or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            path = urlsplit(self.path).path
            with lock:
                hits[path] = hits.get(path, 0) + 1
            if path == "/dated":
                self._send(200, PAGE_WITH_DATE.encode())
            elif path == "/gbk":
                self._send(200, PAGE_DATE_IN_TEXT.encode("gb18030"), "text/html")
            elif path == "/time":
                self._send(200, PAGE_TIME_TAG.encode())
            elif path == "/nodate":
                self._send(200, PAGE_NO_DATE.encode())
            elif path == "/missing":
                self._send(404, b"<title>404</title>not found")
            elif path == "/broken":
                self._send(500, b"<title>500</title>error")
            elif path == "/slow":
                time.sleep(slow_seconds)
                self._send(200, PAGE_WITH_DATE.encode())
            elif path in ("/loop", "/loop2"):
                self._send(302, b"", extra={"Location": "/loop2" if path == "/loop" else "/loop"})
            elif path == "/moved":
                self._send(301, b"", extra={"Location": "/dated"})
            elif path == "/etag":
                if self.headers.get("If-None-Match") == '"v1"':
                    self._send(304, b"", extra={"ETag": '"v1"'})
                else:
                    self._send(200, PAGE_WITH_DATE.encode(), extra={"ETag": '"v1"'})
            elif path == "/big":
                self._big(big_mb)
            elif path.startswith("/n/"):
                time.sleep(pause)
                self._send(200, PAGE_WITH_DATE.replace("预算公开", f"第 {path[3:]} 页").encode())
            else:
                self._send(404, b"not found")

        def _big(self, megabytes: int) -> None:
            chunk = b"<p>" + b"x" * 65530 + b"</p>\n"
            count = megabytes * 1024 * 1024 // len(chunk)
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(b"<title>big</title>") + count * len(chunk)))
            self.end_headers()
            try:
                self.wfile.write(b"<title>big</title>")
                for _ in range(count):
                    self.wfile.write(chunk)
            except OSError:
                pass  # the reader stopped at its limit

    with _serving(Handler) as base:
        yield Site(base, hits, lock)
