"""The registry cache: served when the bytes are unchanged, never stale, never required."""

from __future__ import annotations

from pathlib import Path

import pytest

from gkcli.errors import RegistryInvalid
from gkcli.store import cache
from gkcli.store import validate as validation
from gkcli.store.load import load_registry
from gkcli.store.locate import RegistryFolder

from .conftest import Edit


def _source(folder: Path) -> RegistryFolder:
    return RegistryFolder(folder, "option")


def test_a_cached_registry_equals_the_source(data_copy: Path, private_cache: Path) -> None:
    fresh = load_registry(_source(data_copy))
    assert len(list(private_cache.glob("*.reg"))) == 1
    again = load_registry(_source(data_copy))
    assert again.tasks == fresh.tasks
    assert again.due_dates == fresh.due_dates
    assert again.plan == fresh.plan and again.parts == fresh.parts
    assert again.directory.units == fresh.directory.units and again.directory.groups == fresh.directory.groups


def test_the_second_load_does_not_read_the_yaml(data_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    load_registry(_source(data_copy))

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the source was read again")

    monkeypatch.setattr(validation, "inspect_registry", refuse)
    assert len(load_registry(_source(data_copy)).tasks) == 46


def test_an_edit_is_always_seen(data_copy: Path, edit: Edit) -> None:
    load_registry(_source(data_copy))
    edit("tasks.yaml", "    deadline: 7月底前", "    deadline: 8月底前")
    registry = load_registry(_source(data_copy))
    assert registry.tasks_by_id[36].deadline == "8月底前"
    assert registry.due(registry.tasks_by_id[36]).isoformat() == "2022-08-31"


def test_a_damaged_cache_file_is_ignored(data_copy: Path, private_cache: Path) -> None:
    load_registry(_source(data_copy))
    [stored] = private_cache.glob("*.reg")
    stored.write_bytes(b"\x00garbage")
    assert len(load_registry(_source(data_copy)).tasks) == 46


def test_an_invalid_registry_is_never_cached(edit: Edit, private_cache: Path) -> None:
    folder = edit("tasks.yaml", "lead: [县税务局]", "lead: [县税务]")
    with pytest.raises(RegistryInvalid):
        load_registry(_source(folder))
    assert not list(private_cache.glob("*.reg"))


def test_the_cache_can_be_turned_off(data_copy: Path, tmp_path: Path) -> None:
    folder = tmp_path / "c"
    env = {"GKCLI_CACHE_DIR": str(folder), "GKCLI_NO_CACHE": "1"}
    load_registry(_source(data_copy), env)
    assert not folder.exists()


def test_an_unwritable_cache_does_not_matter(data_copy: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert len(load_registry(_source(data_copy), {"GKCLI_CACHE_DIR": str(blocker / "sub")}).tasks) == 46


def test_keys_depend_on_both_files() -> None:
    assert cache.key(b"a", b"b") != cache.key(b"a", b"c")
    assert cache.key(b"ab", b"") != cache.key(b"a", b"b")
