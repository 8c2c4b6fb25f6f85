"""Plans without a task table: the tasks are the numbered items of the body, each ending with its
units (and perhaps its deadline) in parentheses, as in

    1. 做好财政预决算公开。(县财政局牵头,县级各部门按职责分工负责)
    2. 推进政务热线建设。(牵头单位:县信访局;责任单位:各乡镇人民政府;完成时限:6月底前)

The units may also stand on the line after the item, as breakdowns of a 政府工作报告 write them:

    3. 推进政务公开标准化建设。
    责任单位:县政府办公室、县司法局

Parts are the ``一、`` headings and sections the ``(一)`` headings. An item whose parentheses say
nothing of units is kept with an empty lead and flagged, never given a guessed unit.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from gkcli.importing.cleaning import cell_text
from gkcli.importing.table import Doubt, Part, Row, Section, TableText, judge, units_in_cell

_ITEM = re.compile(r"^(\d{1,3})[.、.]\s*(.+)$")
_PART = re.compile(r"^([一二三四五六七八九十]+)、(.+)$")
_SECTION = re.compile(r"^[((]([一二三四五六七八九十]+)[))](.+)$")
_TRAILER = re.compile(r"[((]([^()()]+)[))]。?$")
_LABELLED = re.compile(r"(牵头单位|牵头部门|责任单位|责任部门|配合单位|完成时限|完成时间)[::]([^;;]*)")
_LEADS = re.compile(r"^(.+?)牵头")
_OTHERS = re.compile(r"(?:牵头[,,、]?)(.+?)(?:按职责分工)?(?:负责|配合|参与|落实)$")
_ONLY = re.compile(r"^(.+?)负责$")
_BRACKETS = re.compile(r"^[\s((]+|[\s))]+$")  # a units line may stand in parentheses


def read(
    lines: Iterable[tuple[int, list[str]]], is_unit: Callable[[str], bool], is_deadline: Callable[[str], bool]
) -> TableText:
    parts: list[Part] = []
    rows: list[Row] = []
    doubts: list[Doubt] = []
    pending: tuple[int, str, int] | None = None  # an item without units, waiting for a line that names them

    def add(task: int, title: str, trailer: str, line: int, source: str) -> None:
        current = parts[-1].sections[-1].id if parts and parts[-1].sections else ""
        lead, responsible, deadline = _units_and_deadline(trailer)
        row = Row(task, current, title, lead, responsible, deadline, line, source=source)
        rows.append(row)
        judge(
            row, doubts, is_unit, is_deadline, empty_lead="括号中没有写明牵头单位", empty_deadline="正文没有写完成时限"
        )

    for number, cells in lines:
        text = cell_text(" ".join(c for c in cells if c))
        if not text:
            continue
        bare = _BRACKETS.sub("", text)
        if pending is not None and _LABELLED.match(bare):
            task, title, line = pending  # 责任单位:县财政局、县审计局 on the line after the item
            add(task, title, bare, line, f"{title} {text}")
            pending = None
            continue
        pending = None
        if (item := _ITEM.match(text)) and (trailer := _TRAILER.search(item.group(2))):
            add(int(item.group(1)), item.group(2)[: trailer.start()].strip(), trailer.group(1), number, text)
        elif item:
            pending = (int(item.group(1)), item.group(2).strip(), number)
        elif part := _PART.match(text):
            parts.append(Part(len(parts) + 1, part.group(2).rstrip("。"), number))
        elif (section := _SECTION.match(text)) and parts:
            title = re.split(r"[。]", section.group(2), maxsplit=1)[0]  # the heading, not the paragraph after it
            parts[-1].sections.append(Section(f"{parts[-1].id}.{len(parts[-1].sections) + 1}", title, number))
    return TableText(parts, rows, doubts, task_rows=len(rows))


def _units_and_deadline(trailer: str) -> tuple[list[str], list[str], str]:
    labelled = dict(_LABELLED.findall(trailer))
    if labelled:
        lead = labelled.get("牵头单位") or labelled.get("牵头部门") or ""
        responsible = labelled.get("责任单位") or labelled.get("责任部门") or labelled.get("配合单位") or ""
        deadline = labelled.get("完成时限") or labelled.get("完成时间") or ""
        if not lead:  # only 责任单位 named: as in a table with one unit column, those units lead
            lead, responsible = responsible, ""
        return units_in_cell(lead), units_in_cell(responsible), deadline.strip()
    if leads := _LEADS.match(trailer):
        others = _OTHERS.search(trailer)
        return units_in_cell(leads.group(1)), units_in_cell(others.group(1)) if others else [], ""
    if only := _ONLY.match(trailer):
        return units_in_cell(only.group(1)), [], ""
    return [], [], ""
