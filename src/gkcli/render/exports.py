"""Files for other programs: the task table as attachment 1 (CSV, XLSX, Markdown,
JSON, YAML) and the deadlines as an iCalendar file.

Every function returns bytes; the command line decides where they go. An export is of one plan or
of several (a workspace): each is a :class:`Source`, and where there are several each file says
which plan a task comes from (a 要点 column in CSV, a sheet per plan in XLSX, a section per plan in
Markdown, a ``plans`` list in JSON and YAML).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from gkcli.core.queries import Item
from gkcli.domain.records import ROLE_LABELS, STATUS_LABELS, Part, Plan, Section
from gkcli.domain.registry import Registry
from gkcli.render.columns import COLUMNS_BY_KEY, Column, as_json, columns_for, human, task_record, task_records
from gkcli.render.formats import csv_text, json_text, markdown_cell, markdown_table
from gkcli.render.terminal import FOOTNOTE, RECONSTRUCTED
from gkcli.text import spreadsheet_safe

_NUMERALS = "一二三四五六七八九十"
# Spreadsheet widths (in characters) of the export columns; other columns get 12.
_WIDTHS = {
    "id": 6,
    "title": 48,
    "lead": 20,
    "responsible": 20,
    "status": 8,
    "light": 10,
    "days_late": 8,
    "progress": 36,
}


@dataclass(frozen=True)
class Source:
    """The tasks of one plan to export: ``plan`` is its id in a workspace, None for a plan alone."""

    plan: str | None
    registry: Registry
    items: Sequence[Item]
    failed_links: Mapping[str, dt.date] = field(default_factory=dict)  # evidence dead at its last check, and when


def _several(sources: Sequence[Source]) -> bool:
    return len(sources) > 1


def export_columns(items: Sequence[Item] = ()) -> list[Column]:
    """The columns of attachment 1 as exported: every spreadsheet column, the whole progress log
    included; the section is shown by the heading rows instead. A unit's own export (its items carry
    a role) has the unit's role after the number."""
    columns = [c for c in columns_for("show") if c.spreadsheet and c.key != "section"]
    if any(i.role for i in items):
        columns.insert(1, COLUMNS_BY_KEY["role"])
    return columns


def _whose(items: Sequence[Item], unit: str | None) -> str:
    return f" —— {unit}" if unit else ""


def numeral(n: int) -> str:
    """一, 二, … 十, 十一 … 九十九, as in Chinese headings (other numbers in digits)."""
    if not 1 <= n <= 99:
        return str(n)
    if n <= 10:
        return _NUMERALS[n - 1]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _NUMERALS[tens - 1]) + "十" + (_NUMERALS[ones - 1] if ones else "")


def part_heading(part: Part) -> str:
    return f"{numeral(part.id)}、{part.title}"


def section_heading(section: Section) -> str:
    return f"({numeral(int(section.id.split('.')[1]))}){section.title}"


@dataclass(frozen=True)
class SectionItems:
    part: Part
    section: Section
    items: list[Item]


def grouped(registry: Registry, items: Sequence[Item]) -> Iterator[SectionItems]:
    """The items under their part and section, in the plan's order; empty sections are left out."""
    by_section: dict[str, list[Item]] = {}
    for item in items:
        by_section.setdefault(item.task.section, []).append(item)
    for part in registry.parts:
        for section in part.sections:
            if section.id in by_section:
                yield SectionItems(part, section, by_section[section.id])


def _cells(item: Item, columns: Sequence[Column]) -> list[str]:
    """A task's cells as a person reads them; a reconstructed task's number carries ※ (see FOOTNOTE)."""
    record = task_record(item, columns)
    cells = [human(c, record) for c in columns]
    if item.task.provenance and columns and columns[0].key == "id":
        cells[0] += RECONSTRUCTED
    return cells


def to_csv(sources: Sequence[Source], unit: str | None = None, as_of: dt.date | None = None) -> bytes:
    """The Excel dialect (a BOM, so Excel and WPS read the Chinese), one row per task with its part and
    section (and its plan first, when there are several)."""
    several = _several(sources)
    columns = export_columns([i for source in sources for i in source.items])
    headers = [*(["要点"] if several else []), columns[0].header, "部分", "小节", *(c.header for c in columns[1:])]
    rows = []
    for source in sources:
        for group in grouped(source.registry, source.items):
            for item in group.items:
                cells = _cells(item, columns)
                rows.append([*([source.plan or ""] if several else []), cells[0], part_heading(group.part),
                             section_heading(group.section), *cells[1:]])  # fmt: skip
    return csv_text(headers, rows, excel=True).encode("utf-8")


def to_xlsx(sources: Sequence[Source], unit: str | None = None, as_of: dt.date | None = None) -> bytes:
    """Worksheets laid out like attachment 1 (heading rows, wrapped text, frozen header): one, or one
    per plan named by its id."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.worksheets[0])
    taken: set[str] = set()
    for source in sources:
        title = _sheet_title(source.plan, taken) if _several(sources) else "任务清单"
        _sheet(book.create_sheet(title), source, unit)
    buffer = io.BytesIO()
    book.save(buffer)
    from gkcli.render.package import restamped

    return restamped(buffer.getvalue(), as_of or sources[0].registry.plan.issued_on)


def _sheet_title(plan: str | None, taken: set[str]) -> str:
    """A plan's id as a sheet's name no other sheet has (``taken``, which it joins): at most 31
    characters, none of those Excel refuses, not starting or ending with an apostrophe; a name cut
    or changed into one already taken gets ``~2``, ``~3`` … within the 31."""
    base = "".join("_" if c in "[]:*?/\\" else c for c in plan or "任务清单").strip("'")[:31] or "任务清单"
    title, n = base, 1
    while title.casefold() in taken:  # Excel compares sheet names without case
        n += 1
        title = base[: 31 - len(f"~{n}")] + f"~{n}"
    taken.add(title.casefold())
    return title


def _sheet(sheet: Any, source: Source, unit: str | None) -> None:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    registry, items = source.registry, source.items
    columns = export_columns(items)
    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="top")
    title = f"{registry.plan.title}任务清单({registry.plan.document_number}){_whose(items, unit)}"
    sheet.append([spreadsheet_safe(title)])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(columns))
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([c.header for c in columns])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDDDDD")
        cell.border = border
        cell.alignment = Alignment(horizontal="center", vertical="center")
    current_part = None
    for group in grouped(registry, items):
        headings = [] if group.part is current_part else [(part_heading(group.part), "EEEEEE")]
        headings.append((section_heading(group.section), "F7F7F7"))
        current_part = group.part
        for text, color in headings:
            sheet.append([spreadsheet_safe(text)])
            row = sheet.max_row
            sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(columns))
            sheet.cell(row, 1).font = Font(bold=True)
            sheet.cell(row, 1).fill = PatternFill("solid", fgColor=color)
        for item in group.items:
            cells = _cells(item, columns)
            values: list[object] = [item.task.id if not item.task.provenance else cells[0]]
            for column, text in zip(columns[1:], cells[1:], strict=True):
                day = {"due": item.due, "done_on": item.done_on}.get(column.key)
                values.append(day if day is not None else spreadsheet_safe(text))  # dates as dates
            sheet.append(values)
            for number, cell in enumerate(sheet[sheet.max_row]):
                cell.alignment = wrap
                cell.border = border
                if number and columns[number].key in ("due", "done_on"):
                    cell.number_format = "yyyy-mm-dd"
    if any(i.task.provenance for i in items):
        sheet.append([FOOTNOTE])
        sheet.merge_cells(start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=len(columns))
    for number, column in enumerate(columns, 1):
        sheet.column_dimensions[get_column_letter(number)].width = _WIDTHS.get(column.key, 12)
    sheet.freeze_panes = "A3"
    print_on_a4_width(sheet, title_rows="2:2")


def print_on_a4_width(sheet: Any, title_rows: str) -> None:
    """Print a sheet landscape on A4, as many pages tall as needed but one page wide, repeating
    ``title_rows`` (like ``"2:2"``) on every page."""
    sheet.print_title_rows = title_rows
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    if sheet.sheet_properties.pageSetUpPr is not None:
        sheet.sheet_properties.pageSetUpPr.fitToPage = True  # without it Excel ignores fitToWidth


def to_markdown(sources: Sequence[Source], unit: str | None = None, as_of: dt.date | None = None) -> bytes:
    """Attachment 1 in Markdown: a table per section under its part; with several plans, each plan's
    document in turn, its title naming the plan."""
    out: list[str] = []
    for source in sources:
        plan, items = source.registry.plan, source.items
        columns = export_columns(items)
        named = f"({source.plan})" if _several(sources) else ""
        out += [
            f"# {markdown_cell(named + plan.title)}任务清单{markdown_cell(_whose(items, unit))}",
            "",
            f"{markdown_cell(plan.issuer)} {markdown_cell(plan.document_number)}",
            "",
        ]
        current_part = None
        for group in grouped(source.registry, items):
            if group.part is not current_part:
                out += [f"## {markdown_cell(part_heading(group.part))}", ""]
                current_part = group.part
            out += [f"### {markdown_cell(section_heading(group.section))}", ""]
            out.append(markdown_table([c.header for c in columns], (_cells(i, columns) for i in group.items)))
        if any(i.task.provenance for i in items):
            out.append(FOOTNOTE)
    return "\n".join(out).encode("utf-8")


def _structure(registry: Registry, items: Sequence[Item]) -> dict[str, Any]:
    columns = columns_for("show")
    parts: list[dict[str, Any]] = []
    for group in grouped(registry, items):
        if not parts or parts[-1]["id"] != group.part.id:
            parts.append({"id": group.part.id, "title": group.part.title, "sections": []})
        tasks = task_records(group.items, columns)
        parts[-1]["sections"].append({"id": group.section.id, "title": group.section.title, "tasks": tasks})
    return {"plan": as_json(registry.plan), "parts": parts}


def _structures(sources: Sequence[Source]) -> dict[str, Any]:
    """One plan's ``{"plan", "parts"}``; several plans' ``{"plans": [{"id", "plan", "parts"}, ...]}``."""
    if not _several(sources):
        return _structure(sources[0].registry, sources[0].items)
    return {"plans": [{"id": s.plan, **_structure(s.registry, s.items)} for s in sources]}


def to_json(sources: Sequence[Source], unit: str | None = None, as_of: dt.date | None = None) -> bytes:
    return json_text(_structures(sources)).encode("utf-8")


def to_yaml(sources: Sequence[Source], unit: str | None = None, as_of: dt.date | None = None) -> bytes:
    import yaml

    text = yaml.safe_dump(_structures(sources), allow_unicode=True, sort_keys=False, width=1000)
    return text.encode("utf-8")


def calendar(
    plans: Mapping[str | None, Plan], items: Sequence[Item], as_of: dt.date, alarm_days: int, unit: str | None = None
) -> bytes:
    """One all-day event per due date, listing the unfinished tasks due that day (with the unit's role
    in each, for a unit's calendar), and one reminder ``alarm_days`` before it. ``plans``: the plan
    of each item by ``item.plan`` (one plan, under None, when the items carry none)."""
    from icalendar import Alarm, Calendar, Event

    several = len(plans) > 1
    first = next(iter(plans.values()))
    numbers = "/".join(p.document_number for p in plans.values())
    cal = Calendar()
    cal.add("prodid", "-//gkcli//政务公开任务台账//ZH")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    name = f"{len(plans)} 份政务公开工作要点" if several else first.title
    cal.add("x-wr-calname", f"{name}完成时限" + (f"({unit})" if unit else ""))
    stamp = dt.datetime.combine(as_of, dt.time(), tzinfo=dt.UTC)
    by_day: dict[dt.date, list[Item]] = {}
    for item in items:  # a unit's calendar: its own part decides (item.light is the part's, its due the part's)
        finished = item.light in ("done", "done_late") if item.light is not None else item.status == "done"
        if item.due is not None and not finished:
            by_day.setdefault(item.due, []).append(item)
    for day, due in sorted(by_day.items()):
        event = Event()
        digest = hashlib.sha1(f"{numbers}/{unit or ''}/{day.isoformat()}".encode()).hexdigest()[:16]
        event.add("uid", f"gkcli-{digest}@gkcli")
        event.add("dtstamp", stamp)
        event.add("dtstart", day)
        event.add("dtend", day + dt.timedelta(days=1))
        leads = sum(1 for i in due if i.role == "lead")
        roles = f"(牵头 {leads} 项,责任 {len(due) - leads} 项)" if unit else ""
        if len(due) == 1:
            only = due[0]
            role = f"【{ROLE_LABELS[only.role]}】" if only.role else ""
            summary = (
                f"[截止] {role}任务{_task_ref(only)} {only.task.title[:24]}{'…' if len(only.task.title) > 24 else ''}"
            )
        else:
            summary = f"[截止] {unit + ' ' if unit else ''}{len(due)} 项任务{roles}"
        event.add("summary", summary)
        lines = []
        for item in sorted(due, key=lambda i: (i.role != "lead", i.plan or "", i.task.id)):
            role = f"【{ROLE_LABELS[item.role]}{',经' + item.via if item.via else ''}】" if item.role else ""
            lines.append(f"任务{_task_ref(item)}{role}{item.task.title}")
            lines.append(
                f"  牵头单位: {'、'.join(item.task.lead)};责任单位: {'、'.join(item.task.responsible) or '无'}"
            )
            lines.append(f"  完成时限: {item.task.deadline};状态: {STATUS_LABELS[item.status]}")
        for plan_id in dict.fromkeys(i.plan for i in due):
            plan = plans[plan_id]
            lines.append(f"{plan.title}({plan.document_number})")
        event.add("description", "\n".join(lines))
        event.add("categories", ["政务公开"])
        event.add("transp", "TRANSPARENT")
        if alarm_days > 0:
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", f"{len(due)} 项任务将于 {day.isoformat()} 到期")
            alarm.add("trigger", dt.timedelta(days=-alarm_days))
            event.add_component(alarm)
        cal.add_component(event)
    return bytes(cal.to_ical())


def _task_ref(item: Item) -> str:
    """12, or 2023:12 when the item names its plan."""
    return f"{item.plan}:{item.task.id}" if item.plan else str(item.task.id)
