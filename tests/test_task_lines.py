"""A write on a registry the cache knows re-reads only the task it changes, and gives exactly the
bytes (and the registry) that reading and checking the whole file gives."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import os
import random
import shutil
from pathlib import Path

import pytest

import gkcli.store.validate
from gkcli.core.updates import add_progress, change_for, mark_done, record_many, reopen
from gkcli.core.updates import expected_task as expected
from gkcli.domain.records import ProgressEntry
from gkcli.errors import RegistryInvalid, UpdateRefused
from gkcli.store import cache
from gkcli.store.layout import keep_layout
from gkcli.store.layout import layout as layout_of_registry
from gkcli.store.load import load_registry
from gkcli.store.locate import RegistryFolder
from gkcli.store.task_lines import edit_in_place, task_spans
from gkcli.store.yaml_edit import TaskChange
from gkcli.store.yaml_reader import parse_text

from .conftest import DATA

TODAY = dt.date(2022, 12, 31)
D = dt.date


def _folder(path: Path) -> RegistryFolder:
    return RegistryFolder(path, "option")


def _whole_file_reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count the times the whole registry is read and checked."""
    calls: list[int] = []
    real = gkcli.store.validate.inspect_registry

    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(gkcli.store.validate, "inspect_registry", counted)
    return calls


def _twins(tmp_path: Path, text: str | None = None) -> tuple[Path, Path]:
    """Two copies of the shipped registry (with ``text`` as tasks.yaml): one known to the cache."""
    known, unknown = tmp_path / "known", tmp_path / "unknown"
    for folder in (known, unknown):
        shutil.copytree(DATA, folder)
        if text is not None:
            (folder / "tasks.yaml").write_bytes(text.encode("utf-8"))
    load_registry(_folder(known))  # now cached
    return known, unknown


def _apply(folder: Path, step: tuple[str, int, dict[str, object]], *, cached: bool) -> None:
    """One write, with the cache (which knows ``folder``) or without it (the whole file is read)."""
    kind, task_id, options = step
    call = {"done": mark_done, "progress": add_progress, "reopen": reopen}[kind]
    if not cached:
        os.environ["GKCLI_NO_CACHE"] = "1"
    try:
        call(_folder(folder), task_id, as_of=TODAY, **options)  # type: ignore[operator]
    finally:
        os.environ.pop("GKCLI_NO_CACHE", None)


def test_a_write_on_a_cached_registry_reads_the_whole_file_neither_before_nor_after(
    data_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_registry(_folder(data_copy))
    reads = _whole_file_reads(monkeypatch)
    mark_done(_folder(data_copy), 36, as_of=TODAY, on=D(2022, 7, 28), unit="县政府办公室", note="已建成")
    add_progress(_folder(data_copy), 5, as_of=TODAY, on=D(2022, 8, 1), note="已部署: 第一批")
    assert reads == []
    # the written registry is in the cache: the next command reads no YAML either
    registry = load_registry(_folder(data_copy))
    assert reads == []
    assert registry.tasks_by_id[36].status == "done"
    assert [e.note for e in registry.tasks_by_id[5].progress][-1] == "已部署: 第一批"


STEPS: list[tuple[str, int, dict[str, object]]] = [
    ("progress", 1, {"on": D(2022, 8, 1), "note": "已部署"}),
    ("progress", 1, {"on": D(2022, 7, 20), "note": "提前一步 # 不是注释"}),  # goes before the entry above
    ("done", 1, {"on": D(2022, 9, 1)}),
    ("reopen", 1, {"on": D(2022, 9, 2), "note": "需补充: 附件"}),
    ("progress", 46, {"on": D(2022, 10, 1), "note": "'引号' \"双引号\" [方括号]", "link": "https://example.org/a?b=1"}),
    ("done", 36, {"on": D(2022, 7, 28), "unit": "县政府办公室"}),
    ("progress", 12, {"on": D(2022, 11, 11), "note": "多行\n第二行"}),
]


@pytest.mark.parametrize("layout", ["as shipped", "crlf", "flow progress", "trailing key"])
def test_editing_in_place_gives_the_bytes_of_the_whole_file_path(tmp_path: Path, layout: str) -> None:
    text = (DATA / "tasks.yaml").read_text(encoding="utf-8")
    if layout == "crlf":
        text = text.replace("\n", "\r\n")
    elif layout == "flow progress":
        text = text.replace("  - id: 12\n", "  - id: 12\n    progress: []\n", 1)
    elif layout == "trailing key":
        text += "check:\n  ignore: [GK605]\n"
    known, unknown = _twins(tmp_path, text)
    for step in STEPS:
        _apply(known, step, cached=True)
        _apply(unknown, step, cached=False)
        assert (known / "tasks.yaml").read_bytes() == (unknown / "tasks.yaml").read_bytes(), step
    cached = cache.fetch(
        cache.directory(os.environ),
        cache.cached_name((known / "tasks.yaml").read_bytes(), (known / "units.yaml").read_bytes()),
    )
    assert cached is not None
    fresh = load_registry(_folder(unknown), {"GKCLI_NO_CACHE": "1"})
    assert cached.tasks == fresh.tasks and cached.due_dates == fresh.due_dates
    assert layout_of_registry(cached) == layout_of_registry(fresh)


def test_spans_cover_each_task_and_only_it() -> None:
    text = (DATA / "tasks.yaml").read_text(encoding="utf-8")
    doc = parse_text(text, "tasks.yaml")
    spans = task_spans(doc)
    assert spans is not None and len(spans) == 46
    assert all(text[a:b].startswith(f"  - id: {n}\n") for n, (a, b) in enumerate(spans, 1))
    assert all(b == a2 for (_, b), (a2, _) in itertools.pairwise(spans))
    assert spans[-1][1] == len(text)


@pytest.mark.parametrize(
    "change",
    [
        lambda t: t.replace("\ntasks:\n", "\ntasks: [{id: 0}]\nunused:\n", 1),  # a flow-style list
        lambda t: t.replace("\n", "\r", 3),  # old Mac line breaks
    ],
)
def test_unusual_task_lists_have_no_spans(change) -> None:  # type: ignore[no-untyped-def]
    text = change((DATA / "tasks.yaml").read_text(encoding="utf-8"))
    doc = parse_text(text, "tasks.yaml")
    assert doc.data is not None
    assert task_spans(doc) is None


def _entry(folder: Path, only: list[int] | None = None) -> cache.Entry:
    """The cache entry of the registry in ``folder`` (read once, so that it is cached)."""
    load_registry(_folder(folder))
    data = ((folder / "tasks.yaml").read_bytes(), (folder / "units.yaml").read_bytes())
    found = cache.fetch_entry(cache.directory(os.environ), cache.cached_name(*data), only)
    assert found is not None
    return found


@pytest.mark.parametrize("only", [None, [1, 3]])
def test_a_span_that_does_not_hold_its_task_is_not_used(data_copy: Path, only: list[int] | None) -> None:
    text = (data_copy / "tasks.yaml").read_bytes()
    entry = _entry(data_copy, only)
    registry, spans_known = entry.registry, layout_of_registry(entry.registry)
    assert spans_known is not None and len(registry.tasks) == (46 if only is None else 2)
    day = ProgressEntry(D(2022, 8, 1), "x", None, None, "progress", D(2022, 8, 1))
    change = change_for(registry, registry.tasks_by_id[3], [day])
    assert edit_in_place(text, entry, [(3, change)], "tasks.yaml", TODAY, expected) is not None
    # a change that leaves the written status behind the log: a finding, so the whole file decides
    assert edit_in_place(text, entry, [(3, TaskChange(entries=[day]))], "tasks.yaml", TODAY, expected) is None
    first = change_for(registry, registry.tasks_by_id[1], [day])
    cuts = spans_known.cuts
    merged = [cuts[0], cuts[2], cuts[2], *cuts[3:]]  # task 1's span holds tasks 1 and 2, task 2's is empty
    late = [cut + 1 for cut in cuts]  # every span a byte late
    inside = [*cuts[:3], text.index("。".encode(), cuts[2]) + 1, *cuts[4:]]  # task 3's ends inside a character
    for wrong_cuts, task_id, task_change in ((merged, 1, first), (late, 3, change), (inside, 3, change)):
        moved = dataclasses.replace(registry)
        keep_layout(moved, dataclasses.replace(spans_known, cuts=wrong_cuts))
        wrong = dataclasses.replace(entry, registry=moved)
        assert edit_in_place(text, wrong, [(task_id, task_change)], "tasks.yaml", TODAY, expected) is None


def test_a_write_takes_only_its_tasks_from_the_cache(data_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    load_registry(_folder(data_copy))
    asked: list[object] = []
    real = cache.load_entry

    def recorded(raw, key, only=None):  # type: ignore[no-untyped-def]
        asked.append(only)
        return real(raw, key, only)

    monkeypatch.setattr(cache, "load_entry", recorded)
    add_progress(_folder(data_copy), 7, as_of=TODAY, on=D(2022, 8, 1), note="部分读取")
    assert asked == [[7]]
    registry = load_registry(_folder(data_copy), {"GKCLI_NO_CACHE": "1"})
    assert [e.note for e in registry.tasks_by_id[7].progress] == ["部分读取"]


def test_a_date_after_today_anywhere_still_refuses_the_write(data_copy: Path) -> None:
    path = data_copy / "tasks.yaml"
    old = "    deadline: 全年\n    status: not_started\n  - id: 3\n"
    later = (
        "    deadline: 全年\n    status: in_progress\n    progress:\n"
        "      - {on: 2022-12-20, note: 已开展, kind: progress, recorded: 2022-12-20}\n  - id: 3\n"
    )
    path.write_text(path.read_text(encoding="utf-8").replace(old, later, 1), encoding="utf-8")
    registry = load_registry(_folder(data_copy))  # valid (and cached): nothing is later than the real today
    assert registry.tasks_by_id[2].status == "in_progress"
    before = path.read_bytes()
    with pytest.raises(UpdateRefused):  # on 2022-12-01, task 2's entry lies in the future
        add_progress(_folder(data_copy), 3, as_of=D(2022, 12, 1), note="x")
    assert path.read_bytes() == before


@pytest.mark.slow
def test_random_writes_agree_with_the_whole_file_path(tmp_path: Path) -> None:
    known, unknown = _twins(tmp_path)
    pick = random.Random(14)
    for _ in range(25):
        task_id = pick.randint(1, 46)
        kind = pick.choice(["progress", "progress", "done", "reopen"])
        day = D(2022, 7, 13) + dt.timedelta(days=pick.randint(0, 160))
        options: dict[str, object] = {"on": day, "note": pick.choice(["推进中", "已完成第一批: 3 项", "- 列表样"])}
        outcomes = []
        for folder, cached in ((known, True), (unknown, False)):
            try:
                _apply(folder, (kind, task_id, options), cached=cached)
                outcomes.append("ok")
            except Exception as exc:  # the same refusal on both paths
                outcomes.append(type(exc).__name__)
        assert outcomes[0] == outcomes[1]
        assert (known / "tasks.yaml").read_bytes() == (unknown / "tasks.yaml").read_bytes()


# ---- a read after a hand edit ---------------------------------------------------------------

HAND_EDITS = {
    "one title": lambda t: t.replace("积极引导市场预期。", "积极引导社会预期。", 1),
    "two tasks far apart": lambda t: t.replace("deadline: 12月底前", "deadline: 11月底前", 1).replace(
        "    responsible: [成员单位]\n    deadline: 全年", "    responsible: [成员单位]\n    deadline: 10月底前", 1
    ),
    "a progress entry": lambda t: t.replace(
        _task_text(t, 3),
        _task_text(t, 3).replace(
            "status: not_started", "status: in_progress\n    progress:\n      - {on: 2022-08-01, note: 已启动}"
        ),
    ),
    "a task removed": lambda t: t.replace(_task_text(t, 46), "", 1),
    "a task added": lambda t: t + _task_text(t, 46).replace("id: 46", "id: 47"),
    "a comment between tasks": lambda t: t.replace("  - id: 20\n", "  # 第二十项\n  - id: 20\n", 1),
}


def _task_text(text: str, task_id: int) -> str:
    start = text.index(f"  - id: {task_id}\n", text.index("\ntasks:\n"))
    end = text.find("\n  - id: ", start + 1)
    return text[start : len(text) if end < 0 else end + 1]


@pytest.mark.parametrize("name", HAND_EDITS)
def test_a_read_after_a_hand_edit_reads_only_the_changed_tasks(
    data_copy: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    load_registry(_folder(data_copy))  # read once: known to the cache
    path = data_copy / "tasks.yaml"
    path.write_text(HAND_EDITS[name](path.read_text(encoding="utf-8")), encoding="utf-8")
    reads = _whole_file_reads(monkeypatch)
    edited = load_registry(_folder(data_copy))
    assert reads == []
    fresh = load_registry(_folder(data_copy), {"GKCLI_NO_CACHE": "1"})
    assert reads == [1]
    assert (
        edited.tasks == fresh.tasks
        and edited.due_dates == fresh.due_dates
        and layout_of_registry(edited) == layout_of_registry(fresh)
    )
    assert edited.trusted and fresh.trusted  # checked whole, as a fresh reading is: replayed as quickly
    # what it stored is what the next command reads, without any YAML
    again = load_registry(_folder(data_copy))
    assert reads == [1] and again.tasks == fresh.tasks


@pytest.mark.parametrize(
    "change, wanted",
    [
        (lambda t: t.replace("lead: [县财政局]", "lead: [县财政]", 1), "GK301"),  # an unknown unit
        (lambda t: t.replace("  - id: 46\n", "  - id: 45\n", 1), "GK201"),  # an id twice
        (lambda t: t.replace('  - id: 3\n    section: "1.1"', '  - id: 3\n    section: "9.9"', 1), "GK203"),
        (lambda t: t.replace("deadline: 12月底前", "deadline: 下个月", 1), "GK401"),
        (lambda t: t.replace("  - id: 3\n", "  - id: 3\n    id: 3\n", 1), "GK101"),  # a key twice
    ],
)
def test_a_hand_edit_that_breaks_the_registry_is_reported_where_it_is(data_copy: Path, change, wanted: str) -> None:  # type: ignore[no-untyped-def]
    load_registry(_folder(data_copy))
    path = data_copy / "tasks.yaml"
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(RegistryInvalid) as raised:
        load_registry(_folder(data_copy))
    found = [d for d in raised.value.diagnostics if d.severity == "error"]
    assert [d.rule for d in found] == [wanted]
    assert found[0].line > 1 and found[0].line_text  # where it is, as the whole reading says


@pytest.mark.parametrize(
    "change",
    [
        lambda t: t.replace(
            "title: 2022年嵊泗县政务公开工作要点", "title: 2022年嵊泗县政务公开工作要点(修订)", 1
        ),  # the plan
        lambda t: t.replace("\ntasks:\n", "\ntasks:\n  # 任务\n", 1),  # before the first task
        lambda t: t + "check:\n  ignore: [GK605]\n",  # after the list
    ],
)
def test_an_edit_outside_the_tasks_reads_the_whole_file(
    data_copy: Path, monkeypatch: pytest.MonkeyPatch, change
) -> None:  # type: ignore[no-untyped-def]
    load_registry(_folder(data_copy))
    path = data_copy / "tasks.yaml"
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")
    reads = _whole_file_reads(monkeypatch)
    registry = load_registry(_folder(data_copy))
    assert reads == [1]
    assert registry.tasks == load_registry(_folder(data_copy), {"GKCLI_NO_CACHE": "1"}).tasks


@pytest.mark.slow
@pytest.mark.parametrize(
    "copies", [0, pytest.param(12, marks=pytest.mark.slow)]
)  # 46 tasks, or 598: the digests are compared in runs of 16, 64, 256 … tasks from either end
def test_random_hand_edits_read_as_the_whole_file_reads(tmp_path: Path, copies: int) -> None:
    folder = tmp_path / "r"
    shutil.copytree(DATA, folder)
    path = folder / "tasks.yaml"
    shipped = path.read_text(encoding="utf-8")
    path.write_text(shipped + "".join(
        _task_text(shipped, n).replace(f"id: {n}\n", f"id: {46 * copy + n}\n", 1)
        for copy in range(1, copies + 1) for n in range(1, 47)
    ), encoding="utf-8")  # fmt: skip
    pick = random.Random(27)
    load_registry(_folder(folder))
    for _ in range(30):
        text = path.read_text(encoding="utf-8")
        ids = [int(line.split(": ")[1]) for line in text.splitlines() if line.startswith("  - id: ")]
        task_id = pick.choice(ids)
        task = _task_text(text, task_id)
        edits = [
            task.replace("deadline: 全年", "deadline: 9月底前"),
            task.replace(
                "status: not_started", "status: in_progress\n    progress:\n      - {on: 2022-09-01, note: 推进}"
            ),
            task.replace("lead: [", "lead: [县财政局, "),
            "",  # removed
            task + task.replace(f"id: {task_id}\n", f"id: {max(ids) + 1}\n"),  # a copy under a new id
            task.replace("title: ", "title: 调整:"),
        ]
        path.write_text(text.replace(task, pick.choice(edits), 1), encoding="utf-8")
        outcomes = []
        for env in ({}, {"GKCLI_NO_CACHE": "1"}):
            try:
                outcomes.append(load_registry(_folder(folder), {**os.environ, **env}).tasks)
            except RegistryInvalid as exc:
                outcomes.append([d.rule for d in exc.diagnostics])  # type: ignore[arg-type]
        assert outcomes[0] == outcomes[1]


def test_one_write_of_several_tasks_agrees_with_the_whole_file_path(tmp_path: Path) -> None:
    known, unknown = _twins(tmp_path)
    entries = {
        task_id: [
            ProgressEntry(D(2022, 9, day), f"填报 {task_id}", "县财政局", None, "progress", TODAY, f"表:{task_id}")
        ]
        for task_id, day in ((40, 1), (3, 2), (19, 3))
    }
    record_many(_folder(known), entries, TODAY)
    os.environ["GKCLI_NO_CACHE"] = "1"
    try:
        record_many(_folder(unknown), entries, TODAY)
    finally:
        os.environ.pop("GKCLI_NO_CACHE")
    assert (known / "tasks.yaml").read_bytes() == (unknown / "tasks.yaml").read_bytes()
    data = ((known / "tasks.yaml").read_bytes(), (known / "units.yaml").read_bytes())
    cached = cache.fetch(cache.directory(os.environ), cache.cached_name(*data))
    fresh = load_registry(_folder(unknown), {"GKCLI_NO_CACHE": "1"})
    assert (
        cached is not None and cached.tasks == fresh.tasks and layout_of_registry(cached) == layout_of_registry(fresh)
    )


@pytest.mark.parametrize(
    ("change", "validated"),
    [
        (lambda t: t + "# 手工加的注释\n", 0),  # after the last task: it reads as it was
        (lambda t: t.replace("  - id: 20\n", "  - id: 20  # 第二十项\n", 1), 0),
        (lambda t: t.replace("deadline: 全年", 'deadline: "全年"', 1), 0),  # written another way, the same value
        (lambda t: t.replace("deadline: 全年", "deadline: 11月底前", 1), 1),
    ],
)
def test_a_task_whose_lines_read_as_it_was_needs_no_validation(
    data_copy: Path,
    monkeypatch: pytest.MonkeyPatch,
    change,
    validated: int,  # type: ignore[no-untyped-def]
) -> None:
    from gkcli.store import task_lines

    load_registry(_folder(data_copy))
    path = data_copy / "tasks.yaml"
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")
    calls: list[object] = []
    real = task_lines._validated
    monkeypatch.setattr(task_lines, "_validated", lambda item: calls.append(item) or real(item))
    reads = _whole_file_reads(monkeypatch)
    edited = load_registry(_folder(data_copy))
    assert reads == [] and len(calls) == validated
    fresh = load_registry(_folder(data_copy), {"GKCLI_NO_CACHE": "1"})
    assert edited.tasks == fresh.tasks and edited.due_dates == fresh.due_dates
