"""A plan's task table from rows of cells, whatever they came from (a PDF's text layer, a
spreadsheet, CSV): the header is found by what its cells say (重点工作 or 工作任务, 牵头单位 or
牵头部门 ...), not by position, and may repeat at each page break; part rows (``一、…``) and
section rows (``(一)…``, often garbled to ``(-)`` or ``(=)``) stand between the tasks; a list
titled ``……名单`` after the table gives a group's members.

The reader returns rows and doubts; it never guesses a cell it cannot read. A row is doubtful when
its cells do not line up with the header (a cell ran over the column edge), when a unit cell does
not split into known unit names, when the lead cell is empty, or when the deadline is not a phrase
the deadline parser knows.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from gkcli.importing.cleaning import cell_text

HEADER = ("序号", "重点工作", "牵头单位", "责任单位", "完成时限")  # the usual header, named in messages
# What each column's header may say in a plan's table.
SYNONYMS = {
    "number": ("序号", "编号"),
    "title": ("重点工作", "工作任务", "主要任务", "具体任务", "工作内容", "具体要求", "任务内容"),
    "lead": ("牵头单位", "牵头部门"),
    "responsible": ("责任单位", "责任部门", "配合单位", "协办单位", "责任科室", "配合部门"),
    "deadline": ("完成时限", "完成时间", "时限要求", "时间节点", "完成期限"),
    "category": ("类别", "类型", "工作类别", "任务类别", "分类", "项目"),  # a task group, repeated or merged down
}
_HEADER_WORDS = {word: key for key, words in SYNONYMS.items() for word in words}
_PART = re.compile(r"^[一二三四五六七八九十]+、")
_SECTION = re.compile(r"^[((]\s*(?:[一二三四五六七八九十]+|[-=≡三])\s*[))]\s*")
_TASK = re.compile(r"^(\d{1,4})※?$")  # ※: a reconstructed task in gkcli's own exports
_UNIT_SEPARATORS = re.compile(r"[、,,;;\s]+")
_MEMBER_LIST = re.compile(r"^(?:附件\s*\d+\s*)?(.+?)名单$")  # 县属有关单位名单: the members of a group
_DEBRIS = re.compile(r"[\[\]|{}<>]")  # bits of ruling lines and brackets that extraction leaves in text
_END = re.compile(r"^(?:抄送|抄报|印发)[::]")


@dataclass(frozen=True)
class Doubt:
    line: int
    what: str  # the cell or row in question: 任务 4 的牵头单位, 第 2 部分的标题 ...
    why: str
    task: int | None = None  # the task it is about, if any


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
    source: str = ""  # the row's cells as read, for the provenance of a doubtful row


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


def columns_of(cells: list[str]) -> dict[str, int] | None:
    """The column of each field if ``cells`` is a header row (it names the work and a unit column)."""
    found: dict[str, int] = {}
    for index, cell in enumerate(cells):
        key = _HEADER_WORDS.get(cell.replace(" ", ""))
        if key is not None:
            found.setdefault(key, index)
    if "title" in found and ("lead" in found or "responsible" in found):
        if "lead" not in found:  # a plan with one unit column: those units lead
            found["lead"] = found.pop("responsible")
        return found
    return None


def read(
    lines: Iterable[tuple[int, list[str]]], is_unit: Callable[[str], bool], is_deadline: Callable[[str], bool]
) -> TableText:
    """The task table in ``lines`` (each a line or row number and its raw cells). ``is_unit`` says
    whether a name is a known unit or group, ``is_deadline`` whether the deadline parser reads a phrase."""
    parts: list[Part] = []
    rows: list[Row] = []
    doubts: list[Doubt] = []
    members: dict[str, list[str]] = {}
    columns: dict[str, int] | None = None
    width = 0
    listing: str | None = None  # the group whose member list is being read
    category = ""  # the category column's value the current section was made for
    for number, raw in lines:
        cells = [cell_text(c) for c in raw]
        while cells and not cells[-1]:
            cells.pop()
        if not cells:
            continue
        if (header := columns_of(cells)) is not None:
            columns, width = header, len(cells)
            continue
        in_table = columns is not None
        first = cells[0]
        if _END.match(first):
            break
        listed = _MEMBER_LIST.match(first) if in_table and len(cells) == 1 else None
        if listed:
            listing = listed.group(1)
            members[listing] = []
            continue
        if listing is not None:
            members[listing] += units_in_cell(" ".join(cells))
            continue
        if columns is None:
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
        if "category" in columns and (value := _cell(cells, columns["category"])) and value != category:
            category = value  # a new category (a merged cell is empty or repeats the one above)
            if not parts:
                parts.append(Part(1, "(未分部分)", number))
                doubts.append(Doubt(number, "第 1 部分的标题", "表中只有类别,没有部分;请按正文填写部分标题"))
            parts[-1].sections.append(Section(f"{parts[-1].id}.{len(parts[-1].sections) + 1}", value, number))
        task_number = _TASK.match(_cell(cells, columns["number"])) if "number" in columns else None
        if task_number or ("number" not in columns and len(cells) > columns["title"]):
            task = int(task_number.group(1)) if task_number else len(rows) + 1  # no 序号 column: in order
            rows.append(_task_row(task, cells, columns, width, number, parts, doubts, is_unit, is_deadline))
            continue
        doubts.append(Doubt(number, "这一行", "不是任务、部分或小节,未读入;若是上一行的续行请并入"))
    if columns is None:
        doubts.append(Doubt(1, "任务表", f"找不到表头({'、'.join(HEADER)})"))
    return TableText(parts, rows, doubts, members)


def _cell(cells: list[str], index: int) -> str:
    return cells[index] if index < len(cells) else ""


def _task_row(
    task: int,
    cells: list[str],
    columns: dict[str, int],
    width: int,
    line: int,
    parts: list[Part],
    doubts: list[Doubt],
    is_unit: Callable[[str], bool],
    is_deadline: Callable[[str], bool],
) -> Row:
    section = parts[-1].sections[-1].id if parts and parts[-1].sections else ""

    def cell(key: str) -> str:
        index = columns.get(key)
        return cells[index] if index is not None and index < len(cells) else ""

    deadline = cell("deadline")
    row = Row(
        task, section, cell("title"), units_in_cell(cell("lead")), units_in_cell(cell("responsible")), deadline, line,
        source=" | ".join(cells),
    )  # fmt: skip

    extra = []
    if len(cells) > width:
        extra.append(("单元格", f"这一行有 {len(cells)} 个单元格,表头只有 {width} 栏:文字可能跨过了栏线"))
    if "deadline" not in columns:
        extra.append(("完成时限", "表中没有完成时限一栏"))
    judge(row, doubts, is_unit, is_deadline, extra, empty_lead="牵头单位为空", empty_deadline="完成时限为空")
    return row


def judge(
    row: Row,
    doubts: list[Doubt],
    is_unit: Callable[[str], bool],
    is_deadline: Callable[[str], bool],
    found: Iterable[tuple[str, str]] = (),
    *,
    empty_lead: str,
    empty_deadline: str,
) -> None:
    """Note every doubt about a task row (``found``: the reader's own, as cell and reason) and mark
    the row doubtful if there is one."""
    pending = list(found)
    if not row.section:
        pending.append(("小节", "任务出现在第一个小节之前"))
    if not row.lead:
        pending.append(("牵头单位", empty_lead))
    for what, names in (("牵头单位", row.lead), ("责任单位", row.responsible)):
        unknown = [n for n in names if not is_unit(n)]
        if unknown:
            pending.append((what, f"不认识的单位名称:{'、'.join(unknown)}(可能是被拆开的名称、简称或新单位)"))
    if not row.deadline:
        if not any(what == "完成时限" for what, _ in pending):
            pending.append(("完成时限", empty_deadline))
    elif not is_deadline(row.deadline):
        pending.append(("完成时限", f"读不懂的完成时限:{row.deadline}"))
    doubts += [Doubt(row.line, f"任务 {row.number} 的{what}", why, row.number) for what, why in pending]
    row.doubtful = row.doubtful or bool(pending)


def units_in_cell(cell: str) -> list[str]:
    """The unit names in a cell: split at 、 , ; and spaces, never inside a name."""
    return [name for name in _UNIT_SEPARATORS.split(cell.rstrip("。.")) if name]
