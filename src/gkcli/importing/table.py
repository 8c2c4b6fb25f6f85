"""A plan's task table from rows of cells, whatever they came from (a PDF's text layer or its ruled
tables, a spreadsheet, CSV, a Word or web table).

The header is found by what its cells say, in either script and any punctuation (重点工作, 工作任务,
具体要求, 推进措施; 牵头单位, 牽頭單位; 责任部门, 负责科室; 完成时限, 时间节点 ...), wherever it stands,
over one row or two (a cell spanning two columns over a row that splits it), and may repeat at
each page break. Where no row reads as a header, the columns are judged by what they hold (the
longest text is the work, cells of units' names the units, cells the deadline parser reads the
deadline), and the reading is flagged. The person can always say what each column is
(``--columns``).

Of the columns that could hold the work, the one with the longest text holds it; a column of
short phrases before it heads groups of rows (a category, or the parts and sections
``一、``/``(一)``), whether its cells repeat, are merged down or stand once. Part rows and section
rows may also stand between the tasks across the table. A row with no number where the others
have one, and nothing that starts a task, continues the task above (a row split over two PDF
pages). A list titled ``……名单`` after the table gives a group's members.

The reader returns rows and doubts; it never guesses a cell it cannot read: every field it
defaulted, joined, split or left empty while the source had text there is a doubt naming the
field, the line and, where one would help, the option that fixes it.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from gkcli.importing.cleaning import cell_text, fold, joined
from gkcli.importing.phrases import read_roles, unit_like, units_in_cell

HEADER = ("序号", "重点工作", "牵头单位", "责任单位", "完成时限")  # the usual header, named in messages
# What a header cell may say, by the role of its column: tried in this order, the first that a cell
# holds decides (完成时限 is a deadline though it says 完成; 牵头单位 leads though it says 单位).
_ROLES = (
    ("number", re.compile(r"^(?:序号|编号|序|号)$")),
    ("category", re.compile(r"^(?:类别|类型|分类|工作类别|任务类别|项目|领域|板块|方面|目标|工作目标|总体目标)$")),
    ("lead", re.compile(r"牵头|主办|主责")),
    ("responsible", re.compile(r"责任|配合|协办|参与|协同|协助|承办")),
    ("deadline", re.compile(r"时限|期限|时间|节点|进度|截止|日期|完成时")),
    ("unit", re.compile(r"(?:单位|部门|处室|科室|股室|主体|负责人?)$")),
    ("title", re.compile(r"任务|工作|内容|要求|事项|措施|举措|目标|要点|重点|计划|安排")),
    ("note", re.compile(r"^(?:备注|说明|其他|完成情况|进展情况|落实情况)$")),
)
ROLE_NAMES = {  # the words --columns takes for each field, and the field's name in messages
    "title": ("标题", "重点工作", "任务"),
    "lead": ("牵头", "牵头单位"),
    "responsible": ("责任", "责任单位", "配合"),
    "deadline": ("时限", "完成时限"),
    "category": ("类别",),
    "number": ("序号",),
}
_PART = re.compile(r"^(?:[一二三四五六七八九十]+、|第[一二三四五六七八九十]+部分)")
_SECTION = re.compile(r"^\(\s*(?:[一二三四五六七八九十]+|[-=≡三])\s*\)\s*")
_TASK = re.compile(r"^(\d{1,4})※?\.?$")  # ※: a reconstructed task in gkcli's own exports
_NUMBERED = re.compile(r"^(\d{1,4})\s*[.、.]\s*(?=\S)")  # 1.推进预算公开。
_MEMBER_LIST = re.compile(r"^(?:附件\s*\d+\s*)?(.+?)名单$")  # 县属有关单位名单: the members of a group
_DEBRIS = re.compile(r"[\[\]|{}<>]")  # bits of ruling lines and brackets that extraction leaves in text
_END = re.compile(r"^(?:抄送|抄报|印发)[::]")
_CLOSING = re.compile(
    r"^\d{4}年\d{1,2}月\d{1,2}日$|^.{2,30}?(?:人民政府办公室|人民政府办公厅|人民政府)$"
)  # signature and date
_RUN_ON = re.compile(r"\s+(\d{1,4}\s*[.、.]\s*\S{1,12})")  # "二、做好平台建设。 3.管好政府网站……"
CATEGORY_LENGTH = 20  # a category cell is a short heading; the task beside it is longer
MAX_HEADER_CELL = 16  # a header cell names a column in a few words
LOOKED_AT = 40  # rows searched for a header (said when none is found)


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
    notes: list[str] = field(default_factory=list)  # about the plan as a whole: how it was read
    reading: dict[str, str] = field(default_factory=dict)  # each field and the column it was read from


def header_roles(cells: list[str]) -> dict[int, str] | None:
    """The role of each column if ``cells`` is a header row, judged by the cells as a whole: every
    cell short, most of them naming a column a task table has, one of them the work and one a unit
    (a cell that names nothing known, 状态 or 备注, is a column read by nobody)."""
    roles = _cell_roles(cells)
    if roles is None:
        return None
    kinds = set(roles.values())
    filled = sum(1 for c in cells if c.strip())
    if "title" not in kinds or not kinds & {"lead", "responsible", "unit"} or 2 * len(roles) < filled:
        return None
    return roles


def _cell_roles(cells: list[str]) -> dict[int, str] | None:
    """The role each short cell names (None when a cell is too long to be a header's)."""
    roles: dict[int, str] = {}
    for index, cell in enumerate(cells):
        text = re.sub(r"[\s()()]", "", fold(cell))
        if not text:
            continue
        if len(text) > MAX_HEADER_CELL:
            return None
        role = next((name for name, words in _ROLES if words.search(text)), None)
        if role is not None:
            roles[index] = role
    return roles


def columns_of(cells: list[str]) -> dict[str, int] | None:
    """The column of each field if ``cells`` is a header row, before the rows below have been seen
    (where two columns could hold the work, the first; :func:`read` decides by what they hold)."""
    roles = header_roles(cells)
    return None if roles is None else _columns(roles, [])[0]


@dataclass
class _Header:
    roles: dict[int, str]
    width: int
    labels: list[str]  # each column's header text, as the document writes it
    rows: int  # header rows: one, or two when the first spans columns the second splits


def _header_at(rows: list[list[str]], index: int) -> _Header | None:
    """The header starting at ``rows[index]``, over one row or two."""
    cells = rows[index]
    below = rows[index + 1] if index + 1 < len(rows) else []
    spread = _spread_spans(cells)
    two = _two_row_header(cells, below, spread)
    if two is not None:
        return two
    roles = header_roles(cells)
    if roles is None:
        return None
    for i in range(len(cells)):  # a cell spanning columns: its word for each column it covers
        if i not in roles and not cells[i] and i > 0 and spread[i] and (role := _role_of(spread[i])):
            roles[i] = role
    return _Header(roles, len(cells), spread, 1)


def _two_row_header(cells: list[str], below: list[str], spread: list[str]) -> _Header | None:
    """The header over ``cells`` and the row ``below`` it, when the upper row spans columns the
    lower one names (责任单位 over 牵头单位 | 配合单位); None when they are not one header."""
    above = _cell_roles(cells)  # the upper row is a header's too: short words over two columns or more
    under = _cell_roles(below) if below and above and sum(1 for c in cells if c) >= 2 else None
    if not under or not _splits(cells, below):
        return None
    width = max(len(cells), len(below))
    upper = [spread[i] if i < len(spread) else "" for i in range(width)]
    lower = [below[i] if i < len(below) else "" for i in range(width)]
    labels = [low or up for up, low in zip(upper, lower, strict=True)]  # the narrower word names the column
    joined = [f"{u}{w}" if w != u else u for u, w in zip(upper, lower, strict=True)]
    merged = dict(_cell_roles(joined) or {})
    merged.update(under)  # the lower row's own word decides (牵头单位 under 责任单位)
    for i in range(len(labels)):
        if i not in merged and i < len(spread) and (role := _role_of(spread[i])):
            merged[i] = role
    if "title" in merged.values() and set(merged.values()) & {"lead", "responsible", "unit"}:
        return _Header(merged, len(labels), labels, 2)
    return None


def _role_of(text: str) -> str | None:
    found = _cell_roles([text])
    return found.get(0) if found else None


def _spread_spans(cells: list[str]) -> list[str]:
    """A header row with each empty cell given the text of the cell to its left (a cell spanning
    columns leaves the columns it covers empty)."""
    spread: list[str] = []
    for cell in cells:
        spread.append(cell if cell or not spread else spread[-1])
    return spread


def _splits(upper: list[str], lower: list[str]) -> bool:
    """Whether ``lower`` is a second header row under ``upper``: every word in it names a column,
    and one of them stands where ``upper`` spans columns (an empty cell, or the same word again as
    a spreadsheet's merged range gives it)."""
    named = [i for i, cell in enumerate(lower) if cell]
    if not named or any(_role_of(lower[i]) is None for i in named):
        return False
    return any(0 < i < len(upper) and (not upper[i] or upper[i] == upper[i - 1]) for i in named)


def _columns(roles: Mapping[int, str], body: list[list[str]]) -> tuple[dict[str, int], list[int]]:
    """The column of each field, and the category columns (short phrases heading groups of rows,
    before the work). One unit column without 牵头 holds the leads."""
    found: dict[str, int] = {}
    for index, role in sorted(roles.items()):
        if role not in ("title", "unit", "note", "category"):
            found.setdefault(role, index)
    title = found["title"] = _title_column(roles, body)
    categories = [
        i for i in sorted(roles) if i < title and (roles[i] == "category" or (roles[i] == "title" and _short(body, i)))
    ]
    for index in (i for i, role in sorted(roles.items()) if role == "unit"):
        found.setdefault("lead" if "lead" not in found else "responsible", index)
    if "lead" not in found and "responsible" in found:  # a plan with one unit column: those units lead
        found["lead"] = found.pop("responsible")
    return found, categories


def _title_column(roles: Mapping[int, str], body: list[list[str]]) -> int:
    """The column holding the work: of several that could, the one with the longest text (a column
    the header names nothing can hold it too, when its text is longer still); a category column
    only when no column is headed as the work."""
    width = max([len(r) for r in body] + [max(roles, default=-1) + 1])
    candidates = [i for i, role in sorted(roles.items()) if role in ("title", "category")]
    unnamed = [i for i in range(width) if i not in roles and _mean_length(body, i) > CATEGORY_LENGTH]
    lengths = {i: _mean_length(body, i) for i in [*candidates, *unnamed]}
    titles = sorted([*candidates, *unnamed]) or [i for i in range(width) if i not in roles]
    title = max(titles, key=lambda i: (lengths.get(i, 0.0), -i)) if body else (titles or [0])[0]
    if roles.get(title) == "category" and any(roles[i] == "title" for i in candidates):
        title = max((i for i in candidates if roles[i] == "title"), key=lambda i: (lengths[i], -i))
    return title


def _mean_length(body: list[list[str]], index: int) -> float:
    """The mean length of a column's texts, over the rows of the table (not lines of one cell)."""
    texts = [row[index] for row in body if index < len(row) and row[index] and sum(1 for c in row if c) > 1]
    return sum(map(len, texts)) / len(texts) if texts else 0.0


def _short(body: list[list[str]], index: int) -> bool:
    return not body or _mean_length(body, index) <= CATEGORY_LENGTH


def _heads_groups(body: list[list[str]], index: int) -> bool:
    """Whether a column's short texts head groups of rows: repeated, or merged down (empty below
    the first), rather than one for every row."""
    values = [row[index] if index < len(row) else "" for row in body if sum(1 for c in row if c) > 1]
    shared = sum(1 for before, value in itertools.pairwise(values) if not value or value == before)
    return bool(values) and shared >= max(1, len(values) // 3)


def _inferred(
    body: list[tuple[int, list[str]]], is_unit: Callable[[str], bool], is_deadline: Callable[[str], bool]
) -> dict[int, str] | None:
    """The roles of a table with no header, from what its columns hold: the work is the longest
    text, units' names the units (the first such column leads), phrases the deadline parser reads
    the deadline, small numbers the task numbers. None unless it reads as a task table (two rows
    or more with the work and a unit)."""
    rows = [cells for _, cells in body if sum(1 for c in cells if c) >= 2]
    if len(rows) < 2:
        return None
    width = max(len(r) for r in rows)
    roles: dict[int, str] = {}

    def share(index: int, test: Callable[[str], bool]) -> float:
        values = [r[index] for r in rows if index < len(r) and r[index]]
        return sum(1 for v in values if test(v)) / len(values) if values else 0.0

    for index in range(width):
        if share(index, lambda v: bool(_TASK.match(v))) > 0.8:
            roles[index] = "number"
        elif share(index, is_deadline) > 0.6:
            roles[index] = "deadline"
        elif share(index, lambda v: any(is_unit(n) or unit_like(n) for n in units_in_cell(v))) > 0.6:
            roles[index] = "unit"
    rest = [i for i in range(width) if i not in roles]
    if not rest or "unit" not in roles.values():
        return None
    title = max(rest, key=lambda i: _mean_length(rows, i))
    if _mean_length(rows, title) < 6:
        return None
    roles[title] = "title"
    for index in rest:
        if index < title and index != title and _mean_length(rows, index) > 0:
            roles[index] = "category"
    return roles


def _named_row(rows: list[list[str]], columns: Mapping[str, str]) -> int | None:
    """The first row holding every column ``--columns`` names by its header text (None when it
    names columns by number only, or no row holds them all)."""
    names = [re.sub(r"\s", "", c) for c in columns.values() if not c.strip().isdigit()]
    if not names:
        return None
    for index, cells in enumerate(rows[: LOOKED_AT * 5]):
        held = {re.sub(r"\s", "", c) for c in cells}
        if all(name in held for name in names):
            return index
    return None


def chosen_columns(given: Mapping[str, str], header: list[str] | None) -> dict[str, int]:
    """``--columns`` read against the header: each field (标题, 牵头 …) and the column it names, by
    its header text or its number from 1. BadValueError names an unknown field or column."""
    from gkcli.errors import BadValue

    fields = {word: role for role, words in ROLE_NAMES.items() for word in words}
    chosen: dict[str, int] = {}
    for name, column in given.items():
        role = fields.get(name.strip())
        if role is None:
            raise BadValue(f"--columns: 不认识的栏目 {name}", hint=f"可写: {'、'.join(fields)}")
        wanted = column.strip()
        if wanted.isdigit() and int(wanted) >= 1:
            chosen[role] = int(wanted) - 1
            continue
        labels = [re.sub(r"\s", "", c) for c in header or []]
        if re.sub(r"\s", "", wanted) not in labels:
            shown = "、".join(c for c in labels if c) or "(没有找到表头)"
            raise BadValue(f"--columns: 表头中没有“{wanted}”", hint=f"表头是: {shown};也可以写第几栏(从 1 起)")
        chosen[role] = labels.index(re.sub(r"\s", "", wanted))
    return chosen


def read(
    lines: Iterable[tuple[int, list[str]]],
    is_unit: Callable[[str], bool],
    is_deadline: Callable[[str], bool],
    *,
    columns: Mapping[str, str] | None = None,
    lead_first: bool = False,
) -> TableText:
    """The task table in ``lines`` (each a line or row number and its raw cells). ``is_unit`` says
    whether a name is a known unit or group, ``is_deadline`` whether the deadline parser reads a
    phrase; ``columns`` is what the person said of the columns (``--columns``), ``lead_first`` that
    a cell listing units without roles names the lead first."""
    all_rows = []
    for number, raw in lines:
        cells = [cell_text(c) for c in raw]
        while cells and not cells[-1]:
            cells.pop()
        if cells:
            all_rows.append((number, cells))
    plain = [cells for _, cells in all_rows]
    header, start = _header_of(plain, columns)
    notes: list[str] = []
    repeated = [plain[i] for i in range(start - header.rows, start)] if header else []
    body, members = _body(all_rows[start:] if header else all_rows, repeated)
    inferred = False
    if header is None:
        roles = _inferred(body, is_unit, is_deadline)
        if roles is None and not columns:
            looked = all_rows[min(len(all_rows), LOOKED_AT) - 1][0] if all_rows else 0
            why = f"找不到表头(看过第 1–{looked} 行;表头一行要写明 {'、'.join(HEADER)} 这样的栏目)"
            return TableText([], [], [Doubt(1, "任务表", why)], members)
        header = _Header(roles or {}, max((len(c) for _, c in body), default=0), [], 0)
        inferred = roles is not None
        if inferred:
            notes.append("表中没有认得出的表头,各栏按内容推断;如有误,用 --columns 指明")
    found, categories = _columns(header.roles, [cells for _, cells in body])
    if columns:
        found, categories = _as_told(found, categories, chosen_columns(columns, header.labels or None))
    reader = _Reader(found, categories, header.width, is_unit, is_deadline, lead_first)
    reader.inferred = inferred
    reader.unsure_title = _unsure_title(found, categories, [cells for _, cells in body], header.labels)
    for number, cells in body:
        reader.row(number, cells)
    reader.finish()
    reading = _reading(found, categories, header.labels)
    return TableText(reader.parts, reader.rows, reader.doubts, members, reader.task_rows, notes, reading)


def _header_of(plain: list[list[str]], columns: Mapping[str, str] | None) -> tuple[_Header | None, int]:
    """The table's header and the index of the first row below it (None, 0: no header found). The
    row ``--columns`` names columns of is the header, whatever it says."""
    named = _named_row(plain, columns) if columns else None
    if named is not None:
        return _Header(_cell_roles(plain[named]) or {}, len(plain[named]), plain[named], 1), named + 1
    for index in range(len(plain)):
        header = _header_at(plain, index)
        if header is not None:
            return header, index + header.rows
    return None, 0


def _as_told(found: dict[str, int], categories: list[int], chosen: dict[str, int]) -> tuple[dict[str, int], list[int]]:
    """The columns read, with those ``--columns`` chose in place of any that held the same field
    or stood in the same column."""
    kept = {k: v for k, v in found.items() if v not in chosen.values() and k not in chosen}
    told = [chosen["category"]] if "category" in chosen else [c for c in categories if c not in chosen.values()]
    return {**kept, **chosen}, told


def _body(
    rows: list[tuple[int, list[str]]], header_rows: list[list[str]]
) -> tuple[list[tuple[int, list[str]]], dict[str, list[str]]]:
    """The table's rows below its header (the header again at a page break left out), up to the
    document's closing lines, and the member lists after it."""
    body: list[tuple[int, list[str]]] = []
    members: dict[str, list[str]] = {}
    listing: str | None = None
    again = [[re.sub(r"\s", "", c) for c in row] for row in header_rows]
    for number, cells in rows:
        if [re.sub(r"\s", "", c) for c in cells] in again or (header_rows and header_roles(cells) is not None):
            continue  # the header again, at a page break
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
    return body, members


def _reading(found: Mapping[str, int], categories: list[int], labels: list[str]) -> dict[str, str]:
    """Each field and the column it was read from, as the summary says it (标题=具体要求(第 2 栏))."""
    said = {}
    names = {"title": "标题", "lead": "牵头", "responsible": "责任", "deadline": "时限", "number": "序号"}
    for role, name in names.items():
        if role in found:
            index = found[role]
            label = labels[index] if index < len(labels) and labels[index] else ""
            said[name] = f"{label}(第 {index + 1} 栏)" if label else f"第 {index + 1} 栏"
    named = [f"{labels[i]}(第 {i + 1} 栏)" if i < len(labels) and labels[i] else f"第 {i + 1} 栏" for i in categories]
    if named:
        said["类别"] = "、".join(named)
    return said


def _unsure_title(
    found: Mapping[str, int], categories: list[int], body: list[list[str]], labels: list[str]
) -> str | None:
    """When a column of short phrases before the work stands once for every row (it heads no
    group), it may be the task's own short name rather than a category: what to say on each task."""
    for index in categories:
        if not _heads_groups(body, index) and _mean_length(body, index) > 0:
            name = labels[index] if index < len(labels) and labels[index] else f"第 {index + 1} 栏"
            title = labels[found["title"]] if found["title"] < len(labels) else f"第 {found['title'] + 1} 栏"
            return f"标题取自“{title}”一栏,“{name}”一栏每行各不相同,读作类别;若它才是标题,用 --columns 标题={name}"
    return None


class _Reader:
    """The table's rows, one by one, with the columns decided: headings, tasks and what is neither."""

    def __init__(
        self, columns: dict[str, int], categories: list[int], width: int, is_unit: Callable[[str], bool],
        is_deadline: Callable[[str], bool], lead_first: bool,
    ) -> None:  # fmt: skip
        self.columns, self.categories, self.width = columns, categories, width
        self.is_unit, self.is_deadline, self.lead_first = is_unit, is_deadline, lead_first
        self.parts: list[Part] = []
        self.rows: list[Row] = []
        self.doubts: list[Doubt] = []
        self.category: dict[int, str] = {}  # each category column's current text
        self.task_rows = 0
        self.numbers: set[int] = set()
        self.numbered = 0  # task rows with a number of their own
        self.unsure_title: str | None = None
        self.judged: list[tuple[Row, list[tuple[str, str]]]] = []
        self.inferred = False  # the columns were judged by what they hold: rows that fit no column are passed over

    def _unit_or_number(self, cells: list[str]) -> bool:
        if _TASK.match(self.cell(cells, "number")):
            return True
        names = [*units_in_cell(self.cell(cells, "lead")), *units_in_cell(self.cell(cells, "responsible"))]
        return any(self.is_unit(n) or unit_like(n) for n in names)

    def cell(self, cells: list[str], key: str) -> str:
        """The text of a field's column; a unit cell keeps the lines its author broke (one name a
        line), any other is one line."""
        index = self.columns.get(key)
        text = cells[index] if index is not None and index < len(cells) else ""
        return text if key in ("lead", "responsible") else joined(text)

    def row(self, number: int, cells: list[str]) -> None:
        if self.inferred and not self._unit_or_number(cells):
            self.doubts.append(Doubt(number, "这一行", "没有单位也没有序号,不像任务(可能是读不出的表头),未读入"))
            return
        filled = {c for c in cells if c}
        if len(filled) == 1 and len(cells) > 1 and sum(1 for c in cells if c) > 1:
            cells = [filled.pop()]  # one cell merged across the table, its text in every column
        title = self.cell(cells, "title")
        if self._headings(cells, title, number):
            return
        units = any(self.cell(cells, k) for k in ("lead", "responsible", "deadline"))
        if title and self._continues(cells, title):
            self._join(cells, number)
        elif title and (title not in self.category.values() or units):
            self._task(cells, title, number)
        elif units or self.cell(cells, "number"):
            self.task_rows += 1
            self.doubts.append(Doubt(number, "这一行", "有单位或时限却没有重点工作,未读入;请核对原件"))
        elif not self.categories or not any(cells[i] for i in self.categories if i < len(cells)):
            self.doubts.append(Doubt(number, "这一行", "不是任务、部分或小节,未读入;若是上一行的续行请并入"))

    def _headings(self, cells: list[str], title: str, number: int) -> bool:
        """Open the parts and sections a row heads (by its category columns, or by a heading in its
        first cells); True when the row is a heading and nothing more."""
        if self.categories and len(cells) > 1:
            self._categories(cells, number)
            return False
        at = self._heading_column(cells)
        if at is None:
            return False
        if title and self.columns["title"] != at and self._task_like(cells, title):
            self._heading(joined(cells[at]), [], number)  # a heading and, on its row, the first task
            return False
        self._heading(joined(cells[at]), [joined(c) for c in cells[at + 1 :]], number)  # perhaps split over cells
        return True

    def _heading_column(self, cells: list[str]) -> int | None:
        """The cell a part or section heading stands in (None: the row heads nothing)."""
        if len(cells) > 1 and _PART.match(fold(cells[1])) and not self.categories and len(cells[1]) > len(cells[0]):
            return 1  # a PDF's text layer: a bit of the heading, then the whole of it
        first = fold(cells[0])
        return 0 if _PART.match(first) or _SECTION.match(first) else None

    def _categories(self, cells: list[str], line: int) -> None:
        """Category columns (outermost first) whose text changed open a heading each: 一、 a part,
        (一) a section, any other phrase a section (a new one each time it changes)."""
        for depth, index in enumerate(self.categories):
            value = joined(cells[index]) if index < len(cells) else ""
            if value and value != self.category.get(index):
                self.category[index] = value
                for inner in self.categories[depth + 1 :]:
                    self.category.pop(inner, None)
                if len(self.categories) > 1 and depth == 0 and not _SECTION.match(fold(value)):
                    self._open_part(value, line)
                else:
                    self._heading(value, [], line)

    def _continues(self, cells: list[str], title: str) -> bool:
        """A row that goes on with the task above (split over a page): the table numbers its tasks,
        this row has no number and starts no task (no 1. of its own, no heading)."""
        if "number" not in self.columns or not self.rows or self.numbered < 2:
            return False
        if self.cell(cells, "number") or _NUMBERED.match(title):
            return False
        return not any(cells[i] and cells[i] != self.category.get(i) for i in self.categories if i < len(cells))

    def _join(self, cells: list[str], line: int) -> None:
        row = self.rows[-1]
        row.title += self.cell(cells, "title")
        lead, responsible = self._units(cells)
        row.lead += [n for n in lead if n not in row.lead]
        row.responsible += [n for n in responsible if n not in row.responsible]
        row.deadline += self.cell(cells, "deadline")
        row.source += " | " + " | ".join(cells)
        row.doubtful = True
        self.doubts.append(
            Doubt(
                line,
                f"任务 {row.number} 的标题",
                f"原文第 {line} 行没有序号,读作上一行(跨页)的续行,已并入;请核对",
                row.number,
            )
        )

    def _task_like(self, cells: list[str], title: str) -> bool:
        """Whether a row that starts with a heading also holds a task (not the rest of the heading
        spilt into the next cells): a task number, units, or a deadline where they belong."""
        if _TASK.match(self.cell(cells, "number")) or _NUMBERED.match(title):
            return True
        names = [*units_in_cell(self.cell(cells, "lead")), *units_in_cell(self.cell(cells, "responsible"))]
        deadline = self.cell(cells, "deadline")
        return any(self.is_unit(n) or unit_like(n) for n in names) or bool(deadline and self.is_deadline(deadline))

    def _open_part(self, text: str, line: int) -> None:
        match = _PART.match(fold(text))
        title = text[match.end() :] if match else text
        self.parts.append(Part(len(self.parts) + 1, title.strip(" 、,").rstrip("。"), line))

    def _heading(self, text: str, rest: list[str], line: int) -> None:
        if (run_on := _RUN_ON.search(text)) is not None and not rest:  # a heading and a task read as one line
            self.task_rows += 1
            self.doubts.append(
                Doubt(line, "这一行", f"标题后面连着一项任务({run_on.group(1)}…),栏线没有读出,任务未读入;请核对原件")
            )
            text = text[: run_on.start()]
        if _PART.match(fold(text)):
            self._open_part(text, line)
            title = self.parts[-1].title
            if _DEBRIS.search(title):
                self.doubts.append(Doubt(line, f"第 {len(self.parts)} 部分的标题", f"含有多余的符号({title}),请核对"))
            return
        part = self._part(line)
        pieces = [piece for piece in (_strip_section(p) for p in [text, *rest]) if piece]
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

    def _units(self, cells: list[str]) -> tuple[list[str], list[str]]:
        """The lead and responsible units of a row, from what each unit cell says (its clauses may
        name roles themselves: "县财政局牵头,县直有关部门配合"); a cell that lists units without
        roles gives them to its column (the first to lead, with ``lead_first``)."""
        lead: list[str] = []
        responsible: list[str] = []
        for key in ("lead", "responsible"):
            roles = read_roles(self.cell(cells, key), lambda _: False, own=key)
            lead += roles.lead
            responsible += roles.responsible
            if roles.listed:
                if key == "lead" and self.lead_first and "responsible" not in self.columns:
                    lead += roles.listed[:1]
                    responsible += roles.listed[1:]
                else:
                    (lead if key == "lead" else responsible).extend(roles.listed)
        lead = list(dict.fromkeys(lead))
        return lead, [n for n in dict.fromkeys(responsible) if n not in lead]

    def _task(self, cells: list[str], title: str, line: int) -> None:
        self.task_rows += 1
        written = _TASK.match(self.cell(cells, "number"))
        numbered = _NUMBERED.match(title)
        if numbered and not (written and int(written.group(1)) != int(numbered.group(1))):
            title = title[numbered.end() :]
        given = int(written.group(1)) if written else int(numbered.group(1)) if numbered else None
        self.numbered += given is not None
        task = given if given is not None and given not in self.numbers else max(self.numbers, default=0) + 1
        self.numbers.add(task)
        lead, responsible = self._units(cells)
        row = Row(task, self._section(line), title, lead, responsible, self.cell(cells, "deadline"), line,
                  source=" | ".join(cells))  # fmt: skip
        self.rows.append(row)
        extra = []
        if given is not None and given != task:
            extra.append(("序号", f"原文序号 {given} 已用过(各部分分别编号?),改为 {task}"))
        if len(cells) > self.width:
            extra.append(("单元格", f"这一行有 {len(cells)} 个单元格,表头只有 {self.width} 栏:文字可能跨过了栏线"))
        if "deadline" not in self.columns:
            extra.append(("完成时限", "表中没有完成时限一栏;若有,用 --columns 时限=栏名 指明"))
        if self.unsure_title:
            extra.append(("标题", self.unsure_title))
        self.judged.append((row, extra))

    def finish(self) -> None:
        """Judge every task, now that all names are known (:func:`strange_names`)."""
        strange = strange_names(self.rows, self.is_unit)
        for row, extra in self.judged:
            judge(row, self.doubts, strange, self.is_deadline, extra,
                  empty_lead="牵头单位为空", empty_deadline="完成时限为空")  # fmt: skip
        self.doubts.sort(key=lambda d: d.line)


def _strip_section(text: str) -> str:
    match = _SECTION.match(fold(text))
    return text[match.end() :] if match else text


def strange_names(rows: Iterable[Row], is_unit: Callable[[str], bool]) -> Callable[[str], bool]:
    """Which names of a plan's tasks are doubtful where they stand: in a plan whose tasks name mostly
    known units (the bundled directory's county), every name it does not know; in a plan of another
    place, where most are new, only a name that does not read as a body's (a fragment of a
    damaged cell). A new name that reads as one is listed for review once, in units.yaml."""
    named = [n for row in rows for n in [*row.lead, *row.responsible]]  # each time a task names one
    familiar = bool(named) and sum(1 for n in named if is_unit(n)) >= 0.7 * len(named)
    return lambda name: not is_unit(name) and (familiar or not unit_like(name))


def judge(
    row: Row,
    doubts: list[Doubt],
    strange: Callable[[str], bool],
    is_deadline: Callable[[str], bool],
    found: Iterable[tuple[str, str]] = (),
    *,
    empty_lead: str,
    empty_deadline: str,
) -> None:
    """Note every doubt about a task row (``found``: the reader's own, as cell and reason) and mark
    the row doubtful if there is one. ``strange``: whether a unit name is doubtful (see
    :func:`strange_names`)."""
    pending = list(found)
    if not row.section:
        pending.append(("小节", "任务出现在第一个小节之前"))
    if not row.lead:
        pending.append(("牵头单位", empty_lead))
    for what, names in (("牵头单位", row.lead), ("责任单位", row.responsible)):
        unknown = [n for n in names if strange(n)]
        if unknown:
            pending.append((what, f"不认识的单位名称:{'、'.join(unknown)}(可能是被拆开的名称、简称或新单位)"))
    if not row.deadline:
        if not any(what == "完成时限" for what, _ in pending):
            pending.append(("完成时限", empty_deadline))
    elif not is_deadline(row.deadline):
        pending.append(("完成时限", f"读不懂的完成时限:{row.deadline}"))
    doubts += [Doubt(row.line, f"任务 {row.number} 的{what}", why, row.number) for what, why in pending]
    row.doubtful = row.doubtful or bool(pending)
