"""Loading a registry: from the cache when its bytes are unchanged, else read and validated.

Every command loads through :func:`load_registry`, which serves a registry from the
cache when the files' bytes are unchanged and otherwise reads and validates them
(:mod:`gkcli.store.validate`); ``gkcli check`` uses ``validate.inspect_registry`` to see
every problem instead of failing on the first.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Mapping, Sequence
from pathlib import Path

from gkcli.domain.registry import MAX_FILE_BYTES, Registry
from gkcli.errors import GkError, RegistryInvalid, RegistryNotFound, describe_os_error
from gkcli.store import cache
from gkcli.store.files import shown
from gkcli.store.layout import body, layout
from gkcli.store.locate import RegistryFolder


def load_registry(
    folder: RegistryFolder, env: Mapping[str, str] = os.environ, *, only: Collection[int] | None = None
) -> Registry:
    """The registry, or RegistryInvalid when it has any error (warnings do not stop it). With
    ``only``, a registry from the cache may hold just those tasks (when it has them all), with
    every unit and the plan: for a command that needs no other task."""
    contents = _contents(folder)
    cache_dir = cache.directory(env)
    name = cache.cached_name(*contents) if contents is not None else ""
    found = cache.fetch_entry(cache_dir, name, only) if contents is not None else None
    return found.registry if found is not None else _read(folder, contents, cache_dir, name)


def load_registries(folders: Sequence[RegistryFolder], env: Mapping[str, str] = os.environ) -> list[Registry | GkError]:
    """Each registry (as :func:`load_registry` gives it), or the error that stopped it: the plans of a
    workspace, those the cache holds rebuilt together."""
    cache_dir = cache.directory(env)
    contents: list[tuple[bytes, bytes] | GkError | None] = []
    for folder in folders:
        try:
            contents.append(_contents(folder))
        except GkError as exc:
            contents.append(exc)
    names = [cache.cached_name(*c) if isinstance(c, tuple) else "" for c in contents]
    found = iter(cache.fetch_entries(cache_dir, [n for n in names if n]))
    loaded: list[Registry | GkError] = []
    for folder, read, name in zip(folders, contents, names, strict=True):
        entry = next(found) if name else None
        try:
            if isinstance(read, GkError):
                raise read
            loaded.append(entry.registry if entry is not None else _read(folder, read, cache_dir, name))
        except GkError as exc:
            loaded.append(exc)
    return loaded


def _contents(folder: RegistryFolder) -> tuple[bytes, bytes] | None:
    """Both files' bytes, or None when one is over the size limit (then it is read only to say so)."""
    try:
        if max(folder.tasks_path.stat().st_size, folder.units_path.stat().st_size) > MAX_FILE_BYTES:
            return None
        return folder.tasks_path.read_bytes(), folder.units_path.read_bytes()
    except OSError as exc:
        where = Path(exc.filename) if exc.filename else folder.directory
        raise RegistryNotFound(f"无法读取台账 {shown(where)}: {describe_os_error(exc)}") from None


def _read(folder: RegistryFolder, contents: tuple[bytes, bytes] | None, cache_dir: Path | None, name: str) -> Registry:
    """The registry the cache does not hold: re-read where only some tasks changed by hand, else read
    and validated whole; stored for the next command."""
    if contents is not None:
        edited = _edited_by_hand(folder, contents, cache.latest(cache_dir, folder.tasks_path, contents[1]))
        if edited is not None:
            cache.store(cache_dir, name, edited[0], edited[1], (folder.tasks_path, contents[1]))
            return edited[0]
    from gkcli.store.validate import inspect_registry

    registry, diagnostics = inspect_registry(folder, contents=contents)  # the bytes read above, not read again
    if registry is None or any(d.severity == "error" for d in diagnostics):
        raise RegistryInvalid(diagnostics)
    if cache_dir is not None and contents is not None:
        cache.store(cache_dir, name, registry, latest_for=(folder.tasks_path, contents[1]))
    return registry


def _edited_by_hand(
    folder: RegistryFolder, contents: tuple[bytes, bytes], previous: cache.Entry | None
) -> tuple[Registry, tuple[cache.Entry, cache.Edit]] | None:
    """The registry, when tasks.yaml is the file last read from here with some tasks changed by hand:
    only those are read and checked (``task_lines.reread``). None otherwise."""
    if previous is None or layout(previous.registry) is None:
        return None
    from gkcli.store.task_lines import reread

    edited = reread(body(contents[0]), previous.registry, folder.display(folder.tasks_path))
    return None if edited is None else (edited.registry, (previous, edited.edit))
