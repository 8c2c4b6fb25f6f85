"""Registry rules beyond the schema: identity, cross references, units, deadlines.

Each rule has a stable id; the README lists them all. Functions here return
diagnostics and never print.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Iterable, Iterator, Sequence

from gkcli import domain
from gkcli.deadlines import DeadlineError, due_date
from gkcli.diagnostics import Diagnostic, Severity
from gkcli.models import Group, TasksFile, Unit, UnitsFile, to_domain_units
from gkcli.source import Path_, SourceMap
from gkcli.text import BIDI, CONTROL, ESCAPE_SEQUENCE, INVISIBLE, LINE_BREAK, name_key, skeleton, terminal_safe
from gkcli.units import UnitDirectory


def _at(
    smap: SourceMap,
    path: Path_,
    severity: Severity,
    rule: str,
    message: str,
    task: int | None = None,
    *,
    key: bool = False,
) -> Diagnostic:
    line, column = smap.position(path, key=key)
    return Diagnostic(smap.display, line, column, severity, rule, message, task)


def _did_you_mean(directory: UnitDirectory, name: str) -> str:
    suggestions = directory.suggest(name)
    return f"(您是不是要写: {'、'.join(suggestions)})" if suggestions else ""


def check_tasks(tasks: TasksFile, smap: SourceMap, dropped: Collection[str] = ()) -> Iterator[Diagnostic]:
    """Task ids, parts and sections. ``dropped`` names the lists that lost items to schema
    errors: what is absent from them (an id, a section, a task in a section) cannot be judged."""
    part_ids: dict[int, int] = {}
    section_ids: dict[str, int] = {}
    for p_index, part in enumerate(tasks.parts):
        if part.id in part_ids:
            yield _at(smap, ("parts", p_index, "id"), "error", "GK205", f"部分编号 {part.id} 重复")
        part_ids.setdefault(part.id, p_index)
        for s_index, section in enumerate(part.sections):
            path = ("parts", p_index, "sections", s_index, "id")
            if section.id in section_ids:
                yield _at(smap, path, "error", "GK205", f"小节编号 {section.id} 重复")
            section_ids.setdefault(section.id, s_index)
            if section.id.split(".")[0] != str(part.id):
                yield _at(smap, path, "error", "GK206", f"小节 {section.id} 不属于第 {part.id} 部分")

    seen: dict[int, int] = {}
    used_sections: set[str] = set()
    for index, task in enumerate(tasks.tasks):
        if task.id in seen:
            first_line = smap.position(("tasks", seen[task.id], "id"))[0]
            yield _at(
                smap,
                ("tasks", index, "id"),
                "error",
                "GK201",
                f"任务序号 {task.id} 重复(第 {first_line} 行已有)",
                task.id,
            )
        seen.setdefault(task.id, index)
        used_sections.add(task.section)
        if task.section not in section_ids and "parts" not in dropped:
            yield _at(
                smap,
                ("tasks", index, "section"),
                "error",
                "GK203",
                f"任务 {task.id} 的小节 {task.section} 不存在",
                task.id,
            )
    missing, shown = missing_ids(seen) if "tasks" not in dropped else (0, [])
    if missing:
        listed = "、".join(map(str, shown)) + ("……" if missing > len(shown) else "")
        yield _at(smap, ("tasks",), "warning", "GK202", f"任务序号不连续,缺少 {missing} 个: {listed}")
    for p_index, part in enumerate(tasks.parts):
        for s_index, section in enumerate(part.sections):
            if section.id not in used_sections and "tasks" not in dropped:
                yield _at(
                    smap,
                    ("parts", p_index, "sections", s_index, "id"),
                    "warning",
                    "GK204",
                    f"小节 {section.id} 没有任务",
                )


def missing_ids(ids: Iterable[int], show: int = 10) -> tuple[int, list[int]]:
    """How many ids from 1 to the largest are missing, and the first ``show`` of them;
    the work grows with the number of ids, not with their size."""
    missing, previous = 0, 0
    shown: list[int] = []
    for current in sorted(set(ids)):
        gap = current - previous - 1
        if gap > 0:
            shown += range(previous + 1, min(current, previous + 1 + show - len(shown)))
            missing += gap
        previous = current
    return missing, shown


def check_units(units: UnitsFile, directory: UnitDirectory, smap: SourceMap) -> Iterator[Diagnostic]:
    """Names and aliases unique, group members known, no group inside itself."""
    entries: list[tuple[str, int, Unit | Group]] = [
        *(("units", i, u) for i, u in enumerate(units.units)),
        *(("groups", i, g) for i, g in enumerate(units.groups)),
    ]
    # Names first, then aliases: an alias that repeats a name is the one reported.
    claims: list[tuple[str, str, Path_]] = [(e.name, e.name, (kind, i, "name")) for kind, i, e in entries]
    claims += [(alias, e.name, (kind, i, "aliases", a)) for kind, i, e in entries for a, alias in enumerate(e.aliases)]
    owner: dict[str, str] = {}
    looks: dict[str, tuple[str, str]] = {}  # skeleton -> (name as written, whose)
    for name, entry_name, path in claims:
        key = name_key(name)
        if key in owner:
            other = owner[key]
            where = f"已被 {other} 使用" if other != entry_name else f"在 {entry_name} 中重复"
            yield _at(smap, path, "error", "GK303", f"名称 {name} {where}")
            continue
        owner[key] = entry_name
        shape = skeleton(name)
        if shape in looks and looks[shape][1] != entry_name:
            yield _at(
                smap, path, "error", "GK306",
                f"名称 {terminal_safe(repr(name), one_line=True)} 与 {looks[shape][0]}({looks[shape][1]})看起来一样,只差不可见字符、附加符号或字形相近的字符:"
                "请删去多余的字符,或改用能区分的名称",
            )  # fmt: skip
        looks.setdefault(shape, (name, entry_name))

    for index, group in enumerate(units.groups):
        for m_index, member in enumerate(group.members or ()):
            path = ("groups", index, "members", m_index)
            entity = directory.find(member)
            if entity is None:
                yield _at(
                    smap,
                    path,
                    "error",
                    "GK304",
                    f"群组 {group.name} 的成员 {member} 不是已知单位{_did_you_mean(directory, member)}",
                )
        if group.name in directory.expanded_members(group.name):
            yield _at(smap, ("groups", index, "name"), "error", "GK305", f"群组 {group.name} 包含了自身")


def check_references(tasks: TasksFile, directory: UnitDirectory | None, smap: SourceMap) -> Iterator[Diagnostic]:
    """Every unit a task names resolves; every task has a lead; every deadline reads."""
    plan = tasks.plan
    for index, task in enumerate(tasks.tasks):
        if not task.lead:
            yield _at(smap, ("tasks", index, "lead"), "error", "GK302", f"任务 {task.id} 没有牵头单位", task.id)
        named = [(r, n, name) for r in ("lead", "responsible") for n, name in enumerate(getattr(task, r))]
        for role, n_index, name in named:
            if directory is not None and directory.find(name) is None:
                yield _at(
                    smap,
                    ("tasks", index, role, n_index),
                    "error",
                    "GK301",
                    f"未知单位 {name}{_did_you_mean(directory, name)}:请改正,或在 units.yaml 中登记",
                    task.id,
                )
        if plan is None:  # a broken plan block: no year to read the deadline in
            continue
        due = task.due
        if due is None:
            try:
                due = due_date(task.deadline, plan.year)
            except DeadlineError as exc:
                yield _at(smap, ("tasks", index, "deadline"), "error", "GK401", f"{exc}(任务 {task.id})", task.id)
                continue
        if due is not None and (due.year != plan.year or due < plan.issued_on):
            where = "due" if task.due is not None else "deadline"
            yield _at(
                smap,
                ("tasks", index, where),
                "warning",
                "GK402",
                f"任务 {task.id} 的截止日期 {due.isoformat()} 不在要点年度内或早于印发日期 {plan.issued_on.isoformat()}",
                task.id,
            )


def check_progress(
    tasks: TasksFile, directory: UnitDirectory | None, smap: SourceMap, as_of: dt.date | None
) -> Iterator[Diagnostic]:
    """A done task has a completion date, after the plan was issued and not after ``as_of``;
    progress entries are in date order, within those dates, from known units."""
    issued = tasks.plan.issued_on if tasks.plan is not None else dt.date.min
    for index, task in enumerate(tasks.tasks):
        previous: dt.date | None = None
        for e_index, entry in enumerate(task.progress):
            entry_path: Path_ = ("tasks", index, "progress", e_index)
            if previous is not None and entry.on < previous:
                yield _at(
                    smap,
                    (*entry_path, "on"),
                    "warning",
                    "GK505",
                    f"任务 {task.id} 的进展记录没有按日期从早到晚排列",
                    task.id,
                )
            previous = entry.on
            if entry.on < issued or (as_of is not None and entry.on > as_of):
                yield _at(
                    smap, (*entry_path, "on"), "error", "GK506",
                    f"任务 {task.id} 的进展日期 {entry.on.isoformat()} 早于印发日期或晚于今天", task.id,
                )  # fmt: skip
            if entry.unit is not None and directory is not None and directory.find(entry.unit) is None:
                yield _at(
                    smap, (*entry_path, "unit"), "error", "GK301",
                    f"未知单位 {entry.unit}{_did_you_mean(directory, entry.unit)}", task.id,
                )  # fmt: skip
        path = ("tasks", index, "done_on")
        if task.status == "done" and task.done_on is None:
            yield _at(
                smap,
                ("tasks", index, "status"),
                "error",
                "GK501",
                f"任务 {task.id} 已完成但没有 done_on(完成日期)",
                task.id,
            )
        if task.done_on is None:
            continue
        if task.status != "done":
            yield _at(smap, path, "warning", "GK504", f"任务 {task.id} 未完成却写了 done_on", task.id)
        if as_of is not None and task.done_on > as_of:
            yield _at(
                smap, path, "error", "GK502",
                f"任务 {task.id} 的完成日期 {task.done_on.isoformat()} 晚于今天({as_of.isoformat()})", task.id,
            )  # fmt: skip
        if task.done_on < issued:
            yield _at(
                smap, path, "error", "GK503",
                f"任务 {task.id} 的完成日期 {task.done_on.isoformat()} 早于要点印发日期 {issued.isoformat()}", task.id,
            )  # fmt: skip


_CJK = r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]"
_CJK_SPACE = re.compile(rf"{_CJK}[ \u3000]+{_CJK}")
# Free prose that may quote the damaged source, spaces and line breaks included.
_PROSE_KEYS = frozenset({"provenance", "note"})


def check_text(smap: SourceMap) -> Iterator[Diagnostic]:
    """Control characters, escape sequences, bidi and invisible characters, line breaks in
    single-line fields and stray spaces in any text value.

    Only the values the reader marked as suspect (any control, invisible or white-space character) are looked at.
    """
    for path, text in smap.suspect_text:
        shown = terminal_safe(repr(text[:40]), one_line=True)
        key = next((p for p in reversed(path) if isinstance(p, str)), "")
        prose = key in _PROSE_KEYS
        if ESCAPE_SEQUENCE.search(text):
            yield _at(smap, path, "error", "GK602", f"文字中有终端转义序列: {shown}")
        elif CONTROL.search(LINE_BREAK.sub("", text) if not prose else text.replace("\r\n", "\n")):
            yield _at(smap, path, "error", "GK601", f"文字中有控制字符: {shown}")
        if BIDI.search(text):
            yield _at(smap, path, "error", "GK603", f"文字中有双向文本控制字符(可让文字显示顺序与实际不同): {shown}")
        elif INVISIBLE.search(text):
            yield _at(smap, path, "error", "GK606", f"文字中有不可见字符(零宽空格、连接符、变体选择符等): {shown}")
        if not prose and LINE_BREAK.search(text):
            yield _at(smap, path, "error", "GK607", f"'{key}' 只能写一行,其中却有换行符: {shown}")
        if text != text.strip() or (not text.strip() and text):
            yield _at(smap, path, "warning", "GK604", f"文字首尾有空白: {shown}")
        if not prose and (match := _CJK_SPACE.search(text)):
            yield _at(smap, path, "warning", "GK605", f"两个汉字之间有多余空格(PDF 折行遗留?): {match.group()!r}")


def check_all(
    tasks: TasksFile | None,
    units: UnitsFile | None,
    tasks_map: SourceMap,
    units_map: SourceMap,
    as_of: dt.date | None = None,
    unreadable_units: Sequence[str] = (),
    dropped: Collection[str] = (),
) -> list[Diagnostic]:
    """Every cross-check the valid parts allow. ``tasks.plan`` may be None (a broken plan block:
    the date rules are skipped); without ``units`` the unit references cannot be checked;
    ``unreadable_units`` are names of units dropped for schema errors, known for references;
    ``dropped`` names the lists of tasks.yaml that lost items to schema errors."""
    found: list[Diagnostic] = []
    directory = None
    if units is not None:
        known, groups = to_domain_units(units)
        known += [domain.Unit(name, "department") for name in unreadable_units]
        directory = UnitDirectory(known, groups)
        found += check_units(units, directory, units_map)
    if tasks is not None:
        found += check_tasks(tasks, tasks_map, dropped)
        found += check_references(tasks, directory, tasks_map)
        found += check_progress(tasks, directory, tasks_map, as_of)
    return found
