"""Recording work in the registry: done, progress, reopen, and starting a working copy.

Every update runs under the folder's write lock, re-reads tasks.yaml, edits only
the lines of its task, checks the whole registry as it would be, and only then
replaces the file atomically. An update that would make the registry invalid,
or that cannot be made without touching other lines, writes nothing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from gkcli.core.queries import find_task
from gkcli.domain.records import STATUS_LABELS, ProgressEntry, Status, Task
from gkcli.domain.registry import Registry
from gkcli.errors import BadValue, CannotEdit, ReadOnlyRegistry, RegistryInvalid, UpdateRefused
from gkcli.store.files import failed, locked, registry_target, remove_stale_temporaries, replace_file, shown
from gkcli.store.locate import MAX_FILE_BYTES, TASKS_FILE, UNITS_FILE, RegistryFolder, bundled_directory
from gkcli.store.validate import inspect_registry
from gkcli.store.yaml_edit import TaskChange, edit_task
from gkcli.store.yaml_reader import SourceMap, decode

BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class UpdateResult:
    task_id: int
    status: Status
    done_on: dt.date | None
    entry: ProgressEntry | None
    path: Path


def ensure_writable(source: RegistryFolder) -> None:
    bundled = bundled_directory()
    same = not bundled.is_symlink() and source.directory.resolve() == bundled.resolve()
    if source.origin == "bundled" or same:
        raise ReadOnlyRegistry(
            "不能修改随软件安装的内置台账",
            hint="先运行 gkcli init 台账目录 复制一份,再用 gkcli --data 台账目录 done … 登记(或设置 GKCLI_DATA)",
        )


def _checked_date(registry: Registry, on: dt.date, as_of: dt.date, today: dt.date, what: str) -> dt.date:
    issued = registry.plan.issued_on
    if on < issued:
        raise BadValue(f"{what} {on.isoformat()} 早于要点印发日期 {issued.isoformat()}")
    if on > today:
        raise BadValue(
            f"{what} {on.isoformat()} 晚于今天 {today.isoformat()}",
            hint="不能登记未来的日期(gkcli check 会拒绝这样的台账);需要固定“今天”时设置 GKCLI_TODAY",
        )
    if on > as_of:
        raise BadValue(f"{what} {on.isoformat()} 晚于 --as-of {as_of.isoformat()}", hint="不能登记未来的日期")
    return on


def _checked_note(note: str | None, *, required: bool) -> str | None:
    if note is None:
        if required:
            raise BadValue("请用 --note 写明进展情况")
        return None
    if any("\ud800" <= c <= "\udfff" for c in note):
        raise BadValue("进展说明中有无法识别的字节(不是 UTF-8 文字)", hint="请检查终端或脚本的编码设置")
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
    entries = tuple(change.entries)
    update["progress"] = (*task.progress, *entries)
    return dataclasses.replace(task, **update)  # type: ignore[arg-type]


def _update(
    source: RegistryFolder, task_id: int, today: dt.date, decide: Callable[[Registry, Task], TaskChange]
) -> UpdateResult:
    """Apply ``decide``'s change to one task, under the lock, only if the result is a registry
    that ``gkcli check`` accepts on ``today`` (within the size limit and every rule).

    The public functions take ``today`` (the real date, or GKCLI_TODAY) apart from ``as_of``;
    without it ``as_of`` stands for today."""
    ensure_writable(source)
    target = registry_target(source.tasks_path)  # through a link to the real file
    try:
        with locked(target.parent):
            remove_stale_temporaries(target)
            raw = target.read_bytes()
            text, problems = decode(raw, SourceMap(source.display(source.tasks_path)))
            if text is None:
                raise RegistryInvalid(problems)
            registry, diagnostics = inspect_registry(source, tasks_text=text)
            if registry is None or any(d.severity == "error" for d in diagnostics):
                raise RegistryInvalid(diagnostics)
            task = find_task(registry, task_id)
            change = decide(registry, task)
            new_text = edit_task(text, task_id, change)
            data = (BOM if raw.startswith(BOM) else b"") + new_text.encode("utf-8")
            if len(data) > MAX_FILE_BYTES:
                raise BadValue(
                    f"写入后 tasks.yaml 将有 {len(data) // 1024 // 1024} MB,超过 {MAX_FILE_BYTES // 1024 // 1024} MB 的上限,"
                    "之后任何命令都读不了它;文件未改动",
                    hint="请缩短说明",
                )
            after, found = inspect_registry(source, tasks_text=new_text, as_of=today)
            if after is None or any(d.severity == "error" for d in found):
                raise UpdateRefused([d for d in found if d.severity == "error"])
            expected = _expected(task, change)
            unchanged = [t for t in registry.tasks if t.id != task_id]
            if after.tasks_by_id.get(task_id) != expected or [t for t in after.tasks if t.id != task_id] != unchanged:
                raise CannotEdit(
                    f"无法在不影响其他内容的情况下修改任务 {task_id},文件未改动", hint="请手工编辑 tasks.yaml"
                )
            replace_file(target, data)
    except OSError as exc:
        raise failed("写入", source.tasks_path, exc) from None
    entry = change.entries[-1] if change.entries else None
    return UpdateResult(task_id, expected.status, expected.done_on, entry, source.tasks_path)


def mark_done(
    source: RegistryFolder,
    task_id: int,
    *,
    as_of: dt.date,
    today: dt.date | None = None,
    on: dt.date | None = None,
    note: str | None = None,
    unit: str | None = None,
) -> UpdateResult:
    """Close a task: status done, its completion date, and a progress entry."""

    def decide(registry: Registry, task: Task) -> TaskChange:
        if task.status == "done":
            when = task.done_on.isoformat() if task.done_on else "此前"
            raise BadValue(f"任务 {task_id} 已于 {when} 完成", hint=f"如需重新打开: gkcli reopen {task_id}")
        day = _checked_date(registry, on or as_of, as_of, today or as_of, "完成日期")
        _after_last_entry(task, day)
        text = _checked_note(note, required=False) or "已完成"
        entry = ProgressEntry(day, text, _checked_unit(registry, unit))
        return TaskChange(status="done", done_on=day, entries=[entry])

    return _update(source, task_id, today or as_of, decide)


def add_progress(
    source: RegistryFolder,
    task_id: int,
    *,
    as_of: dt.date,
    today: dt.date | None = None,
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
        day = _checked_date(registry, on or as_of, as_of, today or as_of, "进展日期")
        _after_last_entry(task, day)
        text = _checked_note(note, required=True)
        assert text is not None
        new_status = status or ("in_progress" if task.status == "not_started" else None)
        if new_status == task.status:
            new_status = None
        return TaskChange(status=new_status, entries=[ProgressEntry(day, text, _checked_unit(registry, unit))])

    return _update(source, task_id, today or as_of, decide)


def reopen(
    source: RegistryFolder, task_id: int, *, as_of: dt.date, today: dt.date | None = None, note: str | None = None
) -> UpdateResult:
    """A done task back to in progress; its completion date goes, the log keeps why."""

    def decide(registry: Registry, task: Task) -> TaskChange:
        if task.status != "done":
            raise BadValue(f"任务 {task_id} 尚未完成(状态: {STATUS_LABELS[task.status]}),无需重新打开")
        day = _checked_date(registry, as_of, as_of, today or as_of, "日期")
        _after_last_entry(task, day)
        text = _checked_note(note, required=False)
        entry = ProgressEntry(day, f"重新打开:{text}" if text else "重新打开")
        return TaskChange(status="in_progress", drop_done_on=True, entries=[entry])

    return _update(source, task_id, today or as_of, decide)


def init_registry(target: Path) -> list[Path]:
    """Copy the bundled registry into ``target``; existing files are never overwritten."""
    if not str(target).strip():
        raise BadValue("请给出新台账的文件夹名", hint="例如: gkcli init 台账")
    if target.exists() and not target.is_dir():
        raise BadValue(f"{shown(target)} 不是文件夹")
    existing = [target / name for name in (TASKS_FILE, UNITS_FILE) if os.path.lexists(target / name)]
    if existing:
        raise BadValue(f"{shown(existing[0])} 已存在,不会覆盖", hint="换一个空文件夹,或直接用 --data 使用已有台账")
    copied = []
    try:
        target.mkdir(parents=True, exist_ok=True)
        for name in (TASKS_FILE, UNITS_FILE):
            with open(target / name, "xb") as handle:  # never over a file (or link) that appeared meanwhile
                handle.write((bundled_directory() / name).read_bytes())
            copied.append(target / name)
    except OSError as exc:
        raise failed("创建", target, exc, hint="请换一个可以写入的文件夹") from None
    return copied
