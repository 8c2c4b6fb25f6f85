"""The output field table: every column a task has in JSON, CSV, XLSX, Markdown and tables.

A column has its JSON key, its Chinese header, the description the README's key table shows,
how its value is taken from a listed task (:class:`gkcli.core.queries.Item`), how that value
reads as text, and whether spreadsheets carry it. The record fields come straight from
:mod:`gkcli.domain.records` (header and description as declared there); the computed ones
(the effective due date, the light, days overdue ...) are declared here. Every format is fed
from this one table.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import operator
import types
import typing
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from gkcli.core.queries import Item
from gkcli.domain.records import (
    ENTRY_KIND_LABELS,
    LIGHT_LABELS,
    ROLE_LABELS,
    STATUS_LABELS,
    Task,
    description,
    header_of,
    hints,
)
from gkcli.render.views import ListKind


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    description: str
    value: Callable[[Item], Any]  # the JSON value
    text: Callable[[Any], str]  # the JSON value as a person reads it
    spreadsheet: bool = True  # carried by CSV/XLSX exports
    listings: frozenset[str] | None = None  # only in these listings (None: in every one)
    path: str | None = None  # where ``value`` takes it from, when it is the item's attribute as it is ("task.id")


# ---- values as JSON and as text -------------------------------------------------------------


def as_json(value: Any) -> Any:
    """A record value as JSON: dates ISO, tuples lists, records objects keyed by field."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple):
        return [as_json(v) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: as_json(getattr(value, f.name)) for f in dataclasses.fields(value)}
    return value


def joined(value: Any, sep: str = "、") -> str:
    """A JSON value as text: lists joined, None empty."""
    if value is None:
        return ""
    if isinstance(value, list):
        return sep.join(joined(v) for v in value)
    return str(value)


def entry_text(entry: dict[str, Any]) -> str:
    """One progress entry (as JSON) on one line: ``2022-08-01 县财政局:【完成】说明 https://…``."""
    kind = entry.get("kind") or "progress"
    said = ("" if kind == "progress" else f"【{ENTRY_KIND_LABELS[kind]}】") + str(entry.get("note") or "")
    if entry.get("due"):
        said += f"(延至 {entry['due']})"
    who = f"{entry['unit']}:" if entry.get("unit") else ""
    return " ".join(filter(None, [str(entry.get("on") or ""), who + said, entry.get("link") or ""]))


def log_text(entries: Any) -> str:
    return "\n".join(entry_text(e) for e in entries or [])


def status_text(value: Any) -> str:
    return STATUS_LABELS.get(str(value), str(value))


def due_text(value: Any) -> str:
    return str(value) if value else "不定期"


def role_text(value: Any) -> str:
    return ROLE_LABELS.get(str(value), "") if value else ""


def via_text(value: Any) -> str:
    return "直接" if value is None else f"经 {value}"


def light_text(record: dict[str, Any]) -> str:
    """The light of a task record as a person reads it (逾期完成 N 天 for a task done late)."""
    light = record.get("light")
    if not light:
        return ""
    label = LIGHT_LABELS[str(light)]
    return f"{label} {record['days_late']} 天" if light == "done_late" else label


# ---- the table ------------------------------------------------------------------------------


_TEXT_OF: dict[str, Callable[[Any], str]] = {"status": status_text, "progress": log_text}


def _converter(annotation: Any) -> Callable[[Any], Any]:
    """How a field's value becomes JSON, chosen once from its type (plain values pass as they are)."""
    args = typing.get_args(annotation)
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _converter(args[0])
    if origin in (typing.Union, types.UnionType):
        inner = _converter(next(a for a in args if a is not type(None)))
        return inner if inner is _same else (lambda v: None if v is None else inner(v))
    if annotation is dt.date:
        return _iso_date
    if origin is tuple:
        return as_json if dataclasses.is_dataclass(_plain(args[0])) else list
    return _same


def _same(value: Any) -> Any:
    return value


def _iso_date(value: dt.date) -> str:
    return value.isoformat()


def _plain(annotation: Any) -> Any:
    return typing.get_args(annotation)[0] if typing.get_origin(annotation) is typing.Annotated else annotation


# Fields whose value on the day asked for comes from the replayed log, not from what is written.
_ON_THE_DAY = {"status": "status", "done_on": "done_on", "progress": "entries"}


def _field(name: str, **extra: Any) -> Column:
    """A column straight from a field of Task (its value on the day asked for, where the log decides it)."""
    field = Task.__dataclass_fields__[name]
    header = header_of(Task, name) or name
    convert = _converter(hints(Task)[name])
    path = _ON_THE_DAY.get(name, f"task.{name}")
    get = operator.attrgetter(path)
    value = get if convert is _same else (lambda item: convert(get(item)))
    return Column(
        name, header, description(Task, name), value, _TEXT_OF.get(name, joined),
        spreadsheet=bool(field.metadata.get("spreadsheet", True)), path=path if convert is _same else None, **extra,
    )  # fmt: skip


def _computed(key: str, header: str, description: str, value: Callable[[Item], Any], text: Callable[[Any], str],
              *, listings: Sequence[str] | None = None, spreadsheet: bool = True) -> Column:  # fmt: skip
    return Column(key, header, description, value, text, spreadsheet, frozenset(listings) if listings else None)


def _attribute(key: str, header: str, description: str, path: str, text: Callable[[Any], str],
               *, listings: Sequence[str] | None = None) -> Column:  # fmt: skip
    """A computed column that is an attribute of the listed item as it is (the light, days overdue …)."""
    return Column(key, header, description, operator.attrgetter(path), text, True,
                  frozenset(listings) if listings else None, path)  # fmt: skip


LATEST_KEYS = ("on", "unit", "kind", "note", "link", "due")


def latest_json(item: Item, unit: str | None = None) -> dict[str, Any] | None:
    """The latest entry known on the day, as {on, unit, kind, note, link}: of the whole log, or
    (``unit``) the latest that unit recorded itself or that speaks for the whole task."""
    if unit is not None and item.state is not None:
        entry = item.state.latest_for(unit)
    else:
        entry = item.entries[-1] if item.entries else None
    if entry is None:
        return None
    due = entry.due  # the keys of LATEST_KEYS, written out: a listing builds thousands of these
    return {"on": entry.on.isoformat(), "unit": entry.unit, "kind": entry.kind, "note": entry.note,
            "link": entry.link, "due": None if due is None else due.isoformat()}  # fmt: skip


def latest_text(value: Any) -> str:
    return entry_text(value) if value else ""


def _parts_done(item: Item) -> list[dict[str, Any]]:
    return [{"unit": unit, "on": day.isoformat()} for unit, day in item.state.parts_done] if item.state else []


def parts_text(value: Any) -> str:
    return "、".join(f"{p['unit']} {p['on']}" for p in value or [])


def _entries(entries: Iterable[Any]) -> list[dict[str, Any]]:
    return [{"on": e.on.isoformat(), "unit": e.unit, "kind": e.kind, "note": e.note, "link": e.link} for e in entries]


def _next_checkpoint(item: Item) -> str | None:
    found = item.checkpoint
    if found is None or found.upcoming is None:
        return None
    return found.upcoming.isoformat() + (f"(尚未报送: {'、'.join(found.owing)})" if found.owing else "")


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


TASK_COLUMNS: tuple[Column, ...] = (
    _field("id"),
    _field("section"),
    _field("title"),
    _field("lead"),
    _field("responsible"),
    _field("deadline"),
    _computed("due", "截止日期", "截止日期(ISO):写了 `due` 时取它,否则由完成时限推算;无截止日期时为 `null`",
              lambda i: _iso(i.due), due_text),
    _field("status"),
    _field("done_on"),
    _attribute("light", "灯", "`red`、`yellow`、`green`、`done`、`done_late`、`carried`(已结转;按 `--as-of` 计算)", "light",
               lambda v: LIGHT_LABELS.get(str(v), "") if v else ""),
    _attribute("days_late", "逾期完成天数", "逾期完成的天数,其他情况为 `null`", "days_late", joined),
    _computed("latest_progress", "最新进展", "当天之前最近的一条进展(`on`、`unit`、`kind`、`note`、`link`、`due`),没有时为 `null`",
              lambda i: latest_json(i), latest_text),
    _computed("parts_done", "已完成的单位", "已完成自己那部分的单位及日期(`unit`、`on`)", lambda i: _parts_done(i),
              parts_text, spreadsheet=False),
    _computed("parts_open", "未完成的牵头单位", "尚未完成的牵头单位(群组展开为成员)",
              lambda i: list(i.state.parts_open) if i.state else [], joined, spreadsheet=False),
    _field("provenance"),
    _field("progress", listings=frozenset({"show"})),
    _field("carried_from", listings=frozenset({"show"})),
    _field("checkpoints", listings=frozenset({"show"})),
    _computed("awaiting_review", "待审核", "待审核的销号申请(`on`、`unit`、`note`、`link`;仅 `show`)",
              lambda i: _entries(i.state.claims if i.state else ()), log_text, listings=("show",), spreadsheet=False),
    _computed("sent_back", "退回", "被退回、尚未重新申请的销号申请的退回记录(`on`、`unit`、`note`;仅 `show`)",
              lambda i: _entries(i.state.returned if i.state else ()), log_text, listings=("show",), spreadsheet=False),
    _computed("next_checkpoint", "下一个检查节点", "下一个检查节点及尚未报送的牵头单位(仅 `show`)",
              lambda i: _next_checkpoint(i), joined, listings=("show",), spreadsheet=False),
    _attribute("days_overdue", "逾期天数", "逾期天数(仅 `overdue` 和 `list --overdue`)", "days_overdue",
               joined, listings=("overdue",)),
    _computed("checkpoint", "检查节点", "错过的最近一个检查节点(仅 `overdue --checkpoints`)",
              lambda i: _iso(i.checkpoint.latest) if i.checkpoint else None, joined, listings=("checkpoints",)),
    _computed("missing", "未按期报送", "该节点前没有登记进展的牵头单位(仅 `overdue --checkpoints`)",
              lambda i: list(i.checkpoint.missed) if i.checkpoint else [], joined, listings=("checkpoints",)),
    _attribute("days_left", "剩余天数", "距截止日期的天数(仅 `due`)", "days_left", joined, listings=("due",)),
    _attribute("role", "角色", "`lead` 或 `responsible`(仅 `unit` 和 `list --unit`)", "role", role_text,
               listings=("unit",)),
    _attribute("via", "途径", "经哪个群组分派,直接点名时为 `null`(仅 `unit` 和 `list --unit`)", "via",
               via_text, listings=("unit",)),
)  # fmt: skip
# What `show` adds to a task's record, from the plan around it.
DETAIL_KEYS: dict[str, str] = {"section_title": "小节标题(仅 `show`)", "part_title": "部分标题(仅 `show`)"}
# the plan a task comes from: first, in listings of a workspace with several plans
PLAN_COLUMN = _attribute("plan", "要点", "任务所属要点的简称(工作区中列出几份要点时)", "plan", joined)
COLUMNS_BY_KEY = {c.key: c for c in (PLAN_COLUMN, *TASK_COLUMNS)}


def columns_for(kind: ListKind | None, *, overdue: bool = False, plans: bool = False) -> list[Column]:
    """The columns of a listing of this kind, in order; ``overdue`` adds days overdue (list --overdue),
    ``plans`` the plan each task comes from."""
    shown = {kind} | ({"overdue"} if overdue else set())
    chosen = [*([PLAN_COLUMN] if plans else []), *(c for c in TASK_COLUMNS if c.listings is None or c.listings & shown)]
    if kind == "unit":  # the light is the unit's own part, the status the whole task's: headers say which
        chosen = [dataclasses.replace(c, header=UNIT_HEADERS[c.key]) if c.key in UNIT_HEADERS else c for c in chosen]
    return chosen


UNIT_HEADERS = {"light": "本单位灯", "status": "任务状态"}  # in a unit's listing


def task_record(item: Item, columns: Sequence[Column]) -> dict[str, Any]:
    """One task as JSON keys."""
    return {c.key: c.value(item) for c in columns}


def task_records(items: Iterable[Item], columns: Sequence[Column]) -> list[dict[str, Any]]:
    """Many tasks as JSON keys, each as :func:`task_record` gives it. The columns that are an
    item's attribute as it is are read together, by one ``attrgetter`` (in C), into a copy of a
    record with every key in order; only the others are computed one by one: a listing of 20,000
    tasks takes half the time."""
    template = dict.fromkeys(c.key for c in columns)
    plain = [c for c in columns if c.path is not None]
    computed = [(c.key, c.value) for c in columns if c.path is None]
    keys = [c.key for c in plain]
    read = _reader([c.path for c in plain if c.path is not None])
    records = []
    for item in items:
        record = template.copy()
        record.update(zip(keys, read(item), strict=True))
        for key, value in computed:
            record[key] = value(item)
        records.append(record)
    return records


def _reader(paths: list[str]) -> Callable[[Item], tuple[Any, ...]]:
    """The values at ``paths`` of an item, as a tuple (one ``attrgetter``)."""
    if len(paths) > 1:
        return operator.attrgetter(*paths)
    get = operator.attrgetter(*paths) if paths else None
    return (lambda item: ()) if get is None else (lambda item: (get(item),))


def human(column: Column, record: dict[str, Any]) -> str:
    """A record's cell as a person reads it."""
    if column.key == "light":
        return light_text(record)
    return column.text(record.get(column.key))
