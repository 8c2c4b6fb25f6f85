"""Recording work in the registry: done, progress, reopen, and starting a working copy.

Every update runs under the folder's write lock, re-reads tasks.yaml, edits only
the lines of its task, checks the whole registry as it would be, and only then
replaces the file atomically. An update that would make the registry invalid,
or that cannot be made without touching other lines, writes nothing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from gkcli.diagnostics import Diagnostic
from gkcli.domain import STATUS_LABELS, ProgressEntry, Status, Task
from gkcli.errors import BadValue, GkError, RegistryInvalid
from gkcli.loader import bundled_directory
from gkcli.queries import find_task
from gkcli.registry import TASKS_FILE, UNITS_FILE, Registry, RegistrySource
from gkcli.source import SourceMap, decode
from gkcli.storage import locked, remove_stale_temporaries, replace_file
from gkcli.validation import inspect_registry
from gkcli.yamledit import CannotEdit, NewEntry, TaskChange, edit_task

BOM = b"\xef\xbb\xbf"


class ReadOnlyRegistry(GkError):
    """The registry installed with the package is never written."""


class UpdateRefused(RegistryInvalid):
    """The update would leave the registry invalid; nothing was written."""

    def __init__(self, diagnostics: Sequence[Diagnostic]) -> None:
        super().__init__(diagnostics)
        self.message = "这次更新会让台账出错,已放弃,文件未改动"
        self.hint = None


@dataclass(frozen=True)
class UpdateResult:
    task_id: int
    status: Status
    done_on: dt.date | None
    entry: NewEntry | None
    path: Path


def ensure_writable(source: RegistrySource) -> None:
    bundled = bundled_directory()
    same = not bundled.is_symlink() and source.directory.resolve() == bundled.resolve()
    if source.origin == "bundled" or same:
        raise ReadOnlyRegistry(
            "不能修改随软件安装的内置台账",
            hint="先运行 gkcli init 台账目录 复制一份,再用 gkcli --data 台账目录 done … 登记(或设置 GKCLI_DATA)",
        )


def _checked_date(registry: Registry, on: dt.date, as_of: dt.date, what: str) -> dt.date:
    issued = registry.plan.issued_on
    if on < issued:
        raise BadValue(f"{what} {on.isoformat()} 早于要点印发日期 {issued.isoformat()}")
    if on > as_of:
        raise BadValue(f"{what} {on.isoformat()} 晚于今天 {as_of.isoformat()}", hint="不能登记未来的日期")
    return on


def _checked_note(note: str | None, *, required: bool) -> str | None:
    if note is None:
        if required:
            raise BadValue("请用 --note 写明进展情况")
        return None
    cleaned = note.strip()
    if not cleaned:
        raise BadValue("进展说明不能为空")
    return cleaned


def _checked_unit(registry: Registry, unit: str | None) -> str | None:
    return None if unit is None else registry.directory.resolve(unit).name


def _after_last_entry(task: Task, on: dt.date) -> None:
    if task.progress and on < task.progress[-1].on:
        last = task.progress[-1].on.isoformat()
        raise BadValue(
            f"进展日期 {on.isoformat()} 早于任务 {task.id} 最近一条记录({last})",
            hint="进展记录按日期从早到晚排列;补记更早的进展请直接编辑 tasks.yaml",
        )


def _expected(task: Task, change: TaskChange) -> Task:
    """The task as the change should leave it, to compare with what the edited file says."""
    update: dict[str, object] = {}
    if change.status is not None:
        update["status"] = change.status
    if change.done_on is not None:
        update["done_on"] = change.done_on
    if change.drop_done_on:
        update["done_on"] = None
    entries = tuple(ProgressEntry(on=e.on, note=e.note, unit=e.unit) for e in change.entries)
    update["progress"] = (*task.progress, *entries)
    return dataclasses.replace(task, **update)  # type: ignore[arg-type]


def _update(source: RegistrySource, task_id: int, decide: Callable[[Registry, Task], TaskChange]) -> UpdateResult:
    ensure_writable(source)
    path = source.tasks_path
    with locked(source.directory):
        remove_stale_temporaries(path)
        raw = path.read_bytes()
        text, problems = decode(raw, SourceMap(source.display(path)))
        if text is None:
            raise RegistryInvalid(problems)
        registry, diagnostics = inspect_registry(source, tasks_text=text)
        if registry is None or any(d.severity == "error" for d in diagnostics):
            raise RegistryInvalid(diagnostics)
        task = find_task(registry, task_id)
        change = decide(registry, task)
        new_text = edit_task(text, task_id, change)
        after, found = inspect_registry(source, tasks_text=new_text)
        if after is None or any(d.severity == "error" for d in found):
            raise UpdateRefused([d for d in found if d.severity == "error"])
        expected = _expected(task, change)
        unchanged = [t for t in registry.tasks if t.id != task_id]
        if after.tasks_by_id.get(task_id) != expected or [t for t in after.tasks if t.id != task_id] != unchanged:
            raise CannotEdit(f"无法在不影响其他内容的情况下修改任务 {task_id},文件未改动", hint="请手工编辑 tasks.yaml")
        replace_file(path, (BOM if raw.startswith(BOM) else b"") + new_text.encode("utf-8"))
    return UpdateResult(
        task_id, expected.status, expected.done_on, change.entries[-1] if change.entries else None, path
    )


def mark_done(
    source: RegistrySource,
    task_id: int,
    *,
    as_of: dt.date,
    on: dt.date | None = None,
    note: str | None = None,
    unit: str | None = None,
) -> UpdateResult:
    """Close a task: status done, its completion date, and a progress entry."""

    def decide(registry: Registry, task: Task) -> TaskChange:
        if task.status == "done":
            when = task.done_on.isoformat() if task.done_on else "此前"
            raise BadValue(f"任务 {task_id} 已于 {when} 完成", hint=f"如需重新打开: gkcli reopen {task_id}")
        day = _checked_date(registry, on or as_of, as_of, "完成日期")
        _after_last_entry(task, day)
        text = _checked_note(note, required=False) or "已完成"
        entry = NewEntry(day, text, _checked_unit(registry, unit))
        return TaskChange(status="done", done_on=day, entries=[entry])

    return _update(source, task_id, decide)


def add_progress(
    source: RegistrySource,
    task_id: int,
    *,
    as_of: dt.date,
    note: str | None,
    on: dt.date | None = None,
    unit: str | None = None,
    status: Status | None = None,
) -> UpdateResult:
    """Append a progress entry; a task not started becomes in progress unless ``status`` says otherwise."""

    def decide(registry: Registry, task: Task) -> TaskChange:
        if status == "done":
            raise BadValue("登记完成请用 gkcli done", hint=f"gkcli done {task_id} --note …")
        if task.status == "done" and status is not None:
            raise BadValue(
                f"任务 {task_id} 已完成,不能改为{STATUS_LABELS[status]}", hint=f"先运行 gkcli reopen {task_id}"
            )
        day = _checked_date(registry, on or as_of, as_of, "进展日期")
        _after_last_entry(task, day)
        text = _checked_note(note, required=True)
        assert text is not None
        new_status = status or ("in_progress" if task.status == "not_started" else None)
        if new_status == task.status:
            new_status = None
        return TaskChange(status=new_status, entries=[NewEntry(day, text, _checked_unit(registry, unit))])

    return _update(source, task_id, decide)


def reopen(source: RegistrySource, task_id: int, *, as_of: dt.date, note: str | None = None) -> UpdateResult:
    """A done task back to in progress; its completion date goes, the log keeps why."""

    def decide(registry: Registry, task: Task) -> TaskChange:
        if task.status != "done":
            raise BadValue(f"任务 {task_id} 尚未完成(状态: {STATUS_LABELS[task.status]}),无需重新打开")
        day = _checked_date(registry, as_of, as_of, "日期")
        _after_last_entry(task, day)
        text = _checked_note(note, required=False)
        entry = NewEntry(day, f"重新打开:{text}" if text else "重新打开")
        return TaskChange(status="in_progress", drop_done_on=True, entries=[entry])

    return _update(source, task_id, decide)


def init_registry(target: Path) -> list[Path]:
    """Copy the bundled registry into ``target``; existing files are never overwritten."""
    if target.exists() and not target.is_dir():
        raise BadValue(f"{target} 不是文件夹")
    existing = [target / name for name in (TASKS_FILE, UNITS_FILE) if (target / name).exists()]
    if existing:
        raise BadValue(f"{existing[0]} 已存在,不会覆盖", hint="换一个空文件夹,或直接用 --data 使用已有台账")
    target.mkdir(parents=True, exist_ok=True)
    copied = []
    for name in (TASKS_FILE, UNITS_FILE):
        shutil.copyfile(bundled_directory() / name, target / name)
        copied.append(target / name)
    return copied
