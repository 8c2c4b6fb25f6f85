"""The one renderer of what commands return.

A command builds a :class:`gkcli.render.views.Result`: a view of plain data (a task listing, one
task, statistics, units, reminders, findings, a file's bytes), the format asked for, notes for
standard error and its exit code. :func:`emit` writes it; nothing else in gkcli prints a
command's output.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import io
import os
import stat
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TextIO

from gkcli.core.queries import Reminder, UnitLoad
from gkcli.core.reminders import missing_form_words, plain, reminder_lines
from gkcli.domain.records import VERDICT_LABELS
from gkcli.render import terminal
from gkcli.render.columns import (
    COLUMNS_BY_KEY,
    LATEST_KEYS,
    Column,
    columns_for,
    due_text,
    human,
    joined,
    light_text,
    log_text,
    status_text,
    task_record,
    task_records,
)
from gkcli.render.formats import csv_text, json_text, markdown_cell, markdown_table
from gkcli.render.views import (
    FileData,
    Findings,
    FormsView,
    Lines,
    LinksView,
    Related,
    RemindersView,
    Result,
    StatsView,
    TaskDetail,
    TaskListing,
    UnitsView,
)
from gkcli.text import terminal_safe

if TYPE_CHECKING:  # only named in annotations: neither is imported to list tasks
    from gkcli.core.links import Checked, Evidence
    from gkcli.core.returns import FormStatus
    from gkcli.core.stats import StatRow
    from gkcli.findings import Diagnostic


def for_excel(out: TextIO) -> bool:
    """CSV for Excel (a byte-order mark, CRLF; task listings with Chinese headers and values) when it
    goes to a file — ``> 我的任务.csv`` — or GKCLI_CSV=excel; plain CSV for a pipe or GKCLI_CSV=plain."""
    wanted = os.environ.get("GKCLI_CSV", "")
    if wanted in ("excel", "plain"):
        return wanted == "excel"
    try:
        return stat.S_ISREG(os.fstat(out.fileno()).st_mode)
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        return False


def emit(result: Result, out: TextIO) -> None:
    """Write ``result``'s view to ``out`` in its format."""
    _render(result.view, result.format, out)


@functools.singledispatch
def _render(view: Any, fmt: str, out: TextIO) -> None:  # pragma: no cover - every view has a renderer
    raise TypeError(f"no renderer for {type(view).__name__}")


# ---- tasks ----------------------------------------------------------------------------------


def _flat(columns: Sequence[Column], records: list[dict[str, Any]]) -> tuple[list[str], list[list[Any]]]:
    """Machine CSV: every cell text or a number. The latest entry spreads over ``latest_on``,
    ``latest_unit`` … columns; a list of records (``parts_done``) is its text as a table shows it."""
    headers: list[str] = []
    for column in columns:
        headers += [f"latest_{k}" for k in LATEST_KEYS] if column.key == "latest_progress" else [column.key]
    rows = []
    for record in records:
        row: list[Any] = []
        for column in columns:
            value = record[column.key]
            if column.key == "latest_progress":
                row += [(value or {}).get(k) for k in LATEST_KEYS]
            elif isinstance(value, list) and any(isinstance(v, dict) for v in value):
                row.append(human(column, record))
            else:
                row.append(value)
        rows.append(row)
    return headers, rows


@_render.register
def _(view: TaskListing, fmt: str, out: TextIO) -> None:
    columns = columns_for(view.kind, overdue=view.overdue, plans=view.plans)
    if fmt == "table":
        keys = terminal.TABLE_KEYS[view.kind]
        if view.overdue and "days_overdue" not in keys:
            keys = [keys[0], "days_overdue", *keys[1:]]
        if view.plans:
            keys = ["plan", *keys]
        shown = view.items[: view.limit] if view.limit else view.items
        headers = {c.key: c.header for c in columns}
        terminal.task_table(task_records(shown, columns), keys, view.title, out, total=len(view.items), headers=headers)
        return
    records = task_records(view.items, columns)
    if fmt == "json":
        out.write(json_text(records))
    elif fmt == "csv":
        if for_excel(out):
            out.write(
                csv_text([c.header for c in columns], ([human(c, r) for c in columns] for r in records), excel=True)
            )
        else:
            out.write(csv_text(*_flat(columns, records)))
    elif fmt == "markdown":
        out.write(f"**{markdown_cell(view.title)}**\n\n")
        out.write(markdown_table([c.header for c in columns], ([human(c, r) for c in columns] for r in records)))


@_render.register
def _(view: TaskDetail, fmt: str, out: TextIO) -> None:
    record = task_record(view.item, columns_for("show"))
    record |= {"section_title": view.section.title, "part_title": view.part.title}
    if view.related is not None:
        record["related"] = [_related_record(r) for r in view.related]
    if fmt == "json":
        out.write(json_text(record))
        return
    if fmt == "csv":
        flat = record | {"progress": log_text(record["progress"])}
        if "related" in flat:
            flat["related"] = ";".join(_related_text(r) for r in record["related"])
        out.write(csv_text(list(flat), [list(flat.values())], excel=for_excel(out)))
        return
    rows = [
        ("序号", str(record["id"])),
        ("部分", f"{view.part.id} {view.part.title}"),
        ("小节", f"{view.section.id} {view.section.title}"),
        ("重点工作", record["title"]),
        ("牵头单位", joined(record["lead"], "\n")),
        ("责任单位", joined(record["responsible"], "\n") or "(无)"),
        ("完成时限", record["deadline"]),
        ("截止日期", due_text(record["due"])),
        ("状态", status_text(record["status"]) + (f"({record['done_on']} 完成)" if record["done_on"] else "")),
        ("灯", light_text(record)),
        *([("检查节点", str(record["checkpoints"]))] if record.get("checkpoints") else []),
        *([("下一个检查节点", str(record["next_checkpoint"]))] if record.get("next_checkpoint") else []),
        ("进展记录", log_text(record["progress"]) or "(暂无)"),
        *([("待审核", log_text(record["awaiting_review"]))] if record.get("awaiting_review") else []),
        *([("被退回", log_text(record["sent_back"]))] if record.get("sent_back") else []),
        *([("各单位完成情况", _parts_line(record))] if record["parts_done"] or len(record["parts_open"]) > 1 else []),
        ("来源说明", record["provenance"] or "(原表清晰,未作重建)"),
        *([("接续", f"上一年要点的任务 {record['carried_from']}")] if record.get("carried_from") else []),
    ]
    if "related" in record:
        rows.append(("其他要点中", "\n".join(map(_related_text, record["related"])) or "(没有相近的任务)"))
    if fmt == "markdown":
        out.write(markdown_table(["字段", "内容"], rows))
    else:
        terminal.field_table(f"任务 {record['id']}", rows, record["light"], out)


def _related_record(related: Related) -> dict[str, Any]:
    item = related.item
    return {
        "plan": related.plan, "id": item.task.id, "title": item.task.title, "status": item.status,
        "light": item.light, "days_late": item.days_late, "likeness": related.likeness, "linked": related.linked,
    }  # fmt: skip


def _related_text(record: dict[str, Any]) -> str:
    how = "接续关系" if record["linked"] else f"相近 {record['likeness']:.2f}"
    state = "、".join(filter(None, [status_text(record["status"]), light_text(record)]))
    return f"{record['plan']}:{record['id']} {record['title']}({state};{how})"


def _parts_line(record: dict[str, Any]) -> str:
    done = [f"{p['unit']}({p['on']} 完成)" for p in record["parts_done"]]
    still = [f"{name}(未完成)" for name in record["parts_open"]]
    return "\n".join([*done, *still])


# ---- statistics -----------------------------------------------------------------------------

BY_LABELS = {"unit": "单位", "section": "小节", "deadline": "完成时限", "status": "状态", "plan": "要点"}


def stat_record(row: StatRow) -> dict[str, Any]:
    record: dict[str, Any] = {"key": row.key, "label": row.label, "total": row.total}
    if row.lead is not None:
        record |= {"lead": row.lead, "responsible": row.responsible}
    return record | {
        "done": row.done, "done_late": row.done_late, "red": row.red, "yellow": row.yellow, "green": row.green,
        "carried": row.carried, "percent_done": row.percent_done,
    }  # fmt: skip


@_render.register
def _(view: StatsView, fmt: str, out: TextIO) -> None:
    stats = view.stats
    rows = [stat_record(r) for r in stats.rows]
    total = stat_record(stats.total)
    if fmt == "json":
        out.write(json_text({"as_of": stats.as_of.isoformat(), "by": stats.by, "rows": rows, "total": total}))
        return
    if fmt == "csv":
        keys = list(rows[0]) if rows else list(total)
        out.write(csv_text(keys, [[r.get(k, "") for k in keys] for r in [*rows, total]], excel=for_excel(out)))
        return
    labels = [r.label if stats.by != "section" else f"{r.key} {r.label}" for r in stats.rows] + [stats.total.label]
    title = f"按{BY_LABELS[stats.by]}统计(截至 {stats.as_of.isoformat()})"
    terminal.stats_table(title, BY_LABELS[stats.by], [*rows, total], labels, out)


# ---- units ----------------------------------------------------------------------------------

UNIT_COLUMNS = [
    ("name", "单位/群组"),
    ("kind", "类别"),
    ("lead_direct", "直接\n牵头"),
    ("lead_via_group", "经群组\n牵头"),
    ("responsible_direct", "直接\n责任"),
    ("responsible_via_group", "经群组\n责任"),
    ("total", "合计"),
]
KIND_LABELS = {
    "department": "部门",
    "township": "乡镇",
    "enterprise": "企业",
    "coordinating_body": "议事协调机构",
    "group": "群组",
}


def unit_record(load: UnitLoad) -> dict[str, Any]:
    return {**dataclasses.asdict(load), "total": load.total}


@_render.register
def _(view: UnitsView, fmt: str, out: TextIO) -> None:
    records = [unit_record(load) for load in view.loads]
    if fmt == "json":
        out.write(json_text(records))
        return
    if fmt == "csv":
        keys = list(records[0]) if records else [k for k, _ in UNIT_COLUMNS]
        out.write(csv_text(keys, [[r[k] for k in keys] for r in records], excel=for_excel(out)))
        return
    rows = [[KIND_LABELS.get(r[k], r[k]) if k == "kind" else r[k] for k, _ in UNIT_COLUMNS] for r in records]
    headers = [h for _, h in UNIT_COLUMNS]
    if fmt == "markdown":
        out.write(markdown_table(headers, rows))
        return
    terminal.plain_table(
        f"单位与群组(共 {len(records)} 个)", headers, rows, set(range(2, len(headers))), out, optional=[1]
    )


# ---- reminders ------------------------------------------------------------------------------


def reminder_text(reminder: Reminder, as_of: dt.date, within_days: int) -> str:
    """One message, ready to paste into a work chat."""
    return terminal_safe(plain(reminder_lines(reminder, as_of, within_days)))


@_render.register
def _(view: RemindersView, fmt: str, out: TextIO) -> None:
    if fmt == "json":
        several = any(i.plan for r in view.reminders for i in (*r.red, *r.yellow))  # a workspace's plans
        red_columns = columns_for("unit", overdue=True, plans=several)
        yellow_columns = [*columns_for("unit", plans=several), COLUMNS_BY_KEY["days_left"]]
        records = [
            {
                "unit": r.unit,
                "red": task_records(r.red, red_columns),
                "yellow": task_records(r.yellow, yellow_columns),
            }
            for r in view.reminders
        ]
        out.write(json_text(records))
        return
    if not view.reminders:
        out.write(f"截至 {view.as_of.isoformat()},没有需要提醒的单位。\n")
        return
    out.write("\n\n".join(reminder_text(r, view.as_of, view.within_days) for r in view.reminders) + "\n")


# ---- forms sent and returned ----------------------------------------------------------------


def form_record(row: FormStatus) -> dict[str, Any]:
    return {
        "unit": row.unit,
        "sent_on": row.sent_on.isoformat() if row.sent_on else None,
        "returned_on": row.returned_on.isoformat() if row.returned_on else None,
        "rows": row.rows,
        "sent_file": row.sent_file,
        "returned_file": row.returned_file,
        "missing": row.missing,
        "reminded_on": row.reminded_on.isoformat() if row.reminded_on else None,
    }


_UNSENT_NAMED = 5  # units not sent a form named in the summary before "等"


def missing_form_text(row: FormStatus, period: str) -> str:
    """One message to a unit whose form has not come back, ready to paste into a work chat."""
    return terminal_safe(missing_form_words(row.unit, period, row.sent_on))


@_render.register
def _(view: FormsView, fmt: str, out: TextIO) -> None:
    missing = [r for r in view.rows if r.missing]
    if view.reminders:
        if fmt == "json":
            out.write(json_text([{**form_record(r), "message": missing_form_text(r, view.period)} for r in missing]))
        elif missing:
            out.write("\n\n".join(missing_form_text(r, view.period) for r in missing) + "\n")
        else:
            out.write(f"{view.period} 发出的填报表都已交回,没有需要提醒的单位。\n")
        return
    if fmt == "json":
        out.write(json_text([form_record(r) for r in view.rows]))
        return
    sent = [r for r in view.rows if r.sent_on is not None or r.returned_on is not None]
    back = [r for r in sent if r.returned_on is not None]
    lines = [f"{view.period} 填报表:发出 {len(sent)} 份,已交回 {len(back)} 份,未交回 {len(missing)} 份"]
    for row in sent:
        went = f"{row.sent_on.isoformat()} 发出" if row.sent_on else "未记发出"
        came = (
            f"{row.returned_on.isoformat()} 交回({row.returned_file or ''},登记 {row.rows or 0} 条)"
            if row.returned_on
            else "未交回" + (f"({row.reminded_on.isoformat()} 已在工作群催交)" if row.reminded_on else "")
        )
        lines.append(f"  {row.unit}: {went},{came}")
    if missing:
        lines.append(f"未交回: {'、'.join(r.unit for r in missing)}(gkcli remind --missing-forms 生成催交提醒)")
    unsent = [r.unit for r in view.rows if r not in sent]
    if unsent:
        shown = "、".join(unsent[:_UNSENT_NAMED]) + ("等" if len(unsent) > _UNSENT_NAMED else "")
        lines.append(f"本期未发出填报表的单位 {len(unsent)} 个: {shown}(全部见 --format json)")
    out.write(terminal_safe("\n".join(lines)) + "\n")


# ---- evidence links -------------------------------------------------------------------------

LINK_KEYS = ("task", "unit", "on", "url", "status", "final_url", "title", "published", "verdict", "problem",
             "redirects", "archived")  # fmt: skip
LINK_HEADERS = ("序号", "单位", "日期", "结果", "状态码", "发布日期", "标题", "链接")


def link_record(evidence: Evidence, checked: Checked) -> dict[str, Any]:
    return {
        "task": evidence.task, "unit": evidence.unit, "on": evidence.on.isoformat(), "url": evidence.url,
        "status": checked.status, "final_url": checked.final_url, "title": checked.title,
        "published": checked.published.isoformat() if checked.published else None, "verdict": checked.verdict,
        "problem": checked.problem, "redirects": list(checked.redirects), "archived": checked.archived,
    }  # fmt: skip


@_render.register
def _(view: LinksView, fmt: str, out: TextIO) -> None:
    records = [link_record(e, c) for e, c in view.rows]
    if fmt == "json":
        out.write(json_text(records))
        return
    if fmt == "csv":
        flat = [[";".join(r[k]) if k == "redirects" else r[k] for k in LINK_KEYS] for r in records]
        out.write(csv_text(LINK_KEYS, flat, excel=for_excel(out)))
        return
    if fmt == "markdown":
        rows = [
            [str(r["task"]), r["unit"] or "(整项任务)", r["on"], _verdict_text(r), str(r["status"] or ""),
             r["published"] or "", r["title"] or "", r["url"]]
            for r in records
        ]  # fmt: skip
        out.write(markdown_table(list(LINK_HEADERS), rows))
        return
    counts = {v: sum(1 for r in records if r["verdict"] == v) for v in VERDICT_LABELS}
    lines = [f"佐证链接检查(截至 {view.as_of.isoformat()},{len(records)} 条:"
             + "、".join(f"{VERDICT_LABELS[v]} {n}" for v, n in counts.items()) + ")"]  # fmt: skip
    for r in records:  # a card each: addresses are too long for a table's cell
        lines += ["", f"任务 {r['task']}  {_verdict_text(r)}  {r['on']} {r['unit'] or '(整项任务)'}", f"  {r['url']}"]
        said = [f"{label} {r[key]}" for key, label in (("status", "状态码"), ("published", "发布日期"), ("title", "标题"))
                if r[key] not in (None, "")]  # fmt: skip
        if r["final_url"] != r["url"]:
            said.append(f"最终地址 {r['final_url']}")
        if r["problem"] and r["verdict"] != "dead":
            said.append(r["problem"])
        if said:
            lines.append("  " + ";".join(str(part) for part in said))
    out.write(terminal_safe("\n".join(lines)) + "\n")


def _verdict_text(record: dict[str, Any]) -> str:
    label = VERDICT_LABELS[record["verdict"]]
    return f"{label}({record['problem']})" if record["verdict"] == "dead" and record["problem"] else label


# ---- findings -------------------------------------------------------------------------------


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


@_render.register
def _(view: Findings, fmt: str, out: TextIO) -> None:
    if fmt == "json":
        out.write(json_text([diagnostic_record(d) for d in view.diagnostics]))
    elif fmt == "github":
        out.write("".join(format_github(d) + "\n" for d in view.diagnostics))
    else:
        terminal.diagnostics_text(view.diagnostics, out)


# ---- lines and files ------------------------------------------------------------------------


@_render.register
def _(view: Lines, fmt: str, out: TextIO) -> None:
    out.write("".join(terminal_safe(line) + "\n" for line in view.lines))


@_render.register
def _(view: FileData, fmt: str, out: TextIO) -> None:
    out.flush()
    stream = getattr(out, "buffer", None)
    if stream is not None:
        stream.write(view.data)
        stream.flush()
    else:  # a text-only stream (tests)
        out.write(view.data.decode("utf-8", errors="replace"))
