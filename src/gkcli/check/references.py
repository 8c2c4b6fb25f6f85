"""What tasks refer to: units, deadlines, completion dates and progress (GK301, GK302, GK4xx, GK5xx)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from gkcli.check.common import at, did_you_mean
from gkcli.domain.checkpoints import checkpoint_dates, is_rule
from gkcli.domain.deadlines import DeadlineError
from gkcli.domain.records import ENTRY_KIND_LABELS, ENTRY_KINDS, Task, TasksFile
from gkcli.domain.registry import Registry, task_due
from gkcli.domain.timeline import first_broken_rule, log_of, replay
from gkcli.domain.units import UnitDirectory
from gkcli.findings import Diagnostic, Path_, SourceMap


def check_references(tasks: TasksFile, directory: UnitDirectory | None, smap: SourceMap) -> Iterator[Diagnostic]:
    """Every unit a task names resolves; every task has a lead; every deadline reads."""
    plan = tasks.plan
    for index, task in enumerate(tasks.tasks):
        if not task.lead:
            rule, said = ("GK302", "") if task.review is None else ("GK403", ",待核对")
            yield at(smap, ("tasks", index, "lead"), rule, f"任务 {task.id} 没有牵头单位{said}", task.id)
        named = [(r, n, name) for r in ("lead", "responsible") for n, name in enumerate(getattr(task, r))]
        for role, n_index, name in named:
            if directory is not None and directory.find(name) is None:
                yield at(
                    smap,
                    ("tasks", index, role, n_index),
                    "GK301",
                    f"未知单位 {name}{did_you_mean(directory, name)}:请改正,或在 units.yaml 中登记",
                    task.id,
                )
        if plan is None:  # a broken plan block: no year to read the deadline in
            continue
        try:
            due = task_due(task, plan.year)
        except DeadlineError as exc:
            if task.review is None:
                yield at(smap, ("tasks", index, "deadline"), "GK401", f"{exc}(任务 {task.id})", task.id)
            else:  # a draft's task already marked for review: a warning, so the draft can be used
                yield at(smap, ("tasks", index, "deadline"), "GK403", f"{exc}(任务 {task.id},待核对)", task.id)
            continue
        if due is not None and (due.year != plan.year or due < plan.issued_on):
            where = "due" if task.fixed_due is not None else "deadline"
            yield at(
                smap,
                ("tasks", index, where),
                "GK402",
                f"任务 {task.id} 的截止日期 {due.isoformat()} 不在要点年度内或早于印发日期 {plan.issued_on.isoformat()}",
                task.id,
            )
        if task.checkpoints is not None:
            yield from _checkpoint_findings(task, due, plan.year, ("tasks", index, "checkpoints"), smap)


def _checkpoint_findings(
    task: Task, due: dt.date | None, year: int, path: Path_, smap: SourceMap
) -> Iterator[Diagnostic]:
    """GK512: checkpoints that cannot be read, or fall after the task's due date."""
    try:
        dates = checkpoint_dates(task.checkpoints or "", year)
    except DeadlineError as exc:
        yield at(smap, path, "GK512", f"任务 {task.id} 的{exc}", task.id)
        return
    late = [d.isoformat() for d in dates if due is not None and d > due]
    if late and not is_rule(task.checkpoints or ""):
        yield at(
            smap, path, "GK512",
            f"任务 {task.id} 的检查节点 {'、'.join(late)} 晚于截止日期 {due.isoformat() if due else ''},不会生效",
            task.id,
        )  # fmt: skip


def check_progress(
    tasks: TasksFile, directory: UnitDirectory | None, smap: SourceMap, as_of: dt.date | None
) -> Iterator[Diagnostic]:
    """A done task has a completion date, after the plan was issued and not after ``as_of``;
    progress entries are in date order, within those dates, from known units."""
    issued = tasks.plan.issued_on if tasks.plan is not None else dt.date.min
    for index, task in enumerate(tasks.tasks):
        if task.added_on is not None and as_of is not None and task.added_on > as_of:
            yield at(
                smap, ("tasks", index, "added_on"), "GK506",
                f"任务 {task.id} 的加入日期 {task.added_on.isoformat()} 晚于今天", task.id,
            )  # fmt: skip
        previous: dt.date | None = None
        for e_index, entry in enumerate(task.progress):
            entry_path: Path_ = ("tasks", index, "progress", e_index)
            if previous is not None and entry.on < previous:
                yield at(
                    smap,
                    (*entry_path, "date"),
                    "GK505",
                    f"任务 {task.id} 的进展记录没有按日期从早到晚排列",
                    task.id,
                )
            previous = entry.on
            if entry.on < issued or (as_of is not None and entry.on > as_of):
                yield at(
                    smap, (*entry_path, "date"),  "GK506",
                    f"任务 {task.id} 的进展日期 {entry.on.isoformat()} 早于印发日期或晚于今天", task.id,
                )  # fmt: skip
            if entry.recorded is not None and (
                entry.recorded < entry.on or (as_of is not None and entry.recorded > as_of)
            ):
                yield at(
                    smap, (*entry_path, "recorded"), "GK506",
                    f"任务 {task.id} 的登记日期 {entry.recorded.isoformat()} 早于进展日期或晚于今天", task.id,
                )  # fmt: skip
            if entry.unit is not None and directory is not None and directory.find(entry.unit) is None:
                yield at(
                    smap, (*entry_path, "unit"),  "GK301",
                    f"未知单位 {entry.unit}{did_you_mean(directory, entry.unit)}", task.id,
                )  # fmt: skip
        path = ("tasks", index, "done_on")
        if task.status == "done" and task.done_on is None:
            yield at(
                smap,
                ("tasks", index, "status"),
                "GK501",
                f"任务 {task.id} 已完成但没有 done_on(完成日期)",
                task.id,
            )
        if task.done_on is None:
            continue
        if task.status != "done":
            yield at(smap, path, "GK504", f"任务 {task.id} 未完成却写了 done_on", task.id)
        if as_of is not None and task.done_on > as_of:
            yield at(
                smap, path,  "GK502",
                f"任务 {task.id} 的完成日期 {task.done_on.isoformat()} 晚于今天({as_of.isoformat()})", task.id,
            )  # fmt: skip
        if task.done_on < issued:
            yield at(
                smap, path,  "GK503",
                f"任务 {task.id} 的完成日期 {task.done_on.isoformat()} 早于要点印发日期 {issued.isoformat()}", task.id,
            )  # fmt: skip


def check_log(tasks: TasksFile, registry: Registry, smap: SourceMap) -> Iterator[Diagnostic]:
    """The log is the truth: extensions carry their date and nothing else does (GK509), it must
    not contradict itself (GK508), and the written status and completion date must be what it
    gives (GK507)."""
    for index, task in enumerate(tasks.tasks):
        if not task.progress:
            continue
        misdated = [n for n, e in enumerate(task.progress) if (e.due is not None) != ENTRY_KINDS[e.kind].needs_due]
        for bad in misdated:
            entry = task.progress[bad]
            kind = ENTRY_KIND_LABELS[entry.kind]
            message = (
                f"任务 {task.id} 的{kind}记录({entry.on.isoformat()})没有写新的截止日期:请加上 due: YYYY-MM-DD"
                if entry.due is None
                else f"任务 {task.id} 的{kind}记录({entry.on.isoformat()})写了 due,只有延期和申请延期记录写它"
            )
            yield at(smap, ("tasks", index, "progress", bad), "GK509", message, task.id)
        if misdated:
            continue
        log = log_of(task)
        found = first_broken_rule(registry, task, log)
        if found is not None:
            entry_index, code, reason = found
            entry = log[entry_index]
            where = task.progress.index(entry) if entry in task.progress else None
            path: Path_ = ("tasks", index, "progress", where) if where is not None else ("tasks", index, "done_on")
            kind = ENTRY_KIND_LABELS[entry.kind]
            yield at(
                smap,
                path,
                code,
                f"任务 {task.id} 的{kind}记录({entry.on.isoformat()})与之前的记录矛盾:{reason}",
                task.id,
            )
            continue
        state = replay(registry, task)
        if state.status != task.status:
            yield at(
                smap, ("tasks", index, "status"), "GK507",
                f"任务 {task.id} 写的状态是 {task.status},进展记录给出的是 {state.status}:请改为 status: {state.status}",
                task.id,
            )  # fmt: skip
        elif state.done_on != task.done_on:
            wanted = state.done_on.isoformat() if state.done_on else "(不写 done_on)"
            written = task.done_on.isoformat() if task.done_on else "(未写)"
            yield at(
                smap, ("tasks", index, "done_on" if task.done_on else "status"), "GK507",
                f"任务 {task.id} 写的完成日期是 {written},进展记录给出的是 {wanted}", task.id,
            )  # fmt: skip
