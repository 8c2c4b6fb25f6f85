from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from gkcli.core.updates import add_progress, init_registry, mark_done, reopen
from gkcli.errors import BadValue, GkError, ReadOnlyRegistry, TaskNotFound, UnknownUnit
from gkcli.store.load import load_registry
from gkcli.store.locate import RegistryFolder, locate

D = dt.date
TODAY = D(2022, 9, 25)


def _source(folder: Path) -> RegistryFolder:
    return RegistryFolder(folder, "option")


def _changed_lines(before: str, after: str) -> set[int]:
    """Line numbers (1-based, in ``before``) that the change touches."""
    touched: set[int] = set()
    matcher = difflib.SequenceMatcher(a=before.splitlines(keepends=True), b=after.splitlines(keepends=True))
    for tag, i1, i2, _, _ in matcher.get_opcodes():
        if tag != "equal":
            touched.update(range(i1 + 1, max(i2, i1 + 1) + 1))
    return touched


def _task_lines(text: str, task_id: int) -> range:
    lines = text.splitlines()
    start = lines.index(f"  - id: {task_id}") + 1
    end = start
    while end < len(lines) and not lines[end].startswith("  - id:") and not lines[end].startswith("  # ----"):
        end += 1
    return range(start, end + 2)  # the line after the task may receive appended lines


def test_done_changes_only_the_task(data_copy: Path) -> None:
    before = (data_copy / "tasks.yaml").read_text(encoding="utf-8")
    result = mark_done(_source(data_copy), 36, as_of=TODAY, on=D(2022, 7, 28), unit="县政府办公室", note="已建成")
    after = (data_copy / "tasks.yaml").read_text(encoding="utf-8")
    assert result.status == "done" and result.done_on == D(2022, 7, 28)
    assert _changed_lines(before, after) <= set(_task_lines(before, 36))
    registry = load_registry(_source(data_copy))
    task = registry.tasks_by_id[36]
    assert (task.status, task.done_on) == ("done", D(2022, 7, 28))
    assert [(e.on, e.unit, e.note) for e in task.progress] == [(D(2022, 7, 28), "县政府办公室", "已建成")]


def test_progress_then_done_then_reopen(data_copy: Path) -> None:
    source = _source(data_copy)
    add_progress(source, 4, as_of=TODAY, note="起草", on=D(2022, 8, 1), unit="县发展和改革局")
    assert load_registry(source).tasks_by_id[4].status == "in_progress"
    add_progress(source, 4, as_of=TODAY, note="征求意见")
    mark_done(source, 4, as_of=TODAY)
    reopen(source, 4, as_of=TODAY, note="复查未通过")
    task = load_registry(source).tasks_by_id[4]
    assert task.status == "in_progress" and task.done_on is None
    assert [(e.note, e.kind) for e in task.progress] == [
        ("起草", "progress"),
        ("征求意见", "progress"),
        ("已完成", "done"),
        ("复查未通过", "reopen"),
    ]
    mark_done(source, 4, as_of=TODAY)
    assert load_registry(source).tasks_by_id[4].done_on == TODAY


def test_notes_that_yaml_would_misread_survive(data_copy: Path) -> None:
    source = _source(data_copy)
    notes = ["no", "010", "1:30", "2022-01-01", "a: b", "#x", "- y", "[z]", "引号\"与'撇号", "~", "@at", "  padded  "]
    for note in notes:
        add_progress(source, 5, as_of=TODAY, note=note)
    assert [e.note for e in load_registry(source).tasks_by_id[5].progress] == [n.strip() for n in notes]


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda s: mark_done(s, 99, as_of=TODAY), TaskNotFound),
        (lambda s: mark_done(s, 36, as_of=TODAY, unit="县财政"), UnknownUnit),
        (lambda s: mark_done(s, 36, as_of=TODAY, on=D(2022, 7, 1)), BadValue),  # before the plan was issued
        (lambda s: mark_done(s, 36, as_of=TODAY, on=D(2022, 9, 26)), BadValue),  # in the future
        (lambda s: add_progress(s, 36, as_of=TODAY, note="   "), BadValue),
        (lambda s: add_progress(s, 36, as_of=TODAY, note=None), BadValue),
        (lambda s: add_progress(s, 36, as_of=TODAY, note="x", link="javascript:alert(1)"), BadValue),
        (lambda s: reopen(s, 36, as_of=TODAY), BadValue),  # not done
        (lambda s: add_progress(s, 36, as_of=TODAY, note="\x1b[31m红字"), BadValue),
    ],
)
def test_bad_input_leaves_the_file_untouched(data_copy: Path, call, error: type[GkError]) -> None:  # type: ignore[no-untyped-def]
    path = data_copy / "tasks.yaml"
    before = path.read_bytes()
    with pytest.raises(error):
        call(_source(data_copy))
    assert path.read_bytes() == before


def test_done_twice_is_refused(data_copy: Path) -> None:
    source = _source(data_copy)
    mark_done(source, 36, as_of=TODAY)
    before = (data_copy / "tasks.yaml").read_bytes()
    with pytest.raises(BadValue, match="已于"):
        mark_done(source, 36, as_of=TODAY)
    assert (data_copy / "tasks.yaml").read_bytes() == before


def test_the_bundled_registry_is_never_written(tmp_path: Path) -> None:
    source = locate(None, {}, tmp_path)
    assert source.origin == "bundled"
    before = source.tasks_path.read_bytes()
    with pytest.raises(ReadOnlyRegistry, match="内置台账"):
        mark_done(source, 36, as_of=TODAY)
    assert source.tasks_path.read_bytes() == before


def test_init_copies_and_never_overwrites(tmp_path: Path) -> None:
    target = tmp_path / "work" / "data"
    copied = init_registry(target)
    assert [p.name for p in copied] == ["tasks.yaml", "units.yaml", "tasks.schema.json", "units.schema.json"]
    assert load_registry(_source(target)).plan.year == 2022
    first_line = (target / "tasks.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first_line.endswith("$schema=tasks.schema.json")  # the editor hint points at a file that is there
    (target / "tasks.yaml").write_text("mine", encoding="utf-8")
    with pytest.raises(BadValue, match="不会覆盖"):
        init_registry(target)
    assert (target / "tasks.yaml").read_text(encoding="utf-8") == "mine"


def test_permissions_bom_and_crlf_are_kept(data_copy: Path) -> None:
    path = data_copy / "tasks.yaml"
    text = path.read_text(encoding="utf-8").replace("\n", "\r\n")
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    path.chmod(0o640)
    mark_done(_source(data_copy), 36, as_of=TODAY)
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert path.stat().st_mode & 0o777 == 0o640
    assert not list(data_copy.glob(".tasks.yaml.*.tmp"))


def test_an_update_that_would_break_the_registry_writes_nothing(data_copy: Path) -> None:
    path = data_copy / "tasks.yaml"
    # a registry that is already invalid is refused before any edit
    path.write_text(path.read_text(encoding="utf-8").replace("lead: [县税务局]", "lead: [县税务]"), encoding="utf-8")
    before = path.read_bytes()
    with pytest.raises(GkError):
        mark_done(_source(data_copy), 36, as_of=TODAY)
    assert path.read_bytes() == before


WRITER = """
import datetime as dt, sys
from pathlib import Path
from gkcli.store.locate import RegistryFolder
from gkcli.core.updates import add_progress
folder, task, note = sys.argv[1], int(sys.argv[2]), sys.argv[3]
add_progress(RegistryFolder(Path(folder), "option"), task, as_of=dt.date(2022, 9, 25), note=note)
"""


@pytest.mark.slow
def test_twenty_concurrent_writers_all_land(data_copy: Path) -> None:
    tasks = list(range(1, 21))
    procs = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(data_copy), str(t), f"并发{t}"], stderr=subprocess.PIPE)
        for t in tasks
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err.decode()
    registry = load_registry(_source(data_copy))
    for t in tasks:
        assert [e.note for e in registry.tasks_by_id[t].progress] == [f"并发{t}"]
        assert registry.tasks_by_id[t].status == "in_progress"


LOOPING_WRITER = """
import datetime as dt, hashlib, sys
from pathlib import Path
import gkcli.core.updates as updates
from gkcli.store.locate import RegistryFolder
folder, log = Path(sys.argv[1]), sys.argv[2]
real = updates.replace_file
def logged(path, data):
    with open(log, "a") as handle:
        handle.write(hashlib.sha256(data).hexdigest() + "\\n")
    real(path, data)
updates.replace_file = logged
source = RegistryFolder(folder, "option")
n = 0
while True:
    n += 1
    updates.add_progress(source, 1 + n % 46, as_of=dt.date(2022, 12, 31), note=f"第{n}次")
"""


@pytest.mark.slow
def test_a_killed_writer_never_leaves_a_broken_file(data_copy: Path, tmp_path: Path) -> None:
    path = data_copy / "tasks.yaml"
    log = tmp_path / "written.log"
    log.write_text(hashlib.sha256(path.read_bytes()).hexdigest() + "\n")
    rng = random.Random(20220712)
    for _ in range(12):
        proc = subprocess.Popen([sys.executable, "-c", LOOPING_WRITER, str(data_copy), str(log)])
        time.sleep(rng.uniform(0.3, 1.2))
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        assert digest in log.read_text().split(), "the file is neither an old nor a new version"
        load_registry(_source(data_copy))  # and it is valid
    assert len(log.read_text().split()) > 12  # updates did happen between the kills
