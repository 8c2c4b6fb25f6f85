"""A cache of validated registries, keyed by the exact bytes of both files.

Reading YAML is the slow part of every command (a 20,000-task registry takes about
two seconds to parse, validate and cross-check). Once a registry has passed
validation, its content is stored here as ``marshal`` data (plain values only:
loading it can run no code) under a key made from the hash of both files' bytes
and the version of gkcli. Any edit changes the bytes and so the key: a cached
registry is never stale. ``gkcli check`` never uses the cache.

The cache lives in ``$GKCLI_CACHE_DIR``, else ``$XDG_CACHE_HOME/gkcli``, else
``~/.cache/gkcli``; ``GKCLI_NO_CACHE=1`` turns it off. Any problem with it (a
read-only home, a damaged file) only means the registry is read from source.

An entry is not trusted: it is opened only as a regular file of bounded size (never a
link, a FIFO or a device), it names the key it was stored under and carries a digest of
its payload, and the payload's shape, values and text are checked as they are rebuilt.
Anything doubtful is ignored and the YAML is read instead. Whoever can write the cache
folder (its owner: it is created private) can still make up an entry with a correct
digest; that shows made-up data for one registry, as editing the registry would, and
can run no code: marshal data is rebuilt into plain values only.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import marshal
import os
import stat
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from gkcli import __version__
from gkcli.deadlines import MAX_YEAR, MIN_YEAR
from gkcli.domain import STATUSES, Group, Part, Plan, ProgressEntry, Section, Task, Unit
from gkcli.registry import MAX_FILE_BYTES, Registry, RegistrySource, collector_paused
from gkcli.text import BIDI, CONTROL, ESCAPE_SEQUENCE, INVISIBLE, LINE_BREAK

FORMAT = 2
KEEP = 16  # cached registries kept; older ones are removed when a new one is stored
MAGIC = b"gkcli-registry-cache\n"
KEY_BYTES = 40  # the key in hex
DIGEST_BYTES = 32
MAX_ENTRY_BYTES = 4 * MAX_FILE_BYTES  # a cached registry is smaller than its YAML; a larger entry is not read
_FIRST_DAY = dt.date(MIN_YEAR, 1, 1).toordinal()
_LAST_DAY = dt.date(MAX_YEAR, 12, 31).toordinal()
_UNIT_KINDS = frozenset({"department", "township", "enterprise", "coordinating_body"})


def directory(env: Mapping[str, str]) -> Path | None:
    if env.get("GKCLI_NO_CACHE", "") not in ("", "0"):
        return None
    if env.get("GKCLI_CACHE_DIR"):
        return Path(env["GKCLI_CACHE_DIR"])
    base = env.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "gkcli"


def key(tasks: bytes, units: bytes) -> str:
    digest = hashlib.blake2b(digest_size=20)
    for part in (f"gkcli {__version__} cache {FORMAT}".encode(), tasks, units):
        digest.update(len(part).to_bytes(8, "little"))
        digest.update(part)
    return digest.hexdigest()


def _day(value: dt.date | None) -> int | None:
    return value.toordinal() if value is not None else None


def _date(value: int | None) -> dt.date | None:
    return dt.date.fromordinal(value) if value is not None else None


def _digest(payload: bytes) -> bytes:
    return hashlib.blake2b(payload, digest_size=DIGEST_BYTES).digest()


def dump(registry: Registry, name_key: str) -> bytes:
    """The entry for ``registry`` stored under ``name_key``: magic, key, digest, payload."""
    payload = _payload(registry)
    return MAGIC + name_key.encode("ascii") + _digest(payload) + payload


def _payload(registry: Registry) -> bytes:
    plan = registry.plan
    data = (
        (plan.title, plan.document_number, plan.issuer, _day(plan.issued_on), plan.year, plan.warn_days),
        [(p.id, p.title, [(s.id, s.title, s.note) for s in p.sections], p.attachment_title) for p in registry.parts],
        [
            (t.id, t.section, t.title, t.lead, t.responsible, t.deadline, _day(t.due), t.status, _day(t.done_on),
             t.provenance, [(_day(e.on), e.note, e.unit) for e in t.progress], _day(registry.due(t)))
            for t in registry.tasks
        ],
        [(u.name, u.kind, u.aliases, u.note) for u in registry.directory.units],
        [(g.name, g.aliases, g.members, g.note) for g in registry.directory.groups],
    )  # fmt: skip
    return marshal.dumps(data)


class BadEntry(ValueError):
    """A cache entry that is not exactly what this registry's YAML gives."""


def load(raw: bytes, name_key: str, source: RegistrySource) -> Registry:
    """The registry in an entry, or BadEntry when anything about it is doubtful."""
    head = len(MAGIC) + KEY_BYTES + DIGEST_BYTES
    if len(raw) < head or not raw.startswith(MAGIC):
        raise BadEntry("not a cache entry")
    stored_key = raw[len(MAGIC) : len(MAGIC) + KEY_BYTES]
    digest, payload = raw[len(MAGIC) + KEY_BYTES : head], raw[head:]
    if stored_key != name_key.encode("ascii"):
        raise BadEntry("an entry of another registry")
    if _digest(payload) != digest:
        raise BadEntry("damaged")
    with collector_paused():
        return _load(payload, source)


def _expect(condition: bool) -> None:
    if not condition:
        raise BadEntry("unexpected content")


def _text(value: Any, *, optional: bool = False) -> Any:
    _expect(type(value) is str or (optional and value is None))
    return value


def _texts(value: Any) -> tuple[str, ...]:
    _expect(type(value) is tuple and all(type(v) is str for v in value))
    return value  # type: ignore[no-any-return]


def _number(value: Any, low: int, high: int) -> int:
    _expect(type(value) is int and low <= value <= high)
    return value  # type: ignore[no-any-return]


def _day_of(value: Any) -> dt.date:
    return dt.date.fromordinal(_number(value, _FIRST_DAY, _LAST_DAY))


def _maybe_day(value: Any) -> dt.date | None:
    return None if value is None else _day_of(value)


def _load(raw: bytes, source: RegistrySource) -> Registry:
    """Rebuild a registry, checking every value's type and range as it goes (the entry may have been
    edited by hand): what comes out is what validation lets through, or BadEntry."""
    data = marshal.loads(raw)
    _expect(type(data) is tuple and len(data) == 5)
    plan_data, parts_data, tasks_data, units_data, groups_data = data
    _expect(type(plan_data) is tuple and len(plan_data) == 6)
    title, number, issuer, issued, year, warn = plan_data
    plan = Plan(_text(title), _text(number), _text(issuer), _day_of(issued), _number(year, MIN_YEAR, MAX_YEAR),
                _number(warn, 0, 366))  # fmt: skip
    single: list[str] = [title, number, issuer]
    prose: list[str] = []
    _expect(type(parts_data) is list)
    parts = []
    for part in parts_data:
        _expect(type(part) is tuple and len(part) == 4 and type(part[2]) is list)
        sections = []
        for section in part[2]:
            _expect(type(section) is tuple and len(section) == 3)
            sections.append(Section(_text(section[0]), _text(section[1]), _text(section[2], optional=True)))
            single += section[:2]
            prose.append(section[2] or "")
        parts.append(Part(_number(part[0], 1, 99), _text(part[1]), tuple(sections), _text(part[3], optional=True)))
        single += [part[1], part[3] or ""]
    section_ids = {s.id for p in parts for s in p.sections}
    _expect(len(section_ids) == sum(len(p.sections) for p in parts))
    _expect(type(tasks_data) is list)
    tasks: list[Task] = []
    due_dates: dict[int, dt.date | None] = {}
    for row in tasks_data:
        _expect(type(row) is tuple and len(row) == 12)
        tid, section, ttl, lead, resp, deadline, due, status, done_on, prov, progress, effective = row
        _expect(section in section_ids and status in STATUSES and type(progress) is list and tid not in due_dates)
        entries = []
        for entry in progress:
            _expect(type(entry) is tuple and len(entry) == 3)
            entries.append(ProgressEntry(_day_of(entry[0]), _text(entry[1]), _text(entry[2], optional=True)))
            single.append(entry[2] or "")
            prose.append(entry[1])
        tasks.append(
            Task(_number(tid, 1, 9_999_999), section, _text(ttl), _texts(lead), _texts(resp), _text(deadline),
                 _maybe_day(due), status, _maybe_day(done_on), _text(prov, optional=True),
                 tuple(entries))
        )  # fmt: skip
        due_dates[tid] = _maybe_day(effective)
        single += [ttl, *lead, *resp, deadline]
        prose.append(prov or "")
    _expect(type(units_data) is list and type(groups_data) is list)
    units = []
    for u in units_data:
        _expect(type(u) is tuple and len(u) == 4 and u[1] in _UNIT_KINDS)
        units.append(Unit(_text(u[0]), u[1], _texts(u[2]), _text(u[3], optional=True)))
        single += [u[0], *u[2]]
        prose.append(u[3] or "")
    groups = []
    for g in groups_data:
        _expect(type(g) is tuple and len(g) == 4)
        members = None if g[2] is None else _texts(g[2])
        groups.append(Group(_text(g[0]), _texts(g[1]), members, _text(g[3], optional=True)))
        single += [g[0], *g[1], *(members or ())]
        prose.append(g[3] or "")
    _expect(_clean("".join(single), one_line=True) and _clean("\n".join(prose), one_line=False))
    return Registry.build(plan, parts, tasks, units, groups, source, due_dates)


def _clean(text: str, *, one_line: bool) -> bool:
    """No character that the text rules refuse (GK601, GK602, GK603, GK606, GK607)."""
    if one_line and LINE_BREAK.search(text):
        return False
    return not (CONTROL.search(text.replace("\r", "")) or ESCAPE_SEQUENCE.search(text) or BIDI.search(text)
                or INVISIBLE.search(text))  # fmt: skip


def fetch(folder: Path | None, name: str, source: RegistrySource) -> Registry | None:
    """The cached registry stored under ``name``, or None (no entry, or one not to be trusted)."""
    if folder is None:
        return None
    try:
        raw = _read_regular(folder / name)
        return load(raw, name.removesuffix(".reg"), source) if raw is not None else None
    except Exception:  # a cache entry is never trusted: any doubt means reading the YAML
        return None


def _read_regular(path: Path) -> bytes | None:
    """The bytes of ``path`` if it is a regular file (not a link, FIFO or device) of bounded size."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_ENTRY_BYTES:
            return None
        raw = handle.read(MAX_ENTRY_BYTES + 1)
    return raw if len(raw) <= MAX_ENTRY_BYTES else None


def store(folder: Path | None, name: str, registry: Registry) -> None:
    if folder is None:
        return
    from gkcli.storage import replace_file

    with contextlib.suppress(OSError, ValueError):
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        replace_file(folder / name, dump(registry, name.removesuffix(".reg")))
        entries = sorted(folder.glob("*.reg"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in entries[KEEP:]:
            old.unlink()


def cached_name(tasks: bytes, units: bytes) -> str:
    return key(tasks, units) + ".reg"
