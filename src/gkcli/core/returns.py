"""Returns from the units (填报表): which forms to send, and what a filled form records.

A form lists one unit's tasks with their state; the unit fills in progress, a completion date
and a link. Reading back is all or nothing: every problem of every row is listed, and only a
clean set of forms becomes entries. An entry keeps where it came from (``source``: the form's
id and row), so a form imported twice records nothing the second time.

A form's id is a random part and a seal over it, the plan, the unit, the day and the number of
task rows as exported. A form whose hidden sheet was changed (by hand, or a form of one unit
relabelled as another's) no longer matches its seal and is refused; a row below the exported
ones is reported. The seal has no secret: it catches mistakes, not a forger who runs gkcli.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

from gkcli.core.queries import Item, assignment, unit_tasks
from gkcli.core.updates import checked_date, checked_link, checked_note
from gkcli.domain.deadlines import parse_date
from gkcli.domain.records import EntryKind, ProgressEntry
from gkcli.domain.registry import Registry
from gkcli.errors import BadValue, GkError
from gkcli.text import LINE_BREAK, spreadsheet_safe


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
            nonce = str(new_id() if callable(new_id) else new_id)
            seal = form_seal(nonce, registry.plan.document_number, name, as_of.isoformat(), str(len(items)))
            found.append(Form(name, items, as_of, f"{nonce}-{seal}"))
    return found, unknown_groups


def form_seal(nonce: str, plan_number: str, unit: str, as_of: str, rows: str) -> str:
    """What a form's id ends with: a digest of what the form was exported as."""
    text = "\n".join([nonce, plan_number, unit, as_of, rows])
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()


FIRST_ROW = 4  # of the task rows in a form: rows 1-3 are the title, instructions and headers


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
    as_of: str = ""
    exported_rows: str = ""  # how many task rows the form was exported with
    rows: list[FilledRow] = field(default_factory=list)

    def sealed(self) -> bool:
        """Whether the form's particulars are as exported: its id's seal matches them."""
        nonce, _, seal = self.form_id.rpartition("-")
        return bool(nonce) and seal == form_seal(nonce, self.plan_number, self.unit, self.as_of, self.exported_rows)


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
    taken: dict[str, tuple[ProgressEntry, str]] = {}  # source -> the entry made from it, and where
    for form in filled:
        where = f"{form.file}"
        if not form.form_id:
            result.problems.append(f"{where}: 缺少表格标识(隐藏的 gkcli 工作表被删改),无法确认它是哪一次导出的填报表")
            continue
        if form.plan_number != registry.plan.document_number:
            result.problems.append(
                f"{where}: 这份填报表属于另一份要点({form.plan_number}),不是 {registry.plan.document_number}"
            )
            continue
        if not form.sealed():
            result.problems.append(
                f"{where}: 表格标识与表格内容不符:隐藏的 gkcli 工作表(单位、日期、行数)在导出后被改动过"
            )
            continue
        entity = registry.directory.find(form.unit)
        if entity is None:
            result.problems.append(f"{where}: 填报单位 {form.unit} 不在台账中")
            continue
        last_row = FIRST_ROW + int(form.exported_rows) - 1
        for row in form.rows:
            at = f"{where}:行{row.row}"
            note, link = _text(row.note), _text(row.link)
            if row.row > last_row:
                result.problems.append(f"{at}: 这一行是导出后添加的(导出时任务行到第 {last_row} 行为止);请删去它")
                continue
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
            if _text(row.title) not in (task.title, _text(spreadsheet_safe(task.title))):  # as exported
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
                note = checked_note(note, required=False)
                link = checked_link(link)
            except GkError as exc:
                result.problems.append(f"{at}: {exc.message}")
                continue
            if note is None and link is not None and finished is None:
                result.problems.append(f"{at}: 只填了佐证链接,请同时填写进展情况")
                continue
            kind: EntryKind = "done" if finished is not None else "progress"
            entry = ProgressEntry(day, note or "已完成", entity.name, link, kind, today, source)
            if source in taken:  # the same form given twice: one row, one entry
                first, first_at = taken[source]
                if first != entry:
                    result.problems.append(
                        f"{at}: 与 {first_at} 是同一份填报表的同一行,但填写的内容不同;请只导入其中一份"
                    )
                continue
            taken[source] = (entry, at)
            result.entries.setdefault(task.id, []).append(entry)
    return result


def refuse(found: Recorded) -> None:
    """Raise when any row has a problem: nothing is written then."""
    if found.problems:
        raise BadValue(
            "填报表有问题,台账未改动:\n" + "\n".join(found.problems),
            hint="改正这些行后重新导入(已填写的其他行不受影响)",
        )
