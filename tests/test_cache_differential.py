"""A write on a registry the cache knows and the same write on a registry read whole agree, after
any hand edit: the same verdict on reading, the same bytes (or the same refusal) on writing, and a
written file that a whole-file ``gkcli check`` accepts.

The hand edits are drawn at random from edits a person (or a careless tool) makes to a YAML file,
most of them of the kinds that change how the rest of the file parses: document markers,
directives, anchors and aliases, indentation, line endings, byte-order marks, tabs, block
scalars, stray YAML punctuation, lines removed or repeated."""

from __future__ import annotations

import datetime as dt
import os
import random
import shutil
from pathlib import Path

import pytest

from gkcli.core.updates import add_progress
from gkcli.errors import GkError
from gkcli.store.load import load_registry
from gkcli.store.locate import RegistryFolder
from gkcli.store.validate import inspect_registry

from .conftest import DATA

TODAY = dt.date(2022, 12, 31)
BASE = (DATA / "tasks.yaml").read_text(encoding="utf-8")
CASES = 300

# lines a person may leave between tasks (or inside one), at the start of a line
STRAY_LINES = [
    "...", "---", "--- # 第二份", "%YAML 1.1", "%TAG ! tag:example.org,2000:", "# 注释", "  # 注释", "extra: 1",
    "", "\ufeff# 注释", "\t# 注释", "    note: 说明", "  - id: 99", "-", "  -", "...  # 结束", "  ...", "&a", "*a",
    "    progress: []", "    note: |+", "      多行", "    note: >-", "  ? id", "  : 6", "    title: '未闭合",
    '    title: "未闭合', "    lead: [县财政局", "    lead: {县财政局}", "    title: !!str 标题", "    id: !custom 1",
]  # fmt: skip
# characters that mean something to YAML, dropped into a line
STRAY_CHARACTERS = [":", ": ", "#", " #", "'", '"', "[", "]", "{", "}", "&a ", "*a", "!", "|", ">", "%", "@", "`", ",",
                    "- ", "? ", "\t", "\ufeff", "\r", "\u2028", "\x85", "\\"]  # fmt: skip


def _lines_with_ends(text: str) -> list[str]:
    return text.splitlines(keepends=True)


def _mutate(text: str, pick: random.Random) -> str:
    """One random hand edit of ``text``."""
    lines = _lines_with_ends(text)
    task_starts = [n for n, line in enumerate(lines) if line.startswith("  - id: ")]
    kind = pick.randrange(10)
    at = pick.choice(task_starts) if kind < 5 else pick.randrange(len(lines))
    if kind in (0, 5):  # a stray line before a task, or anywhere
        lines.insert(at, pick.choice(STRAY_LINES) + "\n")
    elif kind in (1, 6):  # a stray character in a line
        line = lines[at]
        cut = pick.randrange(len(line))
        lines[at] = line[:cut] + pick.choice(STRAY_CHARACTERS) + line[cut:]
    elif kind == 2:  # an anchor on a task, on its key or on a value, with an alias elsewhere
        lines[at] = pick.choice(["  - &a id: ", "  - &a\n    id: ", "  - id: &a "]) + lines[at][len("  - id: ") :]
        if pick.random() < 0.5:
            other = pick.choice(task_starts)
            lines.insert(other + 1, "    note: *a\n")
    elif kind == 3:  # a task's lines in other line endings, or the whole file
        end = next((n for n in task_starts if n > at), len(lines))
        ending = pick.choice(["\r\n", "\r"])
        span = range(at, end) if pick.random() < 0.7 else range(len(lines))
        for n in span:
            lines[n] = lines[n].rstrip("\n") + ending if lines[n].endswith("\n") else lines[n]
    elif kind == 4:  # a task moved to another indentation, or one of its lines
        end = next((n for n in task_starts if n > at), len(lines))
        shift = pick.choice([-2, -1, 1, 2])
        for n in range(at, end) if pick.random() < 0.5 else [pick.randrange(at, end)]:
            lines[n] = (
                (" " * shift + lines[n]) if shift > 0 else lines[n][-shift:] if lines[n][:2] == "  " else lines[n]
            )
    elif kind == 7:  # a line removed or repeated
        if pick.random() < 0.5:
            del lines[at]
        else:
            lines.insert(at, lines[at])
    elif kind == 8:  # a byte-order mark, at the start or elsewhere
        lines[0 if pick.random() < 0.5 else at] = "\ufeff" + lines[0 if pick.random() < 0.5 else at]
    else:  # a block scalar with kept trailing lines at the end of a task
        end = next((n for n in task_starts if n > at), len(lines))
        lines.insert(
            end, pick.choice(["    note: |+\n      附注\n\n", "    note: >\n      附注\n\n\n", "    note: |\n"])
        )
    return "".join(lines)


def _outcome(action):  # type: ignore[no-untyped-def]
    try:
        action()
        return "ok"
    except GkError as exc:
        return type(exc).__name__


def _as_read(registry):  # type: ignore[no-untyped-def]
    return registry.tasks, registry.due_dates, registry.trusted


def _read_then_write(tmp_path: Path, case: int, edited: str, task_id: int) -> tuple[str, str]:
    """One case: the same hand edit in a registry the cache knew before it and in one read whole;
    the verdicts of a read and of a write on each must agree, and so must the bytes written."""
    known, unknown = tmp_path / f"known{case}", tmp_path / f"unknown{case}"
    for folder in (known, unknown):
        shutil.copytree(DATA, folder)
    load_registry(RegistryFolder(known, "option"))  # the cache knows the file before the edit
    for folder in (known, unknown):
        (folder / "tasks.yaml").write_bytes(edited.encode("utf-8", "surrogatepass"))
    read: list[object] = []  # what each read gave: its tasks, due dates and whether it is trusted
    reads = [
        _outcome(lambda: read.append(_as_read(load_registry(RegistryFolder(known, "option"))))),
        _outcome(
            lambda: read.append(_as_read(load_registry(RegistryFolder(unknown, "option"), {"GKCLI_NO_CACHE": "1"})))
        ),
    ]
    assert reads[0] == reads[1], (case, edited)
    assert len(read) != 2 or read[0] == read[1], (case, edited)

    def write(folder: Path) -> None:
        add_progress(RegistryFolder(folder, "option"), task_id, as_of=TODAY, on=TODAY, note="核对")

    writes = [_outcome(lambda: write(known))]
    os.environ["GKCLI_NO_CACHE"] = "1"
    try:
        writes.append(_outcome(lambda: write(unknown)))
    finally:
        os.environ.pop("GKCLI_NO_CACHE")
    assert writes[0] == writes[1], (case, task_id, edited)
    written = (known / "tasks.yaml").read_bytes()
    assert written == (unknown / "tasks.yaml").read_bytes(), (case, task_id, edited)
    if writes[0] == "ok":
        _, found = inspect_registry(RegistryFolder(known, "option"), as_of=TODAY)
        assert [d for d in found if d.severity == "error"] == [], (case, edited)
    else:
        assert written == edited.encode("utf-8", "surrogatepass")  # a refused write changes nothing
    shutil.rmtree(known)
    shutil.rmtree(unknown)
    return reads[0], writes[0]


@pytest.mark.slow  # 300 cases, each a few reads and writes: about 9 s; CI runs it
def test_cached_and_uncached_writes_agree_after_random_hand_edits(tmp_path: Path) -> None:
    pick = random.Random(18)
    verdicts = set()
    for case in range(CASES):
        edited = BASE
        for _ in range(pick.choice([1, 1, 1, 2, 3])):
            edited = _mutate(edited, pick)
        verdicts.add(_read_then_write(tmp_path, case, edited, pick.randint(1, 46)))
    # the edits reached both verdicts: some left a valid registry that took the write, some broke it
    assert ("ok", "ok") in verdicts and ("RegistryInvalid", "RegistryInvalid") in verdicts


@pytest.mark.parametrize(
    "insert",
    ["...\n", "--- \n", "%YAML 1.1\n---\n", "\ufeff# x\n", "extra: 1\n", "    note: |+\n      x\n\n\n"],
)
def test_a_line_that_changes_how_the_rest_parses_is_never_read_on_its_own(tmp_path: Path, insert: str) -> None:
    folder = tmp_path / "r"
    shutil.copytree(DATA, folder)
    load_registry(RegistryFolder(folder, "option"))
    path = folder / "tasks.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\n  - id: 7\n", "\n" + insert + "  - id: 7\n", 1), encoding="utf-8")
    verdicts = []
    for env in ({}, {"GKCLI_NO_CACHE": "1"}):
        verdicts.append(
            _outcome(lambda env=env: load_registry(RegistryFolder(folder, "option"), {**os.environ, **env}))
        )
    assert verdicts[0] == verdicts[1]
