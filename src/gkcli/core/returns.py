"""Returns from the units (填报表): which forms to send, and what a filled form records.

A form lists one unit's tasks with their state; the unit fills in progress, a completion date
and a link. Reading back is all or nothing: every problem of every row is listed, and only a
clean set of forms becomes entries. An entry keeps where it came from (``source``: the form's
id and row, and ``~N`` for the Nth version of a row sent again), so a form imported twice records
nothing the second time, and a row sent again with new content is recorded as a revision (or,
where it cannot be, refused with what differs): nothing a unit sends is silently dropped.

A form's id is a random part and a seal over it, the plan, the unit, the day and the number of
task rows as exported. A form whose hidden sheet was changed (by hand, or a form of one unit
relabelled as another's) no longer matches its seal and is refused; a row below the exported
ones is reported. The seal has no secret: it catches mistakes, not a forger who runs gkcli.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass, field

from gkcli.core import queries
from gkcli.core.queries import Item, assignment, unit_tasks
from gkcli.core.updates import checked_date, checked_link, checked_note, recorded_kind
from gkcli.domain.deadlines import in_range, parse_date
from gkcli.domain.forms import FIRST_ROW, FilledForm, FilledRow, form_seal
from gkcli.domain.records import ENTRY_KINDS, EntryKind, LogEvent, LogFile, ProgressEntry, Status, Task
from gkcli.domain.registry import Registry
from gkcli.domain.timeline import first_conflict, log_of
from gkcli.domain.units import Entity
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
            wanted += directory.member_units(entity.name)
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


def share_status(item: Item, unit: str) -> Status:
    """The status of ``unit``'s own part of a task on the form's day: done when its part (or the
    whole task) is done; in progress once it or the office recorded anything; else not started."""
    state = item.state
    if state is None:
        return item.status
    if state.status == "carried_over":
        return "carried_over"
    if state.share_done_on(unit) is not None:
        return "done"
    if state.claim_for(unit) is not None:
        return "awaiting_review"
    return "in_progress" if state.latest_for(unit) is not None else "not_started"


@dataclass
class Recorded:
    """What a set of filled forms records: entries by task, and what was passed over."""

    entries: dict[int, list[ProgressEntry]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)  # FILE:行N: problem; any one means nothing is written
    repeats: list[str] = field(default_factory=list)  # rows already imported before, unchanged


def _text(value: object) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _day(value: object, today: dt.date) -> dt.date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        return in_range(value.date())
    if isinstance(value, dt.date):
        return in_range(value)
    return parse_date(str(value), today)  # ValueError with a Chinese message


def _dated(value: object, today: dt.date, column: str) -> dt.date | None:
    try:
        return _day(value, today)
    except ValueError as exc:
        raise _RowProblem(f"“{column}”一栏: {exc}") from None


def recorded(registry: Registry, filled: list[FilledForm], *, on: dt.date, as_of: dt.date, today: dt.date) -> Recorded:
    """Check every filled row and turn the clean ones into entries for their unit; every row at
    fault is listed with its ``文件:行N``. The same checks whether the import is real or a dry run:
    the entries must also fit each task's log (no second completion of a part, no extension of a
    done task), row by row. ``registry`` need hold only the tasks the forms name (a row imported
    before left its source in its own task)."""
    result = Recorded()
    taken: dict[str, tuple[ProgressEntry, str]] = {}  # source -> the entry made from it, and where
    placed: dict[int, list[tuple[ProgressEntry, str]]] = {}  # by task: new entries and their rows
    for form in filled:
        entity = _form_unit(registry, form, result.problems)
        if entity is None:
            continue
        last_row = FIRST_ROW + int(form.exported_rows) - 1
        for row in form.rows:
            at = f"{form.file}:行{row.row}"
            try:
                made = _row_entry(registry, form, row, entity, on=on, as_of=as_of, today=today, last_row=last_row)
            except _RowProblem as problem:
                result.problems.append(f"{at}: {problem}")
                continue
            if made is None:
                continue
            task, entry, history = made
            if history and _same_as_imported(entry, history):
                result.repeats.append(f"{at}: 已于之前导入,内容未变,跳过")
                continue
            if history:
                moved = _moved(entry, history)
                if moved is not None:
                    result.problems.append(f"{at}: {moved}")
                    continue
                entry = _revision(entry, history, on)
            source = entry.source or ""
            if source in taken:  # the same form given twice: one row, one entry
                first, first_at = taken[source]
                if first != entry:
                    result.problems.append(
                        f"{at}: 与 {first_at} 是同一份填报表的同一行,但填写的内容不同;请只导入其中一份"
                    )
                continue
            taken[source] = (entry, at)
            placed.setdefault(task.id, []).append((entry, at))
    for task_id, new in placed.items():
        fitting = _fitting(registry, registry.tasks_by_id[task_id], new, result.problems)
        if fitting:
            result.entries[task_id] = fitting
    return result


class _RowProblem(Exception):
    """What is wrong with one row (the message, without the row's place)."""


def _form_unit(registry: Registry, form: FilledForm, problems: list[str]) -> Entity | None:
    """The unit a form belongs to, when the form is one of this registry's, as exported."""
    where = form.file
    if not form.form_id:
        problems.append(f"{where}: 缺少表格标识(隐藏的 gkcli 工作表被删改),无法确认它是哪一次导出的填报表")
        return None
    if form.plan_number != registry.plan.document_number:
        problems.append(f"{where}: 这份填报表属于另一份要点({form.plan_number}),不是 {registry.plan.document_number}")
        return None
    if not form.sealed():
        problems.append(f"{where}: 表格标识与表格内容不符:隐藏的 gkcli 工作表(单位、日期、行数)在导出后被改动过")
        return None
    entity = registry.directory.find(form.unit)
    if entity is None:
        problems.append(f"{where}: 填报单位 {form.unit} 不在台账中")
    return entity


def _row_entry(
    registry: Registry, form: FilledForm, row: FilledRow, entity: Entity, *, on: dt.date, as_of: dt.date,
    today: dt.date, last_row: int,
) -> tuple[Task, ProgressEntry, list[ProgressEntry]] | None:  # fmt: skip
    """The entry one filled row records, its task, and what earlier imports of the same row
    recorded (oldest first); None for a row left empty. _RowProblem says what is wrong with it."""
    _locked_as_exported(form, row, last_row)
    note, link = _text(row.note), _text(row.link)
    finished = _dated(row.finished, today, "完成日期")
    asked = _dated(row.extension, today, "申请延期至")
    if note is None and finished is None and link is None and asked is None:
        return None
    if row.row > last_row:
        raise _RowProblem(f"这一行是导出后添加的(导出时任务行到第 {last_row} 行为止);请删去它")
    task = _row_task(registry, form, row, entity)
    if finished is not None and asked is not None:
        raise _RowProblem("填了完成日期又申请延期:完成了就不必延期,请只填其一")
    kind: EntryKind = recorded_kind(registry, "done") if finished else "request" if asked is not None else "progress"
    rule = ENTRY_KINDS[kind]
    try:
        day = checked_date(registry, finished or on, as_of, today, "完成日期" if finished else rule.date_name)
        note = checked_note(" ".join(note.split()) if note is not None and LINE_BREAK.search(note) else note,
                            required=False)  # fmt: skip
        link = checked_link(link)
    except GkError as exc:
        raise _RowProblem(exc.message) from None
    if note is None and link is not None and kind == "progress":
        raise _RowProblem("只填了佐证链接,请同时填写进展情况")
    source = f"{form.form_id}#{row.row}"
    history = [e for e in task.progress if e.source and _row_of(e.source) == source]
    text = note or rule.default_note or ("申请延期" if kind == "request" else "")
    return task, ProgressEntry(day, text, entity.name, link, kind, today, source, asked), history


def _locked_as_exported(form: FilledForm, row: FilledRow, last_row: int) -> None:
    """_RowProblem when a locked cell of an exported row differs from what was exported."""
    edited = form.edited_cell(row) if row.row <= last_row else None
    if edited is not None:
        header, before, after = edited
        raise _RowProblem(
            f"锁定的单元格“{header}”被改动(导出时为“{_short(before)}”,现为“{_short(after)}”);"
            "锁定的单元格不能修改,请改回原样或重新导出填报表"
        )


def _row_task(registry: Registry, form: FilledForm, row: FilledRow, entity: Entity) -> Task:
    """The task a row reports on, one the form's unit has a part in (_RowProblem otherwise)."""
    task = registry.tasks_by_id.get(row.task_id) if isinstance(row.task_id, int) else None
    if task is None:
        raise _RowProblem(f"没有序号为 {row.task_id} 的任务")
    if assignment(registry, task, entity) is None:
        raise _RowProblem(f"{entity.name} 在任务 {task.id} 中没有角色")
    if not form.exported and _text(row.title) not in (task.title, _text(spreadsheet_safe(task.title))):
        raise _RowProblem(f"任务 {task.id} 的“重点工作”被改动(锁定的单元格不能修改)")  # a form of format 1
    return task


def _short(text: str, most: int = 30) -> str:
    return text if len(text) <= most else text[: most - 1] + "…"


def _row_of(source: str) -> str:
    """A source without its revision: ``FORM#ROW``."""
    return source.split("~", 1)[0]


def _same_as_imported(entry: ProgressEntry, history: list[ProgressEntry]) -> bool:
    """Whether a row sent again says what its earlier imports recorded: the same words, link and
    date asked for as the latest of them, and the same completion (the day a progress-only row is
    dated by ``--on`` does not count: sending the same words again is no news)."""
    latest = history[-1]
    done = next((e for e in history if e.kind == "done"), None)
    if (entry.note, entry.link, entry.due) != (latest.note, latest.link, latest.due):
        return False
    if entry.kind == "done":
        return done is not None and done.on == entry.on
    if entry.kind == "claim":  # the same claim again (one sent back and claimed anew is news)
        return latest.kind == "claim" and latest.on == entry.on
    return done is None and entry.kind == latest.kind


def _moved(entry: ProgressEntry, history: list[ProgressEntry]) -> str | None:
    """Why a changed row cannot be recorded as a revision: its completion date moved or was cleared,
    which a new entry cannot say."""
    done = next((e for e in history if e.kind == "done"), None)
    if done is not None and entry.kind == "done" and entry.on != done.on:
        return (
            f"完成日期由 {done.on.isoformat()} 改为 {entry.on.isoformat()}:已登记的完成不能改日期;"
            "如确需更正,请由统筹单位用 gkcli reopen 重新打开后再导入"
        )
    if done is not None and entry.kind != "done":
        return f"完成日期 {done.on.isoformat()} 被清除:已登记的完成不能撤回;如确需重新打开,请由统筹单位用 gkcli reopen"
    return None


def _revision(entry: ProgressEntry, history: list[ProgressEntry], on: dt.date) -> ProgressEntry:
    """A changed row as a new entry whose source names the row and the revision (``~2``, ``~3``…).
    A completion already recorded is not recorded again: the row's new words become progress."""
    row = _row_of(history[0].source or "")
    if entry.kind == "done" and any(e.kind == "done" for e in history):
        entry = dataclasses.replace(entry, kind="progress", on=on)
    return dataclasses.replace(entry, source=f"{row}~{len(history) + 1}")


def _fitting(
    registry: Registry, task: Task, new: list[tuple[ProgressEntry, str]], problems: list[str]
) -> list[ProgressEntry]:
    """The new entries of one task that fit its log, in date order; each that does not is a problem
    of its row, with what to change in the form."""
    log = list(log_of(task))
    kept: list[ProgressEntry] = []
    for entry, at in sorted(new, key=lambda pair: pair[0].on):
        trial = [*log, entry]
        trial.sort(key=lambda e: e.on)  # stable: an entry goes after those of its day
        found = first_conflict(registry, task, tuple(trial))
        if found is not None:
            index, reason = found
            fix = "请清空这一行的完成日期" if entry.kind == "done" else "请清空这一行的申请延期日期或改为更晚的日期"
            if trial[index] is not entry:
                reason = (
                    f"它使 {trial[index].on.isoformat()} 的{ENTRY_KINDS[trial[index].kind].label}记录不再成立({reason})"
                )
            problems.append(f"{at}: 任务 {task.id}:{reason};{fix}" if entry.kind != "progress" else f"{at}: {reason}")
            continue
        log, kept = trial, [*kept, entry]
    return kept


def refuse(found: Recorded) -> None:
    """Raise when any row has a problem: nothing is written then."""
    if found.problems:
        raise BadValue(
            "填报表有问题,台账未改动:\n" + "\n".join(found.problems),
            hint="改正这些行后重新导入(已填写的其他行不受影响)",
        )


# ---- which forms came back ---------------------------------------------------------------------


def period_of(day: dt.date) -> str:
    """The reporting period (a month, ``2022-09``) a form dated ``day`` belongs to."""
    return f"{day.year:04d}-{day.month:02d}"


def sent_events(found: list[Form], written: list[str], today: dt.date) -> list[LogEvent]:
    """What the log records of forms exported: one line per form, with the file it was written to."""
    return [
        LogEvent(today, "form_sent", form.unit, period_of(form.as_of), form.form_id, file)
        for form, file in zip(found, written, strict=True)
    ]


def returned_events(
    filled: list[FilledForm], entries: dict[int, list[ProgressEntry]], today: dt.date
) -> list[LogEvent]:
    """What the log records of forms imported: one line per form, with the rows it recorded."""
    counts: dict[str, int] = {}
    for new in entries.values():
        for entry in new:
            form_id = (entry.source or "").partition("#")[0]
            counts[form_id] = counts.get(form_id, 0) + 1
    events = []
    for form in filled:
        try:
            period = period_of(dt.date.fromisoformat(form.as_of))
        except ValueError:
            continue  # a form without its day (refused before this)
        events.append(LogEvent(today, "form_returned", form.unit, period, form.form_id, form.file,
                               counts.get(form.form_id, 0)))  # fmt: skip
    return events


@dataclass(frozen=True)
class FormStatus:
    """Where one unit's form of a period stands: sent when, back when (None: still missing)."""

    unit: str
    sent_on: dt.date | None
    sent_file: str | None
    returned_on: dt.date | None
    returned_file: str | None
    rows: int | None
    reminded_on: dt.date | None = None  # the latest reminder to return it delivered to a work group

    @property
    def missing(self) -> bool:
        return self.sent_on is not None and self.returned_on is None


def form_period(text: str) -> str:
    """``--period`` of the forms: a month, ``2022-09`` or ``2022年9月``, as ``2022-09``."""
    found = re.fullmatch(r"\s*([0-9]{4})(?:-|年)([0-9]{1,2})月?\s*", text)
    if found is None or not 1 <= int(found[2]) <= 12:
        raise BadValue(f"--period {text}: 应是月份", hint="例如 --period 2022-09 或 --period 2022年9月")
    return f"{found[1]}-{int(found[2]):02d}"


def forms_of(
    registry: Registry, log: LogFile, period: str | None, known_on: dt.date | None = None
) -> tuple[str, list[FormStatus]]:
    """The period asked for (``--period``, else the latest forms were sent for) and where each unit's
    form of it stands (:func:`form_status`); BadValue when no form was ever sent."""
    chosen = form_period(period) if period is not None else latest_period(log)
    if chosen is None:
        raise BadValue("还没有发出过填报表", hint="先用 gkcli returns export 导出填报表,发出记录会写入 log.yaml")
    return chosen, form_status(registry, log, chosen, known_on)


def latest_period(log: LogFile) -> str | None:
    """The latest period forms were sent for."""
    return max((e.period for e in log.events if e.kind == "form_sent" and e.period), default=None)


def form_status(registry: Registry, log: LogFile, period: str, known_on: dt.date | None = None) -> list[FormStatus]:
    """Every unit with tasks in the plan (a form goes to a unit, not a group), in the plan's unit
    order (then any other unit the log names), with the latest form sent to it for ``period`` and what came back of that form (first
    returned on, the latest file, the rows recorded from all its returns), as the log says on
    ``known_on`` (None: all of it)."""
    sent: dict[str, LogEvent] = {}
    back: dict[str, list[LogEvent]] = {}
    reminded: dict[str, dt.date] = {}
    for event in log.events:
        if event.kind == "reminder_sent" and event.period == period and event.code == 0:
            if known_on is None or event.on <= known_on:
                for reminded_unit in event.units:
                    reminded[reminded_unit] = max(event.on, reminded.get(reminded_unit, event.on))
            continue
        if event.kind not in ("form_sent", "form_returned") or event.unit is None or event.period != period:
            continue
        if known_on is not None and event.on > known_on:
            continue
        name = registry.directory.find(event.unit)
        key = name.name if name is not None else event.unit
        if event.kind == "form_returned":
            back.setdefault(key, []).append(event)
        elif key not in sent or sent[key].on <= event.on:
            sent[key] = event
    units = [e.name for e in registry.directory.entities() if not e.is_group]  # a form goes to a unit
    with_tasks = [u for u in units if queries.tasks_naming(registry, u)]
    names = [*with_tasks, *sorted(n for n in {*sent, *back} if n not in with_tasks)]
    return [
        dataclasses.replace(_status(name, sent.get(name), back.get(name, [])), reminded_on=reminded.get(name))
        for name in names
    ]


def _status(unit: str, sent: LogEvent | None, back: list[LogEvent]) -> FormStatus:
    """One unit's form: the latest sent, and what came back of it (the returns naming that form, or
    without a form id those dated on or after it was sent; every return when none was sent)."""
    if sent is not None:
        back = [e for e in back if e.form == sent.form] or [e for e in back if e.form is None and e.on >= sent.on]
    if not back:
        return FormStatus(unit, sent.on if sent else None, sent.file if sent else None, None, None, None)
    return FormStatus(
        unit, sent.on if sent else None, sent.file if sent else None, min(e.on for e in back), back[-1].file,
        sum(e.rows or 0 for e in back),
    )  # fmt: skip
