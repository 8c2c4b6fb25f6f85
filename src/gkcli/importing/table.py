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

import itertools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from gkcli.importing.cleaning import cell_text

HEADER = ("序号", "重点工作", "牵头单位", "责任单位", "完成时限")  # the usual header, named in messages
# What a header cell may say, by the role of its column: tried in this order, the first that a cell
# holds decides (完成时限 is a deadline though it says 完成; 牵头单位 leads though it says 单位).
_ROLES = (
    ("number", re.compile(r"^(?:序号|编号|序)$")),
    ("category", re.compile(r"^(?:类别|类型|分类|工作类别|任务类别|项目|领域|板块)$")),
    ("lead", re.compile(r"牵头")),
    ("responsible", re.compile(r"责任|配合|协办|参与|协同|协助")),
    ("deadline", re.compile(r"时限|期限|时间|节点|进度|截止")),
    ("unit", re.compile(r"(?:单位|部门|处室|科室|主体)$")),
    ("title", re.compile(r"任务|工作|内容|要求|事项|措施|举措|目标|要点")),
    ("note", re.compile(r"^(?:备注|说明)$")),
)
_PART = re.compile(r"^[一二三四五六七八九十]+、")
_SECTION = re.compile(r"^[((]\s*(?:[一二三四五六七八九十]+|[-=≡三])\s*[))]\s*")
_TASK = re.compile(r"^(\d{1,4})※?$")  # ※: a reconstructed task in gkcli's own exports
_NUMBERED = re.compile(r"^(\d{1,4})\s*[.、.．]\s*(?=\S)")  # 1.推进预算公开。
_MEMBER_LIST = re.compile(r"^(?:附件\s*\d+\s*)?(.+?)名单$")  # 县属有关单位名单: the members of a group
_DEBRIS = re.compile(r"[\[\]|{}<>]")  # bits of ruling lines and brackets that extraction leaves in text
_END = re.compile(r"^(?:抄送|抄报|印发)[::]")
_CLOSING = re.compile(
    r"^\d{4}年\d{1,2}月\d{1,2}日$|^.{2,30}?(?:人民政府办公室|人民政府办公厅|人民政府)$"
)  # signature and date
_RUN_ON = re.compile(r"\s+(\d{1,4}\s*[.、.．]\s*\S{1,12})")  # "二、做好平台建设。 3.管好政府网站……"
CATEGORY_LENGTH = 20  # a category cell is a short heading; the task beside it is longer


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
    task_rows: int = 0  # rows of the source that hold a task: each is a task here or a doubt


def header_roles(cells: list[str]) -> dict[int, str] | None:
    """The role of each column if ``cells`` is a header row, judged by the cells as a whole: every
    cell short, most of them naming a column a task table has, one of them the work and one a unit
    (a cell that names nothing known, 状态 or 备注, is a column read by nobody)."""
    roles: dict[int, str] = {}
    filled = 0
    for index, cell in enumerate(cells):
        text = cell.replace(" ", "")
        if not text:
            continue
        if len(text) > 10:
            return None
        filled += 1
        role = next((name for name, words in _ROLES if words.search(text)), None)
        if role is not None:
            roles[index] = role
    kinds = set(roles.values())
    if "title" not in kinds or not kinds & {"lead", "responsible", "unit"} or 2 * len(roles) < filled:
        return None
    return roles


def columns_of(cells: list[str]) -> dict[str, int] | None:
    """The column of each field if ``cells`` is a header row, before the rows below have been seen
    (where two columns could hold the work, the first; :func:`read` decides by what they hold)."""
    roles = header_roles(cells)
    return None if roles is None else _columns(roles, [])


def _columns(roles: dict[int, str], body: list[list[str]]) -> dict[str, int]:
    """The column of each field. Of several columns that could hold the work, the one with the
    longest text holds it, and one before it whose cells are short and repeat or are merged down
    (several rows share it) is the category; one unit column without 牵头 holds the leads."""
    found: dict[str, int] = {}
    titles = [i for i, role in sorted(roles.items()) if role == "title"]
    for index, role in sorted(roles.items()):
        if role not in ("title", "unit", "note"):
            found.setdefault(role, index)
    lengths = {i: _mean_length(body, i) for i in titles}
    title = max(titles, key=lambda i: (lengths[i], -i)) if body else titles[0]
    found["title"] = title
    if "category" not in found:
        category = next((i for i in titles if i < title and _category_shaped(body, i)), None)
        if category is not None:
            found["category"] = category
    units = [i for i, role in sorted(roles.items()) if role == "unit"]
    for index in units:
        found.setdefault("lead" if "lead" not in found else "responsible", index)
    if "lead" not in found and "responsible" in found:  # a plan with one unit column: those units lead
        found["lead"] = found.pop("responsible")
    return found


def _mean_length(body: list[list[str]], index: int) -> float:
    """The mean length of a column's texts, over the rows of the table (not lines of one cell)."""
    texts = [row[index] for row in body if index < len(row) and row[index] and sum(1 for c in row if c) > 1]
    return sum(map(len, texts)) / len(texts) if texts else 0.0


def _category_shaped(body: list[list[str]], index: int) -> bool:
    """Short texts that several rows share: repeated, or merged down (empty below the first)."""
    values = [row[index] if index < len(row) else "" for row in body]
    filled = [v for v in values if v]
    if not filled or _mean_length(body, index) > CATEGORY_LENGTH:
        return False
    shared = sum(1 for before, value in itertools.pairwise(values) if not value or value == before)
    return shared >= max(1, len(values) // 3)


def read(
    lines: Iterable[tuple[int, list[str]]], is_unit: Callable[[str], bool], is_deadline: Callable[[str], bool]
) -> TableText:
    """The task table in ``lines`` (each a line or row number and its raw cells). ``is_unit`` says
    whether a name is a known unit or group, ``is_deadline`` whether the deadline parser reads a phrase."""
    roles: dict[int, str] | None = None
    width = 0
    body: list[tuple[int, list[str]]] = []
    members: dict[str, list[str]] = {}
    listing: str | None = None  # the group whose member list is being read
    for number, raw in lines:
        cells = [cell_text(c) for c in raw]
        while cells and not cells[-1]:
            cells.pop()
        if not cells:
            continue
        if (found := header_roles(cells)) is not None:
            if roles is None:
                roles, width = found, len(cells)
            continue  # the header again, at a page break
        if roles is None:
            continue
        if _END.match(cells[0]) or (body and len(cells) == 1 and _CLOSING.match(cells[0])):
            break  # the document's closing lines: the table is over
        listed = _MEMBER_LIST.match(cells[0]) if len(cells) == 1 else None
        if listed:
            listing = listed.group(1)
            members[listing] = []
            continue
        if listing is not None:
            members[listing] += units_in_cell(" ".join(cells))
            continue
        body.append((number, cells))
    if roles is None:
        return TableText([], [], [Doubt(1, "任务表", f"找不到表头({'、'.join(HEADER)})")], members)
    reader = _Reader(_columns(roles, [cells for _, cells in body]), width, is_unit, is_deadline)
    for number, cells in body:
        reader.row(number, cells)
    return TableText(reader.parts, reader.rows, reader.doubts, members, reader.task_rows)


class _Reader:
    """The table's rows, one by one, with the columns decided: headings, tasks and what is neither."""

    def __init__(
        self, columns: dict[str, int], width: int, is_unit: Callable[[str], bool], is_deadline: Callable[[str], bool]
    ) -> None:
        self.columns, self.width = columns, width
        self.is_unit, self.is_deadline = is_unit, is_deadline
        self.parts: list[Part] = []
        self.rows: list[Row] = []
        self.doubts: list[Doubt] = []
        self.category = ""  # the category cell the current section was made for
        self.task_rows = 0
        self.numbers: set[int] = set()

    def cell(self, cells: list[str], key: str) -> str:
        index = self.columns.get(key)
        return cells[index] if index is not None and index < len(cells) else ""

    def row(self, number: int, cells: list[str]) -> None:
        filled = {c for c in cells if c}
        if len(filled) == 1 and len(cells) > 1 and sum(1 for c in cells if c) > 1:
            cells = [filled.pop()]  # one cell merged across the table, its text in every column
        first = cells[0]
        title = self.cell(cells, "title")
        units = any(self.cell(cells, k) for k in ("lead", "responsible", "deadline"))
        heading_at = 0 if (_PART.match(first) or _SECTION.match(first)) else None
        if len(cells) > 1 and _PART.match(cells[1]) and "category" not in self.columns and len(cells[1]) > len(first):
            heading_at = 1  # a PDF's text layer: a bit of the heading, then the whole of it
        if "category" in self.columns and len(cells) > 1:
            value = self.cell(cells, "category")
            if value and value != self.category:  # a new category (merged cells are empty or repeat it)
                self.category = value
                self._heading(value, [], number)
        elif heading_at is not None:
            owns_task = title and self.columns["title"] != heading_at and self._task_like(cells, title)
            if not owns_task:  # a heading across the table, perhaps split over cells
                self._heading(cells[heading_at], cells[heading_at + 1 :], number)
                return
            self._heading(cells[heading_at], [], number)  # a heading and, on its row, the first task
        if title and (title != self.category or units):
            self._task(cells, title, number)
        elif units or self.cell(cells, "number"):
            self.task_rows += 1
            self.doubts.append(Doubt(number, "这一行", "有单位或时限却没有重点工作,未读入;请核对原件"))
        elif "category" not in self.columns or not self.cell(cells, "category"):
            self.doubts.append(Doubt(number, "这一行", "不是任务、部分或小节,未读入;若是上一行的续行请并入"))

    def _task_like(self, cells: list[str], title: str) -> bool:
        """Whether a row that starts with a heading also holds a task (not the rest of the heading
        spilt into the next cells): a task number, units, or a deadline where they belong."""
        if _TASK.match(self.cell(cells, "number")) or _NUMBERED.match(title):
            return True
        names = [*units_in_cell(self.cell(cells, "lead")), *units_in_cell(self.cell(cells, "responsible"))]
        deadline = self.cell(cells, "deadline")
        return any(self.is_unit(n) or unit_like(n) for n in names) or bool(deadline and self.is_deadline(deadline))

    def _heading(self, text: str, rest: list[str], line: int) -> None:
        if (run_on := _RUN_ON.search(text)) is not None and not rest:  # a heading and a task read as one line
            self.task_rows += 1
            self.doubts.append(
                Doubt(line, "这一行", f"标题后面连着一项任务({run_on.group(1)}…),栏线没有读出,任务未读入;请核对原件")
            )
            text = text[: run_on.start()]
        if _PART.match(text):
            title = _PART.sub("", text)
            self.parts.append(Part(len(self.parts) + 1, title.rstrip("。"), line))
            if _DEBRIS.search(title):
                self.doubts.append(Doubt(line, f"第 {len(self.parts)} 部分的标题", f"含有多余的符号({title}),请核对"))
            return
        part = self._part(line)
        pieces = [piece for piece in (_SECTION.sub("", p) for p in [text, *rest]) if piece]
        section = Section(f"{part.id}.{len(part.sections) + 1}", "".join(p.rstrip("。") for p in pieces), line)
        part.sections.append(section)
        if len(pieces) > 1:
            self.doubts.append(Doubt(line, f"小节 {section.id} 的标题", "标题分在几个单元格中,已连起来,请核对"))

    def _part(self, line: int) -> Part:
        if not self.parts:
            self.parts.append(Part(1, "(未分部分)", line))
            self.doubts.append(Doubt(line, "第 1 部分的标题", "表中没有部分标题;请按正文填写部分标题"))
        return self.parts[-1]

    def _section(self, line: int) -> str:
        part = self._part(line)
        if not part.sections:
            part.sections.append(Section(f"{part.id}.1", "(未分小节)", line))
            self.doubts.append(Doubt(line, f"小节 {part.id}.1 的标题", "原文此处没有小节,已生成一个;请按原文填写"))
        return part.sections[-1].id

    def _task(self, cells: list[str], title: str, line: int) -> None:
        self.task_rows += 1
        written = _TASK.match(self.cell(cells, "number"))
        numbered = _NUMBERED.match(title)
        if numbered and not (written and int(written.group(1)) != int(numbered.group(1))):
            title = title[numbered.end() :]
        given = int(written.group(1)) if written else int(numbered.group(1)) if numbered else None
        task = given if given is not None and given not in self.numbers else max(self.numbers, default=0) + 1
        self.numbers.add(task)
        lead, responsible = roles_in_cells(self.cell(cells, "lead"), self.cell(cells, "responsible"))
        row = Row(task, self._section(line), title, lead, responsible, self.cell(cells, "deadline"), line,
                  source=" | ".join(cells))  # fmt: skip
        self.rows.append(row)
        extra = []
        if given is not None and given != task:
            extra.append(("序号", f"原文序号 {given} 已用过(各部分分别编号?),改为 {task}"))
        if len(cells) > self.width:
            extra.append(("单元格", f"这一行有 {len(cells)} 个单元格,表头只有 {self.width} 栏:文字可能跨过了栏线"))
        if "deadline" not in self.columns:
            extra.append(("完成时限", "表中没有完成时限一栏"))
        judge(row, self.doubts, self.is_unit, self.is_deadline, extra,
              empty_lead="牵头单位为空", empty_deadline="完成时限为空")  # fmt: skip


def _cell(cells: list[str], index: int) -> str:
    return cells[index] if index < len(cells) else ""


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


_EDGES = re.compile(r"^[\s,,]+|[\s,,]+$")
_CLAUSES = re.compile(r"[;;。]|[,,](?=[^,,;;。]*(?:牵头|负责|配合|参与|落实|协助|协同))")
_LEADS = re.compile(r"^(.*?)(?:牵头)(?:负责|实施|落实)?$")
_SHARES = re.compile(
    r"^(.*?)(?:等)?(?:按职责分工|按照职责分工|根据职责)?(?:分别)?(?:负责|配合|参与|参照落实|落实|协助|协同)(?:落实|实施)?$"
)


def roles_in_cells(lead_cell: str, responsible_cell: str) -> tuple[list[str], list[str]]:
    """The lead and responsible units of a row. A cell may say the roles itself
    ("县财政局牵头,县直有关部门配合;各乡镇参照落实", "X牵头,Y等按职责分工负责"): its clauses go to
    the role their words name, the rest to the cell's own column."""
    lead: list[str] = []
    responsible: list[str] = []
    for cell, own in ((lead_cell, lead), (responsible_cell, responsible)):
        for clause in (_EDGES.sub("", c) for c in _CLAUSES.split(cell.rstrip("。."))):
            if not clause:
                continue
            if (named := _LEADS.match(clause)) and named.group(1):
                lead += units_in_cell(named.group(1))
            elif (shares := _SHARES.match(clause)) and shares.group(1):
                responsible += units_in_cell(shares.group(1))
            else:
                own += units_in_cell(clause)
    return list(dict.fromkeys(lead)), [n for n in dict.fromkeys(responsible) if n not in lead]


_UNIT_ENDING = re.compile(r"(?:局|办|委|中心|政府|单位|部门|处|科|股|室|站|所|院|队|社|行|公司|集团|小组|办事处)$")


def unit_like(name: str) -> bool:
    """Whether a name reads as a body's: ends as units' names do (…局, …办, …中心, …镇人民政府,
    a bureau's own 科/股/处室) or names a group (各…)."""
    return bool(_UNIT_ENDING.search(name) or name.startswith("各")) and 2 <= len(name) <= 30


def units_in_cell(cell: str) -> list[str]:
    """The unit names in a cell: split at 、 , ; and spaces, never inside brackets (各县(市、区)政府)."""
    names: list[str] = []
    current: list[str] = []
    depth = 0
    for char in cell.rstrip("。."):
        if char in "((":
            depth += 1
        elif char in "))":
            depth = max(0, depth - 1)
        if depth == 0 and (char in "、,,;;" or char.isspace()):
            names.append("".join(current))
            current = []
            continue
        current.append(char)
    names.append("".join(current))
    return [name for name in names if name]
