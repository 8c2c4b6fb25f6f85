"""Where each task stands in the text of tasks.yaml, and editing tasks there without re-reading the rest.

A registry read from its files knows the lines of every task (:func:`task_spans`). A write
whose file is exactly one already validated (its cached entry says so) re-reads only the
lines it changes (:func:`edit_in_place`): the task's lines are cut out, read on their own
and must give exactly the task the registry holds; the edit is made there; the edited lines
are read, validated and checked with every rule that can see a task's status, dates and
log; and they are put back in place. Anything that cannot be proved this way (a file with
unusual line breaks, a task written in flow style, any finding at all) gives ``None``, and
the caller reads and checks the whole file instead, so nothing is accepted here that
``gkcli check`` would refuse.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterable, Sequence
from typing import Any

from gkcli.domain.records import Task, TasksFile
from gkcli.domain.registry import Registry
from gkcli.errors import CannotEdit
from gkcli.store.yaml_edit import TaskChange, edit_task
from gkcli.store.yaml_reader import Document, SourceMap, parse_text

Span = tuple[int, int]

_WRAPPER = "tasks:\n"  # a task's lines read on their own, as the only item of a task list
_ITEM_START = re.compile(r"( *)-[ ]+")
_NEWLINE = re.compile("\n")
# line breaks YAML counts that a split at "\n" would not: with any of them the offsets would be wrong
_OTHER_BREAKS = re.compile("\r(?!\n)|[\x85\u2028\u2029]")


def task_spans(doc: Document) -> list[Span] | None:
    """(start, end) offsets of every task's lines in ``doc.text``: from the start of the line of its
    ``-`` to the start of the next task's line (comments and blank lines between tasks go with the
    task before them), the last one to the next top-level key or the end. None for a task list
    that is not a block list of one ``-`` per task, all at one indentation."""
    text, data = doc.source.text, doc.data
    tasks = data.get("tasks") if isinstance(data, dict) else None
    if not text or not isinstance(tasks, list) or not tasks or _OTHER_BREAKS.search(text):
        return None
    starts = [0, *(m.end() for m in _NEWLINE.finditer(text))]
    later_keys = [pos[0] for path, pos in doc.source.keys.items() if len(path) == 1 and path != ("tasks",)]
    first_lines: list[int] = []
    dash_column = None
    for index in range(len(tasks)):
        where = doc.source.values.get(("tasks", index))
        if where is None:
            return None
        line, column = where
        prefix = _ITEM_START.fullmatch(text, starts[line - 1], starts[line - 1] + column - 1)
        if prefix is None or (dash_column is not None and len(prefix.group(1)) != dash_column):
            return None
        dash_column = len(prefix.group(1))
        first_lines.append(line)
    if first_lines != sorted(set(first_lines)):
        return None
    end_line = min((k for k in later_keys if k > first_lines[-1]), default=len(starts) + 1)
    ends = [*first_lines[1:], end_line]
    offset = [*starts, len(text)]
    return [(offset[a - 1], offset[min(b, len(offset)) - 1]) for a, b in zip(first_lines, ends, strict=True)]


@dataclasses.dataclass(frozen=True)
class Edited:
    """The file's text after the edits, and the registry it gives (with its tasks' spans)."""

    text: str
    registry: Registry
    changed: list[int]  # positions of the edited tasks


def edit_in_place(
    text: str, registry: Registry, changes: Sequence[tuple[int, TaskChange]], display: str, today: dt.date
) -> Edited | None:
    """``text`` (the validated file ``registry`` was read from) with ``changes`` made to their tasks'
    lines only, and the registry it gives; None when that cannot be shown without reading the whole
    file (then nothing is known about whether the edit is acceptable)."""
    spans = registry.source_spans
    if spans is None or len(spans) != len(registry.tasks) or _latest_date(registry.tasks) > today:
        return None  # a date after today elsewhere: the whole check refuses it, with its message
    index_of = {t.id: n for n, t in enumerate(registry.tasks)}
    edits: dict[int, tuple[str, Task]] = {}
    for task_id, change in changes:
        index = index_of.get(task_id)
        if index is None or index in edits:
            return None
        start, end = spans[index]
        if not _at_line_start(text, start) or not _at_line_start(text, end):
            return None
        lines = text[start:end]
        if _read_task(lines, display) != registry.tasks[index]:
            return None
        try:
            wrapped = edit_task(_WRAPPER + lines, task_id, change)
        except CannotEdit:
            return None
        if not wrapped.startswith(_WRAPPER):
            return None
        new_lines = wrapped[len(_WRAPPER) :]
        task = _read_task(new_lines, display)
        if task is None:
            return None
        edits[index] = (new_lines, task)
    tasks = list(registry.tasks)
    for index, (_, task) in edits.items():
        tasks[index] = task
    after = Registry.build(
        registry.plan, list(registry.parts), tasks, list(registry.directory.units),
        list(registry.directory.groups), dict(registry.due_dates),
    )  # fmt: skip
    for index in edits:
        after.due_dates[tasks[index].id] = after.effective_due(tasks[index])
    if _findings(after, [tasks[i] for i in sorted(edits)], today):
        return None
    pieces, new_spans, at, shift = [], [], 0, 0
    for index, (start, end) in enumerate(spans):
        if index in edits:
            new_lines = edits[index][0]
            pieces += [text[at:start], new_lines]
            at = end
            new_spans.append((start + shift, start + shift + len(new_lines)))
            shift += len(new_lines) - (end - start)
        else:
            new_spans.append((start + shift, end + shift))
    pieces.append(text[at:])
    after.source_spans = new_spans
    return Edited("".join(pieces), after, sorted(edits))


def _at_line_start(text: str, index: int) -> bool:
    return index == 0 or index == len(text) or (0 < index < len(text) and text[index - 1] == "\n")


def _read_task(lines: str, display: str) -> Task | None:
    """The one task ``lines`` hold, read and validated on their own; None for anything else, and
    for any finding of the reader or the text rules."""
    from pydantic import ValidationError

    from gkcli.check.text import check_text
    from gkcli.store.schema import adapter

    doc = parse_text(_WRAPPER + lines, display)
    data: Any = doc.data
    if doc.diagnostics or not isinstance(data, dict) or list(data) != ["tasks"]:
        return None
    items = data["tasks"]
    if not isinstance(items, list) or len(items) != 1 or any(True for _ in check_text(doc.source)):
        return None
    try:
        task: Task = adapter(Task).validate_python(items[0])
    except ValidationError:
        return None
    return task


def _findings(registry: Registry, tasks: list[Task], today: dt.date) -> bool:
    """True when any rule that can see a task's status, dates, units or log finds an error in ``tasks``."""
    from gkcli.check.references import check_log, check_progress, check_references

    part = TasksFile(plan=registry.plan, parts=tuple(registry.parts), tasks=tuple(tasks))
    nowhere = SourceMap("")
    found: Iterable[Any] = (
        *check_references(part, registry.directory, nowhere),
        *check_progress(part, registry.directory, nowhere, today),
        *check_log(part, registry, nowhere),
    )
    return any(d.severity == "error" for d in found)


def _latest_date(tasks: Iterable[Task]) -> dt.date:
    """The latest completion, progress or recording date written anywhere."""
    latest = dt.date.min
    for task in tasks:
        if task.done_on is not None and task.done_on > latest:
            latest = task.done_on
        for entry in task.progress:
            latest = max(latest, entry.on, entry.recorded or entry.on)
    return latest
