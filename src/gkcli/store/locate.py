"""Which registry folder a command uses, and where its two files are."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from gkcli.errors import RegistryNotFound
from gkcli.store.files import shown

TASKS_FILE = "tasks.yaml"
UNITS_FILE = "units.yaml"


@dataclass(frozen=True)
class RegistryFolder:
    """Where a registry's two files are, and why that folder was chosen."""

    directory: Path
    origin: str  # "option" (--data), "env" ($GKCLI_DATA), "cwd" (./data), "bundled", "path"
    tasks_path: Path = field(init=False)
    units_path: Path = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "tasks_path", self.directory / TASKS_FILE)
        object.__setattr__(self, "units_path", self.directory / UNITS_FILE)

    def display(self, path: Path) -> str:
        """A path as diagnostics name it: relative to the working folder when inside it."""
        try:
            return os.path.relpath(path)
        except ValueError:  # pragma: no cover - another drive on Windows
            return str(path)


ENV_DATA = "GKCLI_DATA"


def bundled_directory() -> Path:
    """The copy of the registry installed with the package (package data beside the code: a file
    path, as every installer gkcli supports lays it out)."""
    return Path(__file__).resolve().parent.parent / "data"


def locate(data_dir: Path | None, env: Mapping[str, str], cwd: Path) -> RegistryFolder:
    """The registry to use: ``--data``, then ``$GKCLI_DATA``, then ``./data``, then the bundled one."""
    if data_dir is not None:
        return _checked(data_dir, "option", "--data")
    if env.get(ENV_DATA):
        return _checked(Path(env[ENV_DATA]), "env", f"${ENV_DATA}")
    local = cwd / "data"
    if (local / TASKS_FILE).is_file():
        return RegistryFolder(local, "cwd")
    return _checked(bundled_directory(), "bundled", "安装包内置台账")


def locate_path(path: Path) -> RegistryFolder:
    """A registry named on the command line (``gkcli check PATH``): a folder or one of its two files."""
    return _checked(path, "path", "")


def _checked(directory: Path, origin: str, how: str) -> RegistryFolder:
    by = f"(由 {how} 指定)" if how else ""
    if not str(directory).strip():
        raise RegistryNotFound(f"台账文件夹不能为空{by}", hint="请给出包含 tasks.yaml 和 units.yaml 的文件夹")
    if directory.is_file() and directory.name in (TASKS_FILE, UNITS_FILE):
        directory = directory.parent
    if not directory.is_dir():
        raise RegistryNotFound(
            f"找不到台账文件夹 {shown(directory)}{by}", hint="请给出包含 tasks.yaml 和 units.yaml 的文件夹"
        )
    source = RegistryFolder(directory, origin)
    for path in (source.tasks_path, source.units_path):
        if not path.is_file():
            raise RegistryNotFound(
                f"{shown(directory)} 中没有 {path.name}{by}", hint="可运行 gkcli --data DIR 指定台账文件夹"
            )
    return source
