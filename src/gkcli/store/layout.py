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
    """Where each task's lines lie in tasks.yaml as a registry was read from it, with a digest of each
    task's lines and of the text before and after the task list. A task's lines run from the line of
    its ``-`` to the next task's, so the places are the ``cuts`` between them: task ``i`` is
    ``cuts[i]:cuts[i + 1]``. Offsets count the file's bytes after any byte-order mark (see
    :func:`body`), so a write or a re-read works on the bytes and decodes only the lines it reads;
    the digests are joined in one string. A write re-reads only the lines it changes; a read after a
    hand edit, only the tasks whose lines changed."""

    cuts: list[int]  # one more than there are tasks
    digests: bytes  # DIGEST_BYTES for each task, in order
    head: bytes
    tail: bytes
    length: int  # of the whole file, in bytes (after any byte-order mark)
    latest: dt.date  # the latest completion, progress or recording date written anywhere in it

    @property
    def count(self) -> int:
        return len(self.cuts) - 1

    def span(self, index: int) -> tuple[int, int]:
        return self.cuts[index], self.cuts[index + 1]

    def digest_of(self, index: int) -> bytes:
        return self.digests[index * DIGEST_BYTES : (index + 1) * DIGEST_BYTES]


def layout(registry: Registry) -> SourceLayout | None:
    """The layout of the text ``registry`` was read from, when the store knows it."""
    found = registry.source
    return found if isinstance(found, SourceLayout) else None


def keep_layout(registry: Registry, found: SourceLayout | None) -> None:
    """Keep (or, with None, drop) where ``registry``'s tasks stand in its file, with the registry."""
    registry.source = found
