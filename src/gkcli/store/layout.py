"""Where each task stands in the text of tasks.yaml a registry was read from. The store keeps it
with the registry it describes (``Registry.source``), for the cache entry and the fast writes and
re-reads of :mod:`gkcli.store.task_lines`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

try:  # hashlib would load OpenSSL first (3 ms at every start, a tenth of a small command); BLAKE2 is built in
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - a Python without the built-in module
    from hashlib import blake2b

from gkcli.domain.registry import Registry

__all__ = [
    "BOM",
    "DIGEST_BYTES",
    "SourceLayout",
    "blake2b",
    "body",
    "keep_layout",
    "layout",
]  # blake2b: the store's one hash

DIGEST_BYTES = 8  # of a task's lines in a SourceLayout
BOM = b"\xef\xbb\xbf"


def body(raw: bytes) -> bytes:
    """A file's bytes after its byte-order mark, if it has one: what layouts count in."""
    return raw[len(BOM) :] if raw.startswith(BOM) else raw


@dataclass(frozen=True)
class SourceLayout:
    """Where each task's lines lie in tasks.yaml as a registry was read from it, as (start, end)
    offsets in task order, with a digest of each task's lines and of the text before and after the
    task list. Offsets count the file's bytes after any byte-order mark (see :func:`body`), so a
    write or a re-read works on the bytes and decodes only the lines it reads. A write re-reads only
    the lines it changes; a read after a hand edit, only the tasks whose lines changed."""

    spans: list[tuple[int, int]]
    digests: list[bytes]
    head: bytes
    tail: bytes
    length: int  # of the whole file, in bytes (after any byte-order mark)
    latest: dt.date  # the latest completion, progress or recording date written anywhere in it


def layout(registry: Registry) -> SourceLayout | None:
    """The layout of the text ``registry`` was read from, when the store knows it."""
    found = registry.source
    return found if isinstance(found, SourceLayout) else None


def keep_layout(registry: Registry, found: SourceLayout | None) -> None:
    """Keep (or, with None, drop) where ``registry``'s tasks stand in its file, with the registry."""
    registry.source = found
