"""The registry cache: served when the bytes are unchanged, never stale, never required."""

from __future__ import annotations

import typing
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


def test_every_cached_record_is_assembled_slot_by_slot_as_its_init_would() -> None:
    """The cache fills a record's slots one column at a time instead of calling ``__init__``:
    that is only the same when the slots are the fields, in order, and nothing runs after init."""
    import dataclasses

    from gkcli.domain.records import hints

    seen: set[type] = set()
    todo = list(cache._RECORDS)
    while todo:
        record = todo.pop()
        if record in seen:
            continue
        seen.add(record)
        assert record.__slots__ == tuple(f.name for f in dataclasses.fields(record)), record
        assert not hasattr(record, "__post_init__") and record.__dataclass_params__.frozen, record
        for annotation in hints(record).values():
            todo += [a for a in _inner_types(annotation) if dataclasses.is_dataclass(a)]
    assert len(seen) > len(cache._RECORDS)  # nested records (sections, progress entries) included


def _inner_types(annotation: object) -> list[object]:
    return [annotation, *(t for a in typing.get_args(annotation) for t in _inner_types(a))]


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


def test_a_large_registry_is_keyed_by_another_hash_of_the_same_length() -> None:
    import hashlib

    large = b"x" * cache.HARDWARE_HASH_BYTES
    keys = {cache.key(large, b"u"), cache.key(large + b"y", b"u"), cache.key(large, b"v"), cache.key(b"x", b"u")}
    assert len(keys) == 4 and {len(k) for k in keys} == {cache.KEY_BYTES}
    assert all(int(k, 16) >= 0 for k in keys)
    head = f"gkcli {cache.__version__} cache {cache.layout()}".encode()
    expected = hashlib.sha256()
    for part in (head, large, b"u"):
        expected.update(len(part).to_bytes(8, "little") + part)
    assert cache.key(large, b"u") == expected.hexdigest()[: cache.KEY_BYTES]


@pytest.mark.parametrize(
    ("text", "clean"),
    [
        ("推进政务公开", True),
        ("𠀀字", True),
        ("推进\U000e0041公开", False),
        ("推进\u200b公开", False),
        ("a\ud800", False),
    ],
)
def test_stored_text_is_checked_beyond_the_basic_plane_too(text: str, clean: bool) -> None:
    """Text beyond the BMP switches the check to the full classes: an invisible tag character is
    found there as surely as a zero-width space in the BMP."""
    from gkcli.text import beyond_bmp

    assert beyond_bmp(text) == any(ord(c) > 0xFFFF for c in text)
    for prose in (False, True):
        texts = cache._Texts()
        (texts.prose if prose else texts.one_line).append(text)
        assert texts.clean() is clean


def _pieces(folder: Path, cache_dir: Path) -> list[bytes]:
    """The stored pieces of the entry for the registry in ``folder`` now."""
    name = cache.cached_name((folder / "tasks.yaml").read_bytes(), (folder / "units.yaml").read_bytes())
    stored = cache.Stored((cache_dir / name).read_bytes(), name.removesuffix(".reg"))
    return [bytes(p.payload) for p in stored.pieces]


def test_a_write_reads_and_stores_again_only_the_piece_holding_its_task(
    data_copy: Path, private_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import datetime as dt

    from gkcli.core.updates import add_progress

    monkeypatch.setattr(cache, "PIECE_TASKS", 10)  # the 46 tasks in five pieces: 1-10, 11-20 … 41-46
    load_registry(_source(data_copy))
    before = _pieces(data_copy, private_cache)
    assert len(before) == 5
    checked: list[int] = []
    real = cache.Stored.loaded
    monkeypatch.setattr(cache.Stored, "loaded", lambda self, index: checked.append(index) or real(self, index))
    add_progress(_source(data_copy), 23, as_of=dt.date(2022, 9, 1), on=dt.date(2022, 8, 1), note="第三段")
    assert set(checked) == {2}  # task 23 is in the third piece; no other piece was even checked
    after = _pieces(data_copy, private_cache)
    assert [a == b for a, b in zip(before, after, strict=True)] == [True, True, False, True, True]
    cached, fresh = load_registry(_source(data_copy)), load_registry(_source(data_copy), {"GKCLI_NO_CACHE": "1"})
    assert cached.tasks == fresh.tasks and cached.due_dates == fresh.due_dates
    assert [e.note for e in cached.tasks_by_id[23].progress][-1] == "第三段"


def test_a_task_added_by_hand_at_the_end_leaves_the_earlier_pieces_as_stored(
    data_copy: Path, private_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache, "PIECE_TASKS", 10)
    load_registry(_source(data_copy))
    before = _pieces(data_copy, private_cache)
    path = data_copy / "tasks.yaml"
    text = path.read_text(encoding="utf-8")
    last = text[text.rindex("\n  - id: 46\n") + 1 :]
    path.write_text(text + last.replace("id: 46", "id: 47", 1), encoding="utf-8")
    cached = load_registry(_source(data_copy))
    after = _pieces(data_copy, private_cache)
    assert after[:4] == before[:4] and after[4] != before[4] and len(cached.tasks) == 47
    fresh = load_registry(_source(data_copy), {"GKCLI_NO_CACHE": "1"})
    assert load_registry(_source(data_copy)).tasks == fresh.tasks


def test_plans_read_together_are_each_what_it_reads_alone(
    tmp_path: Path, private_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    from gkcli.errors import GkError
    from gkcli.store.load import load_registries

    from .conftest import DATA

    folders = []
    for n in range(4):
        folder = tmp_path / f"p{n}"
        shutil.copytree(DATA, folder)
        path = folder / "tasks.yaml"
        path.write_text(path.read_text(encoding="utf-8").replace("deadline: 全年", f"deadline: {n + 8}月底前", 1))
        folders.append(folder)
        load_registry(_source(folder))  # now cached
    (folders[3] / "units.yaml").unlink()
    damaged = _entry_path(folders[1], private_cache)
    damaged.write_bytes(damaged.read_bytes()[:-5] + b"xxxxx")  # its last piece no longer matches its digest
    rebuilt: list[int] = []
    real = cache._rebuild
    monkeypatch.setattr(
        cache, "_rebuild", lambda storeds, only=None: rebuilt.append(len(storeds)) or real(storeds, only)
    )
    read = load_registries([_source(f) for f in folders])
    assert rebuilt[0] == 3  # the three cached entries rebuilt together (then, one damaged, each alone)
    assert isinstance(read[3], GkError) and "units.yaml" in read[3].message
    for folder, registry in zip(folders[:3], read[:3], strict=True):
        fresh = load_registry(_source(folder), {"GKCLI_NO_CACHE": "1"})
        assert not isinstance(registry, GkError)
        assert registry.tasks == fresh.tasks and registry.due_dates == fresh.due_dates and registry.trusted
    assert [r.tasks[0].deadline for r in read[:3]] == ["8月底前", "9月底前", "10月底前"]  # type: ignore[union-attr]


def _entry_path(folder: Path, cache_dir: Path) -> Path:
    return cache_dir / cache.cached_name((folder / "tasks.yaml").read_bytes(), (folder / "units.yaml").read_bytes())
