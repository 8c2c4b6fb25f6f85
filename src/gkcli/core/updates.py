"""Recording work in the registry: done, progress, reopen, and starting a working copy.

Every update runs under the folder's write lock, re-reads tasks.yaml, edits only
the lines of its task, checks the registry as it would be (only the changed tasks,
when the rest is a file already validated: see ``store.task_lines``; else the whole
of it), and only then replaces the file atomically. An update that would make the
registry invalid, or that cannot be made without touching other lines, writes nothing.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import functools
import os
import re
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from gkcli.core.queries import assignment, find_task
from gkcli.domain.records import (
    ENTRY_KIND_LABELS,
    ENTRY_KINDS,
    LINK_PATTERN,
    MAX_LINK_CHARS,
    MAX_NOTE_CHARS,
    EntryKind,
    ProgressEntry,
    Status,
    Task,
)
from gkcli.domain.registry import MAX_FILE_BYTES, Registry
from gkcli.domain.timeline import (
    CARRIED_NOTE,
    completes,
    first_conflict,
    lead_parties,
    log_of,
    replay,
    speaks_for_whole,
)
from gkcli.errors import BadValue, CannotEdit, ReadOnlyRegistry, RegistryInvalid, UpdateRefused
from gkcli.findings import SourceMap
from gkcli.store import cache
from gkcli.store.files import failed, locked, registry_target, remove_stale_temporaries, replace_file, shown
from gkcli.store.layout import BOM, body
from gkcli.store.locate import TASKS_FILE, UNITS_FILE, RegistryFolder, bundled_directory
from gkcli.store.task_lines import edit_in_place
from gkcli.store.yaml_edit import TaskChange, append_tasks, edit_task
from gkcli.store.yaml_reader import decode
from gkcli.text import unwritable


@dataclass(frozen=True)
class UpdateResult:
    task_id: int
    status: Status
    done_on: dt.date | None
    entry: ProgressEntry | None
    path: Path
    share: str | None = None  # the unit whose own share the entry speaks for (None: the whole task)
    leads_open: tuple[str, ...] = ()  # lead parties whose part is still open
    leads_total: int = 0
    due: dt.date | None = None  # the due date now in force (of the part, or of the task)


def ensure_writable(source: RegistryFolder) -> None:
    bundled = bundled_directory()
    same = not bundled.is_symlink() and source.directory.resolve() == bundled.resolve()
    if source.origin == "bundled" or same:
        raise ReadOnlyRegistry(
            "不能修改随软件安装的内置台账",
            hint="先运行 gkcli init 台账目录 复制一份,再用 gkcli --data 台账目录 done … 登记(或设置 GKCLI_DATA)",
        )


def checked_date(registry: Registry, on: dt.date, as_of: dt.date, today: dt.date, what: str) -> dt.date:
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


def checked_note(note: str | None, *, required: bool, what: str = "进展情况") -> str | None:
    if note is None:
        if required:
            raise BadValue(f"请用 --note 写明{what}")
        return None
    if any("\ud800" <= c <= "\udfff" for c in note):
        raise BadValue("进展说明中有无法识别的字节(不是 UTF-8 文字)", hint="请检查终端或脚本的编码设置")
    cleaned = note.strip()
    _refuse_unwritable(cleaned, "进展说明", prose=True)
    if not cleaned:
        raise BadValue("进展说明不能为空")
    if len(cleaned) > MAX_NOTE_CHARS:
        raise BadValue(
            f"进展说明有 {len(cleaned)} 个字符,超过 {MAX_NOTE_CHARS} 个字符的上限",
            hint="请只写要点;详细材料请放在网上,用佐证链接指向它",
        )
    return cleaned


def _refuse_unwritable(text: str, what: str, *, prose: bool = False) -> None:
    bad = unwritable(text, prose=prose)
    if bad is not None:
        raise BadValue(
            f"{what}中有控制字符或任何文件格式都写不出的字符 U+{ord(bad):04X}", hint="请删去它(多半是从别处复制来的)"
        )


def checked_unit(registry: Registry, task: Task, unit: str | None) -> str | None:
    """The reporting unit's name, when it has a role in the task (directly or through a group) or
    is the coordinating office (whose entry then speaks for the whole task, see
    :func:`~gkcli.domain.timeline.speaks_for_whole`); None for the whole task."""
    if unit is None:
        return None
    entity = registry.directory.resolve(unit)
    if speaks_for_whole(registry, task, entity.name) or assignment(registry, task, entity) is not None:
        return entity.name
    named = "、".join(dict.fromkeys([*task.lead, *task.responsible]))
    office = (
        f";统筹单位 {registry.plan.office} 可为任何任务登记"
        if registry.plan.office
        else ";若它是统筹单位,在 tasks.yaml 的 plan 中写 office: 它的名称,即可为任何任务登记"
    )
    raise BadValue(f"{entity.name} 在任务 {task.id} 中没有角色", hint=f"有角色的单位: {named}{office}")


def checked_link(link: str | None) -> str | None:
    if link is None:
        return None
    cleaned = link.strip()
    _refuse_unwritable(cleaned, "佐证链接")
    if len(cleaned) > MAX_LINK_CHARS:
        raise BadValue(f"佐证链接有 {len(cleaned)} 个字符,超过 {MAX_LINK_CHARS} 个字符的上限")
    if not LINK.fullmatch(cleaned):
        raise BadValue(f"佐证链接应是以 http:// 或 https:// 开头、不含空白的网址: {cleaned}")
    return cleaned


LINK = re.compile(LINK_PATTERN)


def expected_task(task: Task, change: TaskChange) -> Task:
    """The task as the change should leave it, to compare with what the edited file says."""
    update: dict[str, object] = {"progress": _new_log(task, change)}
    if change.status is not None:
        update["status"] = change.status
    if change.done_on is not None:
        update["done_on"] = change.done_on
    if change.drop_done_on:
        update["done_on"] = None
    if change.carried_from is not None:
        update["carried_from"] = change.carried_from
    return dataclasses.replace(task, **update)  # type: ignore[arg-type]


def _update(
    source: RegistryFolder, task_id: int, today: dt.date, decide: Callable[[Registry, Task], TaskChange]
) -> UpdateResult:
    """Apply ``decide``'s change to one task (see :func:`_update_many`)."""
    results = _update_many(
        source, today, lambda registry: [(task_id, decide(registry, find_task(registry, task_id)))], [task_id]
    )
    return results[0]


def _update_many(
    source: RegistryFolder,
    today: dt.date,
    decide: Callable[[Registry], list[tuple[int, TaskChange]]],
    ids: Collection[int],
    env: Mapping[str, str] = os.environ,
) -> list[UpdateResult]:
    """Apply ``decide``'s changes (one per task, to the tasks ``ids``) in one locked, atomic write,
    only if the result is a registry that ``gkcli check`` accepts on ``today`` (within the size
    limit and every rule) and every other task is as it was. Nothing is written otherwise.

    When the file is one already validated (its cache entry says so), only those tasks are taken
    from the entry and only their lines are read and checked again (:mod:`gkcli.store.task_lines`);
    otherwise, or when that cannot prove the result acceptable, the whole registry is read and
    checked before and after. The written registry is cached, so the next command finds it
    without reading the YAML.

    The public functions take ``today`` (the real date, or GKCLI_TODAY) apart from ``as_of``;
    without it ``as_of`` stands for today."""
    display = source.display(source.tasks_path)
    with _held(source) as held:
        cache_dir = cache.directory(env)
        entry = cache.fetch_entry(cache_dir, held.name, ids) if held.size <= MAX_FILE_BYTES else None
        registry = entry.registry if entry is not None else _validated(source, held.text, held.units_raw)
        changes = decide(registry)
        if not changes:  # nothing to change (a link already written): the file stays as it is
            return []
        quick = (
            edit_in_place(body(held.raw), entry, changes, display, today, expected_task) if entry is not None else None
        )
        if quick is None and entry is not None and not entry.whole:
            entry = cache.fetch_entry(cache_dir, held.name)  # the whole file is checked: every task is needed
            registry = entry.registry if entry is not None else _validated(source, held.text, held.units_raw)
            changes = decide(registry)
        if quick is not None:
            data, after = held.with_mark(quick.data, "写入"), quick.registry
        else:
            new_text = _edited(held.text, changes)
            data = held.encoded(new_text, "写入")
            after = _accepted(source, new_text, held.units_raw, today)
        expected = {task_id: expected_task(registry.tasks_by_id[task_id], change) for task_id, change in changes}
        if not _only_these_changed(registry, after, expected):
            raise CannotEdit("无法在不影响其他内容的情况下修改这些任务,文件未改动", hint="请手工编辑 tasks.yaml")
        replace_file(held.target, data)
        edited = (entry, quick.edit) if entry is not None and quick is not None else None
        cache.store(cache_dir, cache.cached_name(data, held.units_raw), after, edited, (held.target, held.units_raw))
    return [
        _result(registry, expected[task_id], next((e for e in change.entries if e.recorded == today), None), source)
        for task_id, change in changes
    ]


def _only_these_changed(registry: Registry, after: Registry, expected: dict[int, Task]) -> bool:
    """Whether ``after`` holds exactly the ``expected`` tasks where ``registry`` held theirs, and every
    other task as it was."""
    return (
        [after.tasks_by_id.get(i) for i in expected] == list(expected.values())
        and sum(1 for t in after.tasks if t.id in expected) == len(expected)
        and [t for t in after.tasks if t.id not in expected] == [t for t in registry.tasks if t.id not in expected]
    )


@dataclass
class _Held:
    """tasks.yaml as read under its folder's write lock (through a link to the real file): its
    bytes, decoded only when a write needs the whole text (an edit of a file the cache knows works
    on the bytes of the lines it changes)."""

    target: Path
    raw: bytes
    units_raw: bytes
    name: str  # the cache entry's name for these bytes
    display: str

    @property
    def size(self) -> int:
        return len(self.raw)

    @functools.cached_property
    def text(self) -> str:
        """The whole file's text; RegistryInvalid when it is no UTF-8."""
        text, problems = decode(self.raw, SourceMap(self.display))
        if text is None:
            raise RegistryInvalid(problems)
        return text

    def encoded(self, new_text: str, what: str) -> bytes:
        """``new_text`` as the file's bytes (its byte-order mark kept), refused over the size limit."""
        return self.with_mark(new_text.encode("utf-8"), what)

    def with_mark(self, rest: bytes, what: str) -> bytes:
        """The bytes after the byte-order mark as the file's (its mark kept), refused over the size limit."""
        data = (BOM if self.raw.startswith(BOM) else b"") + rest
        if len(data) > MAX_FILE_BYTES:
            raise BadValue(
                f"{what}后 tasks.yaml 将有 {len(data) // 1024 // 1024} MB,超过 {MAX_FILE_BYTES // 1024 // 1024} MB 的上限,"
                "之后任何命令都读不了它;文件未改动",
                hint="请缩短说明",
            )
        return data


@contextlib.contextmanager
def _held(source: RegistryFolder) -> Iterator[_Held]:
    """tasks.yaml read under the folder's write lock, for one write; an operating-system error on
    the way is said as one (nothing written)."""
    ensure_writable(source)
    target = registry_target(source.tasks_path)  # through a link to the real file
    try:
        with locked(target.parent):
            remove_stale_temporaries(target)
            raw = target.read_bytes()
            units_raw = source.units_path.read_bytes()
            display = source.display(source.tasks_path)
            yield _Held(target, raw, units_raw, cache.cached_name(raw, units_raw), display)
    except OSError as exc:
        raise failed("写入", source.tasks_path, exc) from None


def _result(registry: Registry, task: Task, entry: ProgressEntry | None, source: RegistryFolder) -> UpdateResult:
    state = replay(registry, task)
    share = entry.unit if entry is not None and not speaks_for_whole(registry, task, entry.unit) else None
    leads = lead_parties(registry, task)
    return UpdateResult(
        task.id, task.status, task.done_on, entry, source.tasks_path, share, state.parts_open, len(leads),
        state.due_for(share),
    )  # fmt: skip


def _validated(source: RegistryFolder, text: str, units_raw: bytes) -> Registry:
    """The registry as the files are now; RegistryInvalid when it has any error."""
    from gkcli.store.validate import inspect_registry

    registry, diagnostics = inspect_registry(source, tasks_text=text, contents=(b"", units_raw))
    if registry is None or any(d.severity == "error" for d in diagnostics):
        raise RegistryInvalid(diagnostics)
    return registry


def _edited(text: str, changes: list[tuple[int, TaskChange]]) -> str:
    for task_id, change in changes:
        text = edit_task(text, task_id, change)
    return text


def _accepted(source: RegistryFolder, text: str, units_raw: bytes, today: dt.date) -> Registry:
    """The registry ``text`` gives, checked as a whole on ``today``; UpdateRefused with its errors."""
    from gkcli.store.validate import inspect_registry

    after, found = inspect_registry(source, tasks_text=text, as_of=today, contents=(b"", units_raw))
    if after is None or any(d.severity == "error" for d in found):
        raise UpdateRefused([d for d in found if d.severity == "error"])
    return after


def _new_log(task: Task, change: TaskChange) -> tuple[ProgressEntry, ...]:
    """The task's written log once the change's entries stand where the change puts them."""
    log = list(task.progress)
    positions = change.positions or [None] * len(change.entries)
    for entry, position in sorted(
        zip(change.entries, positions, strict=True), key=lambda p: -1 if p[1] is None else p[1], reverse=True
    ):
        log.insert(len(log) if position is None else position, entry)
    return tuple(log)


def record(
    folder: RegistryFolder,
    task_id: int,
    kind: EntryKind,
    *,
    as_of: dt.date,
    today: dt.date | None = None,
    on: dt.date | None = None,
    note: str | None = None,
    unit: str | None = None,
    link: str | None = None,
    due: dt.date | None = None,
) -> UpdateResult:
    """Add one entry to a task's log, in date order, and write the status and completion date the
    log then gives. Refused when the entry contradicts the log (done twice, reopen before done, an
    extension of a done task or to a date no later than the one in force)."""
    today = today or as_of

    def decide(registry: Registry, task: Task) -> TaskChange:
        rule = ENTRY_KINDS[recorded_kind(registry, kind)]
        day = checked_date(registry, on or as_of, as_of, today, rule.date_name)
        text = checked_note(note, required=rule.default_note is None, what=rule.note_name) or rule.default_note or ""
        reporter = checked_unit(registry, task, unit)
        entry = ProgressEntry(
            day,
            text,
            reporter,
            checked_link(link),
            recorded_kind(registry, kind),
            today,
            None,
            due if rule.needs_due else None,
        )
        return change_for(registry, task, [entry])

    return _update(folder, task_id, today, decide)


def recorded_kind(registry: Registry, kind: EntryKind) -> EntryKind:
    """What an entry of ``kind`` is recorded as in ``registry``: where the plan closes tasks on
    review (``plan.closing: review``), a report of completion is a claim awaiting review (申请销号)."""
    return "claim" if kind == "done" and registry.plan.closing == "review" else kind


def change_for(registry: Registry, task: Task, new: list[ProgressEntry]) -> TaskChange:
    """The change that puts ``new`` entries into the task's log in date order, with the status and
    completion date the log then gives; BadValue naming the entry that would contradict the log."""
    written = task.progress
    pairs = [(entry, _position(written, entry.on)) for entry in new]
    if task.done_on is not None and not completes(written):
        # an older registry's done_on becomes the done entry it stands for, so history stays
        implied = next(e for e in log_of(task) if e.kind == "done" and e not in written)
        pairs.append((dataclasses.replace(implied, recorded=None), _position(written, implied.on)))
    entries, positions = _in_order(pairs)
    change = TaskChange(entries=entries, positions=positions)
    log = _new_log(task, change)
    found = first_conflict(registry, task, log)
    if found is not None:
        index, reason = found
        bad = log[index]
        what = f"{bad.on.isoformat()} 的{ENTRY_KIND_LABELS[bad.kind]}记录" + (f"({bad.unit})" if bad.unit else "")
        hint = f"运行 gkcli show {task.id} 查看记录"
        if bad.kind == "done":
            hint += f";如需重新打开: gkcli reopen {task.id}"
        raise BadValue(f"这条记录与任务 {task.id} 的进展记录矛盾:{what}时,{reason}", hint=hint)
    after = replay(registry, dataclasses.replace(task, progress=log, done_on=None, status="not_started"))
    if after.status != task.status:
        change.status = after.status
    if after.done_on != task.done_on:
        if after.done_on is None:
            change.drop_done_on = True
        else:
            change.done_on = after.done_on
    return change


def record_many(folder: RegistryFolder, entries: dict[int, list[ProgressEntry]], today: dt.date) -> list[UpdateResult]:
    """Add checked entries to several tasks in one locked, atomic write (a returns workbook)."""
    return _update_many(
        folder,
        today,
        lambda registry: [(tid, change_for(registry, find_task(registry, tid), new)) for tid, new in entries.items()],
        list(entries),
    )


def _position(log: tuple[ProgressEntry, ...], day: dt.date) -> int | None:
    """Where an entry dated ``day`` goes: after every entry of that day or before; None at the end."""
    later = next((n for n, e in enumerate(log) if e.on > day), None)
    return later


def _in_order(pairs: list[tuple[ProgressEntry, int | None]]) -> tuple[list[ProgressEntry], list[int | None]]:
    ordered = sorted(pairs, key=lambda p: p[0].on)
    return [e for e, _ in ordered], [p for _, p in ordered]


def mark_done(
    folder: RegistryFolder, task_id: int, *, as_of: dt.date, today: dt.date | None = None, on: dt.date | None = None,
    note: str | None = None, unit: str | None = None, link: str | None = None,
) -> UpdateResult:  # fmt: skip
    """Record that the task (or, with ``unit``, that unit's part of it) was done."""
    return record(folder, task_id, "done", as_of=as_of, today=today, on=on, note=note, unit=unit, link=link)


def add_progress(
    folder: RegistryFolder, task_id: int, *, as_of: dt.date, note: str | None, today: dt.date | None = None,
    on: dt.date | None = None, unit: str | None = None, link: str | None = None,
) -> UpdateResult:  # fmt: skip
    """Record progress; a task not started becomes in progress."""
    return record(folder, task_id, "progress", as_of=as_of, today=today, on=on, note=note, unit=unit, link=link)


def extend(
    folder: RegistryFolder, task_id: int, *, to: dt.date, as_of: dt.date, note: str | None, today: dt.date | None = None,
    on: dt.date | None = None, unit: str | None = None, request: bool = False,
) -> UpdateResult:  # fmt: skip
    """Record an extension granted (or, with ``request``, asked for) to ``to``: from ``on`` the task's
    (or ``unit``'s part's) due date is ``to``."""
    kind: EntryKind = "request" if request else "extend"
    return record(folder, task_id, kind, as_of=as_of, today=today, on=on, note=note, unit=unit, due=to)


def link_carried(folder: RegistryFolder, links: dict[int, str], today: dt.date) -> list[int]:
    """Mark each task of ``links`` as continuing an earlier plan's task (``plan:id``), in one write;
    the tasks already so marked are left alone. The ids written."""
    written: list[int] = []

    def decide(registry: Registry) -> list[tuple[int, TaskChange]]:
        changes = []
        for task_id, origin in links.items():
            if find_task(registry, task_id).carried_from != origin:
                changes.append((task_id, TaskChange(carried_from=origin)))
        written[:] = [task_id for task_id, _ in changes]
        return changes

    _update_many(folder, today, decide, list(links))
    return written


def mark_carried(
    folder: RegistryFolder, continued: dict[int, str], on: dt.date, today: dt.date
) -> tuple[list[int], list[str]]:
    """Record in an earlier plan that each task of ``continued`` is carried over (``carried``, dated
    ``on``: the later plan's issue date, or today if that is still to come) to the task named there
    (``plan:id``), in one write. A task already carried is left alone; one whose log does not allow
    it (done since) is said, not written. The ids written, and what was passed over."""
    written: list[int] = []
    passed: list[str] = []

    def decide(registry: Registry) -> list[tuple[int, TaskChange]]:
        changes = []
        passed.clear()
        day = min(max(on, registry.plan.issued_on), today)
        for task_id, where in sorted(continued.items()):
            task = find_task(registry, task_id)
            if any(e.kind == "carried" for e in task.progress):
                continue
            entry = ProgressEntry(day, f"{CARRIED_NOTE}{where}", None, None, "carried", today)
            try:
                changes.append((task_id, change_for(registry, task, [entry])))
            except BadValue as exc:
                passed.append(f"任务 {task_id}: {exc.message}")
        written[:] = [task_id for task_id, _ in changes]
        return changes

    _update_many(folder, today, decide, list(continued))
    return written, passed


@dataclass(frozen=True)
class _Rewrite:
    """What a whole-file write makes of the registry as it is: the new text and the tasks it must
    then hold (None: nothing to write)."""

    text: str
    tasks: list[Task]


def _rewrite_whole(
    folder: RegistryFolder, today: dt.date, make: Callable[[str, Registry], _Rewrite | None], what: str
) -> bool:
    """One locked write of tasks.yaml read and checked as a whole, before and after: ``make`` gets the
    text and the registry it gives and says what to write; the result must be a registry ``gkcli
    check`` accepts on ``today`` holding exactly the tasks ``make`` expects. Whether it wrote."""
    with _held(folder) as held:
        made = make(held.text, _validated(folder, held.text, held.units_raw))
        if made is None:
            return False
        data = held.encoded(made.text, what)
        after = _accepted(folder, made.text, held.units_raw, today)
        if list(after.tasks) != made.tasks:
            raise CannotEdit(f"无法在不影响其他内容的情况下{what},文件未改动", hint="请手工编辑 tasks.yaml")
        replace_file(held.target, data)
        cache.store(
            cache.directory(os.environ),
            cache.cached_name(data, held.units_raw),
            after,
            None,
            (held.target, held.units_raw),
        )
    return True


def add_carried(
    folder: RegistryFolder, carried: list[Task], section: str, today: dt.date, links: dict[int, str] | None = None
) -> tuple[list[int], list[int]]:
    """Add each of ``carried`` (an earlier plan's task, its ``carried_from`` set to ``plan:id``) to
    the plan in ``folder`` as a new, not started task of ``section``, numbered after its last task
    and dated (``added_on``) today, and mark the tasks of ``links`` as :func:`link_carried` does, in
    one locked write that ``gkcli check`` must accept; a task already carried (some task's
    ``carried_from`` names it) is not added again. The ids linked and the new ids."""
    linked: list[int] = []
    new_ids: list[int] = []

    def make(text: str, registry: Registry) -> _Rewrite | None:
        if section not in registry.sections:
            raise BadValue(
                f"{registry.plan.title}中没有小节 {section}", hint=f"现有小节: {'、'.join(registry.sections)}"
            )
        known = {t.carried_from for t in registry.tasks if t.carried_from}
        next_id = max((t.id for t in registry.tasks), default=0) + 1
        added = [
            dataclasses.replace(task, id=next_id + n, section=section, status="not_started", done_on=None,
                                progress=(), review=None, provenance=None, added_on=today)
            for n, task in enumerate(t for t in carried if t.carried_from not in known)
        ]  # fmt: skip
        linking = [(n, TaskChange(carried_from=o)) for n, o in (links or {}).items()
                   if find_task(registry, n).carried_from != o]  # fmt: skip
        if not added and not linking:
            return None
        linked[:], new_ids[:] = [n for n, _ in linking], [t.id for t in added]
        expected = {n: expected_task(registry.tasks_by_id[n], change) for n, change in linking}
        new_text = append_tasks(_edited(text, linking), added) if added else _edited(text, linking)
        return _Rewrite(new_text, [*(expected.get(t.id, t) for t in registry.tasks), *added])

    if not _rewrite_whole(folder, today, make, "追加这些任务"):
        return [], []
    return linked, new_ids


def with_current_keys(folder: RegistryFolder, today: dt.date) -> int:
    """Rewrite the older date key ``on:`` of every progress entry as ``date:`` (GK115) in one locked,
    checked write that changes nothing else; how many keys were rewritten (0: nothing written)."""
    from gkcli.store.yaml_edit import with_current_keys as renamed

    count = 0

    def make(text: str, registry: Registry) -> _Rewrite | None:
        nonlocal count
        new_text, count = renamed(text)
        return _Rewrite(new_text, list(registry.tasks)) if count else None

    return count if _rewrite_whole(folder, today, make, "改写旧键") else 0


def answer(
    folder: RegistryFolder, task_id: int, kind: EntryKind, *, as_of: dt.date, today: dt.date | None = None,
    on: dt.date | None = None, note: str | None = None, unit: str | None = None,
) -> UpdateResult:  # fmt: skip
    """The office's answer to what a unit asked: ``accept`` (销号) or ``send_back`` (退回) a claim of
    completion awaiting review, or ``decline`` (不予延期) a request for an extension. Refused (naming
    why) when the part, or the whole task, has nothing of the kind pending."""
    return record(folder, task_id, kind, as_of=as_of, today=today, on=on, note=note, unit=unit)


def reopen(
    folder: RegistryFolder, task_id: int, *, as_of: dt.date, today: dt.date | None = None, on: dt.date | None = None,
    note: str | None = None, unit: str | None = None,
) -> UpdateResult:  # fmt: skip
    """Record that a done task (or a unit's part of it) is open again."""
    return record(folder, task_id, "reopen", as_of=as_of, today=today, on=on, note=note, unit=unit)


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
            text = (bundled_directory() / name).read_text(encoding="utf-8")
            # the editor hint points at the schema copied beside the file, not at the repository's
            text = text.replace("$schema=../schemas/", "$schema=", 1)
            with open(target / name, "x", encoding="utf-8", newline="") as handle:  # never over a file that appeared
                handle.write(text)
            copied.append(target / name)
        from gkcli.store.schema import json_schema

        for which in ("tasks", "units"):
            schema = target / f"{which}.schema.json"
            if not os.path.lexists(schema):
                schema.write_text(json_schema(which) + "\n", encoding="utf-8")
                copied.append(schema)
    except OSError as exc:
        raise failed("创建", target, exc, hint="请换一个可以写入的文件夹") from None
    return copied
