"""Every way gkcli shows results: rich tables, JSON, CSV and Markdown.

Registry text is data: it is printed through ``rich.text.Text`` (never parsed
as markup) and control characters are shown as escapes in human formats.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
import re
import sys
from collections.abc import Iterable, Sequence
from typing import Any, Literal, TextIO

from gkcli.check.rules import Diagnostic
from gkcli.core.queries import Item, Reminder, UnitLoad
from gkcli.core.stats import StatRow, Stats
from gkcli.domain.records import LIGHT_LABELS, ROLE_LABELS, STATUS_LABELS
from gkcli.domain.registry import Registry
from gkcli.text import spreadsheet_safe, terminal_safe

Format = Literal["table", "json", "csv", "markdown"]
FORMATS: tuple[str, ...] = ("table", "json", "csv", "markdown")
ListKind = Literal["list", "overdue", "due", "unit"]

_STATUS_STYLE = {"not_started": "", "in_progress": "cyan", "done": "green"}
_LIGHT_STYLE = {"red": "bold red", "yellow": "bold yellow", "green": "green", "done": "green", "done_late": "magenta"}


def _console(file: TextIO | None = None) -> Any:
    from rich.console import Console

    return Console(file=file or sys.stdout, highlight=False, soft_wrap=False)


def _join(names: Sequence[str]) -> str:
    return "、".join(names)


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


# ---- records: the JSON/CSV contract -------------------------------------------------------


_BASE_KEYS = ["id", "section", "title", "lead", "responsible", "deadline", "due", "status", "done_on", "light",
              "days_late", "provenance"]  # fmt: skip
_KIND_KEYS: dict[str, list[str]] = {
    "list": [],
    "overdue": ["days_overdue"],
    "due": ["days_left"],
    "unit": ["role", "via"],
}


def record_keys(kind: ListKind | None, *, overdue: bool = False) -> list[str]:
    """The keys of a task record in a listing of this kind, in order (the CSV columns).

    ``overdue`` adds ``days_overdue`` to a listing that is not itself the overdue one (list --overdue).
    """
    extra = _KIND_KEYS[kind] if kind else []
    if overdue and "days_overdue" not in extra:
        extra = ["days_overdue", *extra]
    return _BASE_KEYS + extra


def task_record(item: Item, kind: ListKind | None = None, *, overdue: bool = False) -> dict[str, Any]:
    """One task as JSON keys; ``kind`` adds what that listing adds."""
    task = item.task
    record: dict[str, Any] = {
        "id": task.id,
        "section": task.section,
        "title": task.title,
        "lead": list(task.lead),
        "responsible": list(task.responsible),
        "deadline": task.deadline,
        "due": _iso(item.due),
        "status": task.status,
        "done_on": _iso(task.done_on),
        "light": item.light,
        "days_late": item.days_late,
        "provenance": task.provenance,
        "days_overdue": item.days_overdue,
        "days_left": item.days_left,
        "role": item.role,
        "via": item.via,
    }
    return {key: record[key] for key in record_keys(kind, overdue=overdue)}


# JSON escapes C0 controls itself; these it would leave raw, though a terminal may act on them.
_JSON_UNSAFE = re.compile(r"[\x7f-\x9f\u2028\u2029\u061c\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff\ud800-\udfff]")


def _json_text(text: str) -> str:
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _write_json(value: Any, out: TextIO) -> None:
    """Indented JSON; an array of objects has one object per line (and is written by the fast C encoder)."""
    if isinstance(value, list) and all(isinstance(v, dict) for v in value):
        if not value:
            out.write("[]\n")
            return
        encode = json.JSONEncoder(ensure_ascii=False).encode
        out.write(_json_text("[\n  " + ",\n  ".join(encode(v) for v in value) + "\n]\n"))
        return
    out.write(_json_text(json.dumps(value, ensure_ascii=False, indent=2)))
    out.write("\n")


def _write_csv(rows: list[dict[str, Any]], columns: Sequence[str], out: TextIO) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _csv_cell(v) for k, v in row.items()})
    out.write(buffer.getvalue())


def _csv_cell(value: Any) -> Any:
    """A CSV cell: lists joined, None empty, text neutralised for spreadsheets."""
    if isinstance(value, list):
        value = _join(value)
    if value is None:
        return ""
    return spreadsheet_safe(value) if isinstance(value, str) else value


def markdown_cell(value: Any) -> str:
    """Text safe inside a Markdown table cell: no markup, links, HTML or control characters act."""
    if value is None:
        return ""
    if isinstance(value, list):
        value = _join(value)
    text = terminal_safe(str(value)).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")
    return re.sub(r"([*_`\[\]<>])", r"\\\1", text)


def _write_markdown(headers: Sequence[str], rows: Iterable[Sequence[Any]], out: TextIO) -> None:
    out.write("| " + " | ".join(headers) + " |\n")
    out.write("|" + "|".join("---" for _ in headers) + "|\n")
    for row in rows:
        out.write("| " + " | ".join(markdown_cell(v) for v in row) + " |\n")


# ---- task listings ------------------------------------------------------------------------

_TASK_COLUMNS: list[tuple[str, str]] = [
    ("id", "序号"),
    ("section", "小节"),
    ("title", "重点工作"),
    ("lead", "牵头单位"),
    ("responsible", "责任单位"),
    ("deadline", "完成时限"),
    ("due", "截止日期"),
    ("status", "状态"),
    ("light", "灯"),
    ("done_on", "完成日期"),
]
_EXTRA_COLUMNS: dict[str, list[tuple[str, str]]] = {
    "list": [],
    "overdue": [("days_overdue", "逾期天数")],
    "due": [("days_left", "剩余天数")],
    "unit": [("role", "角色"), ("via", "途径")],
}
# The terminal table is narrower than the full record: the deadline and its date share a
# cell, the role carries the group it came through, and `unit` drops the other units.
_TABLE_COLUMNS: dict[str, list[str]] = {
    "list": ["id", "light", "title", "lead", "responsible", "deadline", "status"],
    "overdue": ["id", "days_overdue", "light", "title", "lead", "responsible", "deadline", "status"],
    "due": ["id", "days_left", "light", "title", "lead", "responsible", "deadline", "status"],
    "unit": ["id", "light", "role", "title", "lead", "deadline", "status"],
}
_HEADERS = dict(_TASK_COLUMNS) | {"days_overdue": "逾期天数", "days_left": "剩余天数", "role": "角色"}


def _human(key: str, record: dict[str, Any], sep: str = "、") -> str:
    value = record.get(key)
    if key == "status":
        return STATUS_LABELS.get(str(value), str(value))
    if key == "role":
        return ROLE_LABELS.get(str(value), "") if value else ""
    if key == "via":
        return "直接" if value is None else f"经 {value}"
    if key == "due":
        return str(value) if value else "不定期"
    if key == "light":
        return light_label(record)
    if isinstance(value, list):
        return sep.join(value)
    return "" if value is None else str(value)


def light_label(record: dict[str, Any]) -> str:
    light = record.get("light")
    if not light:
        return ""
    label = LIGHT_LABELS[str(light)]
    return f"{label} {record['days_late']} 天" if light == "done_late" else label


def _table_cell(key: str, record: dict[str, Any]) -> str:
    if key == "deadline":
        return f"{record['deadline']}\n{_human('due', record)}"
    if key == "role":
        via = record.get("via")
        return _human("role", record) + (f"\n经{via}" if via else "")
    return _human(key, record, sep="\n")


def render_items(
    items: Sequence[Item],
    fmt: Format,
    kind: ListKind,
    title: str,
    out: TextIO | None = None,
    *,
    overdue: bool = False,
) -> None:
    """A task listing in the chosen format; ``title`` heads the table and Markdown."""
    stream = out or sys.stdout
    records = [task_record(i, kind, overdue=overdue) for i in items]
    extra = _EXTRA_COLUMNS[kind] + ([("days_overdue", "逾期天数")] if overdue and kind != "overdue" else [])
    columns = _TASK_COLUMNS[:1] + extra + _TASK_COLUMNS[1:]
    if fmt == "json":
        _write_json(records, stream)
    elif fmt == "csv":
        _write_csv(records, record_keys(kind, overdue=overdue), stream)
    elif fmt == "markdown":
        stream.write(f"**{markdown_cell(title)}**\n\n")
        _write_markdown([h for _, h in columns], ([_human(k, r) for k, _ in columns] for r in records), stream)
    else:
        _task_table(records, _TABLE_COLUMNS[kind], title, stream)


def _task_table(records: list[dict[str, Any]], keys: list[str], title: str, out: TextIO) -> None:
    from rich.table import Table
    from rich.text import Text

    console = _console(out)
    if not records:
        console.print(Text(f"{title}: 没有符合条件的任务"))
        return
    table = Table(title=Text(title, style="bold"), show_lines=True)
    for key in keys:
        numeric = key in ("id", "days_overdue", "days_left")
        if key == "title":
            table.add_column(_HEADERS[key], overflow="fold", ratio=3, min_width=12)
        elif key in ("lead", "responsible", "role"):
            table.add_column(_HEADERS[key], overflow="fold", ratio=1, min_width=6)
        else:
            table.add_column(_HEADERS[key], justify="right" if numeric else "left", no_wrap=True)
    for record in records:
        cells = []
        for key in keys:
            style = ""
            if key == "status":
                style = _STATUS_STYLE.get(str(record["status"]), "")
            elif key == "light":
                style = _LIGHT_STYLE.get(str(record["light"]), "")
            elif key == "days_overdue":
                style = "bold red"
            cells.append(Text(terminal_safe(_table_cell(key, record)), style=style))
        table.add_row(*cells)
    console.print(table)


# ---- one task -----------------------------------------------------------------------------


def render_task(item: Item, registry: Registry, fmt: Format, out: TextIO | None = None) -> None:
    stream = out or sys.stdout
    record = task_record(item)
    part, section = registry.sections[item.task.section]
    record["section_title"] = section.title
    record["part_title"] = part.title
    record["progress"] = [{"on": e.on.isoformat(), "unit": e.unit, "note": e.note} for e in item.task.progress]
    if fmt == "json":
        _write_json(record, stream)
        return
    log = "\n".join(f"{e['on']} {e['unit'] or ''}{':' if e['unit'] else ''}{e['note']}" for e in record["progress"])
    rows = [
        ("序号", str(record["id"])),
        ("部分", f"{part.id} {part.title}"),
        ("小节", f"{section.id} {section.title}"),
        ("重点工作", record["title"]),
        ("牵头单位", _human("lead", record, sep="\n")),
        ("责任单位", _human("responsible", record, sep="\n") or "(无)"),
        ("完成时限", record["deadline"]),
        ("截止日期", _human("due", record)),
        ("状态", _human("status", record) + (f"({record['done_on']} 完成)" if record["done_on"] else "")),
        ("灯", light_label(record)),
        ("进展记录", log or "(暂无)"),
        ("来源说明", record["provenance"] or "(原表清晰,未作重建)"),
    ]
    if fmt == "csv":
        record["progress"] = log
        _write_csv([record], list(record), stream)
    elif fmt == "markdown":
        _write_markdown(["字段", "内容"], rows, stream)
    else:
        from rich.table import Table
        from rich.text import Text

        table = Table(title=Text(f"任务 {record['id']}", style="bold"), show_header=False, show_lines=True)
        table.add_column("字段", style="bold", no_wrap=True)
        table.add_column("内容", overflow="fold", max_width=60)
        for label, value in rows:
            style = _LIGHT_STYLE.get(str(record["light"]), "") if label == "灯" else ""
            table.add_row(Text(label), Text(terminal_safe(value), style=style))
        _console(stream).print(table)


# ---- statistics ---------------------------------------------------------------------------

_BY_LABELS = {"unit": "单位", "section": "小节", "deadline": "完成时限", "status": "状态"}
BAR_WIDTH = 20


def stat_record(row: StatRow) -> dict[str, Any]:
    record = {"key": row.key, "label": row.label, "total": row.total}
    if row.lead is not None:
        record |= {"lead": row.lead, "responsible": row.responsible}
    return record | {
        "done": row.done, "done_late": row.done_late, "red": row.red, "yellow": row.yellow, "green": row.green,
        "percent_done": row.percent_done,
    }  # fmt: skip


def _bar(row: StatRow) -> Any:
    """done, red, yellow and green as a stacked bar of block characters."""
    from rich.text import Text

    bar = Text()
    if not row.total:
        return bar
    cells = [(row.done, "█", "green"), (row.red, "█", "red"), (row.yellow, "█", "yellow"), (row.green, "░", "green")]
    widths = [round(BAR_WIDTH * n / row.total) for n, _, _ in cells]
    widths[-1] = max(0, BAR_WIDTH - sum(widths[:-1]))
    for (_, char, style), width in zip(cells, widths, strict=True):
        bar.append(char * width, style=style)
    return bar


def render_stats(result: Stats, fmt: str, out: TextIO | None = None) -> None:
    stream = out or sys.stdout
    rows = [stat_record(r) for r in result.rows]
    total = stat_record(result.total)
    if fmt == "json":
        _write_json({"as_of": result.as_of.isoformat(), "by": result.by, "rows": rows, "total": total}, stream)
        return
    if fmt == "csv":
        columns = list(rows[0]) if rows else list(total)
        total_row = {k: total.get(k, "") for k in columns}
        _write_csv([*rows, total_row], columns, stream)
        return
    from rich.table import Table
    from rich.text import Text

    units = result.by == "unit"
    table = Table(title=Text(f"按{_BY_LABELS[result.by]}统计(截至 {result.as_of.isoformat()})", style="bold"))
    headers = [
        _BY_LABELS[result.by],
        *(["牵头", "责任"] if units else []),
        "任务",
        "已完成",
        "红灯",
        "黄灯",
        "绿灯",
        "完成率",
        "进度",
    ]
    for n, header in enumerate(headers):
        table.add_column(header, justify="left" if n == 0 or header == "进度" else "right", no_wrap=n != 0)
    for row, record in [*zip(result.rows, rows, strict=True), (result.total, total)]:
        label = row.label if result.by != "section" or row is result.total else f"{row.key} {row.label}"
        cells = [Text(terminal_safe(label), style="bold" if row is result.total else "")]
        if units:
            cells += [Text(str(record.get("lead", ""))), Text(str(record.get("responsible", "")))]
        cells += [Text(str(row.total)), Text(str(row.done), style="green"), Text(str(row.red), style="red" if row.red else ""),
                  Text(str(row.yellow), style="yellow" if row.yellow else ""), Text(str(row.green)),
                  Text(f"{row.percent_done:g}%"), _bar(row)]  # fmt: skip
        table.add_row(*cells, end_section=row is result.rows[-1] if result.rows else False)
    _console(stream).print(table)


# ---- reminders ----------------------------------------------------------------------------


def reminder_text(reminder: Reminder, as_of: dt.date, within_days: int) -> str:
    """One message, ready to paste into a work chat."""

    def line(n: int, item: Item, tail: str) -> str:
        role = ROLE_LABELS.get(str(item.role), "")
        via = f",经{item.via}" if item.via else ""
        return f"  {n}. 任务{item.task.id}【{role}{via}】{item.task.title}(截止 {_iso(item.due)},{tail})"

    out = [f"【{reminder.unit}】政务公开工作任务提醒(截至 {as_of.isoformat()})"]
    if reminder.red:
        out.append(f"红灯:已逾期 {len(reminder.red)} 项")
        out += [line(n, i, f"已逾期 {i.days_overdue} 天") for n, i in enumerate(reminder.red, 1)]
    if reminder.yellow:
        out.append(f"黄灯:{within_days} 天内到期 {len(reminder.yellow)} 项")
        out += [
            line(n, i, "今天到期" if i.days_left == 0 else f"还剩 {i.days_left} 天")
            for n, i in enumerate(reminder.yellow, 1)
        ]
    out.append("请抓紧办理,并及时报送进展。")
    return terminal_safe("\n".join(out))


def render_reminders(
    reminders: Sequence[Reminder], fmt: str, as_of: dt.date, within_days: int, out: TextIO | None = None
) -> None:
    stream = out or sys.stdout
    if fmt == "json":
        records = [
            {
                "unit": r.unit,
                "red": [task_record(i, "unit", overdue=True) for i in r.red],
                "yellow": [task_record(i, "unit") | {"days_left": i.days_left} for i in r.yellow],
            }
            for r in reminders
        ]
        _write_json(records, stream)
        return
    if not reminders:
        stream.write(f"截至 {as_of.isoformat()},没有需要提醒的单位。\n")
        return
    stream.write("\n\n".join(reminder_text(r, as_of, within_days) for r in reminders) + "\n")


# ---- units --------------------------------------------------------------------------------

_UNIT_COLUMNS = [
    ("name", "单位/群组"),
    ("kind", "类别"),
    ("lead_direct", "直接牵头"),
    ("lead_via_group", "经群组牵头"),
    ("responsible_direct", "直接责任"),
    ("responsible_via_group", "经群组责任"),
    ("total", "合计"),
]
_KIND_LABELS = {
    "department": "部门",
    "township": "乡镇",
    "enterprise": "企业",
    "coordinating_body": "议事协调机构",
    "group": "群组",
}


def unit_record(load: UnitLoad) -> dict[str, Any]:
    return {**dataclasses.asdict(load), "total": load.total}


def render_units(loads: Sequence[UnitLoad], fmt: Format, out: TextIO | None = None) -> None:
    stream = out or sys.stdout
    records = [unit_record(load) for load in loads]
    if fmt == "json":
        _write_json(records, stream)
        return
    if fmt == "csv":
        _write_csv(records, list(records[0]) if records else [k for k, _ in _UNIT_COLUMNS], stream)
        return
    rows = [[_KIND_LABELS.get(r[k], r[k]) if k == "kind" else r[k] for k, _ in _UNIT_COLUMNS] for r in records]
    if fmt == "markdown":
        _write_markdown([h for _, h in _UNIT_COLUMNS], rows, stream)
        return
    from rich.table import Table
    from rich.text import Text

    table = Table(title=Text(f"单位与群组(共 {len(records)} 个)", style="bold"))
    for key, header in _UNIT_COLUMNS:
        table.add_column(header, justify="left" if key in ("name", "kind") else "right", no_wrap=True)
    for row in rows:
        table.add_row(*(Text(terminal_safe(str(v))) for v in row))
    _console(stream).print(table)


# ---- diagnostics --------------------------------------------------------------------------

DIAGNOSTIC_FORMATS: tuple[str, ...] = ("text", "json", "github")


def diagnostic_record(diag: Diagnostic) -> dict[str, Any]:
    record = dataclasses.asdict(diag)
    del record["line_text"]
    return record


def format_diagnostic(diag: Diagnostic) -> str:
    """``data/tasks.yaml:123:7: error GK301 message``"""
    return f"{terminal_safe(diag.location, one_line=True)}: {diag.severity} {diag.rule} {terminal_safe(diag.message)}"


def _github_escape(text: str, *, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if prop else text


def format_github(diag: Diagnostic) -> str:
    """A GitHub Actions workflow command that annotates the line."""
    props = ",".join(
        f"{key}={_github_escape(str(value), prop=True)}"
        for key, value in (("file", terminal_safe(diag.file, one_line=True)), ("line", diag.line), ("col", diag.column),
                           ("title", diag.rule))
    )  # fmt: skip
    return f"::{diag.severity} {props}::{terminal_safe(_github_escape(diag.message))}"


def render_diagnostics(diagnostics: Sequence[Diagnostic], fmt: str, out: TextIO | None = None) -> None:
    stream = out or sys.stdout
    if fmt == "json":
        _write_json([diagnostic_record(d) for d in diagnostics], stream)
        return
    if fmt == "github":
        for diag in diagnostics:
            stream.write(format_github(diag) + "\n")
        return
    from rich.text import Text

    console = _console(stream)
    for diag in diagnostics:
        line = Text(f"{terminal_safe(diag.location, one_line=True)}: ", style="bold")
        line.append(diag.severity, style="bold red" if diag.severity == "error" else "bold yellow")
        line.append(f" {diag.rule} ", style="cyan")
        line.append(terminal_safe(diag.message))
        console.print(line, soft_wrap=True)
        if diag.line_text is not None:
            shown = terminal_safe(diag.line_text)
            console.print(Text(f"    {shown}"), soft_wrap=True)
            prefix = terminal_safe(diag.line_text[: max(diag.column - 1, 0)])
            console.print(Text(" " * (4 + cell_len(prefix)) + "^", style="bold red"), soft_wrap=True)


def cell_len(text: str) -> int:
    """Terminal cells a text takes (CJK characters take two)."""
    from rich.cells import cell_len as rich_cell_len

    return rich_cell_len(text)
