"""Copies of the evidence pages (``links check --archive DIR``), so the office still holds what a
link showed after the site is revised.

For each address: ``<key>-<sha>.html``, the page exactly as fetched, and ``<key>.json``, its index
(the address, and for each copy the time fetched, the address it ended at, the status, its SHA-256
and the validators the server gave). ``key`` is the start of the address's SHA-256. A page fetched
again is asked for only if changed (``If-None-Match`` / ``If-Modified-Since``); one unchanged is not
written again; a changed one is kept beside the older copies, never over them."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any, Literal

from gkcli.store.files import failed
from gkcli.store.web import Page

Kept = Literal["saved", "unchanged"]


def _key(url: str) -> str:
    return hashlib.sha256(url.encode("utf-8")).hexdigest()[:16]


def _index(folder: Path, url: str) -> dict[str, Any]:
    try:
        found = json.loads((folder / f"{_key(url)}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"url": url, "copies": []}
    if not isinstance(found, dict) or found.get("url") != url or not isinstance(found.get("copies"), list):
        return {"url": url, "copies": []}
    return found


def asked_if_changed(folder: Path, url: str) -> dict[str, str]:
    """The headers that ask the server for the page only if it changed since the latest copy."""
    copies = _index(folder, url)["copies"]
    if not copies:
        return {}
    latest = copies[-1]
    headers = {}
    if latest.get("etag"):
        headers["If-None-Match"] = str(latest["etag"])
    if latest.get("last_modified"):
        headers["If-Modified-Since"] = str(latest["last_modified"])
    return headers


def latest_copy(folder: Path, url: str) -> bytes | None:
    """The latest copy kept of the page at ``url`` (None when there is none or it is gone)."""
    copies = _index(folder, url)["copies"]
    if not copies:
        return None
    try:
        return (folder / str(copies[-1]["file"])).read_bytes()
    except (OSError, KeyError):
        return None


def _write(path: Path, data: bytes) -> None:
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".gkcli-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temporary, path)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise failed("写入", path, exc) from None


def keep(folder: Path, page: Page, fetched_at: dt.datetime) -> Kept:
    """Keep the page as fetched, unless the latest copy is the same bytes (or the server said 304)."""
    index = _index(folder, page.url)
    copies = index["copies"]
    if page.status == 304 and copies:
        return "unchanged"
    digest = hashlib.sha256(page.body).hexdigest()
    if copies and copies[-1].get("sha256") == digest:
        return "unchanged"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise failed("创建", folder, exc) from None
    name = f"{_key(page.url)}-{digest[:12]}.html"
    _write(folder / name, page.body)
    copies.append({
        "file": name, "fetched_at": fetched_at.isoformat(timespec="seconds"), "final_url": page.final_url,
        "status": page.status, "sha256": digest, "truncated": page.truncated,
        "etag": page.headers.get("etag"), "last_modified": page.headers.get("last-modified"),
    })  # fmt: skip
    text = json.dumps(index, ensure_ascii=False, indent=2) + "\n"
    _write(folder / f"{_key(page.url)}.json", text.encode("utf-8"))
    return "saved"
