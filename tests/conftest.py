from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gkcli.cli import app
from gkcli.domain.registry import Registry
from gkcli.store.load import load_registry
from gkcli.store.locate import RegistryFolder

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
Edit = Callable[[str, str, str], Path]  # the `edit` fixture: (file name, old text, new text) -> folder
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(autouse=True)
def private_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test gets its own registry cache, so none reads what another stored."""
    folder = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("GKCLI_CACHE_DIR", str(folder))
    return folder


@pytest.fixture(scope="session")
def registry() -> Registry:
    """The shipped registry of the 2022 plan."""
    return load_registry(RegistryFolder(DATA, "option"))


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped registry folder."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


@pytest.fixture
def edit(data_copy: Path) -> Callable[[str, str, str], Path]:
    """Replace text in one file of the copied registry; returns the folder."""

    def apply(filename: str, old: str, new: str) -> Path:
        path = data_copy / filename
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {filename}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        return data_copy

    return apply


def _build_once() -> None:
    """Typer turns the app into a command from every function's signature at each ``invoke`` (a
    tenth of a second for gkcli's fifty commands, most of the suite's time); the commands do not
    change once registered, so the tests build it once and run that command each time."""
    import functools

    import typer.testing

    build = getattr(typer.testing, "_get_command", None)
    if build is not None:
        typer.testing._get_command = functools.cache(build)  # type: ignore[attr-defined]


_build_once()


class Cli:
    """Runs gkcli in-process with a fixed environment and terminal width, on a copy of the registry."""

    def __init__(self, runner: CliRunner, data: Path) -> None:
        self.runner = runner
        self.env = {"COLUMNS": "200", "NO_COLOR": "1", "GKCLI_DATA": str(data), "GKCLI_TODAY": "2022-10-01"}

    def __call__(self, *args: str, **env: str):  # type: ignore[no-untyped-def]
        merged = {**self.env, **env}
        return self.runner.invoke(app, list(args), env=merged)


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Cli:
    """The command line, run from an empty folder on a private copy of the shipped registry,
    so that no test can write to the repository's data/."""
    copy = tmp_path / "cli-data"
    shutil.copytree(DATA, copy)
    workdir = tmp_path / "cwd"
    workdir.mkdir()
    monkeypatch.chdir(workdir)
    return Cli(CliRunner(), copy)
