"""Questions asked of a registry. Every function takes the registry (and the
date "today" where it matters) and returns plain data; nothing here prints,
exits or reads the clock.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import NamedTuple

from gkcli.domain.checkpoints import CheckpointState
from gkcli.domain.deadlines import add_days
from gkcli.domain.records import (
    CLOSED_STATUSES,
    LIGHT_LABELS,
    ROLE_LABELS,
    STATUS_LABELS,
    STATUSES,
    Light,
    ProgressEntry,
    Role,
    Status,
    Task,
)
from gkcli.domain.registry import Registry
from gkcli.domain.timeline import TaskState, checkpoints_on, extended, parties_of, replay
from gkcli.domain.units import Entity
from gkcli.errors import BadValue, TaskNotFound
from gkcli.text import fold_digits


class Item(NamedTuple):
    """A task as a listing shows it on a day: its state then, and what the question added to it.
    A named tuple, not a dataclass: a listing of a province's plan makes tens of thousands, and a
    tuple is made four times as fast as a frozen dataclass."""

    task: Task
    due: dt.date | None
    days_overdue: int | None = None
    days_left: int | None = None
    role: Role | None = None
    via: str | None = None  # the group through which a unit is assigned, None when named directly
    light: Light | None = None
    days_late: int | None = None  # for a task done after its due date
    state: TaskState | None = None  # None: the task as written (no day asked for)
    plan: str | None = None  # the plan's id, when a workspace holds several
    checkpoint: CheckpointState | None = None  # where it stands against its checkpoints that day

    @property
    def status(self) -> Status:
        return self.state.status if self.state is not None else self.task.status

    @property
    def done_on(self) -> dt.date | None:
        return self.state.done_on if self.state is not None else self.task.done_on

    @property
    def entries(self) -> tuple[ProgressEntry, ...]:
        return self.state.entries if self.state is not None else self.task.progress


def item_with(item: Item, *, overdue: int | None = None, left: int | None = None, plan: str | None = None) -> Item:
    """``item`` with its days overdue or left, or the plan it comes from, filled in."""
    return item._replace(
        days_overdue=item.days_overdue if overdue is None else overdue,
        days_left=item.days_left if left is None else left,
        plan=item.plan if plan is None else plan,
    )


@dataclass(frozen=True, slots=True)
class Assignment:
    role: Role
    via: str | None


@dataclass(frozen=True, slots=True)
class UnitLoad:
    """How many tasks reach one unit or group, by role and path."""

    name: str
    is_group: bool
    kind: str
    lead_direct: int = 0
    lead_via_group: int = 0
    responsible_direct: int = 0
    responsible_via_group: int = 0

    @property
    def total(self) -> int:
        return self.lead_direct + self.lead_via_group + self.responsible_direct + self.responsible_via_group


SORT_KEYS = ("id", "due", "section", "status")


@dataclass(frozen=True)
class TaskFilter:
    """Conditions that all must hold; None means "any"."""

    as_of: dt.date | None = None  # "today": needed for lights and --overdue
    warn_days: int | None = None  # None: the plan's own setting
    light: Light | None = None
    overdue: bool = False
    unit: Entity | None = None
    role: Role | None = None
    direct: bool = False
    section: str | None = None
    status: Status | None = None
    deadline: str | None = None
    due_before: dt.date | None = None
    due_after: dt.date | None = None
    search: str | None = None
    sort: str = "id"
    known_on: dt.date | None = None  # only what was recorded by this day (None: everything)
    missed_checkpoint: bool = False  # only tasks whose latest checkpoint before as_of was missed


def parse_status(text: str) -> Status:
    """``not_started``/``in_progress``/``done`` or the Chinese labels 未开始/进行中/已完成."""
    value = text.strip()
    for status in STATUSES:
        if value in (status, STATUS_LABELS[status]):
            return status
    choices = "、".join(f"{s}({STATUS_LABELS[s]})" for s in STATUSES)
    raise BadValue(f"未知状态: {text}", hint=f"可用: {choices}")


def parse_role(text: str) -> Role:
    """``lead``/``responsible`` or the Chinese 牵头/责任 (牵头单位/责任单位)."""
    value = text.strip()
    for role, label in ROLE_LABELS.items():
        if value.casefold() in (role, label, label + "单位"):
            return role  # type: ignore[return-value]
    choices = "、".join(f"{r}({label})" for r, label in ROLE_LABELS.items())
    raise BadValue(f"未知角色: {text}", hint=f"可用: {choices}")


def find_task(registry: Registry, task_id: int) -> Task:
    task = registry.tasks_by_id.get(task_id)
    if task is None:
        ids = sorted(registry.tasks_by_id)
        span = f"{ids[0]}–{ids[-1]}" if ids else "无"
        raise TaskNotFound(f"没有序号为 {task_id} 的任务", hint=f"现有序号: {span}")
    return task


def get_task(
    registry: Registry,
    task_id: int,
    as_of: dt.date | None = None,
    warn_days: int | None = None,
    known_on: dt.date | None = None,
) -> Item:
    """One task as it stood on ``as_of`` (as known on ``known_on``)."""
    task = find_task(registry, task_id)
    item = _matches(registry, task, registry.due(task), TaskFilter(as_of=as_of, warn_days=warn_days, known_on=known_on))
    if item is None:  # the one condition it can fail: added after the day asked about
        raise TaskNotFound(
            f"任务 {task_id} 于 {task.added_on} 才加入台账,{known_on} 时还没有它",
            hint="去掉 --known-on 或改用更晚的日期",
        )
    return item


def assignment(registry: Registry, task: Task, target: Entity, *, direct_only: bool = False) -> Assignment | None:
    """How ``target`` is assigned to ``task``: lead before responsible, direct before through a group
    (see :func:`routes`). ``direct_only``: only where the task names it itself."""
    if direct_only:
        for role, names in (("lead", task.lead), ("responsible", task.responsible)):
            if any(found is not None and found.name == target.name for found in map(registry.directory.find, names)):
                return Assignment(role, None)  # type: ignore[arg-type]
        return None
    for route in routes(registry, task):
        if route.own and route.name == target.name:
            return Assignment(route.role, None)
        if target.name in route.members:
            return Assignment(route.role, route.name)
    return None


def assignments(registry: Registry, task: Task) -> dict[str, Assignment]:
    """Every unit and group ``task`` reaches, with how (see :func:`assignment`)."""
    best: dict[str, Assignment] = {}
    for route in routes(registry, task):
        if route.own:
            best[route.name] = Assignment(route.role, None)
        best.update(dict.fromkeys(registry.directory.in_order(route.members), Assignment(route.role, route.name)))
    return best


def reach(registry: Registry, cell: tuple[str, ...]) -> frozenset[str]:
    """Every unit and group a unit cell names, as the directory names them, groups expanded to
    all they hold: in a task, the lead cell's reach is the units that lead it, the responsible
    cell's reach without those the units responsible (the same units :func:`routes` hands out,
    without saying through which name). Remembered by the cell."""
    memo = registry.memo.reach
    found = memo.get(cell)
    if found is None:
        directory = registry.directory
        names: set[str] = set()
        for entity in map(directory.find, cell):
            if entity is not None:
                names.add(entity.name)
                if entity.is_group:
                    names |= directory.expanded_members(entity.name)
        found = memo[cell] = frozenset(names)
    return found


class Route(NamedTuple):
    """One name in a task's unit cells and what it reaches that no name before it did (see
    :func:`routes`): itself (``own``) and, for a group, the members it assigns. A plain tuple:
    ``stats`` counts tasks by route, thousands of times."""

    name: str
    role: Role
    own: bool
    members: frozenset[str]


def routes(registry: Registry, task: Task) -> tuple[Route, ...]:
    """How ``task`` reaches units: lead before responsible and, within a role, the names written
    directly before groups, and among groups the first that holds a unit. Each unit is reached
    through exactly one route, so counting routes counts every unit once (``stats`` does that
    instead of walking each task's units). Remembered by the task's unit cells."""
    cells = (task.lead, task.responsible)
    memo = registry.memo.routed
    found = memo.get(cells)
    if found is None:
        found = memo[cells] = _routes(registry, *cells)
    return found


def _routes(registry: Registry, lead: tuple[str, ...], responsible: tuple[str, ...]) -> tuple[Route, ...]:
    find, expanded = registry.directory.find, registry.directory.expanded_members
    taken: set[str] = set()
    found: list[Route] = []
    for role, names in (("lead", lead), ("responsible", responsible)):
        entities: dict[str, Entity] = {}
        for entity in map(find, names):
            if entity is not None and entity.name not in entities:
                entities[entity.name] = entity
        own = entities.keys() - taken
        taken |= own
        for name, entity in entities.items():
            members = _NO_MEMBERS
            if entity.is_group:
                members = expanded(name)  # the directory's own set, shared by every route it all reaches
                if not members.isdisjoint(taken):
                    members = members - taken
                taken |= members
            if name in own or members:
                found.append(Route(name, role, name in own, members))  # type: ignore[arg-type]
    return tuple(found)


_NO_MEMBERS: frozenset[str] = frozenset()


def tasks_naming(registry: Registry, name: str) -> list[Task]:
    """The tasks that name the unit or group ``name`` (its canonical name) in a unit cell,
    directly or through a group it belongs to, in registry order. Found by the few distinct
    names written in unit cells that reach it, then one set test per task; remembered."""
    memo = registry.memo.naming
    found = memo.get(name)
    if found is None:
        directory = registry.directory
        written = set().union(*(t.lead for t in registry.tasks), *(t.responsible for t in registry.tasks))
        reaching = set()
        for cell in written:
            entity = directory.find(cell)
            if entity is not None and (
                entity.name == name or (entity.is_group and name in directory.expanded_members(entity.name))
            ):
                reaching.add(cell)
        found = memo[name] = [
            t for t in registry.tasks if not reaching.isdisjoint(t.lead) or not reaching.isdisjoint(t.responsible)
        ]
    return found


# ---- the conditions of a filter ---------------------------------------------------------------
#
# Each condition of a TaskFilter is one small predicate, in one of two tables: those decided by the
# task as written (tried first: most tasks fail one of them, and need no replay), and those decided
# by the task as it stood on the day (after its log is replayed). Extensions only ever move a due
# date later, so a condition that only a later date could fail is tried on the written deadline
# first and, for a task whose log holds an extension, on the date in force that day too.

Written = Callable[[Task, "dt.date | None", "TaskFilter"], bool]  # the task, its written due date, the filter


def _added_by(task: Task, due: dt.date | None, f: TaskFilter) -> bool:
    return task.added_on is None or f.known_on is None or task.added_on <= f.known_on  # in the registry that day


def _in_section(task: Task, due: dt.date | None, f: TaskFilter) -> bool:
    return task.section == f.section or task.section.startswith(f"{f.section}.")


def _deadline_said(task: Task, due: dt.date | None, f: TaskFilter) -> bool:
    return deadline_matches(task.deadline, due, f.deadline or "")


def _due_by(due: dt.date | None, f: TaskFilter) -> bool:
    return f.due_before is None or (due is not None and due <= f.due_before)


def _due_from(due: dt.date | None, f: TaskFilter) -> bool:
    return f.due_after is None or (due is not None and due >= f.due_after)


def _written_due_by(task: Task, due: dt.date | None, f: TaskFilter) -> bool:
    return _due_by(due, f)  # an extension can only make it later: failing now, it fails on any day


def _written_due_from(task: Task, due: dt.date | None, f: TaskFilter) -> bool:
    return extended(task) or _due_from(due, f)  # an extension may move it past the day asked: tried after


def _mentions(task: Task, due: dt.date | None, f: TaskFilter) -> bool:
    return _contains(task, f.search or "")


def _past_due(task: Task, due: dt.date | None, f: TaskFilter) -> bool:
    return due is not None and f.as_of is not None and f.as_of > due  # not past due: not overdue, whatever its log


def _may_be_red(task: Task, due: dt.date | None, f: TaskFilter) -> bool:
    return task.checkpoints is not None or _past_due(task, due, f)  # a missed checkpoint is red before the due date


WRITTEN: tuple[tuple[Callable[[TaskFilter], bool], Written], ...] = (
    (lambda f: f.known_on is not None, _added_by),
    (lambda f: f.section is not None, _in_section),
    (lambda f: f.deadline is not None, _deadline_said),
    (lambda f: f.due_before is not None, _written_due_by),
    (lambda f: f.due_after is not None, _written_due_from),
    (lambda f: f.search is not None, _mentions),
    (lambda f: f.overdue, _past_due),
    (lambda f: f.light == "red" and not f.overdue, _may_be_red),
)  # each condition of a filter that the task as written decides: when it applies, and the test


def written_conditions(f: TaskFilter) -> tuple[Written, ...]:
    """The conditions of ``f`` the written task decides, in the order tried."""
    return tuple(test for applies, test in WRITTEN if applies(f))


def _matches(
    registry: Registry, task: Task, due: dt.date | None, f: TaskFilter, written: tuple[Written, ...] | None = None
) -> Item | None:
    """The task as an Item on ``f.as_of`` when it passes every condition of ``f``; None otherwise.
    ``due`` is the task's deadline; ``written``: :func:`written_conditions` of ``f``, when the
    caller asks about many tasks."""
    for test in written_conditions(f) if written is None else written:
        if not test(task, due, f):
            return None
    role: Role | None = None
    via = None
    if f.unit is not None:
        found = assignment(registry, task, f.unit, direct_only=f.direct)
        if found is None or (f.role is not None and found.role != f.role):
            return None
        role, via = found.role, found.via
    state = replay(registry, task, f.as_of, f.known_on)
    if f.status is not None and state.status != f.status:
        return None
    if extended(task):  # the date in force that day (timeline.due_on, from the state just replayed)
        due = state.due_for(f.unit.name if f.unit is not None else None)
        if not (_due_by(due, f) and _due_from(due, f)):
            return None
    return _on_the_day(registry, task, due, f, state, role, via)


def _on_the_day(
    registry: Registry, task: Task, due: dt.date | None, f: TaskFilter, state: TaskState, role: Role | None,
    via: str | None,
) -> Item | None:  # fmt: skip
    """The item with its light on ``f.as_of`` (a unit's listing: its own part's), when its light
    and, for ``overdue``, being overdue are as ``f`` asks."""
    if f.as_of is None:
        return Item(task, due, None, None, role, via, None, None, state)
    warn = registry.plan.warn_days if f.warn_days is None else f.warn_days
    color, late, checkpoint = day_light(registry, task, due, state, f.as_of, warn, f.unit.name if f.unit else None)
    if f.light is not None and color != f.light:
        return None
    overdue_days = None
    if f.overdue:
        if color != "red" or due is None or f.as_of <= due:
            return None
        overdue_days = (f.as_of - due).days
    if f.missed_checkpoint and not (checkpoint is not None and checkpoint.missed):
        return None
    return Item(task, due, overdue_days, None, role, via, color, late, state, None, checkpoint)


def day_light(
    registry: Registry, task: Task, due: dt.date | None, state: TaskState, as_of: dt.date, warn: int,
    unit: str | None = None,
) -> tuple[Light, int | None, CheckpointState | None]:  # fmt: skip
    """The light of ``task`` (or of ``unit``'s own part) on ``as_of``, how many days late it was done,
    and where it stands against its checkpoints. A carried-over task is ``carried``; a part awaiting
    review is judged on the day it was claimed (the office's review does not make it late); an open
    part that missed its latest checkpoint is red, one whose next checkpoint is within ``warn`` days
    and has not reported since the previous one at least yellow."""
    if state.status == "carried_over":
        return "carried", None, None
    finished = state.share_done_on(unit) if unit is not None else state.done_on
    if finished is not None:
        color, late = light_of(finished, due, as_of, warn)
        return color, late, None
    claim = state.claim_for(unit)
    if claim is None and unit is None and state.status == "awaiting_review":
        claim = state.claims[-1]
    color, late = light_of(None, due, min(as_of, claim.on) if claim is not None else as_of, warn)
    checkpoint = checkpoints_on(registry, task, state, as_of) if task.checkpoints is not None else None
    if checkpoint is None or claim is not None:
        return color, late, checkpoint
    mine = parties_of(registry, unit) if unit is not None else None
    missed = [p for p in checkpoint.missed if mine is None or p in mine]
    owing = [p for p in checkpoint.owing if mine is None or p in mine]
    if missed:
        color = "red"
    elif owing and color == "green" and checkpoint.upcoming is not None and (checkpoint.upcoming - as_of).days <= warn:
        color = "yellow"
    return color, late, checkpoint


def deadline_matches(written: str, due: dt.date | None, asked: str) -> bool:
    """``--deadline`` as people use it: the phrase as written, or its beginning (12月 matches
    12月底前), or a month by name that the task falls due in."""
    written_key, asked_key = "".join(written.split()), "".join(asked.split())
    if written_key.startswith(asked_key):
        return True
    month = re.fullmatch(r"([0-9]{1,2})月(?:份)?", fold_digits(asked_key))
    return month is not None and due is not None and due.month == int(month.group(1))


def _contains(task: Task, text: str) -> bool:
    """Whether ``text`` occurs in the task's title, units, deadline or provenance; spaces on
    either side are ignored (a title copied from a PDF may keep a line-wrap space)."""
    needle = "".join(text.split()).casefold()
    haystack = [task.title, *task.lead, *task.responsible, task.deadline, task.provenance or ""]
    return any(needle in "".join(value.split()).casefold() for value in haystack)


def validate_section(registry: Registry, section: str) -> str:
    value = section.strip()
    if value in registry.sections or any(s.startswith(value + ".") for s in registry.sections):
        return value
    known = "、".join(registry.sections)
    raise BadValue(f"没有小节 {section}", hint=f"写部分号(如 1)或小节号(如 1.2),现有: {known}")


def list_tasks(registry: Registry, f: TaskFilter) -> list[Item]:
    items: list[Item] = []
    due_dates = registry.due_dates
    # a unit's tasks are among those that name it; the filter below still decides each one
    candidates = registry.tasks if f.unit is None else tasks_naming(registry, f.unit.name)
    written = written_conditions(f)
    for task in candidates:
        item = _matches(registry, task, due_dates[task.id], f, written)
        if item is not None:
            items.append(item)
    return sort_items(items, f.sort)


def sort_items(items: Iterable[Item], key: str) -> list[Item]:
    far = dt.date.max
    keys: dict[str, Callable[[Item], tuple[object, ...]]] = {
        "id": lambda i: (i.task.id,),
        "due": lambda i: (i.due or far, i.task.id),
        "section": lambda i: (tuple(int(n) for n in i.task.section.split(".")), i.task.id),
        "status": lambda i: (STATUSES.index(i.status), i.task.id),
    }
    if key not in keys:
        raise BadValue(f"未知排序方式: {key}", hint=f"可用: {', '.join(SORT_KEYS)}")
    return sorted(items, key=keys[key])


def parse_light(text: str) -> Light:
    """``red``/``yellow``/``green``/``done``/``done_late`` or the Chinese labels (红灯, 红...)."""
    value = text.strip().lower()
    for light, label in LIGHT_LABELS.items():
        if value in (light, label, label.removesuffix("灯")):
            return light  # type: ignore[return-value]
    choices = "、".join(f"{k}({v})" for k, v in LIGHT_LABELS.items())
    raise BadValue(f"未知的灯: {text}", hint=f"可用: {choices}")


def light_of(done_on: dt.date | None, due: dt.date | None, as_of: dt.date, warn_days: int) -> tuple[Light, int | None]:
    """The light of a task (or of one unit's part) on ``as_of``, and by how many days it was done late.

    done / done_late: done (on ``done_on``) on or before / after the due date; red: past due and
    not done; yellow: due within ``warn_days`` (due today included); green: otherwise.
    """
    if done_on is not None:
        if due is not None and done_on > due:
            return "done_late", (done_on - due).days
        return "done", None
    if due is None:
        return "green", None
    if as_of > due:
        return "red", None
    if (due - as_of).days <= warn_days:
        return "yellow", None
    return "green", None


def days_overdue(item: Item, as_of: dt.date) -> int | None:
    """Whole days past due on ``as_of`` (due date inclusive), or None when not overdue."""
    if item.due is None or item.status in CLOSED_STATUSES or as_of <= item.due:
        return None
    return (as_of - item.due).days


def overdue(
    registry: Registry,
    as_of: dt.date,
    unit: Entity | None = None,
    warn_days: int | None = None,
    known_on: dt.date | None = None,
    *,
    checkpoints: bool = False,
) -> list[Item]:
    """Tasks past due and not done on ``as_of``, most overdue first; with ``checkpoints``, instead the
    open tasks whose latest checkpoint before ``as_of`` some lead unit (with ``unit``: that unit)
    missed (未按期报送), the longest missed first."""
    query = TaskFilter(
        as_of=as_of, warn_days=warn_days, unit=unit, overdue=not checkpoints, known_on=known_on,
        missed_checkpoint=checkpoints,
    )  # fmt: skip
    items = list_tasks(registry, query)
    return missed_among(items) if checkpoints else overdue_among(items, as_of)


def overdue_among(items: Iterable[Item], as_of: dt.date) -> list[Item]:
    """The red ones of ``items`` (lights on ``as_of``), with their days overdue, most overdue first."""
    red = [
        i if i.days_overdue is not None else item_with(i, overdue=(as_of - i.due).days)
        for i in items
        if i.light == "red" and i.due is not None and as_of > i.due
    ]
    return sorted(red, key=lambda i: (-(i.days_overdue or 0), i.task.id))


def missed_among(items: Iterable[Item]) -> list[Item]:
    """Those of ``items`` whose latest checkpoint was missed, the longest missed first."""
    missed = [i for i in items if i.checkpoint is not None and i.checkpoint.missed and i.light == "red"]
    return sorted(missed, key=lambda i: (i.checkpoint.latest if i.checkpoint else None, i.task.id))


def due_within(
    registry: Registry,
    as_of: dt.date,
    days: int,
    unit: Entity | None = None,
    warn_days: int | None = None,
    known_on: dt.date | None = None,
) -> list[Item]:
    """Tasks not done whose due date falls from ``as_of`` to ``as_of + days``, both included."""
    until = due_until(as_of, days)
    query = TaskFilter(
        as_of=as_of, warn_days=warn_days, unit=unit, due_after=as_of, due_before=until, sort="due", known_on=known_on
    )
    return due_among(list_tasks(registry, query), as_of, until)


def due_until(as_of: dt.date, days: int) -> dt.date:
    """The last day of a window of ``days`` days from ``as_of``; BadValue when there is none."""
    if days < 0:
        raise BadValue("天数不能为负")
    try:
        return add_days(as_of, days)
    except ValueError as exc:
        raise BadValue(str(exc)) from None


def due_among(items: Iterable[Item], as_of: dt.date, until: dt.date) -> list[Item]:
    """Those of ``items`` not done on ``as_of`` and due from ``as_of`` to ``until``, both included,
    with their days left, in the order given."""
    return [
        item_with(i, left=(i.due - as_of).days)
        for i in items
        if i.status not in CLOSED_STATUSES and i.due is not None and as_of <= i.due <= until
    ]


def unit_tasks(
    registry: Registry,
    unit: Entity,
    *,
    direct_only: bool = False,
    as_of: dt.date | None = None,
    warn_days: int | None = None,
    known_on: dt.date | None = None,
) -> list[Item]:
    """Every task ``unit`` must work on, leads first, with its role and the group it came through."""
    query = TaskFilter(as_of=as_of, warn_days=warn_days, unit=unit, direct=direct_only, known_on=known_on)
    items = list_tasks(registry, query)
    return sorted(items, key=lambda i: (i.role != "lead", i.via is not None, i.task.id))


def unit_loads(registry: Registry) -> list[UnitLoad]:
    """For every unit and group, its lead and responsible tasks, direct and through groups apart."""
    directory = registry.directory
    kinds = {u.name: u.kind for u in directory.units}
    loads: list[UnitLoad] = []
    for entity in directory.entities():
        counts = {"lead_direct": 0, "lead_via_group": 0, "responsible_direct": 0, "responsible_via_group": 0}
        for task in registry.tasks:
            found = assignment(registry, task, entity)
            if found is not None:
                counts[f"{found.role}_{'direct' if found.via is None else 'via_group'}"] += 1
        kind = "group" if entity.is_group else kinds.get(entity.name, "")
        loads.append(UnitLoad(entity.name, entity.is_group, kind, **counts))
    return loads


@dataclass(frozen=True)
class Reminder:
    """What one unit must hear about: its red and yellow tasks, leads first."""

    unit: str
    red: list[Item]
    yellow: list[Item]


def reminders(
    registry: Registry,
    as_of: dt.date,
    within_days: int,
    unit: Entity | None = None,
    known_on: dt.date | None = None,
) -> list[Reminder]:
    """One reminder per unit with red or yellow tasks; groups whose members are unknown get their own."""
    if unit is not None:
        targets = [unit]
    else:
        targets = [e for e in registry.directory.entities() if not e.is_group or not e.members_known]
    found = []
    for entity in targets:
        items = unit_tasks(registry, entity, as_of=as_of, warn_days=within_days, known_on=known_on)
        red = [i._replace(days_overdue=days_overdue(i, as_of)) for i in items if i.light == "red"]
        yellow = [
            i._replace(days_left=(i.due - as_of).days if i.due else None)
            for i in items
            if i.light == "yellow" and (i.due or i.checkpoint)
        ]
        if red or yellow:
            found.append(Reminder(entity.name, sorted(red, key=_leads_first), sorted(yellow, key=_leads_first)))
    return found


def _leads_first(item: Item) -> tuple[bool, dt.date, int]:
    return (item.role != "lead", item.due or dt.date.max, item.task.id)
