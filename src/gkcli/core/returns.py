"""Returns from the units (填报表): which forms to send, and what a filled form records.

A form lists one unit's tasks with their state; the unit fills in progress, a completion date
and a link. Reading back is all or nothing: every problem of every row is listed, and only a
clean set of forms becomes entries. An entry keeps where it came from (``source``: the form's
id and row), so a form imported twice records nothing the second time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from gkcli.core.queries import Item, assignment, unit_tasks
from gkcli.core.updates import checked_date, checked_link
from gkcli.domain.deadlines import parse_date
from gkcli.domain.records import EntryKind, ProgressEntry
from gkcli.domain.registry import Registry
from gkcli.errors import BadValue, GkError
from gkcli.text import LINE_BREAK


@dataclass(frozen=True)
class Form:
    """The form for one unit: its tasks as they stand on ``as_of``."""

    unit: str
    items: list[Item]
    as_of: dt.date
    form_id: str


def forms(registry: Registry, as_of: dt.date, names: list[str], new_id: object) -> tuple[list[Form], list[str]]:
    """One form per unit named (groups expanded to their members; none named: every unit with a
    task), and the groups whose members are unknown (the office hands those on itself)."""
    directory = registry.directory
    wanted: list[str] = []
    unknown_groups: list[str] = []
    chosen = [directory.resolve(name) for name in names] or directory.entities()
    for entity in chosen:
        if not entity.is_group:
            wanted.append(entity.name)
        elif entity.members_known:
            wanted += sorted(m for m in directory.expanded_members(entity.name) if not directory.find(m).is_group)  # type: ignore[union-attr]
        else:
            unknown_groups.append(entity.name)
    found = []
    for name in dict.fromkeys(wanted):
        items = unit_tasks(registry, directory.resolve(name), as_of=as_of)
        if items:
            found.append(Form(name, items, as_of, str(new_id() if callable(new_id) else new_id)))
    return found, unknown_groups


@dataclass
class FilledRow:
    row: int  # the row number in the sheet, for messages
    task_id: object
    title: object
    note: object
    finished: object  # a date cell, or text such as 2022-11-08
    link: object


@dataclass
class FilledForm:
    file: str
    form_id: str
    plan_number: str
    unit: str
    rows: list[FilledRow] = field(default_factory=list)


@dataclass
class Recorded:
    """What a set of filled forms records: entries by task, and what was passed over."""

    entries: dict[int, list[ProgressEntry]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)  # FILE:行N: problem; any one means nothing is written
    repeats: list[str] = field(default_factory=list)  # rows already imported before


def _text(value: object) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _finished(value: object, today: dt.date) -> dt.date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return parse_date(str(value), today)  # ValueError with a Chinese message


def recorded(registry: Registry, filled: list[FilledForm], *, on: dt.date, as_of: dt.date, today: dt.date) -> Recorded:
    """Check every filled row and turn the clean ones into entries for their unit. ``registry`` needs
    hold only the tasks the forms name (a row imported before left its source in its own task)."""
    result = Recorded()
    for form in filled:
        where = f"{form.file}"
        if form.plan_number != registry.plan.document_number:
            result.problems.append(
                f"{where}: 这份填报表属于另一份要点({form.plan_number}),不是 {registry.plan.document_number}"
            )
            continue
        entity = registry.directory.find(form.unit)
        if entity is None:
            result.problems.append(f"{where}: 填报单位 {form.unit} 不在台账中")
            continue
        for row in form.rows:
            at = f"{where}:行{row.row}"
            note, link = _text(row.note), _text(row.link)
            try:
                finished = _finished(row.finished, today)
            except ValueError as exc:
                result.problems.append(f"{at}: 完成日期 {exc}")
                continue
            if note is None and finished is None and link is None:
                continue
            task = registry.tasks_by_id.get(row.task_id) if isinstance(row.task_id, int) else None
            if task is None:
                result.problems.append(f"{at}: 没有序号为 {row.task_id} 的任务")
                continue
            if _text(row.title) != task.title:
                result.problems.append(f"{at}: 任务 {task.id} 的“重点工作”被改动(锁定的单元格不能修改)")
                continue
            if assignment(registry, task, entity) is None:
                result.problems.append(f"{at}: {entity.name} 在任务 {task.id} 中没有角色")
                continue
            if note is not None and LINE_BREAK.search(note):
                note = " ".join(note.split())
            source = f"{form.form_id}#{row.row}"
            if any(e.source == source for e in task.progress):
                result.repeats.append(f"{at}: 已于之前导入,跳过")
                continue
            try:
                day = checked_date(registry, finished or on, as_of, today, "完成日期" if finished else "进展日期")
                link = checked_link(link)
            except GkError as exc:
                result.problems.append(f"{at}: {exc.message}")
                continue
            if note is None and link is not None and finished is None:
                result.problems.append(f"{at}: 只填了佐证链接,请同时填写进展情况")
                continue
            kind: EntryKind = "done" if finished is not None else "progress"
            entry = ProgressEntry(day, note or "已完成", entity.name, link, kind, today, source)
            result.entries.setdefault(task.id, []).append(entry)
    return result


def refuse(found: Recorded) -> None:
    """Raise when any row has a problem: nothing is written then."""
    if found.problems:
        raise BadValue(
            "填报表有问题,台账未改动:\n" + "\n".join(found.problems),
            hint="改正这些行后重新导入(已填写的其他行不受影响)",
        )
