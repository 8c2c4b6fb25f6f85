"""Where each task stands in the text of tasks.yaml, and reading or editing only the tasks that change.

A registry read from its files knows the lines of every task and a digest of each
(:func:`layout_of`). Two things use that:

- A write whose file is exactly one already validated (its cached entry says so) re-reads only
  the lines it changes (:func:`edit_in_place`): the task's lines are cut out, read on their own
  and must give exactly the task the registry holds; the edit is made there; the edited lines
  are read, validated and checked with every rule that can see a task's status, dates and log;
  and they are put back in place.
- A read after a hand edit (:func:`reread`) finds, by the digests, the tasks whose lines are no
  longer what they were (the text before and after the task list must be unchanged), reads and
  checks only those lines, and runs the rules that look across tasks on the whole list.

Anything that cannot be proved this way (a file with unusual line breaks, a task written in flow
style, any finding at all) gives ``None``, and the caller reads and checks the whole file
instead, so nothing is accepted here that ``gkcli check`` would refuse.

Why the lines can be read on their own: every task of a block list starts with ``-`` at one
column and ends where the next one starts (or the next top-level key, or the end). Lines that
read, on their own, as whole items of such a list read the same between other such items, as
long as nothing in them can change how the text around them parses (:func:`confined`): no line
at or left of the list's ``-`` column but blank lines, comments and the items' own ``-`` lines
(so no ``---``, ``...``, ``%`` directive or top-level key), no byte-order mark, and every line
ending as the file's lines do (a write adds lines with the file's line break, so a task whose
breaks differ from the file's is not edited on its own). Anchors and aliases are findings wherever
they stand, so lines holding one are never read on their own.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import itertools
import operator
import re
import typing
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from gkcli.domain.records import Task, TasksFile, read_keys, violations, yaml_key
from gkcli.domain.registry import Registry
from gkcli.errors import CannotEdit
from gkcli.findings import SourceMap
from gkcli.store.cache import Edit, Entry
from gkcli.store.layout import DIGEST_BYTES, SourceLayout, blake2b, keep_layout
from gkcli.store.layout import layout as source_layout
from gkcli.store.yaml_edit import TaskChange, edit_task
from gkcli.store.yaml_reader import Document, parse_text

Span = tuple[int, int]

_WRAPPER = "tasks:\n"  # tasks' lines read on their own, as the items of a task list
_ITEM_START = re.compile(r"( *)-[ ]+")
_ITEM_START_BYTES = re.compile(rb"( *)-[ ]+")
_NEWLINE = re.compile("\n")
# line breaks YAML counts that a split at "\n" would not: with any of them the offsets would be wrong
_OTHER_BREAKS = re.compile("\r(?!\n)|[\x85\u2028\u2029]")
# what may stand in lines read on their own: no other line break, no byte-order mark
_NOT_CONFINED = re.compile("[\r\x85\u2028\u2029\ufeff]")


def confined(lines: str, dash_column: int, crlf: bool) -> bool:
    """Whether ``lines`` (whole items of a block list whose ``-`` stands ``dash_column`` in) hold
    nothing that could change how the text around them parses: every line is blank, a comment,
    an item's ``- `` at exactly that column, or indented further; lines end as the file's do
    (``crlf``: the file has ``\r\n`` breaks, and a write adds lines with them), all alike."""
    if crlf:
        if lines.count("\r\n") != lines.count("\n"):
            return False
        lines = lines.replace("\r\n", "\n")
    if _NOT_CONFINED.search(lines):
        return False
    for line in lines.split("\n"):
        content = line.lstrip(" ")
        indent = len(line) - len(content)
        if indent > dash_column or not content or content[0] == "#":
            continue
        if indent < dash_column or not (content.startswith("- ") or content == "-"):
            return False
    return True


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


def layout_of(doc: Document, tasks: Iterable[Task]) -> SourceLayout | None:
    """Where each task of ``doc`` (which holds ``tasks``) stands in its bytes, with the digests that
    let a later reading see what changed."""
    found = task_spans(doc)
    if found is None:
        return None
    text = doc.source.text
    data, spans = text.encode("utf-8", "surrogatepass"), in_bytes(text, found)
    cuts = [spans[0][0], *(end for _, end in spans)]  # task_spans ends each task where the next begins
    digests = b"".join(digest(data[a:b]) for a, b in spans)
    return SourceLayout(cuts, digests, digest(data[: cuts[0]]), digest(data[cuts[-1] :]), len(data), latest_date(tasks))


def in_bytes(text: str, spans: Sequence[Span]) -> list[Span]:
    """``spans`` (character offsets in ``text``) as offsets in its UTF-8 bytes."""
    where, at, count = {0: 0}, 0, 0
    for cut in sorted({offset for span in spans for offset in span}):
        count += len(text[at:cut].encode("utf-8", "surrogatepass"))
        where[cut], at = count, cut
    return [(where[a], where[b]) for a, b in spans]


def digest(data: bytes | memoryview) -> bytes:
    return blake2b(data, digest_size=DIGEST_BYTES).digest()


@dataclasses.dataclass(frozen=True)
class Edited:
    """The file's bytes after the edits (after any byte-order mark, see ``layout.body``), the
    registry they give (with its layout) and how its task list is made from the one before (see
    ``cache.dump_edited``)."""

    data: bytes
    registry: Registry
    edit: Edit


def edit_in_place(
    data: bytes,
    entry: Entry,
    changes: Sequence[tuple[int, TaskChange]],
    display: str,
    today: dt.date,
    expected: Callable[[Task, TaskChange], Task],
) -> Edited | None:
    """``data`` (the bytes of the validated file ``entry`` was stored for, after any byte-order mark)
    with ``changes`` made to their tasks' lines only (the rest is never decoded), and the registry it gives (holding the tasks ``entry.registry`` holds: all, or just
    those changed); None when that cannot be shown without reading the whole file (then nothing
    is known about whether the edit is acceptable).

    ``expected`` gives the task a change should leave. The task's lines must read as exactly its
    task before the edit, and as exactly the expected task after it: the expected task is the
    validated one with a status, a date and log entries that the change made from checked values,
    so no schema validation is needed (nor Pydantic, the slowest part of a write to start)."""
    registry, layout = entry.registry, source_layout(entry.registry)
    if layout is None or layout.count != entry.count or layout.latest > today:
        return None  # a date after today anywhere: the whole check refuses it, with its message
    edits: dict[int, tuple[bytes, Task]] = {}  # by position in the file
    crlf = b"\r\n" in data
    for task_id, change in changes:
        index = entry.positions.get(task_id)
        if index is None or index in edits:
            return None
        lines = _lines(data, *layout.span(index))
        if lines is None:
            return None
        dash_column = _dash_column(lines)
        if not confined(lines, dash_column, crlf) or not _holds(lines, registry.tasks_by_id[task_id], display):
            return None
        try:
            wrapped = edit_task(_WRAPPER + lines, task_id, change)
        except CannotEdit:
            return None
        if not wrapped.startswith(_WRAPPER):
            return None
        new_lines = wrapped[len(_WRAPPER) :]
        task = expected(registry.tasks_by_id[task_id], change)
        if violations(task):  # a value the schema refuses: the whole check says which, with its message
            return None
        if not confined(new_lines, dash_column, crlf) or not _holds(new_lines, task, display):
            return None
        edits[index] = (new_lines.encode("utf-8"), task)
    replaced = {task.id: task for _, task in edits.values()}
    edited = _rebuilt(registry, [replaced.get(t.id, t) for t in registry.tasks])
    if _findings(edited, list(replaced.values()), today):
        return None
    pieces: list[bytes] = []
    cuts, digests = list(layout.cuts), bytearray(layout.digests)
    reused: list[int | None] = list(range(layout.count))
    at, shift = 0, 0
    order = sorted(edits)
    for index, upto in zip(order, [*order[1:], layout.count], strict=True):
        start, end = layout.span(index)
        new_bytes = edits[index][0]
        pieces += [data[at:start], new_bytes]
        at = end
        digests[index * DIGEST_BYTES : (index + 1) * DIGEST_BYTES], reused[index] = digest(new_bytes), None
        shift += len(new_bytes) - (end - start)
        if shift:  # the tasks up to the next edit move with it (the cut before this one has moved already)
            cuts[index + 1 : upto + 1] = [cut + shift for cut in layout.cuts[index + 1 : upto + 1]]
    pieces.append(data[at:])
    new_data = b"".join(pieces)
    latest = max(layout.latest, latest_date(replaced.values()))
    keep_layout(edited, SourceLayout(cuts, bytes(digests), layout.head, layout.tail, len(new_data), latest))
    return Edited(new_data, edited, Edit(reused, {index: task for index, (_, task) in edits.items()}))


def _lines(data: bytes, start: int, end: int) -> str | None:
    """The text of whole lines ``data[start:end]``, or None where that is not whole lines of UTF-8."""
    if not _at_line_start(data, start) or not _at_line_start(data, end):
        return None
    try:
        return data[start:end].decode("utf-8")
    except UnicodeDecodeError:
        return None


def reread(data: bytes, registry: Registry, display: str) -> Edited | None:
    """The registry ``data`` (a file's bytes after any byte-order mark) gives, when it is the file
    ``registry`` was read from with some tasks' lines changed, added or removed (and nothing else):
    only those lines are decoded, read and checked, and the rules that look across tasks run on the
    whole list. None when that cannot be shown (then the whole file must be read)."""
    layout = source_layout(registry)
    if layout is None or not layout.count or layout.count != len(registry.tasks):
        return None
    changed = _changed(data, layout)
    if changed is None:
        return None
    same, end, start, stop = changed
    lines = _lines(data, start, stop)
    if lines is None:
        return None
    dash_column = _dash_column(data, layout.cuts[0])
    if lines and (_dash_column(lines) != dash_column or not confined(lines, dash_column, b"\r\n" in data)):
        return None  # the new lines must be items of the same list, and leave the text around them as it was
    found = _read_tasks(lines, display, registry.tasks[same:end]) if lines else ([], [])
    if found is None:
        return None
    new_tasks, new_spans = found
    tasks = [*registry.tasks[:same], *new_tasks, *registry.tasks[end:]]
    after = _rebuilt(registry, tasks)
    if not _still_valid(registry, tasks, after, new_tasks):
        return None
    after = _rebuilt(registry, tasks, after.due_dates, trusted=registry.trusted)  # now checked whole, as it was
    cuts, digests, shift = layout.cuts, layout.digests, len(data) - layout.length
    placed = [(a + start, b + start) for a, b in in_bytes(lines, new_spans)]  # they run from start to stop
    keep_layout(after, SourceLayout(
        [*cuts[:same], *(a for a, _ in placed), *(cut + shift for cut in cuts[end:])],
        b"".join([digests[: same * DIGEST_BYTES], *(digest(data[a:b]) for a, b in placed), digests[end * DIGEST_BYTES :]]),
        layout.head, layout.tail, len(data), latest_date(tasks),
    ))  # fmt: skip
    reused = [*range(same), *([None] * len(new_tasks)), *range(end, layout.count)]
    return Edited(data, after, Edit(reused, {same + n: task for n, task in enumerate(new_tasks)}))


def _changed(data: bytes, layout: SourceLayout) -> tuple[int, int, int, int] | None:
    """Where ``data`` differs from the bytes ``layout`` describes, in whole tasks: the tasks before
    index ``same`` and from index ``end`` on are unchanged (those after moved), and ``data[start:stop]``
    holds what stands between them. None when the text around the tasks changed, or the changed
    part does not begin and end at line starts."""
    cuts = layout.cuts
    shift = len(data) - layout.length
    first, last = cuts[0], cuts[-1]
    if last + shift < first or digest(data[:first]) != layout.head or digest(data[last + shift :]) != layout.tail:
        return None
    view = memoryview(data)
    same = _unchanged_at_start(view, layout)  # the tasks before this one are unchanged
    # the tasks from ``end`` on are unchanged, moved by ``shift`` (none moved to before the list)
    end = _unchanged_from(view, layout, max(same, _first_in_list(cuts, first - shift)), shift)
    start = cuts[same]
    if same > 0 and _dash_column(data, start) < 0:  # new lines that are no task (a comment): as a
        same -= 1  # fresh reading does, they go with the task before them
        start = cuts[same]
    stop = cuts[end] + shift  # where the unchanged tasks after them begin
    if stop < start or not _at_line_start(data, start) or not _at_line_start(data, stop):
        return None
    return same, end, start, stop


# How many tasks' digests are compared at once: their lines are hashed in one pass in C and the
# joined digests compared as one string; a run grows fourfold while it matches, so an edit near
# either end of a long list costs a few tasks' hashing, and one at the end of 20,000 about 7 passes.
_FIRST_RUN = 16


def _digests(view: memoryview, cuts: Sequence[int], lo: int, hi: int, shift: int) -> bytes:
    """The joined digests of the lines of tasks ``lo`` to ``hi`` (excluded), moved by ``shift`` bytes."""
    starts = map(operator.add, cuts[lo:hi], itertools.repeat(shift))
    stops = map(operator.add, cuts[lo + 1 : hi + 1], itertools.repeat(shift))
    return b"".join(map(digest, map(view.__getitem__, map(slice, starts, stops))))


def _differing(found: bytes, stored: bytes) -> list[int]:
    """Which of two runs of joined digests differ, by place."""
    size = DIGEST_BYTES
    return [
        n for n in range(len(stored) // size) if found[n * size : (n + 1) * size] != stored[n * size : (n + 1) * size]
    ]


def _unchanged_at_start(view: memoryview, layout: SourceLayout) -> int:
    """How many tasks at the start of the list have the lines they had."""
    done, run, size = 0, _FIRST_RUN, DIGEST_BYTES
    while done < layout.count:
        hi = min(layout.count, done + run)
        found, stored = _digests(view, layout.cuts, done, hi, 0), layout.digests[done * size : hi * size]
        if found != stored:
            return done + _differing(found, stored)[0]
        done, run = hi, run * 4
    return done


def _unchanged_from(view: memoryview, layout: SourceLayout, lowest: int, shift: int) -> int:
    """The first of the tasks at the end of the list (none before ``lowest``) that have the lines they
    had, moved by ``shift`` bytes, as have all after it."""
    end, run, size = layout.count, _FIRST_RUN, DIGEST_BYTES
    while end > lowest:
        lo = max(lowest, end - run)
        found, stored = _digests(view, layout.cuts, lo, end, shift), layout.digests[lo * size : end * size]
        if found != stored:
            return lo + 1 + _differing(found, stored)[-1]
        end, run = lo, run * 4
    return end


def _first_in_list(cuts: Sequence[int], at: int) -> int:
    """The first task whose lines begin at ``at`` or later."""
    return bisect.bisect_left(cuts, at, 0, len(cuts) - 1)


def _still_valid(registry: Registry, tasks: list[Task], after: Registry, new_tasks: list[Task]) -> bool:
    """Whether the tasks as re-read pass the rules that look across tasks, and the new ones their own."""
    from gkcli.check.structure import check_tasks

    whole = TasksFile(plan=registry.plan, parts=tuple(registry.parts), tasks=tuple(tasks))
    return not (
        any(d.severity == "error" for d in check_tasks(whole, SourceMap(""))) or _findings(after, new_tasks, None)
    )


def _rebuilt(
    registry: Registry, tasks: list[Task], due_dates: dict[int, dt.date | None] | None = None, *, trusted: bool = False
) -> Registry:
    """``registry`` with these tasks (its plan, parts and units as they are), the due dates of those
    it already held kept. Not ``trusted`` until its changed tasks have been checked against their
    logs (GK507) with this very registry; once they have, it is as trusted as ``registry`` was."""
    if due_dates is None:
        known, due_dates = registry.tasks_by_id, {}
        for task in tasks:
            due_dates[task.id] = (
                registry.due_dates[task.id] if known.get(task.id) is task else registry.effective_due(task)
            )
    return Registry.build(
        registry.plan,
        list(registry.parts),
        tasks,
        list(registry.directory.units),
        list(registry.directory.groups),
        due_dates,
        trusted=trusted,
    )


def _dash_column(text: str | bytes, at: int = 0) -> int:
    """How far in the ``-`` of the line starting at ``at`` stands (-1 when that line is no list item)."""
    match = _ITEM_START_BYTES.match(text, at) if isinstance(text, bytes) else _ITEM_START.match(text, at)
    return len(match.group(1)) if match else -1


def _at_line_start(text: str | bytes, index: int) -> bool:
    return index == 0 or index == len(text) or (0 < index < len(text) and text[index - 1 : index] in ("\n", b"\n"))


def _holds(lines: str, task: Task, display: str) -> bool:
    """Whether ``lines``, read on their own, are exactly ``task`` as YAML gives it: the same keys
    (a key left out stands for its default) and values of the same types, with no finding of the
    reader or the text rules."""
    from gkcli.check.text import check_text

    doc = parse_text(_WRAPPER + lines, display, lean=True)
    data: Any = doc.data
    if (
        doc.diagnostics
        or not isinstance(data, dict)
        or list(data) != ["tasks"]
        or any(True for _ in check_text(doc.source))
    ):
        return False
    items = data["tasks"]
    return isinstance(items, list) and len(items) == 1 and _same(_filled(items[0], task), _as_data(task))


def _as_data(value: Any) -> Any:
    """A record as YAML data: a mapping of its YAML keys, tuples as lists."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        kind = type(value)
        return {yaml_key(kind, f.name): _as_data(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple):
        return [_as_data(v) for v in value]
    return value


def _filled(data: Any, like: Any) -> Any:
    """YAML data with the keys a record of ``like``'s kind leaves out given their defaults (None when
    it has keys the record does not), so that it compares with :func:`_as_data`."""
    if dataclasses.is_dataclass(like) and not isinstance(like, type):
        kind = type(like)
        fields = {yaml_key(kind, f.name): f for f in dataclasses.fields(like)}
        keys = read_keys(kind)  # an older key (``on:``) counts as the field's own
        if not isinstance(data, dict) or not set(data) <= set(keys):
            return None
        data = {yaml_key(kind, keys[k]): v for k, v in data.items()}
        if len(data) != len(set(data)):
            return None
        filled = {}
        for key, f in fields.items():
            if key in data:
                value = data[key]
                inner = getattr(like, f.name)
                if isinstance(inner, tuple) and inner and isinstance(value, list) and len(value) == len(inner):
                    value = [_filled(v, i) for v, i in zip(value, inner, strict=True)]
                filled[key] = value
            elif f.default is not dataclasses.MISSING:
                filled[key] = _as_data(f.default)
            else:
                return None
        return filled
    return data


def _same(a: Any, b: Any) -> bool:
    """Equal, and of the same types all the way down (``1``, ``1.0`` and ``True`` are not the same)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def _read_tasks(lines: str, display: str, were: Sequence[Task] = ()) -> tuple[list[Task], list[Span]] | None:
    """The tasks ``lines`` hold, read and validated on their own, with where each stands in them;
    None for anything else, and for any finding of the reader or the text rules. ``were``: the tasks
    these lines held before, in order; an item that reads as exactly the task at its place there
    (see :func:`_holds`: only a comment or the layout changed) is that task, and needs no validation."""
    from gkcli.check.text import check_text

    doc = parse_text(_WRAPPER + lines, display, lean=True)
    data: Any = doc.data
    if doc.diagnostics or not isinstance(data, dict) or list(data) != ["tasks"]:
        return None
    items = data["tasks"]
    spans = task_spans(doc)
    if not isinstance(items, list) or spans is None or any(True for _ in check_text(doc.source)):
        return None
    tasks = [
        were[n] if n < len(were) and _same(_filled(item, were[n]), _as_data(were[n])) else _validated(item)
        for n, item in enumerate(items)
    ]
    if None in tasks:
        return None
    return typing.cast(list[Task], tasks), [(a - len(_WRAPPER), b - len(_WRAPPER)) for a, b in spans]


def _validated(item: Any) -> Task | None:
    """The task YAML data gives, validated (None when it is not one)."""
    from pydantic import ValidationError

    from gkcli.store.schema import adapter

    try:
        task: Task = adapter(Task).validate_python(item)
    except ValidationError:
        return None
    return task


def _findings(registry: Registry, tasks: list[Task], today: dt.date | None) -> bool:
    """True when any rule that can see a task's own content (units, deadline, status, dates, log)
    finds an error in ``tasks``; ``today`` also checks that no date is later (as a write does)."""
    from gkcli.check.references import check_log, check_progress, check_references

    part = TasksFile(plan=registry.plan, parts=tuple(registry.parts), tasks=tuple(tasks))
    nowhere = SourceMap("")
    found: Iterable[Any] = (
        *check_references(part, registry.directory, nowhere),
        *check_progress(part, registry.directory, nowhere, today),
        *check_log(part, registry, nowhere),
    )
    return any(d.severity == "error" for d in found)


def latest_date(tasks: Iterable[Task]) -> dt.date:
    """The latest completion, progress or recording date written anywhere."""
    latest = dt.date.min
    for task in tasks:
        if task.done_on is not None and task.done_on > latest:
            latest = task.done_on
        if task.added_on is not None and task.added_on > latest:
            latest = task.added_on
        for entry in task.progress:
            latest = max(latest, entry.on, entry.recorded or entry.on)
    return latest
