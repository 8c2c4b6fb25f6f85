"""The text layer of a plan's task table, as a PDF extractor writes it: one line per row, cells
separated by tabs, the table header repeated at each page break, part rows (``一、…``) and section
rows (``(一)…``, often garbled to ``(-)`` or ``(=)``) between the tasks.

The reader returns rows and doubts; it never guesses a cell it cannot read. A row is doubtful when
its cells do not line up with the header (a cell ran over the column edge), when a unit cell does
not split into known unit names, when the lead cell is empty, or when the deadline is not a phrase
the deadline parser knows.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from gkcli.importing.cleaning import cell_text

HEADER = ("序号", "重点工作", "牵头单位", "责任单位", "完成时限")
_PART = re.compile(r"^[一二三四五六七八九十]+、")
_SECTION = re.compile(r"^[((]\s*(?:[一二三四五六七八九十]+|[-=≡三])\s*[))]\s*")
_TASK = re.compile(r"^\d{1,4}$")
_UNIT_SEPARATORS = re.compile(r"[、,,;;\s]+")
_MEMBER_LIST = re.compile(r"^(?:附件\s*\d+\s*)?(.+?)名单$")  # 县属有关单位名单: the members of a group
_DEBRIS = re.compile(r"[\[\]|{}<>]")  # bits of ruling lines and brackets that extraction leaves in text
_END = re.compile(r"^(?:抄送|抄报|印发)[::]")


@dataclass(frozen=True)
class Doubt:
    line: int
    what: str  # the cell or row in question: 任务 4 的牵头单位, 第 2 部分的标题 ...
    why: str


@dataclass
class Row:
    number: int
    section: str  # "1.2"
    title: str
    lead: list[str]
    responsible: list[str]
    deadline: str
    line: int
    doubtful: bool = False


@dataclass
class Section:
    id: str
    title: str
    line: int


@dataclass
class Part:
    id: int
    title: str
    line: int
    sections: list[Section] = field(default_factory=list)


@dataclass
class TableText:
    parts: list[Part]
    rows: list[Row]
    doubts: list[Doubt]
    members: dict[str, list[str]] = field(default_factory=dict)  # group name: member units, from a 名单


def read(text: str, is_unit: Callable[[str], bool], is_deadline: Callable[[str], bool]) -> TableText:
    """The task table in ``text``. ``is_unit`` says whether a name is a known unit or group,
    ``is_deadline`` whether the deadline parser reads a phrase."""
    parts: list[Part] = []
    rows: list[Row] = []
    doubts: list[Doubt] = []
    members: dict[str, list[str]] = {}
    in_table = False
    listing: str | None = None  # the group whose member list is being read
    for number, line in enumerate(text.splitlines(), 1):
        raw = line.rstrip("\r\n").split("\t")
        cells = [cell_text(c) for c in raw]
        while cells and not cells[-1]:
            cells.pop()
        if not cells:
            continue
        if tuple(cells[:5]) == HEADER:
            in_table = True
            continue
        first = cells[0]
        if _END.match(first):
            break
        listed = _MEMBER_LIST.match(first) if in_table and len(cells) == 1 else None
        if listed:
            listing = listed.group(1)
            members[listing] = []
            continue
        if listing is not None:
            members[listing] += _units(" ".join(cells))
            continue
        if not in_table:
            continue
        if _PART.match(first) or (len(cells) > 1 and _PART.match(cells[1])):
            title = _PART.sub("", cells[1] if len(cells) > 1 and _PART.match(cells[1]) else first)
            parts.append(Part(len(parts) + 1, title.rstrip("。"), number))
            if _DEBRIS.search(title):
                doubts.append(Doubt(number, f"第 {len(parts)} 部分的标题", f"含有多余的符号({title}),请核对"))
            continue
        if _SECTION.match(first):
            if not parts:
                doubts.append(Doubt(number, "小节", "小节出现在第一个部分之前"))
                continue
            part = parts[-1]
            pieces = [_SECTION.sub("", first), *cells[1:]]
            pieces = [_SECTION.sub("", p) for p in pieces if p]
            section = Section(f"{part.id}.{len(part.sections) + 1}", "".join(p.rstrip("。") for p in pieces), number)
            part.sections.append(section)
            if len(pieces) > 1:
                doubts.append(Doubt(number, f"小节 {section.id} 的标题", "标题分在几个单元格中,已连起来,请核对"))
            continue
        if _TASK.match(first):
            rows.append(_task_row(int(first), cells, number, parts, doubts, is_unit, is_deadline))
            continue
        doubts.append(Doubt(number, "这一行", "不是任务、部分或小节,未读入;若是上一行的续行请并入"))
    if not in_table:
        doubts.append(Doubt(1, "任务表", f"找不到表头({'、'.join(HEADER)})"))
    return TableText(parts, rows, doubts, members)


def _task_row(
    task: int,
    cells: list[str],
    line: int,
    parts: list[Part],
    doubts: list[Doubt],
    is_unit: Callable[[str], bool],
    is_deadline: Callable[[str], bool],
) -> Row:
    section = parts[-1].sections[-1].id if parts and parts[-1].sections else ""
    padded = [*cells, "", "", "", ""][:5]
    _, title, lead_cell, responsible_cell, deadline = padded
    row = Row(task, section, title, _units(lead_cell), _units(responsible_cell), deadline, line)

    def doubt(what: str, why: str) -> None:
        row.doubtful = True
        doubts.append(Doubt(line, f"任务 {task} 的{what}", why))

    if not section:
        doubt("小节", "任务出现在第一个小节之前")
    if len(cells) > 5:
        doubt("单元格", f"这一行有 {len(cells)} 个单元格,表头只有 5 栏:文字可能跨过了栏线")
    if not row.lead:
        doubt("牵头单位", "牵头单位为空")
    for what, names in (("牵头单位", row.lead), ("责任单位", row.responsible)):
        unknown = [n for n in names if not is_unit(n)]
        if unknown:
            doubt(what, f"不认识的单位名称:{'、'.join(unknown)}(可能是被拆开的名称,或新单位)")
    if not deadline:
        doubt("完成时限", "完成时限为空")
    elif not is_deadline(deadline):
        doubt("完成时限", f"读不懂的完成时限:{deadline}")
    return row


def _units(cell: str) -> list[str]:
    return [name for name in _UNIT_SEPARATORS.split(cell.rstrip("。.")) if name]
