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
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import marshal
from collections.abc import Mapping
from pathlib import Path

from gkcli import __version__
from gkcli.domain import Group, Part, Plan, ProgressEntry, Section, Task, Unit
from gkcli.registry import Registry, RegistrySource, collector_paused

FORMAT = 1
KEEP = 16  # cached registries kept; older ones are removed when a new one is stored


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


def dump(registry: Registry) -> bytes:
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


def load(raw: bytes, source: RegistrySource) -> Registry:
    with collector_paused():
        return _load(raw, source)


def _load(raw: bytes, source: RegistrySource) -> Registry:
    plan_data, parts_data, tasks_data, units_data, groups_data = marshal.loads(raw)
    title, number, issuer, issued, year, warn = plan_data
    plan = Plan(title, number, issuer, dt.date.fromordinal(issued), year, warn)
    parts = [Part(i, t, tuple(Section(*s) for s in sections), a) for i, t, sections, a in parts_data]
    tasks: list[Task] = []
    due_dates: dict[int, dt.date | None] = {}
    for tid, section, ttl, lead, resp, deadline, due, status, done_on, prov, progress, effective in tasks_data:
        entries = tuple(ProgressEntry(dt.date.fromordinal(on), note, unit) for on, note, unit in progress)
        tasks.append(Task(tid, section, ttl, lead, resp, deadline, _date(due), status, _date(done_on), prov, entries))
        due_dates[tid] = _date(effective)
    units = [Unit(*u) for u in units_data]
    groups = [Group(*g) for g in groups_data]
    return Registry.build(plan, parts, tasks, units, groups, source, due_dates)


def fetch(folder: Path | None, name: str, source: RegistrySource) -> Registry | None:
    if folder is None:
        return None
    try:
        raw = (folder / name).read_bytes()
        return load(raw, source)
    except (OSError, ValueError, EOFError, TypeError):
        return None


def store(folder: Path | None, name: str, registry: Registry) -> None:
    if folder is None:
        return
    from gkcli.storage import replace_file

    with contextlib.suppress(OSError, ValueError):
        folder.mkdir(parents=True, exist_ok=True)
        replace_file(folder / name, dump(registry))
        entries = sorted(folder.glob("*.reg"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in entries[KEEP:]:
            old.unlink()


def cached_name(tasks: bytes, units: bytes) -> str:
    return key(tasks, units) + ".reg"
