"""Reading a registry from source and finding every problem in it.

This is the slow, thorough path: YAML through the safe reader, Pydantic validation
and the cross-checks. ``gkcli check`` always uses it; other commands use it only when
the registry is not in the cache (see :mod:`gkcli.loader`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import re
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from gkcli.checks import check_all, check_text
from gkcli.diagnostics import Diagnostic
from gkcli.errors import RegistryNotFound
from gkcli.models import TasksFile, UnitsFile, to_domain_tasks, to_domain_units
from gkcli.registry import MAX_FILE_BYTES, Registry, RegistrySource, collector_paused
from gkcli.source import Document, Path_, SourceMap, parse_text, read_document


def _read(path: Path, display: str, raw: bytes | None = None) -> Document:
    try:
        size = path.stat().st_size if raw is None else len(raw)
        if size > MAX_FILE_BYTES:
            diag = Diagnostic(
                display,
                1,
                1,
                "error",
                "GK107",
                f"文件过大({size // 1024 // 1024} MB,上限 {MAX_FILE_BYTES // 1024 // 1024} MB)",
            )
            return Document(None, SourceMap(display), [diag])
        return read_document(path, display, raw)
    except OSError as exc:
        raise RegistryNotFound(f"无法读取 {display}: {exc.strerror or exc}") from None


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


def _describe(value: Any, raw: str | None) -> str:
    kind = _TYPE_NAMES.get(type(value), type(value).__name__)
    return f"{kind} {raw}" if raw is not None else kind


def _schema_diagnostics(model: type[BaseModel], exc: ValidationError, smap: SourceMap, data: Any) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for error in exc.errors(include_url=False):
        loc: Path_ = tuple(error["loc"])
        if smap.is_broken(loc):
            continue
        field_name = str(loc[-1]) if loc else ""
        kind = error["type"]
        value = error.get("input")
        if kind == "missing":
            line, col = smap.position(loc[:-1])
            found.append(
                Diagnostic(
                    smap.display, line, col, "error", "GK110", f"缺少必填字段 '{field_name}'", _task_of(loc, data)
                )
            )
            continue
        if kind == "extra_forbidden":
            line, col = smap.position(loc, key=True)
            known = _fields_at(model, loc[:-1])
            close = difflib.get_close_matches(field_name, known, n=1)
            hint = f"(您是不是要写 '{close[0]}'?)" if close else f"(可用字段: {', '.join(known)})"
            found.append(
                Diagnostic(
                    smap.display, line, col, "error", "GK111", f"未知字段 '{field_name}'{hint}", _task_of(loc, data)
                )
            )
            continue
        line, col = smap.position(loc)
        raw = smap.raw.get(loc)
        if kind == "literal_error":
            choices = "、".join(re.findall(r"'([^']*)'", str(error.get("ctx", {}).get("expected", ""))))
            shown = raw if raw is not None else repr(value)
            message = f"'{field_name}' 的值 {shown} 无效,应为 {choices} 之一"
            rule = "GK113"
        elif kind.endswith("_type") or kind in {"date_from_datetime_inexact", "model_type"}:
            message = f"'{field_name}' 的类型不对: 读到的是{_describe(value, raw)}"
            if raw is not None and isinstance(value, (bool, int, float, dt.date)) and kind == "string_type":
                message += f'。YAML 会把未加引号的 {raw} 读成{_TYPE_NAMES[type(value)]},请写成 "{raw}"'
            rule = "GK112"
        else:
            message = f"'{field_name}' 的值不符合要求: {error['msg']}"
            rule = "GK113"
        found.append(Diagnostic(smap.display, line, col, "error", rule, message, _task_of(loc, data)))
    return found


def _task_of(loc: Path_, data: Any) -> int | None:
    """The id of the task a schema error lies in, when the task has a usable id."""
    if len(loc) < 2 or loc[0] != "tasks" or not isinstance(loc[1], int):
        return None
    try:
        task_id = data["tasks"][loc[1]]["id"]
    except (KeyError, IndexError, TypeError):
        return None
    return task_id if isinstance(task_id, int) and not isinstance(task_id, bool) else None


def _fields_at(model: type[BaseModel], loc: Path_) -> list[str]:
    """Field names of the model reached by following ``loc`` through nested models."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        info = current.model_fields.get(part) if hasattr(current, "model_fields") else None
        if info is None:
            return []
        current = _inner_model(info.annotation)
    return list(current.model_fields) if hasattr(current, "model_fields") else []


def _inner_model(annotation: Any) -> Any:
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _inner_model(arg)
        if found is not None:
            return found
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return None


def _validate(model: type[BaseModel], doc: Document) -> tuple[Any, list[Diagnostic]]:
    if doc.data is None:
        return None, []
    if not isinstance(doc.data, dict):
        diag = Diagnostic(
            doc.source.display, 1, 1, "error", "GK108", "顶层应是映射(键: 值),而不是" + _describe(doc.data, None)
        )
        return None, [diag]
    try:
        return model.model_validate(doc.data), []
    except ValidationError as exc:
        return None, _schema_diagnostics(model, exc, doc.source, doc.data)


def inspect_registry(
    source: RegistrySource,
    as_of: dt.date | None = None,
    tasks_text: str | None = None,
    *,
    build: bool = True,
    contents: tuple[bytes, bytes] | None = None,
) -> tuple[Registry | None, list[Diagnostic]]:
    """Read, validate and cross-check; the registry (or None) and every problem found.

    ``as_of`` enables the rules that depend on today's date (a completion date in the future).
    ``tasks_text`` stands in for the content of tasks.yaml (an update checked before it is written).
    ``build=False`` only looks for problems (``gkcli check``) and returns no registry.
    ``contents`` are the bytes of tasks.yaml and units.yaml when the caller has already read them.
    """
    with collector_paused():
        tasks_display = source.display(source.tasks_path)
        tasks_doc = (
            _read(source.tasks_path, tasks_display, contents and contents[0])
            if tasks_text is None
            else parse_text(tasks_text, tasks_display)
        )
        units_doc = _read(source.units_path, source.display(source.units_path), contents and contents[1])
        tasks, tasks_diags = _validate(TasksFile, tasks_doc)
        units, units_diags = _validate(UnitsFile, units_doc)
        diagnostics = [*tasks_doc.diagnostics, *units_doc.diagnostics, *tasks_diags, *units_diags]
        for doc in (tasks_doc, units_doc):
            diagnostics += check_text(doc.source)
        registry = None
        if tasks is not None and units is not None and not any(d.severity == "error" for d in diagnostics):
            diagnostics += check_all(tasks, units, tasks_doc.source, units_doc.source, as_of)
            if build:
                plan, parts, task_list = to_domain_tasks(tasks)
                registry = Registry.build(plan, parts, task_list, *to_domain_units(units), source=source)
    return registry, _with_source_lines(diagnostics, [tasks_doc.source, units_doc.source])


def _with_source_lines(diagnostics: list[Diagnostic], maps: list[SourceMap]) -> list[Diagnostic]:
    """Sorted, each with the text of the line it points at."""
    lines = {smap.display: smap for smap in maps}
    found = []
    for diag in sorted(diagnostics, key=Diagnostic.sort_key):
        smap = lines.get(diag.file)
        found.append(dataclasses.replace(diag, source=smap.line_text(diag.line) if smap else None))
    return found
