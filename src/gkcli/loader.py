"""Finding the registry, reading it safely and validating it.

Every command loads through :func:`load_registry`, which serves a registry from the
cache when the files' bytes are unchanged and otherwise reads and validates them
(:mod:`gkcli.validation`); ``gkcli check`` uses ``validation.inspect_registry`` to see
every problem instead of failing on the first.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from importlib import resources
from pathlib import Path

from gkcli import cache
from gkcli.errors import RegistryInvalid, RegistryNotFound, describe_os_error
from gkcli.registry import MAX_FILE_BYTES, TASKS_FILE, UNITS_FILE, Registry, RegistrySource
from gkcli.storage import shown

ENV_DATA = "GKCLI_DATA"


def bundled_directory() -> Path:
    """The copy of the registry installed with the package."""
    return Path(str(resources.files("gkcli") / "data"))


def locate(data_dir: Path | None, env: Mapping[str, str], cwd: Path) -> RegistrySource:
    """The registry to use: ``--data``, then ``$GKCLI_DATA``, then ``./data``, then the bundled one."""
    if data_dir is not None:
        return _checked(data_dir, "option", "--data")
    if env.get(ENV_DATA):
        return _checked(Path(env[ENV_DATA]), "env", f"${ENV_DATA}")
    local = cwd / "data"
    if (local / TASKS_FILE).is_file():
        return RegistrySource(local, "cwd")
    return _checked(bundled_directory(), "bundled", "安装包内置台账")


def locate_path(path: Path) -> RegistrySource:
    """A registry named on the command line (``gkcli check PATH``): a folder or one of its two files."""
    return _checked(path, "path", "")


def _checked(directory: Path, origin: str, how: str) -> RegistrySource:
    by = f"(由 {how} 指定)" if how else ""
    if not str(directory).strip():
        raise RegistryNotFound(f"台账文件夹不能为空{by}", hint="请给出包含 tasks.yaml 和 units.yaml 的文件夹")
    if directory.is_file() and directory.name in (TASKS_FILE, UNITS_FILE):
        directory = directory.parent
    if not directory.is_dir():
        raise RegistryNotFound(
            f"找不到台账文件夹 {shown(directory)}{by}", hint="请给出包含 tasks.yaml 和 units.yaml 的文件夹"
        )
    source = RegistrySource(directory, origin)
    for path in (source.tasks_path, source.units_path):
        if not path.is_file():
            raise RegistryNotFound(
                f"{shown(directory)} 中没有 {path.name}{by}", hint="可运行 gkcli --data DIR 指定台账文件夹"
            )
    return source


def load_registry(source: RegistrySource, env: Mapping[str, str] = os.environ) -> Registry:
    """The registry, or RegistryInvalid when it has any error (warnings do not stop it)."""
    contents: tuple[bytes, bytes] | None = None
    folder, name = None, ""
    try:
        if max(source.tasks_path.stat().st_size, source.units_path.stat().st_size) <= MAX_FILE_BYTES:
            contents = (source.tasks_path.read_bytes(), source.units_path.read_bytes())
            folder, name = cache.directory(env), cache.cached_name(*contents)
            found = cache.fetch(folder, name, source)
            if found is not None:
                return found
    except OSError as exc:
        raise RegistryNotFound(f"无法读取台账 {shown(source.directory)}: {describe_os_error(exc)}") from None
    from gkcli.validation import inspect_registry

    registry, diagnostics = inspect_registry(source, contents=contents)  # the bytes read above, not read again
    if registry is None or any(d.severity == "error" for d in diagnostics):
        raise RegistryInvalid(diagnostics)
    if folder is not None:
        cache.store(folder, name, registry)
    return registry
