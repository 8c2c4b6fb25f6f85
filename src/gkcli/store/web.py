"""Talking to web servers, with the standard library only: a JSON POST to a work-group robot, and a
bounded GET of an evidence page.

A fetch is bounded on every side: http and https only; the name resolved first and every address it
gives checked (no private, loopback, link-local or reserved address unless the caller allows them),
then the connection made to that very address (so a name cannot resolve one way for the check and
another for the visit); one deadline for the whole fetch, redirects included; at most ``max_bytes``
of the body read; redirects followed up to a limit, each one kept, a loop named. Nothing here puts a
URL into an error: robot addresses carry credentials, and errors are shown to people and logged.
"""

from __future__ import annotations

import http.client
import ipaddress
import json
import socket
import ssl
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

USER_AGENT = "gkcli (government-information openness task registry)"
MAX_REDIRECTS = 10


@dataclass(frozen=True)
class Reply:
    """What a server answered to a POST: its status and body, or why there was no answer (words)."""

    status: int | None
    body: bytes = b""
    error: str | None = None

    def json(self) -> Any:
        try:
            return json.loads(self.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return None


@dataclass
class Page:
    """A page as fetched: where it ended up, its status, headers and (up to the limit) body, the
    redirects on the way, and why it could not be fetched (``failure``: a short reason in words)."""

    url: str
    final_url: str
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    truncated: bool = False  # the body was longer than the limit: only its start was read
    redirects: list[str] = field(default_factory=list)
    failure: str | None = None


class _Failed(Exception):
    """Why a request got no answer, in words a person reads (never with the address)."""


def _resolve(host: str, port: int, deadline: float) -> list[str]:
    """The addresses ``host`` resolves to, within the deadline (a lookup has no timeout of its own)."""
    found: list[Any] = []
    failure: list[BaseException] = []

    def look() -> None:
        try:
            found.extend(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM))
        except (OSError, UnicodeError) as exc:
            failure.append(exc)

    worker = threading.Thread(target=look, daemon=True)
    worker.start()
    worker.join(max(0.0, deadline - time.monotonic()))
    if worker.is_alive():
        raise _Failed("域名解析超时")
    if failure or not found:
        raise _Failed("域名无法解析")
    return list(dict.fromkeys(str(info[4][0]) for info in found))


def is_public(address: str) -> bool:
    """Whether an IP address is on the public internet (not private, loopback, link-local, reserved,
    multicast or unspecified; an IPv4 address mapped into IPv6 judged as IPv4)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not (
        ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved or ip.is_multicast or ip.is_unspecified
    )


def _remaining(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise _Failed("超时未应答")
    return left


def _connect(url: str, deadline: float, *, allow_private: bool) -> tuple[http.client.HTTPConnection, str]:
    """A connection to the server of ``url`` at an address that passed the check, and the path to ask."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise _Failed("只检查 http 和 https 地址")
    host = parts.hostname
    if not host:
        raise _Failed("地址中没有主机名")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise _Failed("地址中的端口无效") from None
    addresses = _resolve(host, port, deadline)
    if not allow_private and not all(is_public(a) for a in addresses):
        raise _Failed("是内网或本机地址,未访问(确需检查时加 --allow-private)")
    sock: socket.socket | None = None
    for address in addresses:
        try:
            sock = socket.create_connection((address, port), timeout=_remaining(deadline))
            break
        except OSError:
            continue
    if sock is None:
        raise _Failed("无法连接服务器")
    try:
        if parts.scheme == "https":
            sock = ssl.create_default_context().wrap_socket(sock, server_hostname=host)
    except ssl.SSLError:
        sock.close()
        raise _Failed("HTTPS 证书或握手失败") from None
    except OSError:
        sock.close()
        raise _Failed("无法连接服务器") from None
    connection = http.client.HTTPConnection(host, port, timeout=_remaining(deadline))
    connection.sock = sock  # already connected, to the address checked above
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return connection, path


def _read(
    response: http.client.HTTPResponse, sock: socket.socket | None, deadline: float, limit: int
) -> tuple[bytes, bool]:
    chunks: list[bytes] = []
    size = 0
    while size <= limit:
        if sock is not None:
            sock.settimeout(_remaining(deadline))
        chunk = response.read1(min(65536, limit + 1 - size))
        if not chunk:
            return b"".join(chunks), False
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)[:limit], True


def fetch(
    url: str, *, timeout: float, max_bytes: int, allow_private: bool = False,
    headers: Mapping[str, str] | None = None,
) -> Page:  # fmt: skip
    """GET ``url`` following redirects, all within ``timeout`` seconds. Never raises for what the
    server or the network does: the page says what happened."""
    page = Page(url, url)
    deadline = time.monotonic() + timeout
    current = url
    seen = {url}
    try:
        for _ in range(MAX_REDIRECTS + 1):
            connection, path = _connect(current, deadline, allow_private=allow_private)
            try:
                connection.request("GET", path, headers={"User-Agent": USER_AGENT, "Accept": "text/html,*/*",
                                                         **(headers or {})})  # fmt: skip
                response = connection.getresponse()
                page.status, page.final_url = response.status, current
                page.headers = {k.lower(): v for k, v in response.getheaders()}
                location = response.getheader("Location")
                if 300 <= response.status < 400 and response.status != 304 and location:
                    following = urljoin(current, location.strip())
                    page.redirects.append(following)
                    if following in seen:
                        page.failure = "重定向循环"
                        return page
                    seen.add(following)
                    current = following
                    continue
                page.body, page.truncated = _read(response, connection.sock, deadline, max_bytes)
                return page
            finally:
                connection.close()
        page.failure = f"重定向超过 {MAX_REDIRECTS} 次"
    except _Failed as exc:
        page.failure = str(exc)
    except TimeoutError:
        page.failure = "超时未应答"
    except (http.client.HTTPException, OSError, ValueError):
        page.failure = "连接中断或应答无法读取"
    return page


def post_json(url: str, payload: Mapping[str, Any], *, timeout: float) -> Reply:
    """POST ``payload`` as JSON to ``url`` (a robot's webhook, which the office configured: any
    address is allowed) and read the answer, within ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    try:
        connection, path = _connect(url, deadline, allow_private=True)
        try:
            connection.request("POST", path, body=body, headers={
                "Content-Type": "application/json; charset=utf-8", "User-Agent": USER_AGENT})  # fmt: skip
            response = connection.getresponse()
            answer, _ = _read(response, connection.sock, deadline, 1 << 20)
            return Reply(response.status, answer)
        finally:
            connection.close()
    except _Failed as exc:
        return Reply(None, error=str(exc))
    except TimeoutError:
        return Reply(None, error="超时未应答")
    except (http.client.HTTPException, OSError, ValueError):
        return Reply(None, error="连接中断或应答无法读取")
