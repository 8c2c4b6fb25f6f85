"""Reading a registry from its files and finding every problem in it.

This is the slow, thorough path: YAML through the safe reader, Pydantic validation into the
domain records and the cross-checks. ``gkcli check`` always uses it; other commands use it
only when the registry is not in the cache (see :mod:`gkcli.store.load`).
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import difflib
import re
import typing
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from gkcli.check.rules import Selection, finding, matching, suppressed
from gkcli.check.runner import check_all
from gkcli.check.text import check_text
from gkcli.domain.records import MAX_TASK_ID, LogEvent, LogFile, Part, Task, TasksFile, Unit, UnitGroup, UnitsFile
from gkcli.domain.registry import MAX_FILE_BYTES, Registry
from gkcli.errors import RegistryInvalid, RegistryNotFound, describe_os_error
from gkcli.findings import Diagnostic, Path_, SourceMap
from gkcli.store.building import collector_paused
from gkcli.store.layout import keep_layout
from gkcli.store.locate import RegistryFolder
from gkcli.store.schema import adapter, yaml_fields
from gkcli.store.task_lines import layout_of
from gkcli.store.yaml_reader import Document, parse_text, read_document
from gkcli.text import terminal_safe

MAX_FINDINGS = 50  # of one rule in one file; the rest are counted in one line


def _read(path: Path, display: str, raw: bytes | None = None, *, lean: bool = False) -> Document:
    try:
        size = path.stat().st_size if raw is None else len(raw)
        if size > MAX_FILE_BYTES:
            limit = MAX_FILE_BYTES // 1024 // 1024
            diag = finding(display, (1, 1), "GK107", f"文件过大({size // 1024 // 1024} MB,上限 {limit} MB)")
            return Document(None, SourceMap(display), [diag])
        return read_document(path, display, raw, lean=lean)
    except OSError as exc:
        raise RegistryNotFound(f"无法读取 {terminal_safe(display, one_line=True)}: {describe_os_error(exc)}") from None


_TYPE_NAMES = {
    bool: "布尔值",
    int: "整数",
    float: "小数",
    type(None): "空值",
    dt.date: "日期",
    dt.datetime: "日期时间",
    list: "列表",
    dict: "映射",
    str: "文本",
}
_MISSING = frozenset({"missing", "missing_argument", "missing_keyword_argument"})
_UNKNOWN = frozenset({"extra_forbidden", "unexpected_keyword_argument"})


def _describe(value: Any, raw: str | None) -> str:
    kind = _TYPE_NAMES.get(type(value), type(value).__name__)
    return f"{kind} {raw}" if raw is not None else kind


def _schema_diagnostics(record: type, exc: ValidationError, smap: SourceMap, data: Any) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    unknown = 0
    for error in exc.errors(include_url=False):
        loc: Path_ = tuple(error["loc"])
        if smap.is_broken(loc):
            continue
        field_name = str(loc[-1]) if loc else ""
        kind = error["type"]
        value = error.get("input")
        task = _task_of(loc, data)
        if kind in _MISSING:
            found.append(finding(smap.display, smap.position(loc[:-1]), "GK110", f"缺少必填字段 '{field_name}'", task))
            continue
        if kind in _UNKNOWN:
            unknown += 1
            hint = ""
            if unknown <= MAX_FINDINGS:  # beyond that the finding is only counted: no hint to compute
                known = list(yaml_fields(_record_at(record, loc[:-1]) or record))
                close = difflib.get_close_matches(field_name, known, n=1)
                hint = f"(您是不是要写 '{close[0]}'?)" if close else f"(可用字段: {', '.join(known)})"
            where = smap.position(loc, key=True)
            found.append(finding(smap.display, where, "GK111", f"未知字段 '{field_name}'{hint}", task))
            continue
        raw = smap.raw.get(loc)
        if kind == "literal_error":
            choices = "、".join(re.findall(r"'([^']*)'", str(error.get("ctx", {}).get("expected", ""))))
            shown = raw if raw is not None else repr(value)
            message, rule = f"'{field_name}' 的值 {shown} 无效,应为 {choices} 之一", "GK113"
        elif kind.endswith("_type") or kind in {"date_from_datetime_inexact", "dataclass_exact_type"}:
            message = f"'{field_name}' 的类型不对: 读到的是{_describe(value, raw)}"
            if raw is not None and isinstance(value, (bool, int, float, dt.date)) and kind == "string_type":
                message += f'。YAML 会把未加引号的 {raw} 读成{_TYPE_NAMES[type(value)]},请写成 "{raw}"'
            rule = "GK112"
        else:
            shown = raw if raw is not None else terminal_safe(repr(value), one_line=True)[:60]
            message = (
                f"'{field_name}' 的值 {shown} 不符合要求: {_requirement(kind, field_name, error.get('ctx') or {})}"
            )
            rule = "GK113"
        found.append(finding(smap.display, smap.position(loc), rule, message, task))
    return found


def _requirement(kind: str, field_name: str, ctx: dict[str, Any]) -> str:
    """What a Pydantic constraint asks for, in Chinese (its own message is English)."""
    if kind in ("greater_than_equal", "greater_than"):
        return f"应{'不小于' if kind.endswith('equal') else '大于'} {ctx.get('ge', ctx.get('gt'))}"
    if kind in ("less_than_equal", "less_than"):
        return f"应{'不大于' if kind.endswith('equal') else '小于'} {ctx.get('le', ctx.get('lt'))}"
    if kind == "string_too_short":
        return "不能为空"
    if kind == "string_pattern_mismatch":
        if field_name == "link":
            return "应是以 http:// 或 https:// 开头、不含空白的网址"
        return '格式不对,小节编号写成 "部分.小节"(1–99),如 "1.2"'
    return "取值无效"


def _task_of(loc: Path_, data: Any) -> int | None:
    """The id of the task a schema error lies in, when the task has a usable id."""
    if len(loc) < 2 or loc[0] != "tasks" or not isinstance(loc[1], int):
        return None
    try:
        task_id = data["tasks"][loc[1]]["id"]
    except (KeyError, IndexError, TypeError):
        return None
    return task_id if type(task_id) is int else None


def _record_at(record: type, loc: Path_) -> type | None:
    """The record type reached by following ``loc`` (keys and list indexes) from ``record``."""
    current: type | None = record
    for part in loc:
        if isinstance(part, int):
            continue
        current = yaml_fields(current).get(part) if current is not None else None
    return current


@dataclass
class Validated:
    """What could be validated of one file: the records (lists holding only their valid items,
    ``plan`` None when it is broken), or none when the file's shape is unusable."""

    model: Any | None
    diagnostics: list[Diagnostic]
    source: SourceMap  # positions as the checks see the model (dropped items skipped)
    complete: bool  # every item was valid
    broken_names: list[str] = dataclasses.field(default_factory=list)  # names of units/groups dropped
    dropped: set[str] = dataclasses.field(default_factory=set)  # lists that lost items


_ITEM_LISTS: dict[type, dict[str, type]] = {
    TasksFile: {"parts": Part, "tasks": Task},
    UnitsFile: {"units": Unit, "groups": UnitGroup},
    LogFile: {"events": LogEvent},
}


def _validate(record: type, doc: Document) -> Validated:
    smap = doc.source
    if doc.data is None:
        return Validated(None, [], smap, False)
    if not isinstance(doc.data, dict):
        message = "顶层应是映射(键: 值),而不是" + _describe(doc.data, None)
        return Validated(None, [finding(smap.display, (1, 1), "GK108", message)], smap, False)
    try:
        return Validated(adapter(record).validate_python(doc.data), [], smap, True)
    except ValidationError as exc:
        diagnostics = _schema_diagnostics(record, exc, smap, doc.data)
        broken = {tuple(e["loc"][:2]) for e in exc.errors(include_url=False, include_input=False)}
    return _salvage(record, doc, broken, diagnostics)


def _salvage(record: type, doc: Document, broken: set[tuple[Any, ...]], diagnostics: list[Diagnostic]) -> Validated:
    """The valid part of a file with schema errors, so that one broken task hides nothing else:
    every list item without an error is kept (with where it stood), a broken ``plan`` becomes None."""
    data: dict[str, Any] = doc.data
    pieces: dict[str, Any] = {}
    index_map: dict[str, list[int]] = {}
    broken_names: list[str] = []
    for name, inner in yaml_fields(record).items():
        value = data.get(name)
        item_record = _ITEM_LISTS[record].get(name)
        if item_record is None:  # a single block such as plan
            usable = value is not None and inner is not None and not any(b[:1] == (name,) for b in broken)
            pieces[name] = adapter(inner).validate_python(value) if usable and inner is not None else None
            continue
        kept, where = [], []
        for index, item in enumerate(value if isinstance(value, list) and (name,) not in broken else []):
            if (name, index) in broken:
                if isinstance(item, dict) and isinstance(item.get("name"), str):
                    broken_names.append(item["name"])
                continue
            kept.append(adapter(item_record).validate_python(item))
            where.append(index)
        pieces[name], index_map[name] = tuple(kept), where
    salvaged = record(**pieces)
    dropped = {str(b[0]) for b in broken if b and b[0] in index_map}
    return Validated(salvaged, diagnostics, doc.source.remapped(index_map), False, broken_names, dropped)


def _older_keys(doc: Document) -> list[Diagnostic]:
    """Progress entries whose date is written under the older key ``on:`` (GK115)."""
    tasks = doc.data.get("tasks") if isinstance(doc.data, dict) else None
    found = []
    for index, task in enumerate(tasks if isinstance(tasks, list) else ()):
        log = task.get("progress") if isinstance(task, dict) else None
        for e_index, entry in enumerate(log if isinstance(log, list) else ()):
            if isinstance(entry, dict) and "on" in entry and "date" not in entry:
                where = doc.source.position(("tasks", index, "progress", e_index, "on"), key=True)
                message = "进展记录的日期写在旧的键 on: 下(YAML 1.1 的工具会把 on 读成布尔值 true);gkcli check --fix 可改为 date:"
                found.append(finding(doc.source.display, where, "GK115", message))
    return found


MoreRules = Callable[[TasksFile | None, SourceMap], list[Diagnostic]]


def inspect_registry(
    folder: RegistryFolder,
    as_of: dt.date | None = None,
    tasks_text: str | None = None,
    *,
    build: bool = True,
    contents: tuple[bytes, bytes] | None = None,
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    more: MoreRules | None = None,
) -> tuple[Registry | None, list[Diagnostic]]:
    """Read, validate and cross-check; the registry (or None) and every problem found.

    ``as_of`` enables the rules that depend on today's date (a completion date in the future).
    ``tasks_text`` stands in for the content of tasks.yaml (an update checked before it is written).
    ``build=False`` only looks for problems (``gkcli check``) and returns no registry.
    ``contents`` are the bytes of tasks.yaml and units.yaml when the caller has already read them.
    ``select``/``ignore`` (rule codes, as ``check --select/--ignore`` gives them) narrow the rules
    further than the registry's own ``check:`` settings. ``more``: rules only the caller can run
    (those across the plans of a workspace), given what of tasks.yaml could be validated.

    The files are first read keeping positions only down to each task and unit: a registry with
    no problem needs no more. When anything is found, they are read again with every position,
    to say where each problem is.
    """
    arguments = (folder, as_of, tasks_text, build, contents, select, ignore, more)
    registry, diagnostics, oversized = _inspect(*arguments, lean=True)
    if not diagnostics or oversized:  # a mapping of a million keys is read once: its finding is placed already
        return registry, diagnostics
    del registry, diagnostics  # before the second reading, not beside it
    return _inspect(*arguments, lean=False)[:2]


def _inspect(
    folder: RegistryFolder,
    as_of: dt.date | None,
    tasks_text: str | None,
    build: bool,
    contents: tuple[bytes, bytes] | None,
    select: Sequence[str],
    ignore: Sequence[str],
    more: MoreRules | None,
    *,
    lean: bool,
) -> tuple[Registry | None, list[Diagnostic], bool]:
    """The registry, every finding, and whether either file had an oversized mapping."""
    with collector_paused():
        tasks_display = folder.display(folder.tasks_path)
        tasks_doc = (
            _read(folder.tasks_path, tasks_display, contents and contents[0], lean=lean)
            if tasks_text is None
            else parse_text(tasks_text, tasks_display, lean=lean)
        )
        units_doc = _read(folder.units_path, folder.display(folder.units_path), contents and contents[1], lean=lean)
        tasks = _validate(TasksFile, tasks_doc)
        units = _validate(UnitsFile, units_doc)
        diagnostics = [*tasks_doc.diagnostics, *units_doc.diagnostics, *tasks.diagnostics, *units.diagnostics]
        for doc in (tasks_doc, units_doc):
            diagnostics += check_text(doc.source)
        diagnostics += _older_keys(tasks_doc)
        # The cross-checks see whatever was valid: a broken task or unit hides no other problem.
        diagnostics += check_all(
            tasks.model, units.model, tasks.source, units.source, as_of, units.broken_names, tasks.dropped
        )
        if more is not None:
            diagnostics += more(tasks.model, tasks.source)
        chosen = _settings(tasks.model).narrowed(select, ignore)
        diagnostics = _finished(diagnostics, [tasks_doc, units_doc], chosen)
        registry = None
        usable = tasks.complete and units.complete and not any(d.severity == "error" for d in diagnostics)
        if build and usable and tasks.model is not None and units.model is not None:
            model: TasksFile = tasks.model
            unit_model: UnitsFile = units.model
            registry = Registry.build(  # no error found: trusted, unless its own settings ignore GK507
                model.plan,
                list(model.parts),
                list(model.tasks),
                list(unit_model.units),
                list(unit_model.groups),
                trusted=chosen.reports("GK507"),
            )
            keep_layout(registry, layout_of(tasks_doc, registry.tasks))
    return registry, diagnostics, tasks_doc.oversized or units_doc.oversized


def _settings(model: TasksFile | None) -> Selection:
    """The registry's own ``check:`` block (select/ignore), where it has one."""
    settings = model.check if model is not None else None
    if settings is None:
        return Selection()
    known = [code for code in (*settings.select, *settings.ignore) if _names_a_rule(code)]
    return Selection().narrowed([c for c in settings.select if c in known], [c for c in settings.ignore if c in known])


def _names_a_rule(code: str) -> bool:
    try:
        return bool(matching([code]))
    except ValueError:  # reported by the structure checks
        return False


def _finished(diagnostics: list[Diagnostic], docs: list[Document], selection: Selection) -> list[Diagnostic]:
    """Sorted, chosen by ``selection`` and the lines' ``# gkcli: ignore`` comments, at most MAX_FINDINGS
    of a rule in a file, each with the text of its line and, in tasks.yaml, the id of the task it lies in."""
    maps = {doc.source.display: doc for doc in docs}
    task_starts, tasks_end = _task_starts(docs[0])
    found: list[Diagnostic] = []
    counts: dict[tuple[str, str], int] = {}
    for diag in sorted(diagnostics, key=Diagnostic.sort_key):
        doc = maps.get(diag.file)
        line_text = doc.source.line_text(diag.line) if doc else None
        if not selection.reports(diag.rule) or suppressed(line_text, diag.rule):
            continue
        seen = counts[(diag.file, diag.rule)] = counts.get((diag.file, diag.rule), 0) + 1
        if seen > MAX_FINDINGS:
            continue
        task = diag.task
        if task is None and doc is docs[0] and task_starts and diag.line < tasks_end:
            at = bisect.bisect_right(task_starts, (diag.line, MAX_TASK_ID + 1)) - 1
            task = task_starts[at][1] if at >= 0 else None
        found.append(dataclasses.replace(diag, task=task, line_text=line_text))
    for (file, rule), seen in counts.items():
        if seen > MAX_FINDINGS:
            last = next(d for d in reversed(found) if d.file == file and d.rule == rule)
            more = f"……另有 {seen - MAX_FINDINGS} 处 {rule} 未列出(每条规则在一个文件中最多列出 {MAX_FINDINGS} 处)"
            found.append(dataclasses.replace(last, message=more, line_text=None, task=None))
    return sorted(found, key=Diagnostic.sort_key)


def _task_starts(doc: Document) -> tuple[list[tuple[int, int]], int]:
    """(first line, id) of every task of tasks.yaml whose id is readable, in line order, and the
    line where the task list ends (the next top-level key, or past the end of the file)."""
    tasks = doc.data.get("tasks") if isinstance(doc.data, dict) else None
    if not isinstance(tasks, list):
        return [], 0
    begin = doc.source.keys.get(("tasks",), (0, 0))[0]
    later = [pos[0] for path, pos in doc.source.keys.items() if len(path) == 1 and pos[0] > begin]
    end = min(later, default=doc.source.text.count("\n") + 2)  # past the last line
    starts = []
    for index, task in enumerate(tasks):
        task_id = task.get("id") if isinstance(task, dict) else None
        where = doc.source.values.get(("tasks", index))
        if where is not None and type(task_id) is int:
            starts.append((where[0], task_id))
    return sorted(starts), end


def read_log(path: Path, display: str) -> LogFile:
    """The office's log (``log.yaml``), checked whole; none written yet is an empty log.
    RegistryInvalid naming each line that is wrong."""
    if not path.exists():
        return LogFile()
    doc = _read(path, display)
    if doc.diagnostics and any(d.severity == "error" for d in doc.diagnostics):
        raise RegistryInvalid([d for d in doc.diagnostics if d.severity == "error"])
    if doc.data is None:
        return LogFile()
    checked = _validate(LogFile, doc)
    if checked.diagnostics or checked.model is None:
        raise RegistryInvalid(checked.diagnostics or [finding(display, (1, 1), "GK108", "顶层应是映射(events: 列表)")])
    return typing.cast(LogFile, checked.model)
